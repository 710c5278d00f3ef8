"""The suite's request throughput against a local endpoint, as a ratio to a plain boto3 loop.

Against one reference endpoint served by a separate process, each round runs side by side:

* ``ecr-public-conformance run --endpoint-url URL --profile P --seed S``: requests the
  endpoint served / wall time of the command (start-up, collection and reports included);
* with ``--before REV``, the same command on an earlier revision of this repository (staged as
  ``bench_profiles.py`` does), for before and after in one process run;
* a plain boto3 client loop sending as many requests of the suite's busiest operations
  (``bench_run.boto3_loop``), half before and half after the suite's runs of the round.

Each version of the suite runs once before the rounds (a warm-up, which also gives the loop
its length). The suite's processes keep their compiled bytecode in a folder of the
benchmark's own (``PYTHONPYCACHEPREFIX``, written even where ``PYTHONDONTWRITEBYTECODE`` is
set), as an installed package or a checkout without that variable has it: the boto3 loop's
modules are compiled already, and compiling the modules a run imports cost about a third of
a second of CPU on every run (importing them took 1.16 s compiled anew, 0.80 s from
bytecode, medians of 8). ``--cold-bytecode`` compiles them on every run instead, as the
benchmark did before the option existed.

It prints each round, then the medians of the rounds and the ratio suite / boto3 (the median
of the rounds' ratios), and where
the suite's time went: the run is started through a small wrapper that times, exclusive of
each other, the wire client (signing, transport, the rest of ``call``), request generation
(``collect()`` and boundary requests), the checks (``run_case``) and the reports; what is left
is start-up and collection before the first case, pytest's own time between cases, and cleanup
and teardown after the last one.

Usage: ``python benchmarks/bench_throughput.py [--profile quick] [--seed 1] [--rounds 3]
[--edition newest] [--before main] [--cold-bytecode]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bench_profiles import ROOT, stage
from bench_run import boto3_loop, run_suite
from served import Served, served

#: Run instead of ``-m ecr_public_conformance``: time the suite's parts, then run the command.
#: Each timer's time is its own (nested timers' time is taken out). Written to BENCH_TIMINGS:
#: the parts, and marks (seconds from the wrapper's start) to place the untimed rest.
TIMED = """
import time
START = time.perf_counter()
import atexit, json, os, sys, threading
from collections import defaultdict
from ecr_public_conformance import run as run_module, wire
from ecr_public_conformance import conformance
_ROOMS = os.path.dirname(conformance.__file__)
if os.path.exists(os.path.join(_ROOMS, "catalogue", "samples.py")):
    from ecr_public_conformance.conformance.harness import runner
    from ecr_public_conformance.conformance.catalogue import samples
elif os.path.isdir(os.path.join(_ROOMS, "harness")):  # rooms, samples still in the harness
    from ecr_public_conformance.conformance.harness import runner, samples
else:  # a revision from before the judging stage had rooms
    from ecr_public_conformance.conformance import runner, samples

parts = defaultdict(float)
marks = {"timed": 0.0}  # timed: total top-level timed seconds so far
local = threading.local()

def timed(owner, name, category):
    inner = getattr(owner, name)
    def wrapper(*args, **kwargs):
        stack = local.__dict__.setdefault("stack", [])
        frame = [time.perf_counter(), 0.0]
        if category == CASES and "first_start" not in marks:
            marks["first_start"], marks["timed_at_first"] = frame[0] - START, marks["timed"]
        stack.append(frame)
        try:
            return inner(*args, **kwargs)
        finally:
            stack.pop()
            end = time.perf_counter()
            took = end - frame[0]
            parts[category] += took - frame[1]
            if stack:
                stack[-1][1] += took
            else:
                marks["timed"] += took
            if category == CASES:
                marks["last_end"], marks["timed_at_last"] = end - START, marks["timed"]
    setattr(owner, name, wrapper)

timed(wire.WireClient, "call", "wire: the rest of call()")
timed(wire.WireClient, "_sign", "wire: SigV4 signing")
timed(wire.WireClient, "_send", "wire: transport")
timed(samples, "collect", "generation (collect, boundaries)")
timed(samples, "boundary_requests", "generation (collect, boundaries)")
CASES = "checks (run_case, own time)"
timed(runner, "run_case", CASES)
timed(run_module, "_report", "reports")

@atexit.register
def write():
    marks["end"] = time.perf_counter() - START
    with open(os.environ["BENCH_TIMINGS"], "w") as f:
        json.dump({"parts": parts, "marks": marks}, f)

sys.argv = ["ecr-public-conformance", *sys.argv[1:]]
from ecr_public_conformance.cli import main
sys.exit(main())
"""


@dataclass
class Round:
    """One run of the suite: wall time, requests the endpoint served, the timed parts."""

    wall: float
    requests: int
    parts: dict[str, float] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        """Requests per second."""
        return self.requests / self.wall


def timed_run(
    srv: Served,
    profile: str,
    seed: int,
    pythonpath: Path | None,
    pycache: Path | None,
    edition: str = "newest",
) -> Round:
    """Run the suite once against ``srv`` through the timing wrapper; then clear the server.

    ``pycache``: the folder the run keeps its compiled bytecode in (None: it compiles every
    module it imports, if the environment says not to write bytecode)."""
    env: dict[str, str] = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    with tempfile.TemporaryDirectory() as tmp:
        env["BENCH_TIMINGS"] = str(Path(tmp) / "timings.json")
        before = srv.served()
        wall = run_suite(srv.url, profile, 1, seed, ("-c", TIMED), env, edition)
        served_now = srv.served()
        timings = json.loads(Path(env["BENCH_TIMINGS"]).read_text())
    srv.reset()
    return Round(wall, served_now - before, untimed(wall, timings["parts"], timings["marks"]))


def untimed(wall: float, parts: dict[str, float], marks: dict[str, float]) -> dict[str, float]:
    """The timed parts plus the untimed rest, placed by the marks (all add up to ``wall``)."""
    out = dict(parts)
    if "first_start" not in marks:
        out["untimed"] = wall - sum(parts.values())
        return out
    out["start-up, imports, collection (untimed)"] = marks["first_start"] - marks["timed_at_first"]
    span = marks["last_end"] - marks["first_start"]
    out["pytest between cases (untimed)"] = span - (
        marks["timed_at_last"] - marks["timed_at_first"]
    )
    after = marks["end"] - marks["last_end"]
    out["after the last case (untimed)"] = after - (marks["timed"] - marks["timed_at_last"])
    out["interpreter start and exit"] = wall - marks["end"]
    return out


def breakdown(rounds: list[Round]) -> list[tuple[str, float]]:
    """Median seconds of each part of the suite's time over ``rounds``."""
    keys = list(dict.fromkeys(k for r in rounds for k in r.parts))
    return [(k, statistics.median(r.parts.get(k, 0.0) for r in rounds)) for k in keys]


def show(label: str, rounds: list[Round], loops: list[float]) -> None:
    """Print the medians of ``rounds``, the ratio to the loop paired round by round, and where
    the time went."""
    wall = statistics.median(r.wall for r in rounds)
    rps = statistics.median(r.rps for r in rounds)
    n = statistics.median(r.requests for r in rounds)
    ratio = statistics.median(r.rps / loop for r, loop in zip(rounds, loops, strict=True))
    print(
        f"\n{label}: {n:.0f} requests in {wall:.2f} s = {rps:.0f} requests/s; "
        f"boto3 {statistics.median(loops):.0f} requests/s; ratio {ratio:.2f}"
    )
    parts = breakdown(rounds)
    for part, seconds in parts:
        print(f"  {part:40} {seconds:6.2f} s {seconds / wall * 100:5.1f}%")
    wire = sum(seconds for part, seconds in parts if part.startswith("wire"))
    print(f"  wire client per request: {wire / n * 1000:.2f} ms")


def measure(
    rounds: int,
    profile: str,
    seed: int,
    before: Mapping[str, Path],
    pycache: Path | None,
    edition: str = "newest",
) -> tuple[dict[str, list[Round]], list[float]]:
    """Paired rounds: each runs every version of the suite and the boto3 loop once, all of
    the same edition against a reference serving it."""
    runs: dict[str, list[Round]] = {label: [] for label in [*before, "now"]}
    loops: list[float] = []
    with served(edition=edition) as srv:
        for label in before:  # warm-up (its bytecode written)
            timed_run(srv, profile, seed, before[label], pycache, edition)
        n = timed_run(srv, profile, seed, None, pycache, edition).requests  # the loop's length
        for i in range(rounds):
            # the loop brackets the suite's runs (half before, half after), so that a change of
            # load on a shared machine meets both sides alike
            loop = boto3_loop(srv.url, n // 2)
            srv.reset()
            order = list(runs) if i % 2 == 0 else list(reversed(runs))  # no side always first
            for label in order:
                runs[label].append(
                    timed_run(srv, profile, seed, before.get(label), pycache, edition)
                )
            loop += boto3_loop(srv.url, n - n // 2)
            srv.reset()
            loops.append(n / loop)
            cells = "  ".join(
                f"{k} {v[-1].rps:4.0f}/s ({v[-1].wall:.2f} s)" for k, v in runs.items()
            )
            print(f"round {i + 1}: {cells}  boto3 {loops[-1]:4.0f}/s", flush=True)
    return runs, loops


def main() -> None:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--profile", default="quick")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument(
        "--edition",
        default="newest",
        help="the edition every run judges by and the server serves (default: newest, a "
        "run's default; an earlier revision must know --edition)",
    )
    p.add_argument("--before", help="an earlier revision to run side by side (e.g. main)")
    p.add_argument(
        "--cold-bytecode",
        action="store_true",
        help="compile the suite's modules on every run (when PYTHONDONTWRITEBYTECODE is set)",
    )
    args = p.parse_args()
    bytecode = "compiled on every run" if args.cold_bytecode else "kept between runs"
    print(
        f"profile {args.profile}, edition {args.edition}, seed {args.seed}, {args.rounds} "
        "paired rounds, one server; "
        f"the suite's bytecode {bytecode}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        before = {f"at {args.before}": stage(args.before, Path(tmp))} if args.before else {}
        pycache = None if args.cold_bytecode else Path(tmp) / "pycache"
        try:
            runs, loops = measure(
                args.rounds, args.profile, args.seed, before, pycache, args.edition
            )
        finally:
            if args.before:
                tree = str(Path(tmp) / "tree")
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", tree])
    for label, rounds in runs.items():
        show(label, rounds, loops)


if __name__ == "__main__":
    main()
