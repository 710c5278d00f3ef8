"""Budgets: a run that reaches its request or shrink budget stops there and says so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ecr_public_conformance.conformance.harness.shrink import shrink
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.strategies.profiles import PROFILES

from ..conftest import EnvFactory


def test_every_profile_has_both_budgets() -> None:
    for p in PROFILES.values():
        assert p.shrink_budget_s > 0 and p.request_budget > 0
    assert PROFILES["quick"].shrink_budget_s == 10 and PROFILES["ci"].shrink_budget_s == 30


def test_a_request_budget_cuts_the_run_and_says_so(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ecr_public_conformance", "run", "--quiet", "--seed", "3"]
        + ["--report-dir", str(tmp_path), "--", "--ecr-max-requests", "150"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    doc = json.loads((tmp_path / "results.json").read_text())
    assert doc["budgets"]["requests"] == {"limit": 150, "used": 150, "hit": True}
    cut = [r for r in doc["results"] if "request budget" in r["reason"]]
    assert cut and all(r["status"] == "error" for r in cut)  # counted, never a quiet skip
    assert done.returncode == 1
    assert "request budget" in (tmp_path / "summary.md").read_text()
    assert sum(doc["requests"]["by_operation"].values()) == doc["requests"]["total"] == 150


def test_shrinking_stops_when_the_budget_is_spent(make_env: EnvFactory) -> None:
    from ecr_public_conformance.conformance.catalogue.samples import Sample

    env = make_env("no-max-length")
    op = load_service().operation("CreateRepository")
    params = {"repositoryName": env.new_name("x") + "y" * 250, "tags": [{"Key": "k", "Value": "v"}]}
    sample = Sample("invalid", None, params, env.send(op.name, params))
    env.shrink.spent_s = env.config.shrink_budget_s  # already spent
    sent = env.sender.requests_sent
    assert shrink(env, op, sample, lambda ex: ex.ok) is sample.exchange
    assert env.sender.requests_sent == sent and env.shrink.hit
