"""Wall time and requests of the seed and newest editions, side by side, per profile.

Each row is a full ``ecr-public-conformance run`` against the embedded reference (which serves
the run's edition, with its premium defaults), seeded, in a fresh process; the requests are
those the run's ``results.json`` counts. The last columns divide the newest edition's numbers
by the seed edition's (the goal: ``quick`` under 2x the seed edition's time). Each pair is run
``--repeat`` times, alternating, and the median is printed, so that a busy machine weighs on
both editions alike.

Usage: ``python benchmarks/bench_editions.py [--profiles quick,ci] [--repeat 3] [--seed 7]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EDITIONS = ("seed", "newest")


def run(edition: str, profile: str, seed: int) -> tuple[float, int, str]:
    """One run; (wall seconds, requests sent, verdict line)."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "ecr_public_conformance", "run", "--edition", edition]
            + ["--profile", profile, "--quiet", "--seed", str(seed)]
            + ["--report-dir", str(Path(out) / "r"), "--history-dir", str(Path(out) / "h")],
            capture_output=True,
            text=True,
            cwd=out,
            timeout=3600,
        )
        wall = time.perf_counter() - start
        doc = json.loads((Path(out) / "r" / "results.json").read_text())
        s = doc["summary"]
        verdict = (
            f"{doc['edition']}: {s['passed']} passed, {s['failed']} failed, "
            f"{s['errors']} errors, {s['unsupported']} unsupported (exit {done.returncode})"
        )
        return wall, int(doc["requests"]["total"]), verdict


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", default="quick,ci")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(
        f"{'profile':8} {'seed s':>7} {'newest s':>9} {'time x':>7} "
        f"{'seed req':>9} {'newest req':>11} {'req x':>6}"
    )
    verdicts: list[str] = []
    for profile in args.profiles.split(","):
        walls: dict[str, list[float]] = {e: [] for e in EDITIONS}
        requests: dict[str, int] = {}
        for _ in range(args.repeat):
            for edition in EDITIONS:
                wall, sent, verdict = run(edition, profile, args.seed)
                walls[edition].append(wall)
                requests[edition] = sent
                verdicts.append(f"{profile} {verdict}")
        old, new = (statistics.median(walls[e]) for e in EDITIONS)
        print(
            f"{profile:8} {old:7.1f} {new:9.1f} {new / old:7.2f} "
            f"{requests['seed']:9d} {requests['newest']:11d} "
            f"{requests['newest'] / requests['seed']:6.2f}"
        )
    for line in dict.fromkeys(verdicts):
        print(line)


if __name__ == "__main__":
    main()
