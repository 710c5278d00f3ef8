"""Automatic scans of images pushed to premium repositories (describe_image_scan_findings and
the ImageScanComplete waiter of edition botocore-1.44.18)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import WaiterError

from ecr_public_conformance.reference import ReferenceServer, start_server
from ecr_public_conformance.reference.market import default_findings

from .conftest import NO_PREMIUM_CLIENT, PREMIUM_EDITION, botocore_knows_premium, make_client
from .premium import P, code, create, push, push_helm_chart, push_index

IMAGE = {"repositoryName": "prem", "imageId": {"imageTag": "v1"}, **P}

pytestmark = pytest.mark.skipif(not botocore_knows_premium(), reason=NO_PREMIUM_CLIENT)


def _scan(c: Any, **kw: Any) -> dict[str, Any]:
    answer: dict[str, Any] = c.describe_image_scan_findings(**{**IMAGE, **kw})
    return answer


def test_a_pushed_image_is_pending_then_active_with_paged_findings(pc: Any, later: Any) -> None:
    # "Images in premium repositories are scanned automatically when they're pushed"
    create(pc)
    push(pc)
    first = _scan(pc)
    assert first["imageScanStatus"]["status"] == "PENDING" and "imageScanFindings" not in first
    later(1)
    pages = list(
        pc.get_paginator("describe_image_scan_findings").paginate(
            **IMAGE, PaginationConfig={"PageSize": 2}
        )
    )
    assert len(pages) == 4 and all(p["imageScanStatus"]["status"] == "ACTIVE" for p in pages)
    found = [f["findingId"] for p in pages for f in p["imageScanFindings"]["findings"]]
    assert sorted(found) == sorted(f["findingId"] for f in default_findings())
    counts = pages[0]["imageScanFindings"]["findingSeverityCounts"]
    assert counts == {"CRITICAL": 1, "HIGH": 2, "MEDIUM": 2, "LOW": 1, "INFORMATIONAL": 1}
    finding = pages[0]["imageScanFindings"]["findings"][0]
    image = finding["resources"][0]["details"]["containerImage"]
    assert (
        image["repositoryName"] == "prem"
        and image["imageHash"] == pages[0]["imageId"]["imageDigest"]
    )


@pytest.mark.parametrize(
    ("tag", "status"),
    [
        ("scan-failed", "FAILED"),
        ("scan-unsupported", "UNSUPPORTED_IMAGE"),
        ("scan-expired", "SCAN_ELIGIBILITY_EXPIRED"),
        ("scan-unavailable", "FINDINGS_UNAVAILABLE"),
    ],
)
def test_scan_outcomes_by_tag(pc: Any, later: Any, tag: str, status: str) -> None:
    # the waiter's failure states, reachable through the default scan_outcomes option
    create(pc)
    push(pc, tag=tag)
    later(1)
    answer = _scan(pc, imageId={"imageTag": tag})
    assert answer["imageScanStatus"]["status"] == status and "imageScanFindings" not in answer


def test_indexes_and_helm_charts_are_unsupported(pc: Any, later: Any) -> None:
    # "UNSUPPORTED_IMAGE: The image can't be scanned because its media type [...] isn't
    # supported."
    create(pc)
    child = push(pc, tag="child")
    push_index(pc, "prem", [child])
    push_helm_chart(pc)
    later(1)
    assert _scan(pc, imageId={"imageTag": "child"})["imageScanStatus"]["status"] == "ACTIVE"
    for tag in ("multi", "chart"):
        assert _scan(pc, imageId={"imageTag": tag})["imageScanStatus"]["status"] == (
            "UNSUPPORTED_IMAGE"
        )


def test_free_repositories_are_not_scanned(pc: Any) -> None:
    # "Image scanning isn't currently supported for free repositories."
    pc.create_repository(repositoryName="prem")
    push(pc, kind="FREE")
    assert code(lambda: _scan(pc, repositoryType="FREE")) == "ValidationException"


@pytest.fixture(scope="module")
def not_found_first() -> Iterator[ReferenceServer]:
    with start_server(
        edition=PREMIUM_EDITION, variants=["scan-not-found-first"], scan_seconds=1.2
    ) as srv:
        yield srv


def test_the_waiter_retries_through_scan_not_found_then_succeeds(
    not_found_first: ReferenceServer, pc: Any
) -> None:
    c = make_client(not_found_first.url, PREMIUM_EDITION)
    create(c)
    push(c)
    assert code(lambda: _scan(c)) == "ScanNotFoundException"
    c.get_waiter("image_scan_complete").wait(**IMAGE, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    assert _scan(c)["imageScanStatus"]["status"] == "ACTIVE"


def test_the_waiter_stops_on_a_failed_scan(pc: Any) -> None:
    create(pc)
    push(pc, tag="scan-failed")
    waiter = pc.get_waiter("image_scan_complete")
    with pytest.raises(WaiterError, match="terminal failure state"):
        waiter.wait(**{**IMAGE, "imageId": {"imageTag": "scan-failed"}}, WaiterConfig={"Delay": 1})
