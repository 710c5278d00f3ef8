"""Requests and wall time per profile, clean and with stateful faults, and before/after.

Side by side in one process run, each row a full ``ecr-public-conformance run`` against a
reference endpoint served here (so every request it answers is counted):

* each profile against the clean reference and against the reference with stateful faults
  (``--fault``, default ``tags-not-stored``; several, comma-separated, e.g. three lost writes
  ``tags-not-stored,lost-write,display-name-dropped``): a mismatch does not make the registry
  model shrink, and a run waits out one consistency window in all however many writes are
  lost, so the faulty run should cost about what the clean one costs plus one window;
* with ``--before REV``, the same ``ci`` run of an earlier revision of this repository (staged
  as the package layout in a temporary folder, as ``.ci/typecheck`` does), for the requests and
  wall time before and after.

* each profile on each edition (``--editions``, default the seed and the newest, each against a
  reference serving it): the newest edition's quick run should stay under 2x the seed's;

Usage: ``python benchmarks/bench_profiles.py [--profiles quick,ci] [--fault A,B]
[--editions seed,newest] [--before 8b73fce]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ecr_public_conformance.reference import start_server

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("specs", "strategies", "conformance", "reports", "reference")


def stage(rev: str, into: Path) -> Path:
    """Check ``rev`` out into ``into`` and stage the installed package layout; return it."""
    tree = into / "tree"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), rev], check=True
    )
    pkg = into / "site" / "ecr_public_conformance"
    pkg.mkdir(parents=True)
    for f in (tree / "ecr_public_conformance").iterdir():
        (pkg / f.name).symlink_to(f)
    for d in STAGES:
        (pkg / d).symlink_to(tree / d)
    _alias_plugin(tree)
    return into / "site"


#: Where the pytest entry point of this revision finds the plug-in, and where earlier ones had it.
PLUGIN = Path("conformance/pytest_plugin/plugin.py")
OLD_PLUGIN = "conformance/plugin.py"


def _alias_plugin(tree: Path) -> None:
    """Give a revision from before the plug-in moved the module the installed entry point names:
    an alias of its own plug-in (else the entry point would load this revision's)."""
    if (tree / PLUGIN).exists() or not (tree / OLD_PLUGIN).exists():
        return
    (tree / PLUGIN).parent.mkdir()
    (tree / PLUGIN).with_name("__init__.py").write_text("")
    (tree / PLUGIN).write_text(
        "import sys\n\nfrom .. import plugin\n\nsys.modules[__name__] = plugin\n"
    )


@contextmanager
def staged(rev: str) -> Iterator[Path]:
    """``rev`` staged as the installed package layout (see ``stage``), removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            yield stage(rev, Path(tmp))
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(Path(tmp) / "tree")]
            )


def run(url: str, profile: str, pythonpath: Path | None = None, edition: str = "") -> float:
    """One run (of ``edition``, when named); return its wall time in seconds."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "ecr_public_conformance", "run", "--endpoint-url", url]
            + ["--profile", profile, "--quiet", "--seed", "7", "--report-dir", out]
            + (["--edition", edition] if edition else []),
            capture_output=True,
            env=env,
            cwd=out,
            timeout=3600,
        )
        return time.perf_counter() - start


def measure(
    profile: str, faults: list[str], pythonpath: Path | None = None, edition: str = "seed"
) -> tuple[float, int]:
    """(wall time, requests served) of one run of ``edition`` against a fresh reference serving
    it (a revision staged with ``pythonpath`` is run without ``--edition``: older ones lack it)."""
    with start_server(faults=faults, edition=edition) as server:
        wall = run(server.url, profile, pythonpath, "" if pythonpath else edition)
        return wall, server.endpoint.requests_served


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", default="quick,ci")
    parser.add_argument(
        "--fault",
        default="tags-not-stored",
        help="fault(s) of the faulty runs, comma-separated (e.g. three lost writes: "
        "tags-not-stored,lost-write,display-name-dropped)",
    )
    parser.add_argument(
        "--editions",
        default="seed,newest",
        help="editions to run, comma-separated; each row's ratio is against the first edition's "
        "clean run of that profile",
    )
    parser.add_argument("--before", help="an earlier revision to compare the seed ci run with")
    args = parser.parse_args()
    faults = args.fault.split(",")
    print(f"{'run':50} {'wall s':>8} {'requests':>9} {'x clean':>8}")
    for profile in args.profiles.split(","):
        base = 0.0
        for edition in args.editions.split(","):
            clean = measure(profile, [], edition=edition)
            faulty = measure(profile, faults, edition=edition)
            base = base or clean[0]
            print(f"{profile} {edition} clean".ljust(50), end=" ")
            print(f"{clean[0]:8.1f} {clean[1]:9d} {clean[0] / base:8.2f}")
            print(f"{profile} {edition} with {args.fault}".ljust(50), end=" ")
            print(f"{faulty[0]:8.1f} {faulty[1]:9d} {faulty[0] / base:8.2f}")
    if args.before:
        with staged(args.before) as site:
            old, new = measure("ci", [], site), measure("ci", [])
            old_f, new_f = measure("ci", faults, site), measure("ci", faults)
        for label, (wall, requests) in (
            (f"ci at {args.before}", old),
            ("ci now", new),
            (f"ci at {args.before} with {args.fault}", old_f),
            (f"ci now with {args.fault}", new_f),
        ):
            print(f"{label:34} {wall:8.1f} {requests:9d}")
        print(f"ci now / before: wall {new[0] / old[0]:.2f}x, requests {new[1] / old[1]:.2f}x")


if __name__ == "__main__":
    main()
