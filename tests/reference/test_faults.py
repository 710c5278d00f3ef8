"""Each fault switch changes behaviour as its description says (smoke checks)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from ecr_public_conformance.reference import FAULTS, start_server
from ecr_public_conformance.reference.faults import CATEGORIES

from .conftest import make_client
from .helpers import MANIFESTS, digest, push_image, push_layer, raw_call

ARN = "arn:aws:ecr-public::123456789012:repository/"
MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"


def _err(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as info:
        call()
    return dict(info.value.response)


def _repo_names(c: Any, **kw: Any) -> list[str]:
    pages = c.get_paginator("describe_repositories").paginate(PaginationConfig=kw)
    return [r["repositoryName"] for p in pages for r in p["repositories"]]


def _three(c: Any) -> None:
    for n in ("r1", "r2", "r3"):
        c.create_repository(repositoryName=n)


class _Clock:
    """The reference's clock under the test's hand: it moves only when told to."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


#: The clock of the server under test (the consistency delay is measured on it, not waited).
CLOCK = _Clock()


def check(fault: str, c: Any, url: str) -> None:  # noqa: C901 - a dispatch of smoke checks
    if fault == "timestamp-as-string":
        c.create_repository(repositoryName="r1")
        body = raw_call(url, "DescribeRepositories").json()
        assert isinstance(body["repositories"][0]["createdAt"], str)
    elif fault == "bad-enum-value":
        alias = raw_call(url, "DescribeRegistries").json()["registries"][0]["aliases"][0]
        assert alias["status"] not in ("ACTIVE", "PENDING", "REJECTED")
    elif fault == "undeclared-error-code":
        assert (
            raw_call(url, "GetRepositoryPolicy", {"repositoryName": "no"}).json()["__type"]
            == "NoSuchRepositoryException"
        )
    elif fault == "client-error-as-500":
        assert raw_call(url, "GetRepositoryPolicy", {"repositoryName": "no"}).status_code == 500
    elif fault == "error-without-type":
        response = raw_call(url, "GetRepositoryPolicy", {"repositoryName": "no"})
        assert "__type" not in response.json() and "x-amzn-ErrorType" not in response.headers
    elif fault == "wrong-content-type":
        assert raw_call(url, "DescribeRegistries").headers["Content-Type"] == "application/json"
    elif fault == "no-request-id":
        assert "x-amzn-RequestId" not in raw_call(url, "DescribeRegistries").headers
    elif fault == "no-max-length":
        assert raw_call(url, "CreateRepository", {"repositoryName": "a" * 300}).ok
    elif fault == "no-pattern-check":
        assert raw_call(url, "CreateRepository", {"repositoryName": "UPPER_case"}).ok
    elif fault == "accept-missing-required":
        assert raw_call(url, "SetRepositoryPolicy", {}).status_code == 400
        assert raw_call(url, "PutRegistryCatalogData", {}).ok
        assert raw_call(url, "DescribeImages", {}).json()["__type"] != "InvalidParameterException"
    elif fault == "half-created-repository":
        _err(
            lambda: c.create_repository(repositoryName="r1", tags=[{"Key": "aws:x", "Value": "v"}])
        )
        assert _repo_names(c) == ["r1"]
    elif fault == "reject-namespaced-names":
        assert _err(lambda: c.create_repository(repositoryName="ns/r1"))["Error"]["Code"] == (
            "InvalidParameterException"
        )
    elif fault == "server-error-on-long-text":
        response = raw_call(
            url,
            "CreateRepository",
            {"repositoryName": "r1", "catalogData": {"description": "d" * 101}},
        )
        assert response.status_code == 500 and response.json()["__type"] == "ServerException"
    elif fault == "page-size-ignored":
        _three(c)
        assert len(c.describe_repositories(maxResults=1)["repositories"]) == 3
    elif fault == "duplicate-across-pages":
        _three(c)
        assert _repo_names(c, PageSize=1)[:2] == ["r1", "r1"]
    elif fault == "token-after-last-page":
        _three(c)
        last = c.describe_repositories(maxResults=5)
        assert "nextToken" in last
        assert c.describe_repositories(nextToken=last["nextToken"])["repositories"] == []
    elif fault == "tampered-token-accepted":
        _three(c)
        token = c.describe_repositories(maxResults=1)["nextToken"]
        page = c.describe_repositories(maxResults=1, nextToken=token[:-2] + "00")
        assert page["repositories"][0]["repositoryName"] == "r1"
    elif fault == "tags-not-stored":
        c.create_repository(repositoryName="r1", tags=[{"Key": "a", "Value": "b"}])
        c.tag_resource(resourceArn=ARN + "r1", tags=[{"Key": "c", "Value": "d"}])
        assert c.list_tags_for_resource(resourceArn=ARN + "r1")["tags"] == []
    elif fault == "tag-not-moved":
        c.create_repository(repositoryName="r1")
        push_image(c, "r1", "v1", seed="a")
        push_image(c, "r1", "v1", seed="b")
        details = c.describe_images(repositoryName="r1")["imageDetails"]
        assert [d["imageTags"] for d in details] == [["v1"], ["v1"]]
    elif fault == "digest-not-checked":
        c.create_repository(repositoryName="r1")
        upload = c.initiate_layer_upload(repositoryName="r1")["uploadId"]
        c.upload_layer_part(
            repositoryName="r1",
            uploadId=upload,
            partFirstByte=0,
            partLastByte=2,
            layerPartBlob=b"abc",
        )
        c.complete_layer_upload(
            repositoryName="r1", uploadId=upload, layerDigests=[digest(b"not abc")]
        )
    elif fault == "parts-not-contiguous":
        c.create_repository(repositoryName="r1")
        upload = c.initiate_layer_upload(repositoryName="r1")["uploadId"]
        c.upload_layer_part(
            repositoryName="r1",
            uploadId=upload,
            partFirstByte=7,
            partLastByte=100,
            layerPartBlob=b"abc",
        )
    elif fault == "force-ignored":
        c.create_repository(repositoryName="r1")
        push_layer(c, "r1", b"abc")
        _err(lambda: c.delete_repository(repositoryName="r1", force=True))
    elif fault == "eventual-consistency":
        c.create_repository(repositoryName="r1")
        assert _repo_names(c) == []
        CLOCK.now += 1.4
        assert _repo_names(c) == []
        CLOCK.now += 0.2
        assert _repo_names(c) == ["r1"]
    elif fault == "lost-write":
        c.create_repository(repositoryName="r1", catalogData={"description": "old"})
        c.put_repository_catalog_data(repositoryName="r1", catalogData={"description": "new"})
        data = c.get_repository_catalog_data(repositoryName="r1")["catalogData"]
        assert data["description"] == "old"
    elif fault == "error-without-message":
        body = raw_call(url, "GetRepositoryPolicy", {"repositoryName": "no"}).json()
        assert body["__type"] == "RepositoryNotFoundException" and "message" not in body
    elif fault == "unknown-target-accepted":
        response = raw_call(url, "NoSuchOperation")
        assert response.status_code == 200 and response.json() == {}
    elif fault == "malformed-json-accepted":
        assert raw_call(url, "DescribeRepositories", body=b"{not json").status_code == 200
    elif fault == "auth-not-required":
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "SpencerFrontendService.DescribeRegistries",
        }
        assert requests.post(url, data=b"{}", headers=headers, timeout=10).status_code == 200
    elif fault == "validation-error-code":
        response = raw_call(url, "CreateRepository", {"repositoryName": "A"})
        assert response.json()["__type"] == "LimitExceededException"
    elif fault == "server-error":
        assert raw_call(url, "DescribeRegistries").status_code == 500
    elif fault == "misreport":
        body = raw_call(url, "GetRepositoryPolicy", {"repositoryName": "no"}).json()
        assert body["__type"] == "BadRequestException"
    elif fault == "number-as-string":
        raw_call(url, "CreateRepository", {"repositoryName": "r1"})
        body = raw_call(url, "InitiateLayerUpload", {"repositoryName": "r1"}).json()
        assert isinstance(body["partSize"], str)
    elif fault == "null-members":
        raw_call(url, "CreateRepository", {"repositoryName": "r1"})
        listed = raw_call(url, "DescribeRepositories").json()
        assert listed["nextToken"] is None
    elif fault == "unknown-target-wrong-code":
        response = raw_call(url, "NoSuchOperation")
        assert response.status_code == 404 and response.json()["__type"] == "InvalidAction"
    elif fault == "layer-digest-omitted":
        c.create_repository(repositoryName="r1")
        upload = c.initiate_layer_upload(repositoryName="r1")["uploadId"]
        c.upload_layer_part(
            repositoryName="r1",
            uploadId=upload,
            partFirstByte=0,
            partLastByte=0,
            layerPartBlob=b"a",
        )
        done = c.complete_layer_upload(
            repositoryName="r1", uploadId=upload, layerDigests=[digest(b"a")]
        )
        assert "layerDigest" not in done
    elif fault == "media-type-required":
        c.create_repository(repositoryName="r1")
        response = raw_call(url, "PutImage", {"repositoryName": "r1", "imageManifest": "{}"})
        assert "imageManifestMediaType" in response.json()["message"]
    elif fault == "media-type-not-read-from-manifest":
        c.create_repository(repositoryName="r1")
        listed = json.dumps({"schemaVersion": 2, "mediaType": MANIFEST_LIST, "manifests": []})
        c.put_image(repositoryName="r1", imageManifest=listed, imageTag="list")
        details = c.describe_images(repositoryName="r1", imageIds=[{"imageTag": "list"}])
        assert details["imageDetails"][0]["imageManifestMediaType"] != MANIFEST_LIST
    elif fault == "last-byte-per-part":
        c.create_repository(repositoryName="r1")
        upload = c.initiate_layer_upload(repositoryName="r1")["uploadId"]
        for first in (0, 1):
            done = c.upload_layer_part(
                repositoryName="r1",
                uploadId=upload,
                partFirstByte=first,
                partLastByte=first,
                layerPartBlob=b"a",
            )
        assert done["lastByteReceived"] == 0
    elif fault == "default-registry-not-assumed":
        c.create_repository(repositoryName="r1")
        listed = c.describe_repositories(repositoryNames=["r1"])["repositories"]
        assert listed[0]["registryId"] == "000000000000"
    elif fault == "policy-refused-as-validation-error":
        c.create_repository(repositoryName="r1")
        response = raw_call(
            url, "SetRepositoryPolicy", {"repositoryName": "r1", "policyText": "{}"}
        )
        assert response.json()["__type"] == "ValidationError"
    elif fault == "unsigned-answered-503":
        response = requests.post(url + "/", data=b"{}", headers={"X-Amz-Target": "x"})
        assert response.status_code == 503 and response.text.startswith("<?xml")
    elif fault == "image-tag-created-at-omitted":
        c.create_repository(repositoryName="r1")
        push_image(c, "r1", tag="a")
        details = c.describe_image_tags(repositoryName="r1")["imageTagDetails"]
        assert details and "createdAt" not in details[0]
    elif fault == "names-not-validated":
        assert raw_call(url, "CreateRepository", {"repositoryName": "!!"}).ok
        assert raw_call(url, "DeleteRepository", {"repositoryName": 5}).status_code == 400
        assert raw_call(url, "DeleteRepository", {"repositoryName": "!!"}).ok
    elif fault == "other-serialization-code":
        response = raw_call(url, "DescribeRepositories", body=b"{not json")
        assert response.json()["__type"] == "InvalidRequestException"
    else:
        raise AssertionError(f"no smoke check for fault {fault}")


DEVIATIONS = sorted(name for name, f in FAULTS.items() if f.kind == "deviation")
#: Faults of documented behaviours are shown end to end by their catalogue entries
#: (tests/conformance/catalogue/test_behaviours.py); the others get a smoke check here. The
#: faults of a later edition (premium repositories) each get one in test_premium_faults.py,
#: run on and off.
SMOKED = [
    name
    for name in DEVIATIONS
    if FAULTS[name].category != "behaviour" and FAULTS[name].edition is None
]


def test_every_deviation_has_a_check_category_and_no_condition_or_outage_has_one() -> None:
    for fault in FAULTS.values():
        assert fault.kind in ("deviation", "condition", "outage") and fault.description
        if fault.kind == "deviation":
            assert fault.category in CATEGORIES and fault.default is None, fault.name
        elif fault.kind == "condition":
            assert fault.category is None and fault.default is not None, fault.name
        else:
            assert fault.category is None and fault.value == "count", fault.name


@pytest.mark.parametrize("fault", SMOKED)
def test_fault(fault: str) -> None:
    assert FAULTS[fault].category in CATEGORIES and FAULTS[fault].description
    spec = f"{fault}=RepositoryNotFoundException" if fault == "misreport" else fault
    with start_server(faults=[spec]) as srv:
        if fault == "eventual-consistency":
            srv.endpoint.clock = CLOCK
        client = make_client(srv.url) if fault not in _UNSCHEMATIC else _plain(srv.url)
        check(fault, client, srv.url)


_UNSCHEMATIC = {
    "timestamp-as-string",
    "bad-enum-value",
    "number-as-string",
    "null-members",
    "no-max-length",
    "no-pattern-check",
    "tag-not-moved",
    "accept-missing-required",
}


def _plain(url: str) -> Any:
    import boto3

    return boto3.client(
        "ecr-public",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def test_unknown_fault_rejected() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        start_server(faults=["nope"])


def test_same_manifest_twice_is_rejected_without_faults(client: Any) -> None:
    client.create_repository(repositoryName="r1")
    d = push_image(client, "r1", "v1")
    code = _err(lambda: client.put_image(repositoryName="r1", imageManifest=MANIFESTS[d]))
    assert code["Error"]["Code"] == "ImageAlreadyExistsException"
