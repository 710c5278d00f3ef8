from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from ecr_public_conformance.reference import ReferenceServer, start_server

from .helpers import check_output

SEEN: set[str] = set()


@pytest.fixture(scope="session")
def server() -> Iterator[ReferenceServer]:
    srv = start_server()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _clean(server: ReferenceServer) -> None:
    server.reset()


def _validate(http_response: Any, model: Any, **_: Any) -> None:
    if http_response.status_code == 200:
        body = json.loads(http_response.content or b"{}")
        check_output(model.name, body)
        SEEN.add(model.name)


def make_client(url: str) -> Any:
    """A boto3 client whose every success response is checked against the output schema."""
    client = boto3.client(
        "ecr-public",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.meta.events.register("after-call.ecr-public.*", _validate)
    return client


@pytest.fixture(scope="session")
def client(server: ReferenceServer) -> Any:
    return make_client(server.url)


@pytest.fixture
def url(server: ReferenceServer) -> str:
    return server.url
