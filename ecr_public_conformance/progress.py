"""Live progress of a run on stderr: a header, then one updating line or a few log lines.

On a terminal the run shows one line, redrawn in place (carriage return): cases done of the
total, failures so far, elapsed time, an estimate of the time left once there is one, and the
operation being tested. Off a terminal (CI logs) it writes one line every 5 s or every 10% of
the cases, whichever comes first, never one per case. ``--quiet`` keeps only the header and
the final summary. Under pytest-xdist the counts come from the controller's reports.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from .reports.fmt import plural

#: Off a terminal: seconds between two progress lines at most.
LOG_INTERVAL_S = 5.0
#: Off a terminal: a line each time another 1/LOG_STEPS of the cases is done (every 10%).
LOG_STEPS = 10
#: Seconds between two redraws driven by the clock alone (elapsed time, log interval).
TICK_S = 0.5
#: Fraction of the cases (at least one) that must be done before the time left is estimated.
ETA_AFTER = 0.05

RESET = "\x1b[0m"
STYLES = {"bold": "\x1b[1m", "dim": "\x1b[2m", "red": "\x1b[31m", "green": "\x1b[32m"}
CLEAR_LINE = "\r\x1b[2K"
COLOR_MODES = ("auto", "always", "never")


def use_color(mode: str, tty: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour: ``always``/``never`` decide; ``auto`` means a terminal and no NO_COLOR."""
    env = os.environ if environ is None else environ
    if mode == "always":
        return True
    if mode == "never":
        return False
    return tty and not env.get("NO_COLOR") and env.get("TERM") != "dumb"


def is_terminal(stream: TextIO) -> bool:
    """True when ``stream`` is an interactive terminal."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def clock_text(seconds: float) -> str:
    """``9`` -> ``0:09``, ``3725`` -> ``1:02:05``."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02}:{s:02}" if h else f"{m}:{s:02}"


def header_line(
    version: str,
    target: str,
    profile: str,
    strictness: str,
    seed: int,
    workers: int = 1,
    edition: str = "",
) -> str:
    """The first line of a run: what is tested, by which edition, how, and the seed that
    replays it."""
    parts = [f"ecr-public-conformance {version}", f"target {target}"]
    parts += [f"edition {edition}"] if edition else []
    parts += [f"profile {profile}"]
    parts += [f"strictness {strictness}", f"seed {seed}"]
    if workers > 1:
        parts.append(f"{workers} workers")
    return ", ".join(parts)


def target_label(
    endpoint_url: str | None, faults: tuple[str, ...] = (), variants: tuple[str, ...] = ()
) -> str:
    """The target as the header names it: the URL, or the embedded reference with its faults
    and variants."""
    if endpoint_url:
        return endpoint_url
    extra = [f"faults: {', '.join(faults)}"] if faults else []
    extra += [f"variants: {', '.join(variants)}"] if variants else []
    return "embedded reference" + (f" ({'; '.join(extra)})" if extra else "")


@dataclass
class Counts:
    """What the progress line shows."""

    total: int | None = None
    done: int = 0
    failed: int = 0
    current: str = ""


Segment = tuple[str, str]  # (text, style name or "")


class ProgressLine:
    """Renders progress to a stream: redrawn in place on a terminal, sparse lines in a log.

    ``clock`` and ``width`` are injectable so that tests drive time and terminal size.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool,
        color: bool = False,
        quiet: bool = False,
        clock: Callable[[], float] = time.monotonic,
        width: Callable[[], int] | None = None,
    ) -> None:
        self.stream = stream
        self.tty = tty
        self.color = color
        self.quiet = quiet
        self.clock = clock
        self.width = width or (lambda: _terminal_width(stream))
        self.counts = Counts()
        self.started_at = clock()
        self.cases_started_at: float | None = None
        self.last_line_at = self.started_at
        self.next_step = 1
        self.drawn = False
        self.closed = False
        self.last_logged = ""
        self._lock = threading.RLock()

    # events -----------------------------------------------------------------------------

    def begin(self, total: int) -> None:
        """The cases are collected: ``total`` of them will run."""
        with self._lock:
            self.counts.total = total
            self.cases_started_at = self.clock()
            if not self.tty and not self.quiet:
                self._write_line(f"running {plural(total, 'case')}")
            self._refresh()

    def case_started(self, operation: str) -> None:
        """A case of ``operation`` started."""
        with self._lock:
            self.counts.current = operation
            self._refresh()

    def case_finished(self, failed: bool) -> None:
        """A case finished (``failed``: it counts as a failure)."""
        with self._lock:
            self.counts.done += 1
            self.counts.failed += int(failed)
            self._refresh()

    def tick(self) -> None:
        """The clock moved: redraw the elapsed time, or write the periodic log line."""
        with self._lock:
            self._refresh()

    def note(self, text: str) -> None:
        """Write a line of its own (on a terminal, above the progress line, which is redrawn)."""
        with self._lock:
            if self.tty and self.drawn and not self.closed:
                self._emit(CLEAR_LINE + text + "\n")
                self._draw()
            else:
                self._emit(text + "\n")

    def close(self) -> None:
        """End the progress display: leave the final counts on their own line."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            if self.quiet:
                return
            if self.tty:
                self._draw()
                self._emit("\n")
            elif self.counts.total is not None and self.last_logged != self._log_text():
                self._write_line(self._log_text())

    # rendering --------------------------------------------------------------------------

    def segments(self) -> list[Segment]:
        """The parts of the current progress text and their styles."""
        c = self.counts
        now = self.clock()
        elapsed = clock_text(now - self.started_at)
        if c.total is None:
            return [("collecting cases", "bold"), (f"  {elapsed} elapsed", "")]
        width = len(str(c.total))
        pct = math.floor(100 * c.done / c.total) if c.total else 100
        out: list[Segment] = [(f"{c.done:>{width}}/{c.total} {pct:>3}%", "bold")]
        out.append((f"  {c.failed} failed", "red" if c.failed else "green"))
        out.append((f"  {elapsed} elapsed", ""))
        eta = self.eta(now)
        if eta is not None:
            out.append((f"  ETA {clock_text(eta)}", ""))
        if c.current and c.done < c.total:
            out.append((f"  {c.current}", "dim"))
        return out

    def eta(self, now: float) -> float | None:
        """Seconds left, once enough cases are done to say (None before)."""
        c = self.counts
        if c.total is None or self.cases_started_at is None or c.done >= c.total:
            return None
        if c.done < max(1, math.ceil(c.total * ETA_AFTER)):
            return None
        rate = (now - self.cases_started_at) / c.done
        return rate * (c.total - c.done)

    def render(self) -> str:
        """The line as drawn on a terminal (cut to the width, coloured when enabled)."""
        room = max(self.width() - 1, 10)
        out = []
        for text, style in self.segments():
            if room <= 0:
                break
            piece = text[:room]
            room -= len(piece)
            out.append(f"{STYLES[style]}{piece}{RESET}" if self.color and style else piece)
        return "".join(out)

    def _log_text(self) -> str:
        """The line as written to a log: ``[ 37/373   9%] 1 failed, 0:09 elapsed, ...``."""
        parts = [
            (text if i == 0 else text.strip(), st) for i, (text, st) in enumerate(self.segments())
        ]
        if self.color:
            parts = [(f"{STYLES[st]}{t}{RESET}" if st else t, st) for t, st in parts]
        texts = [t for t, _ in parts]
        if self.counts.total is None:
            return ", ".join(texts)
        return f"[{texts[0]}] " + ", ".join(texts[1:])

    def _refresh(self) -> None:
        if self.quiet or self.closed:
            return
        if self.tty:
            self._draw()
            return
        if self.counts.total is None:
            if self.clock() - self.last_line_at >= LOG_INTERVAL_S:
                self._write_line(self._log_text())
            return
        due = self.clock() - self.last_line_at >= LOG_INTERVAL_S
        stepped = False
        total = self.counts.total
        while (
            total
            and self.next_step <= LOG_STEPS
            and self.counts.done * LOG_STEPS >= total * self.next_step
        ):
            self.next_step += 1
            stepped = True
        if due or stepped:
            self._write_line(self._log_text())

    def _draw(self) -> None:
        self._emit(CLEAR_LINE + self.render())
        self.drawn = True

    def _write_line(self, text: str) -> None:
        self._emit(text + "\n")
        self.last_line_at = self.clock()
        self.last_logged = text

    def _emit(self, text: str) -> None:
        """Write and flush; a stream that went away (closed pipe) ends the display quietly."""
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.quiet = True

    # a clock that keeps the display alive between cases ------------------------------------

    def start_ticker(self, interval: float = TICK_S) -> Callable[[], None]:
        """Call :meth:`tick` every ``interval`` seconds in a thread; return its stopper."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(interval):
                self.tick()

        thread = threading.Thread(target=loop, name="ecr-progress", daemon=True)
        thread.start()

        def stopper() -> None:
            stop.set()
            thread.join(timeout=2)

        return stopper


def _terminal_width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


def _operation(nodeid: str) -> str:
    """The operation of a suite case id (``...test_conformance[CreateRepository-check]``)."""
    param = nodeid.rsplit("[", 1)[-1].rstrip("]")
    return param.split("-", 1)[0]


def is_case(nodeid: str) -> bool:
    """True for the node id of one of the suite's cases."""
    return "test_conformance[" in nodeid


class ProgressPlugin:
    """A pytest plug-in feeding a :class:`ProgressLine` (works on the xdist controller too)."""

    def __init__(self, line: ProgressLine) -> None:
        self.line = line
        self.failed: set[str] = set()
        self._stop_ticker: Callable[[], None] | None = None

    def pytest_sessionstart(self, session: Any) -> None:
        """Start the clock-driven redraws."""
        if not self.line.quiet:
            self._stop_ticker = self.line.start_ticker()

    def pytest_collection_finish(self, session: Any) -> None:
        """Count the cases (without xdist; under xdist the controller collects nothing)."""
        if session.items:
            self.line.begin(sum(1 for item in session.items if is_case(item.nodeid)))

    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """Count the cases from the first xdist worker's collection."""
        if self.line.counts.total is None:
            self.line.begin(sum(1 for nodeid in ids if is_case(nodeid)))

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        """Show the operation now being tested."""
        if is_case(nodeid):
            self.line.case_started(_operation(nodeid))

    def pytest_runtest_logreport(self, report: Any) -> None:
        """Remember the cases that failed (in any phase)."""
        if report.failed and is_case(report.nodeid):
            self.failed.add(report.nodeid)

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        """Count a finished case."""
        if is_case(nodeid):
            self.line.case_finished(nodeid in self.failed)

    def stop(self) -> None:
        """Stop the redraws and leave the final counts (call once pytest has returned)."""
        if self._stop_ticker is not None:
            self._stop_ticker()
            self._stop_ticker = None
        self.line.close()
