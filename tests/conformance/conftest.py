"""Fixtures: check environments against the reference endpoint, with or without faults."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ecr_public_conformance.conformance.harness.config import run_config
from ecr_public_conformance.conformance.harness.env import CheckEnv
from ecr_public_conformance.conformance.pytest_plugin.session import Session, open_session
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.reference.market import DEFAULT_PRODUCTS
from ecr_public_conformance.specs import load_service

#: The edition of the premium repositories (its catalogue entries run on it).
PREMIUM_EDITION = "botocore-1.44.18"
#: How long a scenario waits for a scan here (the reference's take well under a second).
SCAN_WAIT_S = 5.0

EnvFactory = Callable[..., CheckEnv]


@pytest.fixture()
def make_env() -> Iterator[EnvFactory]:
    """Start a reference endpoint with the given faults and open a check environment on it."""
    opened: list[tuple[Session, Any]] = []

    def factory(
        *faults: str,
        variants: tuple[str, ...] = (),
        edition: str | None = None,
        options: dict[str, Any] | None = None,
        **config: Any,
    ) -> CheckEnv:
        server = start_server(faults=faults, variants=variants, edition=edition, **(options or {}))
        config.setdefault("consistency_window_s", 1.0)  # a failing read gives up sooner
        config.setdefault("cleanup_s", 3.0)  # and so does cleanup against a faulty target
        config.setdefault("seed", 1234)
        cfg = run_config(endpoint_url=server.url, **config)
        # the run serves the default edition; this env may judge by another one
        service = load_service(edition) if edition is not None else None
        session = open_session(cfg, service=service)
        opened.append((session, server))
        if edition is not None:
            session.env.marketplace_products = DEFAULT_PRODUCTS
            session.env.process_wait_s = SCAN_WAIT_S
        return session.env

    yield factory
    for session, server in opened:
        session.close()
        server.stop()
