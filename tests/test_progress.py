"""Live progress: the renderer with a fake clock and stream, and a real terminal (tmux)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from ecr_public_conformance.progress import (
    CLEAR_LINE,
    ProgressLine,
    clock_text,
    header_line,
    target_label,
    use_color,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make(
    tty: bool, color: bool = False, quiet: bool = False, width: int = 120
) -> tuple[ProgressLine, io.StringIO, FakeClock]:
    stream, clock = io.StringIO(), FakeClock()
    line = ProgressLine(stream, tty=tty, color=color, quiet=quiet, clock=clock, width=lambda: width)
    return line, stream, clock


def run_cases(line: ProgressLine, clock: FakeClock, n: int, step: float, fail_every: int = 0):
    for i in range(n):
        line.case_started("CreateRepository")
        clock.advance(step)
        line.case_finished(bool(fail_every) and i % fail_every == 0)


def test_terminal_draws_one_line_in_place() -> None:
    line, stream, clock = make(tty=True)
    line.begin(373)
    run_cases(line, clock, 373, 0.01)
    line.close()
    out = stream.getvalue()
    assert out.count("\n") == 1 and out.endswith("\n")  # only the final newline
    assert out.count(CLEAR_LINE) >= 373
    final = out.rsplit(CLEAR_LINE, 1)[-1]
    assert final.startswith("373/373 100%  0 failed")


def test_terminal_line_shows_failures_elapsed_eta_and_operation() -> None:
    line, _, clock = make(tty=True)
    line.begin(100)
    clock.advance(3)
    run_cases(line, clock, 10, 1.0, fail_every=4)
    text = line.render()
    assert text == " 10/100  10%  3 failed  0:13 elapsed  ETA 1:57  CreateRepository"


def test_no_eta_before_enough_cases() -> None:
    line, _, clock = make(tty=True)
    line.begin(100)
    run_cases(line, clock, 4, 1.0)
    assert "ETA" not in line.render()
    run_cases(line, clock, 1, 1.0)
    assert "ETA" in line.render()


def test_terminal_line_is_cut_to_the_width() -> None:
    line, _, clock = make(tty=True, width=30)
    line.begin(373)
    run_cases(line, clock, 50, 0.5)
    assert len(line.render()) == 29


def test_colour_only_when_enabled() -> None:
    plain, _, clock = make(tty=True)
    plain.begin(10)
    run_cases(plain, clock, 2, 0.1, fail_every=1)
    assert "\x1b[" not in plain.render()
    coloured, _, clock = make(tty=True, color=True)
    coloured.begin(10)
    run_cases(coloured, clock, 2, 0.1, fail_every=1)
    assert "\x1b[31m  2 failed\x1b[0m" in coloured.render()


def test_log_writes_a_line_every_tenth_not_every_case() -> None:
    line, stream, clock = make(tty=False)
    line.begin(373)
    run_cases(line, clock, 373, 0.001)
    line.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "running 373 cases"
    assert len(lines) == 11  # 10%, 20% ... 100%
    assert lines[1].startswith("[ 38/373  10%] 0 failed, 0:00 elapsed")
    assert lines[-1] == "[373/373 100%] 0 failed, 0:00 elapsed"
    assert "\r" not in stream.getvalue()


def test_log_writes_a_line_every_five_seconds_when_cases_are_slow() -> None:
    line, stream, clock = make(tty=False)
    line.begin(1000)
    for _ in range(6):  # 6 slow cases, 2.5 s each: far from 10%
        line.case_started("PutImage")
        clock.advance(2.5)
        line.tick()
        line.case_finished(False)
    lines = stream.getvalue().splitlines()[1:]
    assert len(lines) == 3  # at 5, 10 and 15 s
    assert lines[0] == "[   1/1000   0%] 0 failed, 0:05 elapsed, PutImage"


def test_log_says_something_while_collection_is_slow() -> None:
    line, stream, clock = make(tty=False)
    clock.advance(6)
    line.tick()
    assert stream.getvalue() == "collecting cases, 0:06 elapsed\n"


def test_quiet_writes_nothing() -> None:
    for tty in (True, False):
        line, stream, clock = make(tty=tty, quiet=True)
        line.begin(10)
        run_cases(line, clock, 10, 1.0)
        line.tick()
        line.close()
        assert stream.getvalue() == ""


def test_a_note_goes_above_the_terminal_line() -> None:
    line, stream, clock = make(tty=True)
    line.begin(10)
    run_cases(line, clock, 1, 1.0)
    line.note("interrupted again")
    out = stream.getvalue()
    assert out.endswith(CLEAR_LINE + "interrupted again\n" + CLEAR_LINE + line.render())


@pytest.mark.parametrize(
    ("mode", "tty", "env", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),  # set but empty: no-color.org says ignore
        ("auto", True, {"TERM": "dumb"}, False),
        ("always", False, {"NO_COLOR": "1"}, True),
        ("never", True, {}, False),
    ],
)
def test_use_color(mode: str, tty: bool, env: dict[str, str], expected: bool) -> None:
    assert use_color(mode, tty, env) is expected


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00"), (9.9, "0:09"), (61, "1:01"), (3725, "1:02:05")]
)
def test_clock_text(seconds: float, text: str) -> None:
    assert clock_text(seconds) == text


@pytest.mark.parametrize(
    ("url", "faults", "workers", "expected"),
    [
        (
            None,
            (),
            1,
            "ecr-public-conformance 0.1.0, target embedded reference, profile ci, "
            "strictness spec, seed 42",
        ),
        (
            None,
            ("page-size-ignored",),
            2,
            "ecr-public-conformance 0.1.0, target embedded reference (faults: "
            "page-size-ignored), profile ci, strictness spec, seed 42, 2 workers",
        ),
        (
            "http://localhost:4566",
            (),
            1,
            "ecr-public-conformance 0.1.0, target http://localhost:4566, profile ci, "
            "strictness spec, seed 42",
        ),
    ],
)
def test_header_line(url: str | None, faults: tuple[str, ...], workers: int, expected: str) -> None:
    target = target_label(url, faults)
    assert header_line("0.1.0", target, "ci", "spec", 42, workers) == expected


#: Any progress output, old style (``[  37/373] CreateRepository: 5/12 done``) or new.
PROGRESS = re.compile(r"^\s*\d+/\d+\s+\d+%")


@pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)
def test_a_terminal_shows_one_progress_line_not_a_stream(tmp_path: Path) -> None:
    session = f"ecrconf-{uuid.uuid4().hex[:8]}"
    command = (
        f"{sys.executable} -m ecr_public_conformance run --profile ci --seed 3 "
        "--operations DescribeRepositories,CreateRepository,GetAuthorizationToken "
        f"--report-dir {tmp_path / 'out'}; echo EXIT=$?; sleep 60"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40", command],
        check=True,
        cwd=tmp_path,
    )
    try:
        seen: list[list[str]] = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            pane = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout.splitlines()
            seen.append([line for line in pane if PROGRESS.search(line)])
            if any(line.startswith("EXIT=") for line in pane):
                break
            time.sleep(0.3)
        assert any(line.startswith("EXIT=0") for line in pane), "\n".join(pane)
        assert pane[0].startswith("ecr-public-conformance ") and "seed 3" in pane[0]
        assert all(len(lines) <= 1 for lines in seen), seen
        assert [line for line in pane if PROGRESS.search(line)] == [
            next(line for line in pane if PROGRESS.search(line))
        ]
        assert re.match(r"^\s*\d+/(\d+) 100%  0 failed", seen[-1][0])
        assert sum(1 for lines in seen if lines) >= 2  # it was seen while running, too
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


@pytest.mark.parametrize("total", [1, 7, 10, 30, 373])
def test_log_steps_land_on_each_tenth(total: int) -> None:
    line, stream, clock = make(tty=False)
    line.begin(total)
    marks = []
    for i in range(1, total + 1):
        before = stream.getvalue().count("\n")
        line.case_finished(False)
        if stream.getvalue().count("\n") > before:
            marks.append(i)
    assert marks == sorted({-(-total * k // 10) for k in range(1, 11)})


def test_one_case_is_one_case() -> None:
    line, stream, _ = make(tty=False)
    line.begin(1)
    line.close()
    assert stream.getvalue().splitlines()[0] == "running 1 case"
