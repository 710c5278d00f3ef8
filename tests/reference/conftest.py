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


def _validator(edition: str | None) -> Any:
    def validate(http_response: Any, model: Any, **_: Any) -> None:
        if http_response.status_code == 200:
            body = json.loads(http_response.content or b"{}")
            check_output(model.name, body, edition)
            SEEN.add(model.name)

    return validate


def make_client(url: str, edition: str | None = None) -> Any:
    """A boto3 client whose every success response is checked against the output schema of
    ``edition`` (the default one when None)."""
    client = boto3.client(
        "ecr-public",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.meta.events.register("after-call.ecr-public.*", _validator(edition))
    return client


@pytest.fixture(scope="session")
def client(server: ReferenceServer) -> Any:
    return make_client(server.url)


@pytest.fixture
def url(server: ReferenceServer) -> str:
    return server.url


#: The edition with premium repositories the premium tests serve.
PREMIUM_EDITION = "botocore-1.44.18"


@pytest.fixture(scope="session")
def premium_server() -> Iterator[ReferenceServer]:
    srv = start_server(edition=PREMIUM_EDITION)
    yield srv
    srv.stop()


def botocore_knows_premium() -> bool:
    """Whether the installed botocore has the premium operations (boto3 1.44.18 and later)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("ecr-public")
    return "CreatePremiumRepository" in model.operation_names


NO_PREMIUM_CLIENT = "the installed botocore does not know the premium operations (boto3 1.44.18+)"


@pytest.fixture(scope="session")
def _premium_client(premium_server: ReferenceServer) -> Any:
    if not botocore_knows_premium():
        pytest.skip(NO_PREMIUM_CLIENT)
    return make_client(premium_server.url, PREMIUM_EDITION)


@pytest.fixture
def pc(premium_server: ReferenceServer, _premium_client: Any) -> Any:
    """A boto3 client of a clean endpoint serving the premium edition."""
    premium_server.reset()
    return _premium_client


@pytest.fixture
def later(premium_server: ReferenceServer, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A function moving the premium endpoint's clock forward by so many seconds."""
    import time

    offset = [0.0]
    monkeypatch.setattr(premium_server.endpoint, "clock", lambda: time.time() + offset[0])

    def move(seconds: float) -> None:
        offset[0] += seconds

    return move
