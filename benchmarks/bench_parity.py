"""What parity costs: replaying a corpus against recording it, side by side in one run.

Each repetition, against the embedded reference, as a user runs the commands (subprocesses):

* ``record --profile P``: plays the scenario set and writes the corpus;
* ``run --profile P --oracle DIR -- --ecr-checks parity``: replays that corpus and judges it
  (the parity cases only);
* ``run --profile P`` and ``run --profile P --oracle DIR``: what an oracle adds to a run.

Printed: the median wall time of each, the ratio replay / record (the target: at most 1.2)
and the ratio run with oracle / run.

Usage: ``python benchmarks/bench_parity.py [--profile ci] [--repeat 3] [--seed 7]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "ecr_public_conformance"]


def timed(args: list[str]) -> float:
    """Run one command; return its wall time (a failure ends the benchmark)."""
    start = time.perf_counter()
    done = subprocess.run([*CLI, *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:1])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return wall


def main() -> None:
    """Measure and print the table."""
    p = argparse.ArgumentParser()
    p.add_argument("--profile", default="ci")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    walls: dict[str, list[float]] = {"record": [], "replay": [], "run": [], "run+oracle": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            common = ["--profile", args.profile, "--seed", str(args.seed)]
            walls["record"].append(timed(["record", *common, "--out", str(corpus), "--quiet"]))
            report = ["--quiet", "--report-dir", f"{tmp}/out", "--history-dir", f"{tmp}/h"]
            oracle = ["--oracle", str(corpus)]
            walls["replay"].append(
                timed(["run", *common, *report, *oracle, "--", "--ecr-checks", "parity"])
            )
            walls["run"].append(timed(["run", *common, *report]))
            walls["run+oracle"].append(timed(["run", *common, *report, *oracle]))
    median = {k: statistics.median(v) for k, v in walls.items()}
    print(f"profile {args.profile}, {args.repeat} repetitions, median wall time:")
    for name, value in median.items():
        spread = ", ".join(f"{v:.1f}" for v in walls[name])
        print(f"  {name:11} {value:6.1f} s   ({spread})")
    ratio = median["replay"] / median["record"]
    print(f"replay / record:   {ratio:.2f}x (target: at most 1.2x)")
    print(f"run+oracle / run:  {median['run+oracle'] / median['run']:.2f}x")


if __name__ == "__main__":
    main()
