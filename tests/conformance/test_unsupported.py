"""A target answering UnsupportedCommandException is 'unsupported', counted apart."""

from __future__ import annotations

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.config import RunConfig
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.conformance.pytest_plugin.session import open_session
from ecr_public_conformance.records import summarize
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.specs import load_service


def test_unsupported_operation_is_reported_as_unsupported_not_failed() -> None:
    op = load_service().operation("DescribeImageTags")
    with start_server(unsupported=["DescribeImageTags"]) as server:
        session = open_session(RunConfig(endpoint_url=server.url, seed=3))
        try:
            results = [
                run_case(session.env, check, op)
                for check in all_checks().values()
                # parity runs with a recorded corpus only (--ecr-oracle)
                if check.scope == "operation" and check.applies(op) and check.category != "parity"
            ]
        finally:
            session.close()
    statuses = {r.check: r.status for r in results}
    assert statuses["response_schema_conformance"] == "unsupported"
    assert statuses["page_size_respected"] == "unsupported"
    assert "UnsupportedCommandException" in results[0].reason
    assert "failed" not in statuses.values() and "error" not in statuses.values()
    # only checks of the wire protocol itself, answered before the operation is looked at, pass
    passed = {c for c, s in statuses.items() if s == "passed"}
    assert passed <= {
        "content_type_is_amz_json",
        "error_body_has_type",
        "error_body_has_message",
        "error_status_matches_fault",
        "error_code_is_declared",
    }
    summary = summarize(results)
    assert summary.unsupported >= 10 and summary.failed == 0
    assert summary.unsupported + summary.passed == summary.total
