"""How scenarios draw: seeded draws that do not depend on which modules the process has loaded,
and a garbage collector that does not scan the whole process after every few draws.

Hypothesis mixes into its draws string and number constants it finds in the source of the
"local" modules loaded in the process (anything outside site-packages and the standard
library: an editable install, the user's conftest, their emulator). A recording and its replay
run in different processes with different modules loaded (the ``record`` command, a pytest
session with plug-ins), so the same seed would draw different requests and every record would
look stale. While a scenario set is played, those local constants are left out; Hypothesis'
built-in constants still apply, so the draws stay as varied as in a non-editable install.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: The collector's first threshold while scenarios are played (Python's default is 700).
PLAY_GC_THRESHOLD = 100000


@contextmanager
def without_local_constants() -> Iterator[None]:
    """Draw without the constants of locally loaded modules (a no-op if Hypothesis changed)."""
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a Hypothesis without this module
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    cache: Any = getattr(providers, "CONSTANTS_CACHE", None)
    empty = getattr(providers, "Constants", None)
    if original is None or empty is None or cache is None:  # pragma: no cover
        yield
        return
    nothing = empty()
    cache.cache.clear()
    providers._get_local_constants = lambda: nothing
    try:
        yield
    finally:
        providers._get_local_constants = original
        cache.cache.clear()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Let the garbage collector run less often while a scenario draws and sends.

    Drawing makes many short-lived cyclic objects; in a process that already holds a large
    heap (a pytest session) each collection scans it all, which made a replay in a run about a
    tenth slower than the same play in ``record``. The objects alive before are frozen (not
    scanned) and the first threshold raised; both are put back afterwards.
    """
    saved = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(PLAY_GC_THRESHOLD, *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        gc.unfreeze()
