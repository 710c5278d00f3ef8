"""A failure's reproduction commands reproduce it, and carry no credentials."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness import explain
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.records import to_json
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.wire import DUMMY_CREDENTIALS

from .conftest import EnvFactory


def _failure(make_env: EnvFactory) -> object:
    env = make_env("page-size-ignored")
    op = load_service().operation("DescribeRepositories")
    result = run_case(env, all_checks()["page_size_respected"], op)
    assert result.status == "failed"
    return result


def test_aws_cli_reproducer_shows_the_same_deviation(make_env: EnvFactory) -> None:
    result = _failure(make_env)
    cmd = result.failures[0].reproduce["aws_cli"]  # type: ignore[attr-defined]
    assert cmd.startswith("aws ecr-public describe-repositories --endpoint-url http://127.0.0.1")
    argv = shlex.split(cmd)
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
    done = subprocess.run(
        [sys.executable, "-m", "awscli", *argv[1:], "--output", "json", "--no-paginate"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["repositories"]) > 1  # more than maxResults=1


def test_python_reproducer_runs_and_shows_the_deviation(make_env: EnvFactory) -> None:
    result = _failure(make_env)
    snippet = result.failures[0].reproduce["python"]  # type: ignore[attr-defined]
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
    done = subprocess.run(
        [sys.executable, "-c", snippet], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    status, _, body = done.stdout.partition(" ")
    assert status == "200" and body.count('"repositoryName"') > 1


def test_failure_records_never_contain_credentials(make_env: EnvFactory) -> None:
    result = _failure(make_env)
    text = json.dumps(to_json(result))
    assert DUMMY_CREDENTIALS.secret_key not in text
    assert "AWS4-HMAC-SHA256" not in text and "<redacted>" in text


def test_the_cli_model_is_loaded_once_for_every_failure(
    make_env: EnvFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import botocore.session

    loads = []
    real = botocore.session.get_session
    monkeypatch.setattr(botocore.session, "get_session", lambda: loads.append(1) or real())
    explain._cli_model.cache_clear()
    env = make_env()
    sent = [env.send("DescribeRepositories", {"repositoryNames": n}) for n in ("a", "b")]
    refusals = [explain.cli_refusal(ex) for ex in sent]
    assert all(r and "the CLI refuses it" in r for r in refusals)
    assert len(loads) == 1
