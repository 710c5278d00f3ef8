"""Wall time of `run` per profile and workers, and the suite's request throughput vs boto3.

Everything is measured side by side in one process run against one reference endpoint:

* wall time of ``ecr-public-conformance run --profile quick|ci`` with 1 and 2 workers, against
  one shared reference endpoint and as the default run (each worker embeds its own);
* the suite's request throughput (requests the endpoint served / wall time of the run) as a
  ratio to a plain boto3 loop sending the same number of requests to the same endpoint (a
  reference in a separate process; ``bench_throughput.py`` measures this alone, in paired
  rounds, with a breakdown of the suite's time).

Usage: ``python benchmarks/bench_run.py [--profiles quick,ci] [--workers 1,2]``
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import boto3
from served import served


def run_suite(
    url: str | None,
    profile: str,
    workers: int,
    seed: int | None = None,
    launcher: Sequence[str] = ("-m", "ecr_public_conformance"),
    env: Mapping[str, str] | None = None,
    edition: str | None = None,
) -> float:
    """Run the suite once (``url`` None: the embedded reference); return the wall time.

    ``launcher`` is what follows the interpreter on the command line (a module or a ``-c``
    script that takes the command's arguments); ``env`` replaces the environment.
    """
    target = ["--endpoint-url", url] if url else []
    seeded = ["--seed", str(seed)] if seed is not None else []
    seeded += ["--edition", edition] if edition else []
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, *launcher, "run", *target, *seeded]
            + ["--profile", profile, "--workers", str(workers), "--quiet", "--report-dir", out],
            capture_output=True,
            text=True,
            env=None if env is None else dict(env),
            cwd=out,  # not a checkout's root, whose package folder would shadow PYTHONPATH
        )
        wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the suite failed against the reference:\n{done.stdout}{done.stderr}")
    return wall


#: One cycle of the plain loop's mix, the suite's busiest operations (bench-N: the cycle's
#: repository, its upload and its ARN carried over in ``state``).
BLOB = b"bench-layer"
DIGEST = "sha256:" + hashlib.sha256(BLOB).hexdigest()
CYCLE: tuple[Callable[[Any, str, dict[str, Any]], Any], ...] = (
    lambda c, r, s: s.update(
        arn=c.create_repository(repositoryName=r)["repository"]["repositoryArn"]
    ),
    lambda c, r, s: s.update(upload=c.initiate_layer_upload(repositoryName=r)["uploadId"]),
    lambda c, r, s: c.upload_layer_part(
        repositoryName=r,
        uploadId=s["upload"],
        partFirstByte=0,
        partLastByte=len(BLOB) - 1,
        layerPartBlob=BLOB,
    ),
    lambda c, r, s: c.complete_layer_upload(
        repositoryName=r, uploadId=s["upload"], layerDigests=[DIGEST]
    ),
    lambda c, r, s: c.describe_repositories(maxResults=10),
    lambda c, r, s: c.describe_images(repositoryName=r),
    lambda c, r, s: c.tag_resource(resourceArn=s["arn"], tags=[{"Key": "k", "Value": "v"}]),
    lambda c, r, s: c.list_tags_for_resource(resourceArn=s["arn"]),
    lambda c, r, s: c.put_repository_catalog_data(
        repositoryName=r, catalogData={"description": "bench"}
    ),
    lambda c, r, s: c.delete_repository(repositoryName=r, force=True),
)


def boto3_loop(url: str, n: int) -> float:
    """Send ``n`` requests of the suite's busiest operations with one boto3 client (create,
    upload a layer, describe, tag, catalog data, delete); return the seconds they took."""
    c = boto3.client(
        "ecr-public",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    state: dict[str, Any] = {}
    start = time.perf_counter()
    for i in range(n):
        CYCLE[i % len(CYCLE)](c, f"bench-{i // len(CYCLE)}", state)
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
            with served() as srv:
                wall = run_suite(srv.url, profile, workers)
                n = srv.served()
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
