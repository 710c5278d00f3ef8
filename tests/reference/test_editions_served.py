"""The reference serves one spec edition: the seed as before, botocore-1.44.18 with all 42
operations; an operation the served edition does not have is an unknown operation."""

from __future__ import annotations

import pytest

from ecr_public_conformance.reference import ReferenceServer, make_wsgi_app, start_server
from ecr_public_conformance.reference.operations import HANDLERS
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.specs.editions import DEFAULT_EDITION, editions

from .conftest import PREMIUM_EDITION
from .helpers import raw_call


def test_every_operation_of_every_edition_has_a_handler() -> None:
    for shipped in editions():
        assert set(load_service(shipped.name).operations) <= set(HANDLERS), shipped.name
    assert len(load_service(PREMIUM_EDITION).operations) == 42


def test_default_edition_and_aliases() -> None:
    with start_server() as srv:
        assert srv.edition == DEFAULT_EDITION
    with start_server(edition="newest") as srv:
        assert srv.edition == editions()[-1].name
    with pytest.raises(ValueError, match="unknown edition 'nope'"):
        start_server(edition="nope")


def test_the_seed_knows_no_premium_operation(server: ReferenceServer) -> None:
    if server.edition == PREMIUM_EDITION:
        pytest.skip("the default edition has premium repositories")
    answer = raw_call(server.url, "CreatePremiumRepository", {"repositoryName": "p"})
    assert answer.status_code == 400 and answer.json()["__type"] == "UnknownOperationException"
    with pytest.raises(ValueError, match="unknown operation"):
        start_server(unsupported=["SetImageStatus"])


def test_the_seed_ignores_later_members_and_answers_none(server: ReferenceServer) -> None:
    if server.edition == PREMIUM_EDITION:
        pytest.skip("the default edition has premium repositories")
    raw_call(server.url, "CreateRepository", {"repositoryName": "r1"})
    body = {"repositoryName": "r1", "repositoryType": "PREMIUM"}
    upload = raw_call(server.url, "InitiateLayerUpload", body)
    assert upload.ok  # repositoryType is not a member of the seed: ignored
    registry = raw_call(server.url, "DescribeRegistries").json()["registries"][0]
    assert "premiumStatus" not in registry and "premiumRegistryUri" not in registry
    created = raw_call(
        server.url,
        "CreateRepository",
        {"repositoryName": "r2", "catalogData": {"description": "d", "categories": ["AI_ML"]}},
    ).json()
    assert created["catalogData"] == {"description": "d", "marketplaceCertified": False}


def test_every_operation_is_served_on_the_premium_edition(premium_server: ReferenceServer) -> None:
    premium_server.reset()
    for name in sorted(load_service(PREMIUM_EDITION).operations):
        answer = raw_call(premium_server.url, name, {})
        assert answer.status_code in (200, 400), (name, answer.status_code, answer.text)
        assert answer.json().get("__type") != "UnknownOperationException", name


def test_a_wsgi_app_serves_an_edition() -> None:
    app = make_wsgi_app(edition=PREMIUM_EDITION)
    assert app.endpoint.options.edition == PREMIUM_EDITION
    assert "CreatePremiumRepository" in app.endpoint.service.operations
