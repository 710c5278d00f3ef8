"""Each fault switch of the premium edition breaks its one documented rule (smoke checks; the
switches of earlier editions are smoked in test_faults.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ecr_public_conformance.reference import FAULTS, ReferenceServer, start_server

from .conftest import NO_PREMIUM_CLIENT, PREMIUM_EDITION, botocore_knows_premium, make_client
from .helpers import raw_call
from .premium import PRODUCT, P, available, code, create, deprecate, push, push_index

pytestmark = pytest.mark.skipif(not botocore_knows_premium(), reason=NO_PREMIUM_CLIENT)
Check = Callable[[Any, ReferenceServer], None]
DAY = 86400.0
IMAGE = {"repositoryName": "prem", "imageId": {"imageTag": "v1"}, **P}
SMOKE: dict[str, Check] = {}
#: Startup options a switch needs before its rule can be seen.
OPTIONS: dict[str, dict[str, Any]] = {
    "unverified-premium-accepted": {"registry_verified": False},
    "status-after-schedule-accepted": {"variants": ["deprecated-kept-after-schedule"]},
    "findings-while-pending": {"scan_seconds": 60},
}


def smoke(name: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        SMOKE[name] = check
        return check

    return register


def _later(srv: ReferenceServer, seconds: float) -> None:
    base = srv.endpoint.clock
    srv.endpoint.clock = lambda: base() + seconds


def _with_image(c: Any, ready: bool = True) -> str:
    create(c)
    d = push(c)
    if ready:
        available(c)
    return d


def _pair(c: Any) -> None:
    create(c)
    c.create_repository(repositoryName="free")


def _link(
    c: Any, op: str = "associate", first: str = "free", kinds: Any = ("FREE", "PREMIUM")
) -> Any:
    return getattr(c, f"{op}_repositories")(
        repositoryName=first,
        repositoryType=kinds[0],
        associatedRepositoryName="prem",
        associatedRepositoryType=kinds[1],
    )


@smoke("unverified-premium-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    assert create(c)["premiumRepository"]["state"] == "DRAFT"


@smoke("premium-starts-available")
def _(c: Any, srv: ReferenceServer) -> None:
    assert create(c)["premiumRepository"]["state"] == "AVAILABLE"


@smoke("premium-name-shared-refused")
def _(c: Any, srv: ReferenceServer) -> None:
    c.create_repository(repositoryName="prem")
    assert code(lambda: create(c)) == "RepositoryAlreadyExistsException"


@smoke("unowned-product-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c, "prem", "prod-not-mine")


@smoke("duplicate-products-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    assert create(c, "prem", PRODUCT, PRODUCT)["premiumRepository"]["marketplaceProducts"] == [
        PRODUCT,
        PRODUCT,
    ]


@smoke("premium-arn-as-repository")
def _(c: Any, srv: ReferenceServer) -> None:
    assert ":repository/prem" in create(c)["premiumRepository"]["repositoryArn"]


@smoke("draft-premium-unlisted")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c)
    assert c.describe_premium_repositories()["repositories"] == []


@smoke("any-state-change-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c)
    c.set_repository_state(repositoryName="prem", state="HIDDEN", **P)
    c.set_repository_state(repositoryName="prem", state="DRAFT", **P)


@smoke("same-state-refused")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c)
    state = lambda: c.set_repository_state(repositoryName="prem", state="DRAFT", **P)  # noqa: E731
    assert code(state) == "InvalidParameterException"


@smoke("state-on-free-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c)
    c.set_repository_state(repositoryName="prem", repositoryType="FREE", state="AVAILABLE")
    assert c.describe_premium_repositories()["repositories"][0]["state"] == "AVAILABLE"


@smoke("products-appended")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c)
    out = c.put_premium_repository_products(
        repositoryName="prem", marketplaceProducts=["prod-reference-b"]
    )
    assert out["marketplaceProducts"] == [PRODUCT, "prod-reference-b"]


@smoke("product-removed-after-draft")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c, "prem", PRODUCT, "prod-reference-b")
    available(c)
    c.put_premium_repository_products(repositoryName="prem", marketplaceProducts=[PRODUCT])


@smoke("premium-catalog-replaced")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c, catalogData={"description": "d", "aboutText": "a"})
    c.put_premium_repository_catalog_data(repositoryName="prem", catalogData={"usageText": "u"})
    data = c.get_premium_repository_catalog_data(repositoryName="prem")["catalogData"]
    assert "description" not in data and data["usageText"] == "u"


@smoke("empty-logo-kept")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c, catalogData={"logoImageBlob": b"logo"})
    c.put_premium_repository_catalog_data(repositoryName="prem", catalogData={"logoImageBlob": b""})
    data = c.get_premium_repository_catalog_data(repositoryName="prem")["catalogData"]
    assert data.get("logoUrl")


@smoke("premium-catalog-partial-answer")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c, catalogData={"description": "d"})
    out = c.put_premium_repository_catalog_data(
        repositoryName="prem", catalogData={"aboutText": "a"}
    )
    assert "description" not in out["catalogData"]


@smoke("duplicate-categories-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    c.create_repository(repositoryName="r1", catalogData={"categories": ["AI_ML", "AI_ML"]})


@smoke("artifact-types-not-derived")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c, catalogData={"description": "d"})
    push(c)
    data = c.get_premium_repository_catalog_data(repositoryName="prem")["catalogData"]
    assert "artifactTypes" not in data


@smoke("non-empty-premium-deleted")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c, ready=False)
    c.delete_premium_repository(repositoryName="prem")


@smoke("deleted-premium-echoes-all")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c)
    assert "state" in c.delete_premium_repository(repositoryName="prem")["premiumRepository"]


@smoke("delete-after-draft-allowed")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    out = c.batch_delete_image(repositoryName="prem", imageIds=[{"imageTag": "v1"}], **P)
    assert out["imageIds"] and not out["failures"]


@smoke("same-type-association-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    c.create_repository(repositoryName="free")
    c.create_repository(repositoryName="prem")
    _link(c, kinds=("FREE", "FREE"))


@smoke("association-target-not-checked")
def _(c: Any, srv: ReferenceServer) -> None:
    c.create_repository(repositoryName="free")
    _link(c)


@smoke("second-association-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    _pair(c)
    _link(c)
    _link(c)


@smoke("association-one-sided")
def _(c: Any, srv: ReferenceServer) -> None:
    _pair(c)
    _link(c)
    assert "associatedRepositories" not in c.describe_premium_repositories()["repositories"][0]


@smoke("missing-association-removed")
def _(c: Any, srv: ReferenceServer) -> None:
    _pair(c)
    _link(c, "disassociate")


@smoke("association-not-removed")
def _(c: Any, srv: ReferenceServer) -> None:
    _pair(c)
    _link(c)
    _link(c, "disassociate")
    assert c.describe_premium_repositories()["repositories"][0].get("associatedRepositories")


@smoke("repository-type-ignored")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c)
    c.initiate_layer_upload(repositoryName="prem")  # no FREE repository of that name


@smoke("subject-not-reported")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c)
    base = push(c, tag="base", seed="s")
    subject = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1, "digest": base}
    push(c, tag="sig", seed="t", subject=subject)
    details = c.describe_images(repositoryName="prem", **P)["imageDetails"]
    assert not any("subjectManifestDigest" in d for d in details)


@smoke("status-on-free-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    c.set_image_status(
        **{**IMAGE, "repositoryType": "FREE"}, status="DEPRECATED", deprecationPeriodDays=90
    )


@smoke("status-in-draft-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c, ready=False)
    deprecate(c, "prem", {"imageTag": "v1"})


@smoke("deprecation-period-optional")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    c.set_image_status(**IMAGE, status="DEPRECATED")


@smoke("period-with-active-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    c.set_image_status(**IMAGE, status="ACTIVE", deprecationPeriodDays=90)


@smoke("schedule-off-by-a-day")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    before = time.time()
    at = deprecate(c, "prem", {"imageTag": "v1"}, 90)["scheduledDeletionAt"].timestamp()
    assert at - before > 90.5 * DAY


@smoke("active-keeps-schedule")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    deprecate(c, "prem", {"imageTag": "v1"})
    assert c.set_image_status(**IMAGE, status="ACTIVE")["status"] == "DEPRECATED"


@smoke("schedule-shown-when-active")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    deprecate(c, "prem", {"imageTag": "v1"})
    assert "scheduledDeletionAt" in c.set_image_status(**IMAGE, status="ACTIVE")


@smoke("deprecated-never-deleted")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    deprecate(c, "prem", {"imageTag": "v1"})
    _later(srv, 400 * DAY)
    assert c.describe_images(repositoryName="prem", **P)["imageDetails"]


@smoke("status-after-schedule-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    deprecate(c, "prem", {"imageTag": "v1"})
    _later(srv, 90.5 * DAY)
    c.set_image_status(**IMAGE, status="ACTIVE")


@smoke("referenced-image-deprecated-first")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c)
    child = push(c)
    push_index(c, "prem", [child])
    available(c)
    deprecate(c, "prem", {"imageDigest": child})


@smoke("list-activated-over-deprecated")
def _(c: Any, srv: ReferenceServer) -> None:
    create(c)
    child = push(c)
    index = push_index(c, "prem", [child])
    available(c)
    deprecate(c, "prem", {"imageDigest": index}, 90)
    deprecate(c, "prem", {"imageDigest": child}, 100)
    c.set_image_status(repositoryName="prem", imageId={"imageDigest": index}, status="ACTIVE", **P)


@smoke("scan-of-free-accepted")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    c.describe_image_scan_findings(repositoryName="prem", imageId={"imageTag": "v1"})


@smoke("no-automatic-scan")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    _later(srv, 3600)
    assert code(lambda: c.describe_image_scan_findings(**IMAGE)) == "ScanNotFoundException"


@smoke("findings-while-pending")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    out = c.describe_image_scan_findings(**IMAGE)
    assert out["imageScanStatus"]["status"] == "PENDING" and out.get("imageScanFindings")


@smoke("severity-counts-of-page")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    _later(srv, 5)
    counts = c.describe_image_scan_findings(**IMAGE, maxResults=1)["imageScanFindings"]
    assert sum(counts["findingSeverityCounts"].values()) == 1


@smoke("unknown-scan-status")
def _(c: Any, srv: ReferenceServer) -> None:
    _with_image(c)
    _later(srv, 5)
    # read raw: the client's schema check would refuse the status before the assertion
    answer = raw_call(srv.url, "DescribeImageScanFindings", IMAGE).json()
    assert answer["imageScanStatus"]["status"] == "IN_PROGRESS", answer


@smoke("entitlement-per-repository")
def _(c: Any, srv: ReferenceServer) -> None:
    names = [r["repositoryName"] for r in c.describe_entitled_repositories()["repositories"]]
    assert names.count("acme/base") == 1


@smoke("draft-entitlement-listed")
def _(c: Any, srv: ReferenceServer) -> None:
    states = {r["state"] for r in c.describe_entitled_repositories()["repositories"]}
    assert "DRAFT" in states


@smoke("entitled-arn-with-account")
def _(c: Any, srv: ReferenceServer) -> None:
    arn = c.describe_entitled_repositories()["repositories"][0]["repositoryArn"]
    assert ":123456789012:" in arn


@smoke("draft-entitled-images-shown")
def _(c: Any, srv: ReferenceServer) -> None:
    c.describe_entitled_images(registryAlias="globex", repositoryName="next")


@smoke("entitled-image-filter-ignored")
def _(c: Any, srv: ReferenceServer) -> None:
    out = c.describe_entitled_images(
        registryAlias="acme", repositoryName="acme/base", imageIds=[{"imageTag": "nope"}]
    )
    assert len(out["imageDetails"]) == 4


@smoke("old-reports-listed")
def _(c: Any, srv: ReferenceServer) -> None:
    assert len(c.list_publisher_reports()["reports"]) == 30


@smoke("report-filter-ignored")
def _(c: Any, srv: ReferenceServer) -> None:
    kinds = {r["reportType"] for r in c.list_publisher_reports(reportType="TRENDS")["reports"]}
    assert kinds == {"SUMMARY", "TRENDS"}


@smoke("report-token-any-filters")
def _(c: Any, srv: ReferenceServer) -> None:
    token = c.list_publisher_reports(reportType="SUMMARY", maxResults=2)["nextToken"]
    c.list_publisher_reports(reportType="TRENDS", nextToken=token)


@smoke("any-report-downloadable")
def _(c: Any, srv: ReferenceServer) -> None:
    assert c.get_download_url_for_publisher_report(reportId="nosuchreport")["downloadUrl"]


@smoke("registry-description-dropped")
def _(c: Any, srv: ReferenceServer) -> None:
    c.put_registry_catalog_data(description="d")
    assert "description" not in c.get_registry_catalog_data()["registryCatalogData"]


LATER = sorted(name for name, fault in FAULTS.items() if fault.edition == PREMIUM_EDITION)


def test_every_fault_of_the_premium_edition_has_a_smoke_check() -> None:
    assert LATER and sorted(SMOKE) == LATER


@pytest.mark.parametrize("fault", LATER)
def test_fault(fault: str) -> None:
    options = dict(OPTIONS.get(fault, {}))
    with start_server(edition=PREMIUM_EDITION, faults=[fault], **options) as srv:
        SMOKE[fault](make_client(srv.url, PREMIUM_EDITION), srv)


@pytest.mark.parametrize("fault", LATER)
def test_without_the_fault_the_check_fails(fault: str) -> None:
    # the rule holds on a clean endpoint: the smoke check is refused or its assertion fails
    options = dict(OPTIONS.get(fault, {}))
    with start_server(edition=PREMIUM_EDITION, **options) as srv:
        with pytest.raises((AssertionError, ClientError, pytest.fail.Exception)):
            SMOKE[fault](make_client(srv.url, PREMIUM_EDITION), srv)
        assert raw_call(srv.url, "DescribeRegistries").ok


def test_misreport_takes_a_code_of_the_premium_edition() -> None:
    faults = ["misreport=ScanNotFoundException", "no-automatic-scan"]
    with start_server(edition=PREMIUM_EDITION, faults=faults) as srv:
        c = make_client(srv.url, PREMIUM_EDITION)
        create(c)
        push(c)
        body = {
            "repositoryName": "prem",
            "repositoryType": "PREMIUM",
            "imageId": {"imageTag": "v1"},
        }
        answer = raw_call(srv.url, "DescribeImageScanFindings", body)
    assert answer.json()["__type"] == "BadRequestException"
