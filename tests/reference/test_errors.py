"""One test per documented exception of every operation, parametrized from the specs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ecr_public_conformance.reference import start_server

from .conftest import make_client
from .helpers import SVC, digest, index_manifest, manifest, push_image, push_layer, raw_call

ARN = "arn:aws:ecr-public::123456789012:repository/"
# A minimal valid request per operation, naming the repository "missing" (never created).
BASE: dict[str, dict[str, Any]] = {
    "BatchCheckLayerAvailability": {"layerDigests": ["sha256:" + "0" * 64]},
    "BatchDeleteImage": {"imageIds": [{"imageTag": "v1"}]},
    "CompleteLayerUpload": {"uploadId": str(uuid.uuid4()), "layerDigests": ["sha256:00"]},
    "CreateRepository": {},
    "DeleteRepository": {},
    "DeleteRepositoryPolicy": {},
    "DescribeImageTags": {},
    "DescribeImages": {},
    "DescribeRepositories": {"repositoryNames": ["missing"]},
    "GetRepositoryCatalogData": {},
    "GetRepositoryPolicy": {},
    "InitiateLayerUpload": {},
    "ListTagsForResource": {"resourceArn": ARN + "missing"},
    "PutImage": {"imageManifest": "{}"},
    "PutRepositoryCatalogData": {"catalogData": {}},
    "SetRepositoryPolicy": {"policyText": "{}"},
    "TagResource": {"resourceArn": ARN + "missing", "tags": []},
    "UntagResource": {"resourceArn": ARN + "missing", "tagKeys": []},
    "UploadLayerPart": {
        "uploadId": str(uuid.uuid4()),
        "partFirstByte": 0,
        "partLastByte": 0,
        "layerPartBlob": "AA==",
    },
}
UNREACHABLE = {
    ("GetAuthorizationToken", "InvalidParameterException"): "the operation has no input members",
}
PAIRS = sorted((op.name, code) for op in SVC.operations.values() for code in op.error_codes)


def base(op: str, **extra: Any) -> dict[str, Any]:
    params = dict(BASE.get(op, {}))
    if "repositoryName" in SVC.operations[op].input_schema["properties"]:
        params.setdefault("repositoryName", "missing")
    return {**params, **extra}


def raw_code(url: str, op: str, body: dict[str, Any]) -> str:
    response = raw_call(url, op, body)
    assert response.status_code in (400, 500)
    return str(response.json()["__type"])


def code(call: Callable[[], Any]) -> str:
    with pytest.raises(ClientError) as info:
        call()
    return str(info.value.response["Error"]["Code"])


def invalid_body(op: str) -> dict[str, Any]:
    """A request breaking one constraint, chosen from the spec alone."""
    schema = SVC.operations[op].input_schema
    if schema.get("required"):
        return {}
    for name, sub in schema["properties"].items():
        if "maxLength" in sub:
            return {name: "x" * (sub["maxLength"] + 1)}
        if "minimum" in sub:
            return {name: sub["minimum"] - 1}
    raise AssertionError(f"no constraint to break in {op}")


def run_special(options: dict[str, Any], scenario: Callable[[Any], Any]) -> str:
    with start_server(**options) as srv:
        return code(lambda: scenario(make_client(srv.url)))


def _repo(c: Any, name: str = "r1") -> str:
    c.create_repository(repositoryName=name)
    return name


def _upload(c: Any, data: bytes = b"abc") -> str:
    upload = c.initiate_layer_upload(repositoryName=_repo(c))["uploadId"]
    c.upload_layer_part(
        repositoryName="r1",
        uploadId=upload,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    return str(upload)


def _complete(c: Any, upload: str, layer: str) -> Any:
    return c.complete_layer_upload(repositoryName="r1", uploadId=upload, layerDigests=[layer])


def _too_small(c: Any) -> Any:
    upload = c.initiate_layer_upload(repositoryName=_repo(c))["uploadId"]
    for first in (0, 5):
        c.upload_layer_part(
            repositoryName="r1",
            uploadId=upload,
            partFirstByte=first,
            partLastByte=first + 4,
            layerPartBlob=b"12345",
        )
    return _complete(c, upload, digest(b"1234512345"))


def _put_twice(c: Any) -> Any:
    d = push_image(c, _repo(c), tag="v1")
    from .helpers import MANIFESTS

    return c.put_image(repositoryName="r1", imageManifest=MANIFESTS[d], imageTag="v1")


def _tag_elsewhere(c: Any) -> Any:
    push_image(c, _repo(c), tag="v1", seed="a")
    config = push_layer(c, "r1", b"{}", parts=1)
    return c.put_image(repositoryName="r1", imageManifest=manifest(config, []), imageTag="v1")


def _tags(n: int, prefix: str = "k") -> list[dict[str, str]]:
    return [{"Key": f"{prefix}{i}", "Value": "v"} for i in range(n)]


SCENARIOS: dict[tuple[str, str], tuple[Any, Callable[[Any], Any]]] = {
    ("CompleteLayerUpload", "EmptyUploadException"): (
        "client",
        lambda c: _complete(
            c, c.initiate_layer_upload(repositoryName=_repo(c))["uploadId"], "sha256:00"
        ),
    ),
    ("CompleteLayerUpload", "InvalidLayerException"): (
        "client",
        lambda c: _complete(c, _upload(c), digest(b"other")),
    ),
    ("CompleteLayerUpload", "LayerAlreadyExistsException"): (
        "client",
        lambda c: (
            push_layer(c, _repo(c), b"abc"),
            _complete(c, _second_upload(c), digest(b"abc")),
        ),
    ),
    ("CompleteLayerUpload", "LayerPartTooSmallException"): ({"min_part_size": 10}, _too_small),
    ("CompleteLayerUpload", "UploadNotFoundException"): (
        "client",
        lambda c: _complete(c, str(uuid.uuid4()), digest(b"abc")) if _repo(c) else None,
    ),
    ("CreateRepository", "InvalidTagParameterException"): (
        "client",
        lambda c: c.create_repository(repositoryName="r1", tags=[{"Key": "aws:x", "Value": "v"}]),
    ),
    ("CreateRepository", "LimitExceededException"): (
        {"max_repositories": 1},
        lambda c: (_repo(c), _repo(c, "r2")),
    ),
    ("CreateRepository", "RepositoryAlreadyExistsException"): (
        "client",
        lambda c: (_repo(c), _repo(c)),
    ),
    ("CreateRepository", "TooManyTagsException"): (
        "client",
        lambda c: c.create_repository(repositoryName="r1", tags=_tags(51)),
    ),
    ("DeleteRepository", "RepositoryNotEmptyException"): (
        "client",
        lambda c: (push_image(c, _repo(c)), c.delete_repository(repositoryName="r1")),
    ),
    ("DeleteRepositoryPolicy", "RepositoryPolicyNotFoundException"): (
        "client",
        lambda c: c.delete_repository_policy(repositoryName=_repo(c)),
    ),
    ("DescribeImages", "ImageNotFoundException"): (
        "client",
        lambda c: c.describe_images(repositoryName=_repo(c), imageIds=[{"imageTag": "nope"}]),
    ),
    ("GetRepositoryCatalogData", "RepositoryCatalogDataNotFoundException"): (
        "client",
        lambda c: c.get_repository_catalog_data(repositoryName=_repo(c)),
    ),
    ("GetRepositoryPolicy", "RepositoryPolicyNotFoundException"): (
        "client",
        lambda c: c.get_repository_policy(repositoryName=_repo(c)),
    ),
    ("PutImage", "ImageAlreadyExistsException"): ("client", _put_twice),
    ("PutImage", "ImageDigestDoesNotMatchException"): (
        "client",
        lambda c: c.put_image(
            repositoryName=_repo(c),
            imageManifest=manifest(digest("c"), []),
            imageTag="v",
            imageDigest="sha256:" + "1" * 64,
        ),
    ),
    ("PutImage", "ImageTagAlreadyExistsException"): ({"immutable_tags": True}, _tag_elsewhere),
    ("PutImage", "LayersNotFoundException"): (
        "client",
        lambda c: c.put_image(
            repositoryName=_repo(c), imageManifest=manifest(digest("c"), []), imageTag="v"
        ),
    ),
    ("PutImage", "LimitExceededException"): (
        {"max_images_per_repository": 1},
        lambda c: (push_image(c, _repo(c), seed="a"), push_image(c, "r1", "v2", seed="b")),
    ),
    ("PutImage", "ReferencedImagesNotFoundException"): (
        "client",
        lambda c: c.put_image(
            repositoryName=_repo(c), imageManifest=index_manifest([digest("x")]), imageTag="v"
        ),
    ),
    ("TagResource", "InvalidTagParameterException"): (
        "client",
        lambda c: c.tag_resource(resourceArn=ARN + _repo(c), tags=[{"Key": "aws:k", "Value": "v"}]),
    ),
    ("TagResource", "TooManyTagsException"): (
        "client",
        lambda c: (
            c.tag_resource(resourceArn=ARN + _repo(c), tags=_tags(30)),
            c.tag_resource(resourceArn=ARN + "r1", tags=_tags(30, "j")),
        ),
    ),
    ("UntagResource", "InvalidTagParameterException"): (
        "client",
        lambda c: c.untag_resource(resourceArn=ARN + _repo(c), tagKeys=["aws:k"]),
    ),
    ("UntagResource", "TooManyTagsException"): (
        "client",
        lambda c: c.untag_resource(
            resourceArn=ARN + _repo(c), tagKeys=[f"k{i}" for i in range(51)]
        ),
    ),
    ("UploadLayerPart", "InvalidLayerPartException"): (
        "client",
        lambda c: c.upload_layer_part(
            repositoryName="r1",
            uploadId=_upload(c),
            partFirstByte=10,
            partLastByte=12,
            layerPartBlob=b"abc",
        ),
    ),
    ("UploadLayerPart", "LimitExceededException"): (
        {"max_layer_parts": 1},
        lambda c: c.upload_layer_part(
            repositoryName="r1",
            uploadId=_upload(c),
            partFirstByte=3,
            partLastByte=5,
            layerPartBlob=b"abc",
        ),
    ),
    ("UploadLayerPart", "UploadNotFoundException"): (
        "client",
        lambda c: c.upload_layer_part(
            repositoryName=_repo(c),
            uploadId=str(uuid.uuid4()),
            partFirstByte=0,
            partLastByte=2,
            layerPartBlob=b"abc",
        ),
    ),
}


def _second_upload(c: Any) -> str:
    upload = c.initiate_layer_upload(repositoryName="r1")["uploadId"]
    c.upload_layer_part(
        repositoryName="r1", uploadId=upload, partFirstByte=0, partLastByte=2, layerPartBlob=b"abc"
    )
    return str(upload)


@pytest.mark.parametrize(("op", "error"), PAIRS, ids=[f"{o}-{e}" for o, e in PAIRS])
def test_documented_error(op: str, error: str, request: pytest.FixtureRequest) -> None:
    if (op, error) in UNREACHABLE:
        pytest.skip(f"unreachable: {UNREACHABLE[op, error]}")
    url = request.getfixturevalue("url")
    if error == "ServerException":
        with start_server(faults=["server-error"]) as srv:
            response = raw_call(srv.url, op, base(op))
            assert response.status_code == 500 and response.json()["__type"] == error
        return
    if error == "UnsupportedCommandException":
        with start_server(unsupported=[op]) as srv:
            assert raw_code(srv.url, op, base(op)) == error
        return
    if error == "InvalidParameterException":
        assert raw_code(url, op, invalid_body(op)) == error
    elif error == "RepositoryNotFoundException":
        assert raw_code(url, op, base(op)) == error
    elif error == "RegistryNotFoundException":
        assert raw_code(url, op, base(op, registryId="999999999999")) == error
    else:
        assert (op, error) in SCENARIOS, f"no scenario for {op} raising {error}"
        where, scenario = SCENARIOS[op, error]
        if isinstance(where, dict):
            assert run_special(where, scenario) == error
        else:
            assert code(lambda: scenario(request.getfixturevalue(where))) == error
