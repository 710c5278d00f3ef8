"""A process is an xdist worker only when pytest says so, not because it inherited the variables."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ecr_public_conformance.conformance.harness import worker
from ecr_public_conformance.conformance.harness.config import RunConfig
from ecr_public_conformance.conformance.harness.env import CheckEnv, run_prefix
from ecr_public_conformance.conformance.harness.ledger import Ledger
from ecr_public_conformance.wire import DUMMY_CREDENTIALS, WireClient


@pytest.fixture(autouse=True)
def _restore_identity() -> object:
    saved = (worker.worker_id(), worker.worker_count())
    yield None
    worker._identity = saved


def env_with_cap(cap: int) -> CheckEnv:
    client = WireClient("http://127.0.0.1:9", "us-east-1", DUMMY_CREDENTIALS)
    config = RunConfig(endpoint_url=client.endpoint_url, max_requests=cap)
    return CheckEnv(client, config, "ecrconf-test", Ledger(None))


def test_inherited_variables_do_not_make_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    # a run started from a test under `pytest -n 2` inherits these from its parent worker
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    worker.adopt(SimpleNamespace())  # a config without workerinput: not a worker
    assert (worker.worker_id(), worker.worker_count()) == ("main", 1)
    assert env_with_cap(150).sender.request_cap == 150
    assert run_prefix().endswith("-main")


def test_a_real_worker_splits_the_budget() -> None:
    worker.adopt(SimpleNamespace(workerinput={"workerid": "gw1", "workercount": 2}))
    assert (worker.worker_id(), worker.worker_count()) == ("gw1", 2)
    assert env_with_cap(150).sender.request_cap == 75
    assert run_prefix().endswith("-gw1")
