"""Helpers for the tests of premium repositories (edition botocore-1.44.18)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .helpers import digest, index_manifest, manifest

PRODUCT = "prod-reference-a"
P = {"repositoryType": "PREMIUM"}


def code(call: Callable[[], Any]) -> str:
    """The error code ``call`` fails with."""
    with pytest.raises(ClientError) as info:
        call()
    return str(info.value.response["Error"]["Code"])


def create(c: Any, name: str = "prem", *products: str, **kw: Any) -> dict[str, Any]:
    """Create a premium repository (product prod-reference-a unless others are given)."""
    answer: dict[str, Any] = c.create_premium_repository(
        repositoryName=name, marketplaceProducts=list(products or (PRODUCT,)), **kw
    )
    return answer


def push_layer(c: Any, repo: str, data: bytes, kind: str = "PREMIUM") -> str:
    """Upload ``data`` as a one-part layer of a repository of type ``kind``."""
    upload = c.initiate_layer_upload(repositoryName=repo, repositoryType=kind)["uploadId"]
    c.upload_layer_part(
        repositoryName=repo,
        repositoryType=kind,
        uploadId=upload,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    d = digest(data)
    c.complete_layer_upload(
        repositoryName=repo, repositoryType=kind, uploadId=upload, layerDigests=[d]
    )
    return d


def image_manifest(c: Any, repo: str, seed: str, kind: str = "PREMIUM", **extra: Any) -> str:
    """Upload a config and a layer; return a Docker manifest of them (``extra`` members added)."""
    config = push_layer(c, repo, f'{{"seed":"{seed}"}}'.encode(), kind)
    data = (seed * 100).encode()
    layer = push_layer(c, repo, data, kind)
    doc = json.loads(manifest(config, [(layer, len(data))]))
    doc.update(extra)
    return json.dumps(doc)


def push(c: Any, repo: str = "prem", tag: str | None = "v1", seed: str = "a", **kw: Any) -> str:
    """Push an image to a premium repository; return its digest."""
    kind = kw.pop("kind", "PREMIUM")
    text = image_manifest(c, repo, seed, kind, **kw)
    tagged = {"imageTag": tag} if tag else {}
    c.put_image(repositoryName=repo, repositoryType=kind, imageManifest=text, **tagged)
    return digest(text)


def push_index(c: Any, repo: str, children: list[str], tag: str = "multi") -> str:
    """Push an OCI index of ``children`` to a premium repository; return its digest."""
    text = index_manifest(children)
    c.put_image(repositoryName=repo, imageManifest=text, imageTag=tag, **P)
    return digest(text)


def available(c: Any, name: str = "prem") -> None:
    """Move a premium repository from DRAFT to AVAILABLE."""
    c.set_repository_state(repositoryName=name, state="AVAILABLE", **P)


def deprecate(c: Any, repo: str, image_id: dict[str, str], days: int = 90) -> dict[str, Any]:
    """Deprecate an image of a premium repository."""
    answer: dict[str, Any] = c.set_image_status(
        repositoryName=repo, imageId=image_id, status="DEPRECATED", deprecationPeriodDays=days, **P
    )
    return answer


HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def push_helm_chart(c: Any, repo: str = "prem", tag: str = "chart") -> str:
    """Push a Helm chart (an OCI artifact with a Helm config) to a premium repository."""
    config = push_layer(c, repo, b"{}")
    layer = push_layer(c, repo, b"chart-bytes")
    text = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": HELM_CONFIG, "size": 2, "digest": config},
            "layers": [
                {
                    "mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                    "size": 11,
                    "digest": layer,
                }
            ],
        }
    )
    c.put_image(repositoryName=repo, imageManifest=text, imageTag=tag, **P)
    return digest(text)
