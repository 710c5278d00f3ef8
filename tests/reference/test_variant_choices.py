"""The reference's other valid choices keep what the document says (each variant stays valid)."""

from __future__ import annotations

import base64

from ecr_public_conformance.reference import start_server

from .conftest import make_client
from .helpers import digest


def test_other_identifier_formats_keep_the_user_password_token() -> None:
    # "When the string is decoded, it is presented in the format user:password"
    with start_server(variants=["other-identifier-formats"]) as srv:
        data = make_client(srv.url).get_authorization_token()["authorizationData"]
    user, colon, password = base64.b64decode(data["authorizationToken"]).decode().partition(":")
    assert user and colon and password and user != "AWS"


def test_missing_layer_unavailable_lists_a_layer_never_uploaded() -> None:
    with start_server(variants=["missing-layer-unavailable"]) as srv:
        client = make_client(srv.url)
        client.create_repository(repositoryName="layers")
        ghost = digest(b"never uploaded")
        out = client.batch_check_layer_availability(
            repositoryName="layers", layerDigests=[ghost, "not-a-digest"]
        )
    assert out["layers"] == [{"layerDigest": ghost, "layerAvailability": "UNAVAILABLE"}]
    assert [f["failureCode"] for f in out["failures"]] == ["InvalidLayerDigest"]


def test_a_repository_created_again_starts_empty() -> None:
    with start_server() as srv:
        client = make_client(srv.url)
        arn = client.create_repository(repositoryName="again", tags=[{"Key": "k", "Value": "v"}])[
            "repository"
        ]["repositoryArn"]
        client.delete_repository(repositoryName="again")
        client.create_repository(repositoryName="again")
        assert client.list_tags_for_resource(resourceArn=arn)["tags"] == []
        assert not srv.endpoint.store.deleted
