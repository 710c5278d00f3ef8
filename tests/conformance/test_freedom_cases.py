"""Each false failure seen on implementations that chose differently, as a table.

For every case: the variant (the other valid choice) or fault that reproduces it, the check,
and the verdict the suite must give now. MUST checks pass on a freedom; where an AWS habit is
at stake the SHOULD check reports it instead.
"""

from __future__ import annotations

from typing import Any

import pytest

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.registry import SetupFailed
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.records.results import SetupFailure
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.strategies import allowed_errors

from .conftest import EnvFactory

#: (variant, fault, operation or None for the endpoint, check, status)
CASES = [
    ("empty-lists-present", None, "BatchDeleteImage", "response_schema_conformance", "passed"),
    # an input constraint (minItems) is never asserted on output, even at SHOULD
    ("empty-lists-present", None, "BatchDeleteImage", "response_constraints_met", "passed"),
    ("catalog-merge", None, "PutRepositoryCatalogData", "registry_model_conformance", "passed"),
    ("catalog-merge", None, "GetRepositoryCatalogData", "registry_model_conformance", "passed"),
    ("unknown-target-invalid-action", None, None, "unknown_operation_rejected", "passed"),
    ("unknown-target-invalid-action", None, None, "unknown_operation_error_code", "failed"),
    ("state-before-validation", None, "PutImage", "invalid_request_error_code", "passed"),
    ("state-before-validation", None, "UploadLayerPart", "invalid_request_error_code", "passed"),
    ("new-enum-values", None, "DescribeRegistries", "response_schema_conformance", "passed"),
    ("new-enum-values", None, "DescribeRegistries", "response_constraints_met", "failed"),
    (None, "null-members", "DescribeRepositories", "response_schema_conformance", "passed"),
    (None, "null-members", "DescribeRepositories", "response_members_not_null", "failed"),
    ("minimal-output", None, "CreateRepository", "registry_model_conformance", "passed"),
    ("enforce-min-part-size", None, "DescribeImages", "response_schema_conformance", "passed"),
    (
        "unverified-registry-rejects-name",
        None,
        "PutRegistryCatalogData",
        "valid_request_accepted",
        "passed",
    ),
    ("unsigned-access-denied", None, None, "unsigned_request_rejected", "passed"),
    ("not-found-404", None, "DescribeRepositories", "error_status_matches_fault", "passed"),
]


@pytest.mark.parametrize(("variant", "fault", "operation", "check_id", "status"), CASES)
def test_case(
    variant: str | None,
    fault: str | None,
    operation: str | None,
    check_id: str,
    status: str,
    make_env: EnvFactory,
) -> None:
    env = make_env(*([fault] if fault else []), variants=(variant,) if variant else ())
    op = load_service().operation(operation) if operation else None
    result = run_case(env, all_checks()[check_id], op)
    shown = [f.message for f in result.failures] or result.reason
    assert result.status == status, (result.status, shown)


def test_endpoint_behaviours_are_one_result_each() -> None:
    from ecr_public_conformance.conformance.harness.config import RunConfig
    from ecr_public_conformance.conformance.pytest_plugin.cases import build_cases

    ids = [c.id for c in build_cases(RunConfig())]
    for check_id in ("unknown_operation_rejected", "unsigned_request_rejected"):
        assert ids.count(f"endpoint-{check_id}") == 1
        assert not [i for i in ids if i.endswith(f"-{check_id}") and not i.startswith("endpoint")]


def test_malformed_bodies_are_judged_by_one_rule() -> None:
    # an operation documenting InvalidParameterException may answer a non-JSON body with it;
    # one that does not document it may not (both checks read allowed_errors)
    svc = load_service()
    assert "InvalidParameterException" in allowed_errors(
        svc.operation("CreateRepository"), "malformed-json"
    )
    assert "InvalidParameterException" not in allowed_errors(
        svc.operation("GetRegistryCatalogData"), "malformed-json"
    )
    assert "SerializationException" in allowed_errors(
        svc.operation("GetRegistryCatalogData"), "malformed-json"
    )


def test_both_published_signature_error_names_are_declared() -> None:
    # AWS publishes IncompleteSignatureException (JSON services) and IncompleteSignature (its
    # common error lists): an endpoint may answer with either
    codes = {e.code for e in load_service().protocol_errors()}
    assert {"IncompleteSignatureException", "IncompleteSignature"} <= codes


class _RefusesCompletion:
    """A target whose CompleteLayerUpload always answers LayerPartTooSmallException."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("HTTP_X_AMZ_TARGET", "").endswith(".CompleteLayerUpload"):
            body = b'{"__type": "LayerPartTooSmallException", "message": "too small"}'
            start_response(
                "400 Bad Request",
                [
                    ("Content-Type", "application/x-amz-json-1.1"),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]
        return self.app(environ, start_response)


def test_refused_setup_is_an_error_naming_the_step_not_a_skip() -> None:
    from ecr_public_conformance.conformance.harness.config import RunConfig
    from ecr_public_conformance.conformance.pytest_plugin.session import open_session
    from ecr_public_conformance.reference import make_wsgi_app

    session = open_session(RunConfig(seed=5), wsgi_app=_RefusesCompletion(make_wsgi_app()))
    try:
        op = load_service().operation("DescribeImages")
        result = run_case(session.env, all_checks()["response_schema_conformance"], op)
        with pytest.raises(SetupFailed):
            session.env.resources.world()
    finally:
        session.close()
    assert result.status == "error", result.reason
    assert result.setup_failure == SetupFailure(
        "CompleteLayerUpload", 400, "LayerPartTooSmallException", "too small"
    )
    assert result.reason.startswith("setup failed (CompleteLayerUpload: HTTP 400 LayerPartTooSmall")
