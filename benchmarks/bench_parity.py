"""What parity costs: replaying a corpus against recording it, side by side in one run.

Each repetition, against the embedded reference, as a user runs the commands (subprocesses):

* ``record --profile P``: plays the scenario set and writes the corpus;
* ``run --profile P --oracle DIR -- --ecr-checks parity``: replays that corpus and judges it
  (the parity cases only);
* ``run --profile P`` and ``run --profile P --oracle DIR``: what an oracle adds to a run.

Printed: the median wall time of each, and the medians of the ratios of each repetition
(measured back to back, so a machine busy with other work weighs on both): replay / record
(the target: at most 1.2) and run with oracle / run.

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
    for top, bottom, note in (
        ("replay", "record", " (target: at most 1.2x)"),
        ("run+oracle", "run", ""),
    ):
        ratios = [a / b for a, b in zip(walls[top], walls[bottom], strict=True)]
        each = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"{top} / {bottom}: {statistics.median(ratios):.2f}x ({each}){note}")


if __name__ == "__main__":
    main()
