"""The parity check fails on a target that answers otherwise than the recording, and passes on
the recorded target itself."""

from __future__ import annotations

from pathlib import Path

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.specs import load_service

from ..conftest import EnvFactory

CHECK = all_checks()["matches_recording"]


def test_passes_on_the_recorded_target(make_env: EnvFactory, corpus: Path) -> None:
    env = make_env(oracle=corpus)
    result = run_case(env, CHECK, load_service().operation("DescribeImages"))
    assert result.status == "passed", [f.message for f in result.failures]
    assert result.examples > 0 and result.entries == () and result.requests > 0
    again = run_case(env, CHECK, load_service().operation("CreateRepository"))
    assert again.status == "passed" and again.requests == 0  # replayed once per run


def test_fails_on_a_fault_with_both_answers(make_env: EnvFactory, corpus: Path) -> None:
    env = make_env("number-as-string", oracle=corpus)
    result = run_case(env, CHECK, load_service().operation("DescribeImages"))
    assert result.status == "failed", result.reason
    failure = result.failures[0]
    assert (failure.expected, failure.actual) == (
        "imageDetails[].imageSizeInBytes a number",
        "a string",
    )
    assert failure.spec_fact.provenance == "oracle"
    assert failure.replay["recorded"]["response"]["status"] == 200
    assert failure.response["status"] == 200 and failure.request["operation"] == "DescribeImages"
    divergent = [e for e in result.entries if e.status == "failed"]
    assert divergent and all(
        e.id.startswith(("pagination:", "behaviour:", "samples:")) for e in divergent
    )


def test_an_unusable_corpus_is_an_error(make_env: EnvFactory, tmp_path: Path) -> None:
    env = make_env(oracle=tmp_path)
    result = run_case(env, CHECK, load_service().operation("DescribeImages"))
    assert result.status == "error" and "not a parity corpus" in result.reason


def test_a_replay_cut_by_the_request_budget_is_an_error(make_env: EnvFactory, corpus: Path) -> None:
    # lost coverage is counted: the replay does not turn the records it could not send into
    # "not sent" divergences or passes
    env = make_env(oracle=corpus, max_requests=40)
    result = run_case(env, CHECK, load_service().operation("DescribeImages"))
    assert result.status == "error" and "request budget" in result.reason, result.reason
