"""The read-after-write window is bounded, configurable, and the observed window is reported."""

from __future__ import annotations

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.specs import load_service

from .conftest import EnvFactory

CREATE = load_service().operation("CreateRepository")


def test_eventual_consistency_within_the_window_passes_and_is_reported(
    make_env: EnvFactory,
) -> None:
    env = make_env("eventual-consistency", consistency_window_s=10.0)
    result = run_case(env, all_checks()["read_after_write"], CREATE)
    assert result.status == "passed", result.failures
    assert result.observed_window_s is not None and 1.0 <= result.observed_window_s < 10.0


def test_eventual_consistency_beyond_the_window_fails(make_env: EnvFactory) -> None:
    env = make_env("eventual-consistency", consistency_window_s=0.3)
    result = run_case(env, all_checks()["read_after_write"], CREATE)
    assert result.status == "failed"
    assert "within 0.3 s" in result.failures[0].message


def test_immediate_consistency_observes_zero_window(make_env: EnvFactory) -> None:
    env = make_env()
    result = run_case(env, all_checks()["read_after_write"], CREATE)
    assert result.status == "passed" and result.observed_window_s is not None
    assert result.observed_window_s < 1.0
