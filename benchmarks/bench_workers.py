"""When do pytest-xdist workers make ``run`` faster? Serial against 2 workers, side by side.

Three targets, each measured serially and with workers in the same process run, on this
machine, so only the ratios mean anything:

* the embedded reference (the default target: every worker embeds its own);
* a reference served by a separate process (one server shared by the workers);
* the same separate server with added latency per request (``--latency-ms``), like a remote
  emulator or a cloud region, where workers overlap the waiting.

The speed-up is serial wall time / workers wall time: above 1 the workers help. The last line
says what ``--workers auto`` picks here.

Usage: ``python benchmarks/bench_workers.py [--profile ci] [--workers 2] [--latency-ms 10]``
"""

from __future__ import annotations

import argparse

from bench_run import run_suite
from served import served

from ecr_public_conformance.preflight import auto_workers, available_cores


def main() -> None:
    """Measure and print the table."""
    p = argparse.ArgumentParser()
    p.add_argument("--profile", default="ci")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--latency-ms", type=float, default=10.0)
    args = p.parse_args()
    w = args.workers
    cores = available_cores()
    print(f"profile {args.profile}, {cores} cores, serial vs {w} workers")
    print(f"{'target':34} {'serial s':>9} {f'{w} workers s':>12} {'speed-up':>9}")
    scenarios: list[tuple[str, float | None]] = [
        ("embedded reference", None),
        ("separate process", 0.0),
        (f"separate process +{args.latency_ms:g} ms/request", args.latency_ms / 1000),
    ]
    for name, latency in scenarios:
        if latency is None:
            serial, parallel = (
                run_suite(None, args.profile, 1, seed=1),
                run_suite(None, args.profile, w, seed=1),
            )
        else:
            with served(latency) as srv:
                serial = run_suite(srv.url, args.profile, 1, seed=1)
            with served(latency) as srv:
                parallel = run_suite(srv.url, args.profile, w, seed=1)
        print(f"{name:34} {serial:>9.1f} {parallel:>12.1f} {serial / parallel:>8.2f}x")
    print(
        f"--workers auto here: {auto_workers(True, cores)} against the embedded reference, "
        f"{auto_workers(False, cores)} against an endpoint URL"
    )


if __name__ == "__main__":
    main()
