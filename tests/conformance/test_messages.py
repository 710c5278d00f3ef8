"""What a failure or skip says, as a table: situation (faults, check, operation) -> text.

Each row was a message that contradicted itself or misled: "answered with HTTP 400
InvalidAction, expected a 4xx", "fewer than two items" when there were 3 and no token, "got
HTTP 200" instead of what came back, "HTTP 501 , expected".
"""

from __future__ import annotations

import pytest

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.specs import load_service

from .conftest import EnvFactory

#: (faults, check, operation or None, status, the message or reason it must start with)
MESSAGES = [
    (
        ("unknown-target-wrong-code",),
        "unknown_operation_error_code",
        None,
        "failed",
        "a request naming an unknown operation (DescribeRegistries) was answered with HTTP 404 "
        "InvalidAction; expected UnknownOperationException (2 of 2 probes)",
    ),
    (
        ("unknown-target-accepted",),
        "unknown_operation_rejected",
        None,
        "failed",
        "a request naming an unknown operation (DescribeRegistries) was answered with HTTP 200 "
        "without an error type; expected a 4xx client error with an error type (2 of 2 probes)",
    ),
    (
        ("page-size-ignored",),
        "tampered_token_rejected",
        "DescribeRepositories",
        "skipped",
        "no nextToken to tamper with: the first page of maxResults=1 held 3 items and no nextToken",
    ),
    (
        ("server-error",),
        "invalid_request_rejected",
        "CreateRepository",
        "failed",
        "too-long at repositoryName was answered with HTTP 500 ServerException; expected a 4xx "
        "client error",
    ),
    (
        ("tags-not-stored",),
        "registry_model_conformance",
        "ListTagsForResource",
        "failed",
        "model mismatch: ListTagsForResource at tags: tags given to TagResource/CreateRepository "
        "are listed by ListTagsForResource -- expected {'team': ''}, got {}",
    ),
    (
        ("wrong-content-type",),
        "content_type_is_amz_json",
        "DescribeRegistries",
        "failed",
        "Content-Type is 'application/json', expected application/x-amz-json-1.1",
    ),
    (
        ("no-request-id",),
        "request_id_header_present",
        None,
        "failed",
        "the answer to BatchCheckLayerAvailability (HTTP 400 InvalidParameterException) has no "
        "x-amzn-RequestId header (22 of 22 probes)",
    ),
    (
        ("lost-write",),
        "read_after_write",
        "PutRepositoryCatalogData",
        "failed",
        "GetRepositoryCatalogData did not observe the PutRepositoryCatalogData within 1 s (last "
        "answer HTTP 400 RepositoryCatalogDataNotFoundException)",
    ),
]


@pytest.mark.parametrize(("faults", "check_id", "operation", "status", "text"), MESSAGES)
def test_message(
    faults: tuple[str, ...],
    check_id: str,
    operation: str | None,
    status: str,
    text: str,
    make_env: EnvFactory,
) -> None:
    env = make_env(*faults)
    op = load_service().operation(operation) if operation else None
    result = run_case(env, all_checks()[check_id], op)
    said = result.failures[0].message if result.failures else result.reason
    assert result.status == status, (result.status, said)
    assert said.startswith(text), said
