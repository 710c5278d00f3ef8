"""What a run costs on a registry that is not empty: requests, wall time and peak memory.

Side by side in one process run, ``quick`` and ``ci`` against the reference endpoint served
here, pre-filled with 0, 1,000 and 10,000 repositories of its user (and, when not empty, one
repository holding 1,000 images, for the image listings). The suite's cost should be set by the
suite, not by the account: requests at every size within 10% of those at 0, a 100% score at
every size, and peak memory flat.

With ``--before REV`` each row is also run with an earlier revision of this repository
(staged as ``bench_profiles.py`` does), for the cost before and after.

Usage: ``python benchmarks/bench_scale.py [--profiles quick,ci] [--sizes 0,1000,10000]
[--before REV]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ecr_public_conformance.reference import start_server
from ecr_public_conformance.reference.state import Image, Repository

IMAGES = 1000


def prefill(store: Any, repositories: int) -> None:
    """Give the registry ``repositories`` repositories of its user, and one with many images."""
    now = time.time()
    for i in range(repositories):
        name = f"user/app-{i:05d}"
        store.repositories[name] = Repository(name, now, now, tags={"owner": "user"})
    if repositories:
        repo = Repository("user/images", now, now)
        for i in range(IMAGES):
            digest = "sha256:" + f"{i:064x}"
            repo.images[digest] = Image(digest, "{}", "application/json", None, 2, now, (), {})
            repo.images[digest].tags[f"v{i}"] = now
        store.repositories[repo.name] = repo


def run(
    url: str, profile: str, pythonpath: Path | None = None, edition: str = ""
) -> dict[str, Any]:
    """One run (of ``edition``, when named) against ``url``: requests, wall time, peak memory
    (MiB) and score."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "ecr_public_conformance", "run", "--endpoint-url", url]
            + ["--profile", profile, "--quiet", "--seed", "7", "--report-dir", out]
            + (["--edition", edition] if edition else []),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=out,
            env=env,
        )
        _, _, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        doc = json.loads((Path(out) / "results.json").read_text())
    return {
        "requests": doc["requests"]["total"],
        "wall_s": wall,
        "peak_mib": usage.ru_maxrss / 1024,
        "score": doc["summary"]["score"],
    }


def _knows_edition(site: Path | None, edition: str) -> str:
    """``edition`` for a revision whose ``run`` takes ``--edition``; "" for an earlier one (it
    judges the seed edition, the only one it knows: compare it with ``--edition seed``)."""
    if site is None:
        return edition
    return edition if "edition" in (site / "ecr_public_conformance" / "run.py").read_text() else ""


def main() -> None:
    """Print one row per profile and size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="quick,ci")
    parser.add_argument("--sizes", default="0,1000,10000")
    parser.add_argument(
        "--edition", default="newest", help="edition to run and serve (default: newest)"
    )
    parser.add_argument(
        "--before",
        help="also run this earlier revision, row by row, on the same edition (one that does "
        "not know --edition runs its own, the seed)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with ExitStack() as stack:
        revisions: list[tuple[str, Path | None]] = [("now", None)]
        if args.before:
            from bench_profiles import staged

            revisions.insert(0, (args.before, stack.enter_context(staged(args.before))))
        print(
            f"{'revision':10} {'profile':8} {'repositories':>12} {'requests':>9} "
            f"{'x size 0':>8} {'wall':>7} {'peak MiB':>9} {'score':>7}"
        )
        for profile in args.profiles.split(","):
            for label, path in revisions:
                base = None
                for size in sizes:
                    edition = args.edition
                    with start_server(max_repositories=size + 10_000, edition=edition) as server:
                        prefill(server.endpoint.store, size)
                        row = run(server.url, profile, path, _knows_edition(path, edition))
                    base = base if base is not None else row["requests"]
                    score = "-" if row["score"] is None else f"{row['score']:.1%}"
                    print(
                        f"{label[:10]:10} {profile:8} {size:>12,} {row['requests']:>9,} "
                        f"{row['requests'] / base:>8.2f} {row['wall_s']:>6.1f}s "
                        f"{row['peak_mib']:>9.0f} {score:>7}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
