"""Emulator projects run the suite in-process by overriding a fixture."""

from __future__ import annotations

import json

import pytest

pytest_plugins = ["pytester"]
SUITE = ["--pyargs", "ecr_public_conformance.conformance", "-p", "no:cacheprovider"]


def test_wsgi_app_fixture_override_runs_without_a_server(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("""
import pytest
from ecr_public_conformance.reference import make_wsgi_app

CALLS = []

@pytest.fixture(scope="session")
def ecr_wsgi_app():
    app = make_wsgi_app(faults=["no-request-id"])
    def counting(environ, start_response):
        CALLS.append(environ["HTTP_X_AMZ_TARGET"])
        return app(environ, start_response)
    return counting
""")
    records = pytester.path / "records.json"
    result = pytester.runpytest_subprocess(
        "--rootdir",
        str(pytester.path),
        "--confcutdir",
        str(pytester.path),
        "-p",
        "conftest",
        *SUITE,
        "--ecr-operations",
        "DescribeRegistries",
        "--ecr-checks",
        "protocol,errors",
        "--ecr-strictness",
        "aws",
        "--ecr-records",
        str(records),
        timeout=300,
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 1, result.stdout.str()
    doc = json.loads(records.read_text())
    assert doc["target"]["kind"] == "in-process"
    failed = [r["check"] for r in doc["results"] if r["status"] == "failed"]
    assert failed == ["request_id_header_present"]


def test_boto3_client_fixture_override_uses_its_endpoint(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("""
import boto3, pytest
from ecr_public_conformance.reference import start_server

@pytest.fixture(scope="session")
def ecr_boto3_client():
    server = start_server(faults=["wrong-content-type"])
    yield boto3.client("ecr-public", endpoint_url=server.url, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test")
    server.stop()
""")
    result = pytester.runpytest_subprocess(
        "-p",
        "conftest",
        *SUITE,
        "--ecr-operations",
        "GetAuthorizationToken",
        "--ecr-checks",
        "content_type_is_amz_json",
        timeout=300,
    )
    result.assert_outcomes(failed=1)
