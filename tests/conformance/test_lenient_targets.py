"""What a run against a lenient emulator showed, each case reproduced with a reference fault.

* an optional member left out is not a wrong value: its absence is judged at SHOULD, apart;
* a name the run deleted is not one it "knows to exist";
* a valid request refused with an AWS common validation code is a refusal (and a declared
  code); a 503 without a throttling type is a server error, not throttling;
* a read whose answer cannot converge (a value of the wrong type) is not waited for;
* one wire-format defect seen by several checks is one cause, worded as a format.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.conformance.catalogue.behaviours import load_catalogue
from ecr_public_conformance.conformance.catalogue.scenarios import run_behaviour
from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.specs import load_service

from .conftest import EnvFactory

CLI = [sys.executable, "-m", "ecr_public_conformance"]


def _op(name: str) -> Any:
    return load_service().operation(name)


def _entry(result: Any, entry_id: str) -> Any:
    return next(e for e in result.entries if e.id == entry_id)


ABSENT = [
    ("failure-without-code", "BatchDeleteImage", "BatchDeleteImage/failure-carries-its-code"),
    ("layer-size-omitted", "BatchCheckLayerAvailability", "BatchCheckLayerAvailability/layer-size"),
    ("image-tag-created-at-omitted", "DescribeImageTags", "DescribeImageTags/created-at-is-now"),
]


@pytest.mark.parametrize(("fault", "operation", "entry"), ABSENT)
def test_an_absent_optional_member_is_a_should(
    fault: str, operation: str, entry: str, make_env: EnvFactory
) -> None:
    env = make_env(fault)
    must = run_case(env, all_checks()["documented_effect_holds"], _op(operation))
    should = run_case(env, all_checks()["documented_members_returned"], _op(operation))
    assert _entry(must, entry).status == "passed", [f.message for f in must.failures]
    assert _entry(should, entry).status == "failed"
    assert "judged at SHOULD" in should.failures[0].message


def test_the_model_judges_an_absent_echo_at_should(make_env: EnvFactory) -> None:
    env = make_env("layer-digest-omitted")
    op = _op("CompleteLayerUpload")
    must = run_case(env, all_checks()["registry_model_conformance"], op)
    should = run_case(env, all_checks()["registry_model_members_returned"], op)
    assert must.status == "passed", [f.message for f in must.failures]
    assert should.status == "failed" and "absent" in should.failures[0].actual


def test_a_name_the_run_deleted_is_not_known_to_exist(make_env: EnvFactory) -> None:
    env = make_env()
    name = env.resources.create_repository()
    assert name in env.resources.known_names()
    env.send("DeleteRepository", {"repositoryName": name})
    assert name not in env.resources.known_names()


def test_a_valid_request_refused_with_a_common_validation_code(make_env: EnvFactory) -> None:
    env = make_env("policy-refused-as-validation-error")
    op = _op("SetRepositoryPolicy")
    refused = run_case(env, all_checks()["valid_request_accepted"], op)
    declared = run_case(env, all_checks()["error_code_is_declared"], op)
    assert refused.status == "failed" and refused.failures[0].actual == "ValidationError"
    assert declared.status in ("passed", "skipped"), [f.message for f in declared.failures]


def test_a_503_without_a_throttling_type_is_a_server_error(make_env: EnvFactory) -> None:
    env = make_env("unsigned-answered-503")
    unsigned = run_case(env, all_checks()["unsigned_request_rejected"], None)
    assert unsigned.status == "failed", unsigned.reason  # judged, not an inconclusive error
    assert "HTTP 503" in unsigned.failures[0].message
    served = run_case(env, all_checks()["no_server_error"], _op("DescribeRegistries"))
    assert served.status == "failed" and "HTTP 503" in served.failures[0].message


def test_a_read_that_cannot_converge_is_not_waited_for(make_env: EnvFactory) -> None:
    env = make_env("timestamp-as-string", consistency_window_s=30.0)
    entry = load_catalogue().entry("DescribeRepositories/created-at-is-now")
    sent = env.sender.requests_sent
    run = run_behaviour(env, entry)
    reads = env.sender.by_operation.get("DescribeRepositories", 0)
    assert run.problem is not None and not run.problem.converges
    assert "not a timestamp value" in run.problem.message  # a format, not a wrong value
    # the fixture's own listing and one read: no retries within the 30 s window
    assert env.sender.requests_sent - sent <= 4 and reads <= 2, env.sender.by_operation


def test_one_wire_format_defect_is_one_cause(tmp_path: Path) -> None:
    subprocess.run(
        [*CLI, "run", "--quiet", "--seed", "3", "--reference-fault", "timestamp-as-string"]
        + ["--report-dir", str(tmp_path / "r"), "--history-dir", str(tmp_path / "h")],
        capture_output=True,
        timeout=600,
    )
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    counted = [c for c in doc["causes"] if c["counted"]]
    rooted = [c for c in counted if c["text"] == "timestamp members sent as strings"]
    assert len(rooted) == 1, [c["text"] for c in counted]
    assert len(rooted[0]["checks"]) >= 3, rooted[0]["checks"]  # protocol, response, behaviour


def test_a_member_still_absent_after_the_window_cuts_later_waits(make_env: EnvFactory) -> None:
    env = make_env("display-name-dropped", consistency_window_s=1.0)
    run = run_behaviour(env, load_catalogue().entry("PutRegistryCatalogData/display-name-kept"))
    assert run.problem is None and len(run.absences) == 1  # absent, judged at SHOULD
    # a write that never showed, as a wrong value is: the next read waits less than the window
    assert env.patience.wait_s("GetRepositoryCatalogData") < 1.0
