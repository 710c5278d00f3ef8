"""What the API cannot create: entitlements, publisher reports, the registry's verification and
alias, owned products, scan findings and timing, as startup options and their defaults."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.cli import build_parser
from ecr_public_conformance.reference import ReferenceServer, start_server
from ecr_public_conformance.reference.serve_command import premium_options

from .conftest import NO_PREMIUM_CLIENT, PREMIUM_EDITION, botocore_knows_premium, make_client
from .premium import P, code, create, push

DAY = 86400.0

pytestmark = pytest.mark.skipif(not botocore_knows_premium(), reason=NO_PREMIUM_CLIENT)


def _entitled(c: Any, **kw: Any) -> list[dict[str, Any]]:
    pages = c.get_paginator("describe_entitled_repositories").paginate(PaginationConfig=kw)
    return [r for page in pages for r in page["repositories"]]


def test_entitled_repositories_are_listed_once_per_product(pc: Any) -> None:
    # describe_entitled_repositories: "A repository that you can access through more than one
    # product appears once for each product"; only AVAILABLE and HIDDEN ones
    listed = _entitled(pc, PageSize=1)
    pairs = [(r["registryAlias"], r["repositoryName"], r["entitledViaProductId"]) for r in listed]
    assert sorted(pairs) == [
        ("acme", "acme/base", "prod-acme-enterprise"),
        ("acme", "acme/base", "prod-acme-standard"),
        ("acme", "acme/tools", "prod-acme-standard"),
        ("globex", "db", "prod-globex-db"),
    ]
    states = {r["repositoryName"]: r["state"] for r in listed}
    assert states == {"acme/base": "AVAILABLE", "acme/tools": "HIDDEN", "db": "AVAILABLE"}
    # "This ARN doesn't contain an account ID."
    assert listed[0]["repositoryArn"].startswith("arn:aws:ecr-public:::entitled-repository/")


def test_entitled_images_and_tags(pc: Any, later: Any) -> None:
    args = {"registryAlias": "acme", "repositoryName": "acme/base"}
    images = pc.describe_entitled_images(**args)["imageDetails"]
    assert len(images) == 4
    deprecated = [i for i in images if i["imageStatus"] == "DEPRECATED"]
    assert len(deprecated) == 1 and deprecated[0]["scheduledDeletionAt"]
    one = pc.describe_entitled_images(**args, imageIds=[{"imageTag": "stable"}])["imageDetails"]
    assert [i["imageTags"] for i in one] == [["1.0", "stable"]]
    tags = pc.describe_entitled_image_tags(**args)["imageTagDetails"]
    assert sorted(t["imageTag"] for t in tags) == ["0.9", "1.0", "1.1", "latest", "stable"]
    later(61 * DAY)  # the deprecated image's deletion time has passed
    assert len(pc.describe_entitled_images(**args)["imageDetails"]) == 3


def test_reports_of_the_last_year_filtered_and_paged(pc: Any) -> None:
    # list_publisher_reports: "created in the last 365 days"; filters; the token keeps them
    every = pc.get_paginator("list_publisher_reports").paginate(PaginationConfig={"PageSize": 5})
    reports = [r for page in every for r in page["reports"]]
    assert len(reports) == 28 and len({r["reportId"] for r in reports}) == 28
    weekly = pc.list_publisher_reports(reportType="TRENDS", granularity="WEEKLY")["reports"]
    assert len(weekly) == 8 and {r["reportType"] for r in weekly} == {"TRENDS"}
    token = pc.list_publisher_reports(reportType="SUMMARY", maxResults=2)["nextToken"]
    other = lambda: pc.list_publisher_reports(reportType="TRENDS", nextToken=token)  # noqa: E731
    assert code(other) == "InvalidParameterException"
    url = pc.get_download_url_for_publisher_report(reportId=reports[0]["reportId"])
    assert url["downloadUrl"].startswith("https://") and url["reportId"] == reports[0]["reportId"]


def test_reports_older_than_a_year_cannot_be_downloaded(
    pc: Any, premium_server: ReferenceServer
) -> None:
    oldest = min(premium_server.endpoint.market.reports, key=lambda r: r.created_at)
    assert oldest.created_at < time.time() - 365 * DAY
    get = pc.get_download_url_for_publisher_report
    assert code(lambda: get(reportId=oldest.report_id)) == "PublisherReportNotFoundException"


@pytest.mark.parametrize(
    ("options", "status"),
    [({"registry_verified": False}, "DISABLED"), ({"alias_status": "PENDING"}, "DISABLED")],
)
def test_premium_needs_a_verified_registry_with_an_approved_alias(
    options: dict[str, Any], status: str
) -> None:
    # create_premium_repository: "Your registry must be verified and have an approved custom
    # registry alias; otherwise, the request fails with ValidationException."
    with start_server(edition=PREMIUM_EDITION, **options) as srv:
        c = make_client(srv.url, PREMIUM_EDITION)
        assert code(lambda: create(c)) == "ValidationException"
        registry = c.describe_registries()["registries"][0]
    assert registry["premiumStatus"] == status and "premiumRegistryUri" not in registry


def test_owned_products_any_product_and_given_entitlements(tmp_path: Path) -> None:
    entitlements = [
        {
            "registryAlias": "initech",
            "repositoryName": "tps",
            "state": "HIDDEN",
            "products": ["prod-initech"],
            "images": [{"imageTags": ["1"], "imageSizeInBytes": 10, "imagePushedAt": 1.7e9}],
        }
    ]
    with start_server(
        edition=PREMIUM_EDITION, marketplace_products=["*"], entitlements=entitlements
    ) as srv:
        c = make_client(srv.url, PREMIUM_EDITION)
        create(c, "prem", "prod-anything")
        listed = c.describe_entitled_repositories()["repositories"]
        images = c.describe_entitled_images(registryAlias="initech", repositoryName="tps")
    assert [r["repositoryName"] for r in listed] == ["tps"]
    assert images["imageDetails"][0]["imageTags"] == ["1"]


def test_given_reports_findings_outcomes_and_scan_time(later: Any) -> None:
    report = {
        "reportId": "r1",
        "reportType": "SUMMARY",
        "granularity": "MONTHLY",
        "period": {"startDate": "2026-01-01", "endDate": "2026-01-31"},
        "sizeInBytes": 10,
        "createdAt": time.time() - DAY,
    }
    finding = {"findingId": "f1", "severity": "HIGH", "title": "one"}
    with start_server(
        edition=PREMIUM_EDITION,
        publisher_reports=[report],
        scan_findings=[finding],
        scan_outcomes={"bad": "FAILED"},
        scan_seconds=0,
    ) as srv:
        c = make_client(srv.url, PREMIUM_EDITION)
        assert [r["reportId"] for r in c.list_publisher_reports()["reports"]] == ["r1"]
        create(c)
        push(c, tag="ok", seed="o")
        push(c, tag="bad", seed="b")
        scan = lambda tag: c.describe_image_scan_findings(  # noqa: E731
            repositoryName="prem", imageId={"imageTag": tag}, **P
        )
        ok = scan("ok")
        assert ok["imageScanStatus"]["status"] == "ACTIVE"
        assert [f["findingId"] for f in ok["imageScanFindings"]["findings"]] == ["f1"]
        assert scan("bad")["imageScanStatus"]["status"] == "FAILED"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"entitlements": [{"registryAlias": "a"}]}, "registryAlias and repositoryName"),
        (
            {"entitlements": [{"registryAlias": "A!", "repositoryName": "r", "products": ["p"]}]},
            "registryAlias",
        ),
        ({"publisher_reports": [{"reportId": "X"}]}, "publisher report 1"),
        ({"scan_findings": [{"title": "no id"}]}, "findingId"),
        ({"scan_outcomes": {"t": "PENDING"}}, "scan outcome"),
        ({"scan_seconds": 301}, "scan_seconds"),
        ({"alias_status": "WAITING"}, "alias_status"),
    ],
)
def test_malformed_startup_data_is_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        start_server(edition=PREMIUM_EDITION, **options)


def test_serve_flags_give_the_options(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    path.write_text(json.dumps([]))
    args = build_parser().parse_args(
        [
            "serve",
            "--edition",
            "newest",
            "--unverified-registry",
            "--alias-status",
            "PENDING",
            "--marketplace-product",
            "prod-1",
            "--publisher-reports",
            str(path),
            "--scan-seconds",
            "2",
            "--scan-outcome",
            "x=FAILED",
        ]
    )
    assert premium_options(args) == {
        "registry_verified": False,
        "alias_status": "PENDING",
        "scan_seconds": 2.0,
        "marketplace_products": ["prod-1"],
        "publisher_reports": (),
        "scan_outcomes": {"x": "FAILED"},
    }
    bad = build_parser().parse_args(["serve", "--scan-outcome", "nothing"])
    with pytest.raises(ValueError, match="TAG=STATUS"):
        premium_options(bad)


def test_the_built_in_samples_are_valid_startup_data() -> None:
    from ecr_public_conformance.reference.market import default_entitlements, default_findings
    from ecr_public_conformance.reference.market_checks import (
        check_entitlements,
        check_findings,
        check_reports,
    )
    from ecr_public_conformance.reference.publisher_reports import default_reports

    assert len(check_entitlements(default_entitlements())) == 4
    assert len(check_findings(default_findings())) == 7
    assert len(check_reports([r.wire() for r in default_reports(time.time())])) == 30
