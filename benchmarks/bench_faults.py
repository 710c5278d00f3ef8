"""A quick run against the reference: clean, throttling at 30 %, a flaky transport at 25 %.

Side by side in one run, each against its own in-process reference endpoint (the suite runs in
a subprocess, as a user would run it): wall time, requests the endpoint served, requests the
conditions disturbed, seconds the reference spent in the flaky transport's delays, repositories
of the run left behind, and the exit code. Ratios are
against the clean run. The target: flaky-transport at 25 % within 3x the clean wall time,
leaving 0 repositories.

Usage: ``python benchmarks/bench_faults.py [--repeat N] [--fault-seed S]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ecr_public_conformance.reference import start_server

CONDITIONS = {
    "clean": (),
    "throttling=0.3": ("throttling=0.3",),
    "flaky=0.25": ("flaky-transport=0.25",),
}


@dataclass
class Measured:
    wall_s: float
    served: int
    disturbed: int
    delayed_s: float
    left: int
    code: int
    by_check: Counter[str] = field(default_factory=Counter)


def measure(faults: tuple[str, ...], fault_seed: int | None) -> Measured:
    """Run the quick profile once against a fresh reference with ``faults``."""
    with (
        start_server(faults=faults, fault_seed=fault_seed) as srv,
        tempfile.TemporaryDirectory() as out,
    ):
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "ecr_public_conformance",
                "run",
                "--endpoint-url",
                srv.url,
                "--profile",
                "quick",
                "--seed",
                "7",
                "--quiet",
                "--report-dir",
                out,
            ],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        if "Traceback" in done.stderr:
            raise SystemExit(f"the run crashed ({' '.join(faults) or 'clean'}):\n{done.stderr}")
        left = sum(1 for n in srv.endpoint.store.repositories if n.startswith("ecrconf-"))
        disturbed = sum(srv.endpoint.disruptions.values())
        e = srv.endpoint
        by_check: Counter[str] = Counter()
        results = Path(out) / "results.json"
        if results.exists():
            for r in json.loads(results.read_text())["results"]:
                by_check[r["check"]] += r["duration_s"]
        return Measured(
            wall, e.requests_served, disturbed, e.delayed_s, left, done.returncode, by_check
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="runs per condition (median kept)")
    parser.add_argument(
        "--fault-seed", type=int, default=1, help="seed of the reference's fault pattern"
    )
    args = parser.parse_args()
    runs: dict[str, list[Measured]] = {name: [] for name in CONDITIONS}
    for _ in range(args.repeat):  # interleaved, so machine noise hits every condition alike
        for name, faults in CONDITIONS.items():
            runs[name].append(measure(faults, args.fault_seed))
    rows = {name: sorted(ms, key=lambda m: m.wall_s)[len(ms) // 2] for name, ms in runs.items()}
    clean = rows["clean"]
    print(
        f"{'condition':16} {'wall s':>8} {'x clean':>8} {'served':>7} {'x clean':>8} "
        f"{'disturbed':>9} {'delayed s':>9} {'left':>5} {'exit':>5}"
    )
    for name in CONDITIONS:
        m = rows[name]
        print(
            f"{name:16} {m.wall_s:8.1f} {m.wall_s / clean.wall_s:8.2f} {m.served:7d} "
            f"{m.served / clean.served:8.2f} {m.disturbed:9d} {m.delayed_s:9.1f} {m.left:5d} "
            f"{m.code:5d}"
        )
    for name in CONDITIONS:
        top = ", ".join(f"{c} {s:.1f}" for c, s in rows[name].by_check.most_common(3))
        print(f"slowest checks, {name} (s): {top}")
    flaky = rows["flaky=0.25"]
    ratio = flaky.wall_s / clean.wall_s
    verdict = "met" if ratio <= 3 and flaky.left == 0 else "NOT met"
    print(f"target (flaky within 3x clean, 0 left): {verdict} ({ratio:.2f}x, {flaky.left} left)")


if __name__ == "__main__":
    main()
