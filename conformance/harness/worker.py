"""Which pytest-xdist worker this process is, learnt from pytest's own config.

xdist tells a worker who it is through ``PYTEST_XDIST_WORKER`` and
``PYTEST_XDIST_WORKER_COUNT``, but any program the worker starts inherits them: a run
started from a test under ``pytest -n 2`` would believe it is one of two workers and split
its request budget. The plug-in sets the identity here from ``config.workerinput``, which
only a real worker has; everything else asks this module.
"""

from __future__ import annotations

from typing import Any

MAIN = "main"

_identity: tuple[str, int] = (MAIN, 1)


def adopt(config: Any) -> None:
    """Learn this process's worker id and the number of workers from a pytest config."""
    global _identity
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        _identity = (MAIN, 1)
        return
    _identity = (
        str(workerinput.get("workerid", MAIN)),
        max(1, int(workerinput.get("workercount", 1) or 1)),
    )


def worker_id() -> str:
    """This process's xdist worker id (``gw0``...), or ``main`` outside a worker."""
    return _identity[0]


def worker_count() -> int:
    """How many xdist workers share the run (1 outside xdist)."""
    return _identity[1]
