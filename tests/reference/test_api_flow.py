from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from .conftest import SEEN
from .helpers import MANIFESTS, SVC, digest, index_manifest, manifest, push_image, push_layer


def test_push_describe_delete(client: Any) -> None:
    client.create_repository(repositoryName="app")
    config = push_layer(client, "app", b'{"architecture":"amd64"}', parts=1)
    layer_data = b"x" * 5000
    layer = push_layer(client, "app", layer_data, parts=2)
    text = manifest(config, [(layer, len(layer_data))])
    image = client.put_image(repositoryName="app", imageManifest=text, imageTag="v1")["image"]
    assert image["imageId"] == {"imageDigest": digest(text), "imageTag": "v1"}
    detail = client.describe_images(repositoryName="app")["imageDetails"][0]
    assert detail["imageTags"] == ["v1"] and detail["imageSizeInBytes"] == 5000
    assert detail["imageDigest"] == digest(text)
    tags = client.describe_image_tags(repositoryName="app")["imageTagDetails"]
    assert [t["imageTag"] for t in tags] == ["v1"]
    check = client.batch_check_layer_availability(repositoryName="app", layerDigests=[layer])
    assert check["layers"][0]["layerAvailability"] == "AVAILABLE"
    out = client.batch_delete_image(repositoryName="app", imageIds=[{"imageTag": "v1"}])
    assert out["imageIds"] == [{"imageDigest": digest(text), "imageTag": "v1"}]
    assert client.describe_images(repositoryName="app")["imageDetails"] == []


@pytest.mark.parametrize(
    ("operation", "kwargs", "key"),
    [
        ("describe_repositories", {}, "repositories"),
        ("describe_images", {"repositoryName": "pager"}, "imageDetails"),
        ("describe_image_tags", {"repositoryName": "pager"}, "imageTagDetails"),
        ("describe_registries", {}, "registries"),
    ],
)
def test_paginators_page_size_one(client: Any, operation: str, kwargs: dict, key: str) -> None:
    client.create_repository(repositoryName="pager")
    for name in ("r1", "r2"):
        client.create_repository(repositoryName=name)
    for i in range(3):
        push_image(client, "pager", tag=f"t{i}", seed=str(i))
    pages = list(
        client.get_paginator(operation).paginate(**kwargs, PaginationConfig={"PageSize": 1})
    )
    items = [item for page in pages for item in page[key]]
    assert all(len(page[key]) <= 1 for page in pages)
    expected = {"repositories": 3, "imageDetails": 3, "imageTagDetails": 3, "registries": 1}
    assert len(items) == expected[key]
    assert len({json.dumps(i, sort_keys=True, default=str) for i in items}) == len(items)


def test_index_and_tag_moves(client: Any) -> None:
    client.create_repository(repositoryName="multi")
    a = push_image(client, "multi", tag="latest", seed="a")
    b = push_image(client, "multi", tag="b", seed="b")
    client.put_image(repositoryName="multi", imageManifest=MANIFESTS[a], imageTag="latest2")
    idx = index_manifest([a, b])
    client.put_image(repositoryName="multi", imageManifest=idx, imageTag="latest")
    images = {
        d["imageDigest"]: d for d in client.describe_images(repositoryName="multi")["imageDetails"]
    }
    assert images[digest(idx)]["imageTags"] == ["latest"]
    assert images[a]["imageTags"] == ["latest2"]
    failures = client.batch_delete_image(repositoryName="multi", imageIds=[{"imageDigest": a}])
    assert failures["failures"][0]["failureCode"] == "ImageReferencedByManifestList"


def test_every_operation_output(client: Any) -> None:
    c = client
    c.create_repository(
        repositoryName="all",
        catalogData={"description": "d", "logoImageBlob": base64.b64decode("iVBORw0K")},
        tags=[{"Key": "k", "Value": "v"}],
    )
    arn = c.describe_repositories(repositoryNames=["all"])["repositories"][0]["repositoryArn"]
    c.tag_resource(resourceArn=arn, tags=[{"Key": "k2", "Value": "v2"}])
    assert len(c.list_tags_for_resource(resourceArn=arn)["tags"]) == 2
    c.untag_resource(resourceArn=arn, tagKeys=["k2"])
    policy = json.dumps({"Version": "2012-10-17", "Statement": []})
    c.set_repository_policy(repositoryName="all", policyText=policy)
    assert c.get_repository_policy(repositoryName="all")["policyText"] == policy
    c.delete_repository_policy(repositoryName="all")
    data = c.put_repository_catalog_data(
        repositoryName="all", catalogData={"aboutText": "a", "logoImageBlob": b"\x89PNG"}
    )
    assert data["catalogData"]["logoUrl"].startswith("https://")
    assert c.get_repository_catalog_data(repositoryName="all")["catalogData"]["aboutText"] == "a"
    c.put_registry_catalog_data(displayName="Reference")
    assert c.get_registry_catalog_data()["registryCatalogData"] == {"displayName": "Reference"}
    token = c.get_authorization_token()["authorizationData"]["authorizationToken"]
    assert base64.b64decode(token).startswith(b"AWS:")
    c.describe_registries()
    push_image(c, "all")
    c.describe_images(repositoryName="all")
    c.describe_image_tags(repositoryName="all")
    c.batch_check_layer_availability(repositoryName="all", layerDigests=["sha256:" + "0" * 64])
    c.batch_delete_image(repositoryName="all", imageIds=[{"imageTag": "v1"}])
    c.delete_repository(repositoryName="all", force=True)
    assert SEEN >= set(SVC.operations), sorted(set(SVC.operations) - SEEN)
