"""An interrupted run is a status: exit 130, cleanup done, results.json says so, reports written."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.conformance.harness.config import RunConfig
from ecr_public_conformance.conformance.pytest_plugin.cases import build_cases
from ecr_public_conformance.records import Sweep
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.run import _final_sweep
from ecr_public_conformance.wire import WireClient

CLI = [sys.executable, "-m", "ecr_public_conformance"]
#: A log progress line with at least one case done: ``[ 38/373  10%] ...``.
SOME_DONE = re.compile(r"^\[\s*[1-9]\d*/\d+", re.M)

#: How many cases a full run has (the suite's own count, not a number to keep in step).
TOTAL = len(build_cases(RunConfig()))  # of the seed edition, which these runs judge by


def interrupt_after_first_cases(
    args: list[str], cwd: Path, sig: signal.Signals, whole_group: bool
) -> tuple[int, str, str]:
    """Start ``run``, wait until progress shows finished cases, send ``sig``; return the end."""
    proc = subprocess.Popen(
        [*CLI, "run", "--profile", "ci", "--edition", "seed", "--report-dir", "out", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    assert proc.stderr is not None
    os.set_blocking(proc.stderr.fileno(), False)
    seen = b""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        seen += proc.stderr.read() or b""
        if SOME_DONE.search(seen.decode()):
            break
        time.sleep(0.1)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    if whole_group:  # Ctrl-C in a terminal reaches every process of the job, workers too
        os.killpg(proc.pid, sig)
    else:  # a CI runner or kill(1) signals the run only
        os.kill(proc.pid, sig)
    out, err = proc.communicate(timeout=240)
    return proc.returncode, out.decode(), seen.decode() + err.decode()


def check_interrupted(code: int, out: str, err: str, cwd: Path) -> dict[str, Any]:
    assert code == 130, out + err
    assert "Traceback" not in err
    doc: dict[str, Any] = json.loads((cwd / "out" / "results.json").read_text())
    assert doc["interrupted"] is True and doc["stop_reason"] == "interrupted"
    assert doc["cases_total"] == TOTAL
    assert len(doc["results"]) < TOTAL
    assert f"interrupted after {len(doc['results'])} of {TOTAL} cases" in out
    assert {"junit.xml", "summary.md", "badge.svg", "report.html"} <= {
        p.name for p in (cwd / "out").iterdir()
    }
    assert isinstance(doc["seed"], int)
    return doc


@pytest.mark.slow
def test_ctrl_c_stops_the_run_as_interrupted(tmp_path: Path) -> None:
    code, out, err = interrupt_after_first_cases([], tmp_path, signal.SIGINT, whole_group=True)
    doc = check_interrupted(code, out, err, tmp_path)
    assert doc["results"], "cases that finished before the interrupt are kept"


@pytest.mark.slow
def test_ctrl_c_with_two_workers_is_interrupted_too(tmp_path: Path) -> None:
    code, out, err = interrupt_after_first_cases(
        ["--workers", "2"], tmp_path, signal.SIGINT, whole_group=True
    )
    check_interrupted(code, out, err, tmp_path)


@pytest.mark.slow
def test_sigterm_with_workers_cleans_up_the_target(tmp_path: Path) -> None:
    with start_server() as server:
        code, out, err = interrupt_after_first_cases(
            ["--workers", "2", "--endpoint-url", server.url],
            tmp_path,
            signal.SIGTERM,
            whole_group=False,
        )
        doc = check_interrupted(code, out, err, tmp_path)
        listing = WireClient(server.url).call("DescribeRepositories", {"maxResults": 1000})
        names = [r["repositoryName"] for r in listing.json["repositories"]]
    sweep = doc["cleanup"]["sweep"]
    assert sweep["prefix"].startswith("ecrconf-") and sweep["left"] == []
    assert not [n for n in names if n.startswith(sweep["prefix"])]


def test_the_final_sweep_deletes_only_the_run_prefix() -> None:
    with start_server() as server:
        client = WireClient(server.url)
        mine = ["ecrconf-1a2b3c4d-gw0-r1", "ecrconf-1a2b3c4d-gw1-r7"]
        theirs = ["ecrconf-99999999-gw0-r1", "user-repo", "ecrconf-1a2b3c4"]
        for name in mine + theirs:
            assert client.call("CreateRepository", {"repositoryName": name}).ok
        args = argparse.Namespace(endpoint_url=server.url, region="us-east-1")
        sweep = _final_sweep(args, "ecrconf-1a2b3c4d-")
        listing = client.call("DescribeRepositories", {}).json["repositories"]
    assert sweep == Sweep("ecrconf-1a2b3c4d-", deleted=tuple(sorted(mine)))
    assert sorted(r["repositoryName"] for r in listing) == sorted(theirs)


def test_no_sweep_for_the_embedded_reference() -> None:
    assert _final_sweep(argparse.Namespace(endpoint_url=None), "ecrconf-x-") is None


def test_an_interrupt_python_dropped_is_raised_again_at_the_next_case() -> None:
    import io

    from ecr_public_conformance.interrupts import Interrupts
    from ecr_public_conformance.progress import ProgressLine

    interrupts = Interrupts(ProgressLine(io.StringIO(), tty=False))
    interrupts.running_cases = True
    interrupts.pytest_runtest_logstart("x", None)  # not interrupted: nothing happens
    interrupts.count = 1  # interrupted, but the KeyboardInterrupt was lost in a finaliser
    with pytest.raises(KeyboardInterrupt):
        interrupts.pytest_runtest_logstart("x", None)
    interrupts.running_cases = False  # cleanup: never interrupt it
    interrupts.pytest_runtest_logstart("x", None)


def test_progress_is_not_swallowed_by_output_capture() -> None:
    # pytest redirects descriptor 2 while a case runs; the progress writes to a copy of it
    code = (
        "import os, sys\n"
        "from ecr_public_conformance.run import _progress_stream\n"
        "stream = _progress_stream()\n"
        "null = os.open(os.devnull, os.O_WRONLY)\n"
        "os.dup2(null, 2)\n"
        "print('captured', file=sys.stderr, flush=True)\n"
        "stream.write('progress\\n')\n"
        "stream.flush()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr == "progress\n"


def test_the_second_interrupt_is_noted_and_the_third_abandons() -> None:
    import io

    from ecr_public_conformance.interrupts import Interrupts
    from ecr_public_conformance.progress import ProgressLine

    stream = io.StringIO()
    interrupts = Interrupts(ProgressLine(stream, tty=False))
    with pytest.raises(KeyboardInterrupt):
        interrupts._handle(signal.SIGINT, None)
    interrupts._handle(signal.SIGTERM, None)  # cleanup goes on
    assert stream.getvalue() == (
        "interrupted again: still removing what the run created; "
        "interrupt once more to abandon the cleanup\n"
    )
    with pytest.raises(KeyboardInterrupt):
        interrupts._handle(signal.SIGINT, None)
