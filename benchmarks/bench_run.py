"""Wall time of `run` per profile and workers, and the suite's request throughput vs boto3.

Everything is measured side by side in one process run against one reference endpoint:

* wall time of ``ecr-public-conformance run --profile quick|ci`` with 1 and 2 workers, against
  one shared reference endpoint and as the default run (each worker embeds its own);
* the suite's request throughput (requests the endpoint served / wall time of the run) as a
  ratio to a plain boto3 loop sending the same number of requests to the same endpoint.

Usage: ``python benchmarks/bench_run.py [--profiles quick,ci] [--workers 1,2]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time

import boto3

from ecr_public_conformance.reference import start_server


def run_suite(url: str | None, profile: str, workers: int, seed: int | None = None) -> float:
    """Run the suite once (``url`` None: the embedded reference); return the wall time."""
    target = ["--endpoint-url", url] if url else []
    seeded = ["--seed", str(seed)] if seed is not None else []
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "ecr_public_conformance", "run", *target, *seeded]
            + ["--profile", profile, "--workers", str(workers), "--quiet", "--report-dir", out],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the suite failed against the reference:\n{done.stdout}{done.stderr}")
    return wall


def boto3_loop(url: str, n: int) -> float:
    """Send ``n`` requests (create, describe, delete) with one boto3 client; return seconds."""
    c = boto3.client(
        "ecr-public",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    start = time.perf_counter()
    for i in range(n):
        kind = i % 3
        if kind == 0:
            c.create_repository(repositoryName=f"bench-{i}")
        elif kind == 1:
            c.describe_repositories(maxResults=10)
        else:
            c.delete_repository(repositoryName=f"bench-{i - 2}")
    return time.perf_counter() - start


def main() -> None:
    """Measure and print the table."""
    p = argparse.ArgumentParser()
    p.add_argument("--profiles", default="quick,ci")
    p.add_argument("--workers", default="1,2")
    args = p.parse_args()
    print(
        f"{'profile':8} {'workers':>7} {'wall s':>8} {'requests':>9} {'suite rps':>10} "
        f"{'boto3 rps':>10} {'ratio':>6}"
    )
    for profile in args.profiles.split(","):
        walls = {}
        for workers in (int(w) for w in args.workers.split(",")):
            with start_server() as srv:
                wall = run_suite(srv.url, profile, workers)
                n = srv.endpoint.requests_served
                srv.reset()
                loop = boto3_loop(srv.url, n)
            walls[workers] = wall
            suite_rps, boto_rps = n / wall, n / loop
            print(
                f"{profile:8} {workers:>7} {wall:>8.1f} {n:>9} {suite_rps:>10.0f} "
                f"{boto_rps:>10.0f} {suite_rps / boto_rps:>6.2f}"
            )
        for workers in (int(w) for w in args.workers.split(",")):
            wall = run_suite(None, profile, workers)
            print(f"{profile:8} {workers:>7} {wall:>8.1f}   (default run: embedded reference)")
        if 1 in walls and 2 in walls:
            print(f"{profile:8} xdist speed-up (1 -> 2 workers): {walls[1] / walls[2]:.2f}x")


if __name__ == "__main__":
    main()
