"""A member an edition added is optional for a target of an older edition: its invalid values
going unrefused are not judged there, and are on a target that implements the edition."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ecr_public_conformance.conformance.catalogue.samples import sent_samples
from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.checks.negative import allowed_answers
from ecr_public_conformance.conformance.harness.config import RunConfig
from ecr_public_conformance.conformance.harness.env import CheckEnv
from ecr_public_conformance.conformance.harness.older_edition import (
    ignored_new_member,
    older_edition,
    probe_operations,
)
from ecr_public_conformance.conformance.harness.registry_identity import registry_id
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.conformance.pytest_plugin.session import open_session
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.specs.additions import additions

from ..conftest import PREMIUM_EDITION, EnvFactory

PROBES = ["DescribeEntitledRepositories", "DescribePremiumRepositories", "ListPublisherReports"]


@pytest.fixture()
def older_target() -> Iterator[Callable[..., CheckEnv]]:
    """Check environments judging by the newest edition targets serving the seed edition."""
    opened: list[tuple[Any, Any]] = []

    def factory(*faults: str) -> CheckEnv:
        server = start_server(faults=faults, edition="seed")
        config = RunConfig(endpoint_url=server.url, seed=1234, cleanup_s=3.0)
        session = open_session(config, service=load_service(PREMIUM_EDITION))
        opened.append((session, server))
        return session.env

    yield factory
    for session, server in opened:
        session.close()
        server.stop()


@pytest.fixture()
def seed_target(older_target: Callable[..., CheckEnv]) -> CheckEnv:
    """A clean target of the seed edition, judged by the newest."""
    return older_target()


def test_the_additions_come_from_the_drift_report() -> None:
    added = additions(PREMIUM_EDITION)
    assert added.since == "botocore-1.43.11"
    assert len(added.operations) == 19
    assert added.new_input_member("CreateRepository", "catalogData.categories[2]") == (
        "catalogData.categories"
    )
    assert added.new_input_member("CreateRepository", "catalogData.description") is None
    assert added.new_input_member("PutImage", "repositoryType") == "repositoryType"
    assert additions("seed").since == "" and not additions("seed").members


def test_the_probes_only_read_and_need_no_input(seed_target: CheckEnv) -> None:
    assert probe_operations(seed_target, additions(PREMIUM_EDITION)) == PROBES


def test_an_older_target_is_recognised_by_its_own_answers(seed_target: CheckEnv) -> None:
    why = older_edition(seed_target)
    assert why == (
        f"the target answers {', '.join(PROBES)} (added in edition botocore-1.44.18) as not "
        "implemented, so it implements an older edition (botocore-1.43.11 or before)"
    )
    sent = dict(seed_target.sender.by_operation)
    assert (
        older_edition(seed_target) == why and seed_target.sender.by_operation == sent
    )  # asked once


def test_a_target_of_the_edition_is_not_older(make_env: EnvFactory) -> None:
    env = make_env(edition=PREMIUM_EDITION)
    assert older_edition(env) == ""
    assert ignored_new_member(env, "PutImage", "repositoryType") == ""


def test_an_old_member_is_never_ignored(seed_target: CheckEnv) -> None:
    assert ignored_new_member(seed_target, "CreateRepository", "catalogData.description") == ""
    assert (
        seed_target.sender.by_operation.get("DescribePremiumRepositories") is None
    )  # nothing asked


def test_an_older_target_ignoring_a_new_member_passes(seed_target: CheckEnv) -> None:
    op = seed_target.service.operation("PutRegistryCatalogData")
    result = run_case(seed_target, all_checks()["invalid_request_rejected"], op)
    assert result.status in ("passed", "skipped"), [f.message for f in result.failures]
    assert "not judged: description is new in edition botocore-1.44.18 and the target" in (
        result.reason
    )


def _only_member(env: CheckEnv, operation: str, member: str) -> None:
    """Keep only the invalid requests whose violation is at ``member`` (and the valid ones)."""
    kept = sent_samples(env, env.service.operation(operation))
    kept[:] = [s for s in kept if s.label is None or s.label.member == member]


def test_a_target_of_the_edition_ignoring_a_new_member_fails(make_env: EnvFactory) -> None:
    env = make_env("no-max-length", edition=PREMIUM_EDITION)
    _only_member(env, "PutRegistryCatalogData", "description")
    op = env.service.operation("PutRegistryCatalogData")
    result = run_case(env, all_checks()["invalid_request_rejected"], op)
    assert result.status == "failed"
    assert result.failures[0].message.startswith("too-long at description was accepted")


def test_an_older_target_still_has_its_own_members_judged(
    older_target: Callable[..., CheckEnv],
) -> None:
    env = older_target("no-max-length")
    op = env.service.operation("PutRegistryCatalogData")
    result = run_case(env, all_checks()["invalid_request_rejected"], op)
    assert result.status == "failed"
    assert result.failures[0].message.startswith("too-long at displayName was accepted")


def test_a_seed_target_judged_by_the_default_edition_fails_nothing(tmp_path: Path) -> None:
    """The whole quick run of the default (newest) edition against a seed-edition target."""
    server = start_server(edition="seed")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ecr_public_conformance", "run", "--quiet", "--seed", "1",
             "--endpoint-url", server.url],
            capture_output=True, text=True, cwd=tmp_path, timeout=900,
        )  # fmt: skip
    finally:
        server.stop()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    doc = json.loads((tmp_path / "ecr-conformance/latest/results.json").read_text())
    assert doc["edition"] == PREMIUM_EDITION
    assert doc["support"]["implemented"] == 23 and len(doc["support"]["unsupported"]) == 19
    counted = [
        (r["operation"], r["check"])
        for r in doc["results"]
        if r["status"] in ("failed", "error") and r["level"] == "MUST"
    ]
    assert counted == []
    notes = [r["reason"] for r in doc["results"] if "is new in edition" in (r.get("reason") or "")]
    assert notes, "no invalid value of a new member was left unjudged"


def test_a_request_naming_another_registry_may_be_answered_not_found(
    make_env: EnvFactory,
) -> None:
    """Found on a seed target: an invalid value beside a registryId the target does not have may
    meet RegistryNotFoundException first (the error-precedence freedom)."""
    env = make_env()
    op = env.service.operation("InitiateLayerUpload")
    # a repository the run made: only the registry is unknown
    name = env.resources.world().repository
    label = SimpleNamespace(allowed_errors=("InvalidParameterException",))
    other = SimpleNamespace(label=label, params={"repositoryName": name, "registryId": "x"})
    assert "RegistryNotFoundException" in allowed_answers(env, op, other)
    own = SimpleNamespace(label=label, params={**other.params, "registryId": registry_id(env)})
    assert "RegistryNotFoundException" not in allowed_answers(env, op, own)
