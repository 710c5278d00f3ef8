"""Time ``write_reports`` on a synthetic run: 23 operations x 15 checks, 50 failures."""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from ecr_public_conformance.records import (
    CheckResult,
    Failure,
    RunResults,
    Settings,
    SpecFact,
    Target,
    Times,
)
from ecr_public_conformance.records.categories import CATEGORIES
from ecr_public_conformance.reports import write_reports
from ecr_public_conformance.reports.matrix import spec_operations

CHECKS_PER_OPERATION = 15
FAILURES = 50
ENDPOINT = "http://127.0.0.1:5000"


def synthetic_failure(operation: str, n: int) -> Failure:
    body = {
        "repositoryName": f"repo-{n}",
        "tags": [{"Key": f"k{i}", "Value": "v"} for i in range(5)],
    }
    return Failure(
        message=f"{operation}: response member repositoryUri did not match its pattern (case {n})",
        spec_fact=SpecFact(operation, "repositoryUri", "pattern=^[a-z0-9./-]+$", "service-model"),
        request={
            "method": "POST",
            "url": f"{ENDPOINT}/",
            "headers": {
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": f"SpencerFrontendService.{operation}",
                "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x, Signature="
                + "ab" * 32,
            },
            "body": body,
        },
        response={
            "status": 200,
            "headers": {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": str(n)},
            "body": '{"repository": {"repositoryUri": "NOT A URI ' + "x" * 200 + '"}}',
        },
        reproduce={
            "aws_cli": f"aws ecr-public {operation.lower()} --cli-input-json '{{}}' "
            f"--endpoint-url {ENDPOINT} --region us-east-1",
            "python": "import boto3\n"
            f"boto3.client('ecr-public', endpoint_url='{ENDPOINT}').{operation.lower()}()",
        },
    )


def synthetic_run(seed: int = 0, started_at: str = "2026-11-27T18:00:00Z") -> RunResults:
    """23 operations x 15 checks; 50 of them fail, the rest pass, skip or are unsupported."""
    rng = random.Random(seed)
    cells = [(op, i) for op in spec_operations() for i in range(CHECKS_PER_OPERATION)]
    failing = set(rng.sample(range(len(cells)), FAILURES))
    results = []
    for n, (op, i) in enumerate(cells):
        failures: tuple[Failure, ...]
        if n in failing:
            status, failures = "failed", (synthetic_failure(op, n),)
        else:
            status = rng.choices(["passed", "skipped", "unsupported"], [90, 5, 5])[0]
            failures = ()
        results.append(
            CheckResult(
                operation=op,
                check=f"check-{i:02d}",
                category=CATEGORIES[i % len(CATEGORIES)],
                level="MUST" if i % 3 else "SHOULD",
                description=f"{op} check {i} holds",
                status=status,  # type: ignore[arg-type]
                reason="" if status in ("passed", "failed") else "not applicable",
                examples=50,
                duration_s=rng.random(),
                failures=failures,
            )
        )
    return RunResults(
        target=Target(endpoint_url=ENDPOINT, kind="reference"),
        spec_hash="0" * 64,
        times=Times(started_at, started_at),
        results=tuple(results),
        settings=Settings("bench", seed),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--history", type=int, default=30, help="history records present")
    args = parser.parse_args()
    run = synthetic_run()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reports" / "latest"
        for day in range(args.history):
            write_reports(
                synthetic_run(day, f"2026-10-{day % 28 + 1:02d}T{day // 28:02d}:00:00Z"), out
            )
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            written = write_reports(run, out)
            times.append(time.perf_counter() - start)
        sizes = {name: path.stat().st_size for name, path in written.items()}
    times.sort()
    print(
        f"write_reports: {len(run.results)} results, {run.summary.failed} failures, "
        f"{args.history} history runs"
    )
    print(
        f"  min {times[0] * 1000:.1f} ms  median {times[len(times) // 2] * 1000:.1f} ms  "
        f"max {times[-1] * 1000:.1f} ms  ({args.repeat} repeats)"
    )
    print("  sizes: " + ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sizes.items()))


if __name__ == "__main__":
    main()
