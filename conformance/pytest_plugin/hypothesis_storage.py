"""Where Hypothesis keeps its files during a run: a per-user cache folder, never the working one.

Hypothesis writes ``./.hypothesis`` by default: its unicode and codec tables (seconds to build,
so worth keeping between runs) and, when one is enabled, an example database. The suite uses no
database unless ``--ecr-hypothesis-db`` is given, so what it stores is the tables alone: they go
to the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``, then
``ecr-public-conformance/hypothesis-VERSION``), written atomically by Hypothesis, so parallel
runs and workers share them safely. When that folder cannot be written, a temporary folder is
used and removed at the end. ``HYPOTHESIS_STORAGE_DIRECTORY`` still chooses the folder itself.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def cache_folder() -> Path:
    """The per-user folder for Hypothesis' tables (for this Hypothesis version)."""
    import hypothesis

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ecr-public-conformance" / f"hypothesis-{hypothesis.__version__}"


def choose() -> tuple[Path, bool]:
    """The folder Hypothesis should use, and whether it is temporary (removed at the end)."""
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError:
        return Path(tempfile.mkdtemp(prefix="ecr-conformance-hypothesis-")), True
    return folder, False


def use(folder: Path | None) -> None:
    """Point Hypothesis at ``folder`` (``None``: back to its default)."""
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(None if folder is None else str(folder))


def release(folder: Path, temporary: bool) -> None:
    """Give Hypothesis back its default folder; remove ``folder`` if it was temporary."""
    use(None)
    if temporary:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def private_storage() -> Iterator[None]:
    """Keep Hypothesis' files out of the working folder while the block runs."""
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        yield
        return
    folder, temporary = choose()
    use(folder)
    try:
        yield
    finally:
        release(folder, temporary)
