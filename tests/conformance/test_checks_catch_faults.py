"""Every check fails against a reference endpoint broken in the way it exists to catch,
and passes against the unbroken reference."""

from __future__ import annotations

from typing import Any

import pytest

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.records.categories import SCORED_APART
from ecr_public_conformance.reference import FAULTS
from ecr_public_conformance.specs import load_service

from .conftest import PREMIUM_EDITION, EnvFactory

#: check id -> (fault switch, operation it shows on (None: an endpoint check), extra config; an
#: ``edition`` there serves that edition and takes the operation from it)
CATCHES: dict[str, tuple[str, str | None, dict[str, object]]] = {
    "response_schema_conformance": ("number-as-string", "DescribeImages", {}),
    "response_constraints_met": ("bad-enum-value", "BatchCheckLayerAvailability", {}),
    "response_members_not_null": ("null-members", "DescribeRepositories", {}),
    "waiter_states_known": (
        "unknown-scan-status",
        "DescribeImageScanFindings",
        {"edition": PREMIUM_EDITION},
    ),
    "error_code_is_declared": ("undeclared-error-code", "DescribeRepositories", {}),
    "error_status_matches_fault": ("client-error-as-500", "CreateRepository", {}),
    "error_body_has_type": ("error-without-type", "CreateRepository", {}),
    "error_body_has_message": ("error-without-message", "CreateRepository", {}),
    "content_type_is_amz_json": ("wrong-content-type", "DescribeRegistries", {}),
    "request_id_header_present": ("no-request-id", None, {}),
    "timestamps_are_epoch_numbers": ("timestamp-as-string", "CreateRepository", {}),
    "unknown_operation_rejected": ("unknown-target-accepted", None, {}),
    "unknown_operation_error_code": ("unknown-target-wrong-code", None, {}),
    "malformed_json_rejected": ("malformed-json-accepted", None, {}),
    "malformed_json_error_code": ("other-serialization-code", None, {}),
    "unsigned_request_rejected": ("auth-not-required", None, {}),
    "invalid_request_rejected": ("no-max-length", "CreateRepository", {}),
    "invalid_request_error_code": ("validation-error-code", "CreateRepository", {}),
    "rejected_create_leaves_no_trace": ("half-created-repository", "CreateRepository", {}),
    "valid_request_accepted": ("reject-namespaced-names", "CreateRepository", {}),
    "no_server_error": ("server-error-on-long-text", "PutRepositoryCatalogData", {}),
    "documented_defaults_hold": ("default-registry-not-assumed", "DescribeRepositories", {}),
    "page_size_respected": ("page-size-ignored", "DescribeRepositories", {}),
    "pages_cover_all_items_once": ("duplicate-across-pages", "DescribeImages", {}),
    "no_token_after_last_page": ("token-after-last-page", "DescribeImageTags", {}),
    "tampered_token_rejected": ("tampered-token-accepted", "DescribeRepositories", {}),
    "registry_model_conformance": ("tags-not-stored", "ListTagsForResource", {}),
    "registry_model_members_returned": ("layer-digest-omitted", "CompleteLayerUpload", {}),
    "read_after_write": ("lost-write", "PutRepositoryCatalogData", {}),
    "documented_error_raised": ("empty-upload-accepted", "CompleteLayerUpload", {}),
    "documented_error_code": ("misreport=InvalidParameterException", "CreateRepository", {}),
    "documented_effect_holds": ("last-tag-keeps-image", "BatchDeleteImage", {}),
    "documented_members_returned": ("layer-size-omitted", "BatchCheckLayerAvailability", {}),
}


#: Checks whose operation answers with success only inside the catalogue's scenarios (a premium
#: repository with a scanned image): its scenarios run first, as they do in a run.
AFTER_SCENARIOS = frozenset({"waiter_states_known"})


def _judge(env: Any, check_id: str, operation: str | None, config: dict[str, object]) -> Any:
    op = _op(operation, config)
    if check_id in AFTER_SCENARIOS:
        run_case(env, all_checks()["documented_effect_holds"], op)
    return run_case(env, all_checks()[check_id], op)


def _op(name: str | None, config: dict[str, object] | None = None) -> Any:
    edition = (config or {}).get("edition")
    return None if name is None else load_service(str(edition or "") or None).operation(name)


def test_every_check_has_a_fault_that_it_catches() -> None:
    # parity checks compare with a recorded corpus: tests/conformance/parity shows them failing
    conformance = {k for k, c in all_checks().items() if c.category not in SCORED_APART}
    assert set(CATCHES) == conformance
    for check_id, (fault, operation, config) in CATCHES.items():
        check = all_checks()[check_id]
        name = fault.partition("=")[0]
        assert name in FAULTS, f"{check_id}: the reference has no fault {fault!r}"
        assert FAULTS[name].category == check.category, check_id
        assert (operation is None) == (check.scope == "endpoint"), check_id
        assert operation is None or check.applies(_op(operation, config))


@pytest.mark.parametrize("check_id", sorted(CATCHES))
def test_check_fails_on_its_fault(check_id: str, make_env: EnvFactory) -> None:
    fault, operation, config = CATCHES[check_id]
    env = make_env(fault, **config)
    result = _judge(env, check_id, operation, config)
    assert result.status == "failed", (result.status, result.reason)
    failure = result.failures[0]
    assert failure.spec_fact.operation == (operation or failure.spec_fact.operation)
    assert failure.message and failure.expected and failure.actual


@pytest.mark.parametrize("check_id", sorted(CATCHES))
def test_check_passes_on_the_reference(check_id: str, make_env: EnvFactory) -> None:
    _, operation, config = CATCHES[check_id]
    env = make_env(**config)
    result = _judge(env, check_id, operation, config)
    assert result.status == "passed", (result.reason, [f.message for f in result.failures])
    assert result.examples > 0


def test_descriptions_are_plain_text() -> None:
    # users read them in reports and --list-checks: no reStructuredText markup
    for check in all_checks().values():
        assert "`" not in check.description and check.description.endswith("."), check.id


def test_valid_requests_are_judged_on_every_operation(make_env: EnvFactory) -> None:
    env = make_env()
    check = all_checks()["valid_request_accepted"]
    for op in load_service().operations.values():
        result = run_case(env, check, op)
        assert result.status == "passed" and result.examples > 0, (op.name, result.reason)


def test_a_valid_request_refused_where_a_member_is_left_out_fails(make_env: EnvFactory) -> None:
    # a manifest that carries its mediaType needs no imageManifestMediaType
    env = make_env("media-type-required")
    result = run_case(env, all_checks()["valid_request_accepted"], _op("PutImage"))
    assert result.status == "failed", result.reason
    assert "imageManifestMediaType" not in result.failures[0].request["body"]
