"""Valid examples generated per second, per operation (median, min and max over the 23).

Run: python benchmarks/bench_strategies.py [--examples N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from hypothesis import HealthCheck, given, settings

from ecr_public_conformance.specs import load_service
from ecr_public_conformance.strategies import from_operation


def rate(name: str, examples: int) -> tuple[int, float]:
    count = 0

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(from_operation(name))
    def consume(request: dict) -> None:
        nonlocal count
        count += 1

    start = time.perf_counter()
    consume()
    return count, count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=300)
    args = parser.parse_args()
    results: dict[str, float] = {}
    counts: dict[str, int] = {}
    print(f"{'operation':32} {'examples':>8} {'examples/s':>11}")
    for name in sorted(load_service().operations):
        count, per_second = rate(name, args.examples)
        results[name], counts[name] = per_second, count
        print(f"{name:32} {count:8d} {per_second:11.0f}")
    # operations without members have a single possible request ({}); their rate is not
    # a generation rate, so they stay out of the summary
    results = {n: r for n, r in results.items() if counts[n] == args.examples}
    values = sorted(results.values())
    slowest = min(results, key=results.__getitem__)
    fastest = max(results, key=results.__getitem__)
    print()
    print(
        f"median {statistics.median(values):.0f}/s, min {values[0]:.0f}/s ({slowest}), "
        f"max {values[-1]:.0f}/s ({fastest})"
    )


if __name__ == "__main__":
    main()
