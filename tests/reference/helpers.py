"""Shared helpers for the reference endpoint tests."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import requests

from ecr_public_conformance.specs import load_service
from ecr_public_conformance.specs.validation import violations

SVC = load_service()
AUTH = (
    "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/ecr-public/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
)
DOCKER = "application/vnd.docker.distribution.manifest.v2+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MANIFESTS: dict[str, str] = {}


def digest(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def raw_call(url: str, operation: str, body: Any = None, **headers: str) -> requests.Response:
    """POST an AWS JSON 1.1 request without boto3 (body: dict -> JSON, bytes as is)."""
    hdrs = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"SpencerFrontendService.{operation}",
        "Authorization": AUTH,
    }
    hdrs.update({k.replace("_", "-"): v for k, v in headers.items()})
    data = body if isinstance(body, bytes) else json.dumps(body if body is not None else {})
    return requests.post(url + "/", data=data, headers={k: v for k, v in hdrs.items() if v})


def check_output(operation: str, body: Any, edition: str | None = None) -> None:
    """Assert ``body`` satisfies the operation's output schema (of ``edition``: the default
    one when None)."""
    svc = SVC if edition is None else load_service(edition)
    problems = violations(svc.operations[operation].output_schema, body)
    assert not problems, f"{operation} output breaks its schema: {problems}"


def push_layer(client: Any, repo: str, data: bytes, parts: int = 2) -> str:
    """Upload ``data`` as a layer in ``parts`` parts; return its digest."""
    upload = client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    step = max(1, -(-len(data) // parts))
    for first in range(0, len(data), step):
        chunk = data[first : first + step]
        client.upload_layer_part(
            repositoryName=repo,
            uploadId=upload,
            partFirstByte=first,
            partLastByte=first + len(chunk) - 1,
            layerPartBlob=chunk,
        )
    d = digest(data)
    client.complete_layer_upload(repositoryName=repo, uploadId=upload, layerDigests=[d])
    return d


def manifest(config: str, layers: list[tuple[str, int]]) -> str:
    """A Docker v2 schema 2 manifest referencing ``config`` and ``layers``."""
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER,
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 10,
                "digest": config,
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": size,
                    "digest": d,
                }
                for d, size in layers
            ],
        }
    )


def push_image(client: Any, repo: str, tag: str | None = "v1", seed: str = "a") -> str:
    """Push a config and a layer, then a manifest; return the image digest."""
    config = push_layer(client, repo, f'{{"seed":"{seed}"}}'.encode(), parts=1)
    layer_data = (seed * 1000).encode()
    layer = push_layer(client, repo, layer_data)
    text = manifest(config, [(layer, len(layer_data))])
    kwargs = {"imageTag": tag} if tag else {}
    client.put_image(repositoryName=repo, imageManifest=text, **kwargs)
    MANIFESTS[digest(text)] = text
    return digest(text)


def index_manifest(children: list[str]) -> str:
    """An OCI index referencing ``children``."""
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [
                {
                    "mediaType": DOCKER,
                    "size": 100,
                    "digest": d,
                    "platform": {"architecture": "amd64", "os": "linux"},
                }
                for d in children
            ],
        }
    )
