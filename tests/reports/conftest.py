"""Synthetic conformance runs for the report tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from ecr_public_conformance.records import (
    CheckResult,
    Failure,
    Reported,
    RunResults,
    Settings,
    Shard,
    SpecFact,
    Target,
    Times,
)

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
TOKEN = "FQoGZXIvYXdzEXAMPLEsessionTOKENvalue42"
SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
ENDPOINT = "http://127.0.0.1:5000"


def failure(operation: str, message: str, *, secret: bool = False, status: int = 200) -> Failure:
    """A complete failure, optionally carrying credentials that must be redacted."""
    headers: dict[str, str] = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"SpencerFrontendService.{operation}",
    }
    body: dict[str, Any] = {"repositoryName": "a" * 40}
    cli = (
        f"aws ecr-public {operation.lower()} --repository-name {'a' * 40} "
        f"--endpoint-url {ENDPOINT} --region us-east-1"
    )
    python = (
        "import boto3\n"
        f"client = boto3.client('ecr-public', endpoint_url='{ENDPOINT}', region_name='us-east-1')\n"
        f"client.{operation.lower()}(repositoryName='{'a' * 40}')"
    )
    if secret:
        headers["Authorization"] = (
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/ecr-public/aws4_request, "
            f"SignedHeaders=host;x-amz-date, Signature={SIGNATURE}"
        )
        headers["X-Amz-Security-Token"] = TOKEN
        body["note"] = f'aws_secret_access_key = "{SECRET}"'
        cli = f"AWS_SECRET_ACCESS_KEY={SECRET} AWS_SESSION_TOKEN={TOKEN} " + cli
        python = python.replace(
            "region_name='us-east-1'", f"region_name='us-east-1', aws_secret_access_key='{SECRET}'"
        )
    return Failure(
        message=message,
        spec_fact=SpecFact(operation, "repositoryName", "maxLength=205", "service-model"),
        request={"method": "POST", "url": f"{ENDPOINT}/", "headers": headers, "body": body},
        response={
            "status": status,
            "headers": {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "r-1"},
            "body": '{"repository": {"repositoryName": "aaaa"}}',
        },
        reproduce={"aws_cli": cli, "python": python},
    )


def result(
    operation: str,
    check: str,
    status: str,
    *,
    category: str = "response",
    level: str = "MUST",
    failures: tuple[Failure, ...] = (),
    reason: str = "",
) -> CheckResult:
    """A check result with sensible defaults."""
    return CheckResult(
        operation=operation,
        check=check,
        category=category,
        level=level,  # type: ignore[arg-type]
        description=f"{operation} {check} behaves as specified",
        status=status,  # type: ignore[arg-type]
        reason=reason,
        examples=25,
        duration_s=0.25,
        failures=failures,
    )


def sample_results() -> tuple[CheckResult, ...]:
    """Two failures, an error, and every other status; score 3/6."""
    long_name = failure(
        "CreateRepository",
        "accepted a 300-character repositoryName (maxLength 205) with HTTP 200",
        secret=True,
    )
    return (
        result("CreateRepository", "response-shape", "passed"),
        result(
            "CreateRepository",
            "rejects-too-long-name",
            "failed",
            category="negative",
            failures=(long_name,),
        ),
        result("CreateRepository", "error-code", "passed", category="errors", level="SHOULD"),
        result(
            "DescribeRepositories",
            "next-token-round-trip",
            "failed",
            category="pagination",
            failures=(
                failure(
                    "DescribeRepositories", "nextToken was not accepted back: HTTP 400", status=400
                ),
            ),
        ),
        result("DescribeImages", "stateful-push", "skipped", category="stateful", reason="no push"),
        result("PutImage", "manifest-types", "unsupported", category="positive", reason="501"),
        result(
            "GetAuthorizationToken",
            "token-expiry",
            "xfailed",
            category="consistency",
            reason="known",
        ),
        result(
            "DeleteRepository",
            "force-delete",
            "error",
            category="stateful",
            reason="ConnectionResetError: peer closed",
        ),
        result("SetRepositoryPolicy", "policy-echo", "passed", level="SHOULD"),
    )


def make_run(
    results: tuple[CheckResult, ...] | None = None,
    *,
    started_at: str = "2026-11-27T18:00:00Z",
    finished_at: str = "2026-11-27T18:05:00Z",
    shard: Shard | None = None,
) -> RunResults:
    """A run against a local endpoint with ``results`` (default: ``sample_results()``)."""
    return RunResults(
        target=Target(
            endpoint_url=ENDPOINT,
            region="us-east-1",
            kind="reference",
            reported=Reported(server="reference"),
        ),
        spec_hash="db125b38559fdd4acd80d7e5bc4a8d931ab305d68d7143aeaa3f0f9affc0b105",
        times=Times(started_at, finished_at, 300.0),
        settings=Settings("ci", 1234, "aws"),
        shard=shard,
        results=sample_results() if results is None else results,
    )


@pytest.fixture
def run() -> RunResults:
    """The sample run."""
    return make_run()


@pytest.fixture
def run_factory() -> Callable[..., RunResults]:
    """Build runs with custom results or times."""
    return make_run


@pytest.fixture
def result_factory() -> Callable[..., CheckResult]:
    """Build single check results."""
    return result


@pytest.fixture
def sample() -> tuple[CheckResult, ...]:
    """The sample results."""
    return sample_results()


def with_status(
    results: tuple[CheckResult, ...], check: str, status: str
) -> tuple[CheckResult, ...]:
    """Return ``results`` with the status of ``check`` changed (failures dropped when passing)."""
    out = []
    for r in results:
        if r.check == check:
            r = replace(
                r,
                status=status,  # type: ignore[arg-type]
                failures=() if status == "passed" else r.failures,
            )
        out.append(r)
    return tuple(out)


@pytest.fixture
def set_status() -> Callable[..., tuple[CheckResult, ...]]:
    """Change the status of one check in a results tuple."""
    return with_status


@pytest.fixture
def secrets() -> tuple[str, ...]:
    """The fake credentials planted in the sample run."""
    return (SECRET, TOKEN, SIGNATURE)


CONTENT_TYPE = "application/x-amz-json-1.1"
PAGINATED = ("DescribeImageTags", "DescribeImages", "DescribeRepositories")


def typed_failure(
    operation: str, expected: str, actual: str, *, member: str | None, constraint: str, n: int
) -> Failure:
    """A failure with expected/actual texts and run-specific values in its message."""
    return Failure(
        message=f"{operation}: expected {expected}; got {actual} (case {n}, ecrconf-ab12-{n})",
        spec_fact=SpecFact(operation, member, constraint, "overlay" if not member else "both"),
        request={"method": "POST", "url": f"{ENDPOINT}/", "body": {"n": n}},
        response={"status": 200, "headers": {"Content-Type": actual}, "body": "{}"},
        reproduce={"aws_cli": f"aws ecr-public {operation.lower()} --endpoint-url {ENDPOINT}"},
        expected=expected,
        actual=actual,
    )


def two_causes_results() -> tuple[CheckResult, ...]:
    """26 failing results from 2 causes: a wrong Content-Type on all 23 operations and the page
    size ignored on 3 paginated ones; plus a passing check per operation."""
    from ecr_public_conformance.reports.matrix import spec_operations

    out = []
    for n, op in enumerate(spec_operations()):
        ct = typed_failure(
            op, CONTENT_TYPE, "text/html", member=None, constraint="awsJson1_1 Content-Type", n=n
        )
        out.append(
            result(op, "content_type_is_amz_json", "failed", category="protocol", failures=(ct,))
        )
        out.append(result(op, "no_server_error", "passed", category="positive"))
        if op in PAGINATED:
            page = typed_failure(
                op,
                "at most 2 items per page",
                f"{5 + n} items on page 1",
                member="maxResults",
                constraint="maxResults=2",
                n=n,
            )
            out.append(
                result(op, "page_size_respected", "failed", category="pagination", failures=(page,))
            )
    return tuple(out)


@pytest.fixture
def two_causes_run() -> RunResults:
    """A run whose 26 failures have 2 causes."""
    return make_run(two_causes_results())
