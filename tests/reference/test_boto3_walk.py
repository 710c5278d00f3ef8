"""A real-client walk: boto3's own ecr-public client against ``serve --edition botocore-1.44.18``
started as a separate process, as a user's script would drive it."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from .conftest import NO_PREMIUM_CLIENT, botocore_knows_premium

pytestmark = pytest.mark.skipif(not botocore_knows_premium(), reason=NO_PREMIUM_CLIENT)
PREMIUM = {"repositoryType": "PREMIUM"}


@pytest.fixture(scope="module")
def ecr() -> Iterator[Any]:
    command = [sys.executable, "-m", "ecr_public_conformance", "serve"]
    command += ["--edition", "botocore-1.44.18", "--port", "0", "--scan-seconds", "1"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline().strip()
            assert line.startswith("Listening on http://"), line
            yield boto3.client(
                "ecr-public",
                endpoint_url=line.split()[-1],
                region_name="us-east-1",
                aws_access_key_id="walk",
                aws_secret_access_key="walk",
            )
        finally:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=10) == 0


def _layer(ecr: Any, data: bytes) -> str:
    upload = ecr.initiate_layer_upload(repositoryName="walk/app", **PREMIUM)
    assert upload["partSize"] > 0
    ecr.upload_layer_part(
        repositoryName="walk/app",
        uploadId=upload["uploadId"],
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
        **PREMIUM,
    )
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    done = ecr.complete_layer_upload(
        repositoryName="walk/app", uploadId=upload["uploadId"], layerDigests=[digest], **PREMIUM
    )
    assert done["layerDigest"] == digest and done["repositoryType"] == "PREMIUM"
    return digest


def _push(ecr: Any) -> str:
    config, layer = _layer(ecr, b'{"architecture":"amd64"}'), _layer(ecr, b"layer" * 1000)
    missing = ecr.batch_check_layer_availability(
        repositoryName="walk/app", layerDigests=[config, layer], **PREMIUM
    )
    assert [x["layerAvailability"] for x in missing["layers"]] == ["AVAILABLE", "AVAILABLE"]
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 24,
            "digest": config,
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 5000,
                "digest": layer,
            }
        ],
    }
    put = ecr.put_image(
        repositoryName="walk/app", imageManifest=json.dumps(manifest), imageTag="1.0", **PREMIUM
    )
    return str(put["image"]["imageId"]["imageDigest"])


def test_a_premium_repository_from_draft_to_a_deprecated_image(ecr: Any) -> None:
    assert ecr.describe_registries()["registries"][0]["premiumStatus"] == "ENABLED"
    created = ecr.create_premium_repository(
        repositoryName="walk/app",
        marketplaceProducts=["prod-reference-a"],
        catalogData={"description": "an app", "categories": ["WEB_SERVERS"]},
    )["premiumRepository"]
    assert created["state"] == "DRAFT"
    products = ecr.put_premium_repository_products(
        repositoryName="walk/app", marketplaceProducts=["prod-reference-a", "prod-reference-b"]
    )
    assert products["marketplaceProducts"] == ["prod-reference-a", "prod-reference-b"]
    digest = _push(ecr)
    image = {"repositoryName": "walk/app", "imageId": {"imageTag": "1.0"}, **PREMIUM}
    _wait_for_the_scan(ecr, image)
    for state in ("AVAILABLE", "HIDDEN", "AVAILABLE"):
        moved = ecr.set_repository_state(repositoryName="walk/app", state=state, **PREMIUM)
        assert moved["state"] == state
    _associate_and_part(ecr)
    status = ecr.set_image_status(**image, status="DEPRECATED", deprecationPeriodDays=90)
    assert status["status"] == "DEPRECATED" and status["imageId"]["imageDigest"] == digest
    detail = ecr.describe_images(repositoryName="walk/app", **PREMIUM)["imageDetails"][0]
    assert detail["imageStatus"] == "DEPRECATED" and detail["scheduledDeletionAt"]
    with pytest.raises(ecr.exceptions.DeletionNotAllowedException):
        ecr.batch_delete_image(
            repositoryName="walk/app", imageIds=[{"imageDigest": digest}], **PREMIUM
        )


def _wait_for_the_scan(ecr: Any, image: dict[str, Any]) -> None:
    ecr.get_waiter("image_scan_complete").wait(**image, WaiterConfig={"Delay": 1})
    pages = ecr.get_paginator("describe_image_scan_findings").paginate(
        **image, PaginationConfig={"PageSize": 3}
    )
    findings = [f for page in pages for f in page["imageScanFindings"]["findings"]]
    assert findings and len({f["findingId"] for f in findings}) == len(findings)


def _associate_and_part(ecr: Any) -> None:
    ecr.create_repository(repositoryName="walk/app")  # a free repository may share the name
    link = {
        "repositoryName": "walk/app",
        "repositoryType": "FREE",
        "associatedRepositoryName": "walk/app",
        "associatedRepositoryType": "PREMIUM",
    }
    ecr.associate_repositories(**link)
    free = ecr.describe_repositories(repositoryNames=["walk/app"])["repositories"][0]
    assert free["associatedRepositories"] == [
        {"repositoryName": "walk/app", "repositoryType": "PREMIUM"}
    ]
    ecr.disassociate_repositories(**link)
    premium = ecr.describe_premium_repositories()["repositories"][0]
    assert premium["state"] == "AVAILABLE" and "associatedRepositories" not in premium
