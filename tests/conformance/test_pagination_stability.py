"""Pagination is judged only on a listing that did not change during the walks."""

from __future__ import annotations

import threading
from typing import Any

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.specs import load_service

from .conftest import EnvFactory

OP = load_service().operation("DescribeRepositories")


def test_a_concurrent_writer_makes_the_check_skip_not_fail(make_env: EnvFactory) -> None:
    env = make_env()
    stop = threading.Event()
    client = env.sender.client

    def writer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            client.call("CreateRepository", {"repositoryName": f"{env.prefix}-other{n}"})

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        result = run_case(env, all_checks()["pages_cover_all_items_once"], OP)
    finally:
        stop.set()
        thread.join()
    assert result.status in ("skipped", "passed"), [f.message for f in result.failures]
    if result.status == "skipped":
        assert "listing changed" in result.reason


def test_a_stable_listing_is_judged(make_env: EnvFactory) -> None:
    result: Any = run_case(make_env(), all_checks()["pages_cover_all_items_once"], OP)
    assert result.status == "passed" and result.examples == 3  # the full walk and two small
