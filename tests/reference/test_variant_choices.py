"""The reference's other valid choices keep what the document says (each variant stays valid)."""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from ecr_public_conformance.reference import ReferenceServer, start_server

from .conftest import NO_PREMIUM_CLIENT, PREMIUM_EDITION, botocore_knows_premium, make_client
from .helpers import digest
from .premium import P, available, code, create, deprecate, push, push_index


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


# ---------------------------------------------------------------- premium repositories
# (edition botocore-1.44.18; each variant is the other side of a freedom in specs/freedoms.toml)

PREMIUM_ONLY = pytest.mark.skipif(not botocore_knows_premium(), reason=NO_PREMIUM_CLIENT)
DAY = 86400.0


@contextlib.contextmanager
def _premium(*variants: str, **options: Any) -> Iterator[tuple[Any, ReferenceServer]]:
    with start_server(edition=PREMIUM_EDITION, variants=list(variants), **options) as srv:
        yield make_client(srv.url, PREMIUM_EDITION), srv


def _later(srv: ReferenceServer, seconds: float) -> None:
    base = srv.endpoint.clock
    srv.endpoint.clock = lambda: base() + seconds


@PREMIUM_ONLY
def test_scan_status_complete() -> None:
    with _premium("scan-status-complete", scan_seconds=0) as (c, _):
        create(c)
        push(c)
        answer = c.describe_image_scan_findings(
            repositoryName="prem", imageId={"imageTag": "v1"}, **P
        )
    assert answer["imageScanStatus"]["status"] == "COMPLETE" and answer["imageScanFindings"]


@PREMIUM_ONLY
def test_scan_not_found_first_then_pending() -> None:
    with _premium("scan-not-found-first", scan_seconds=10) as (c, srv):
        create(c)
        push(c)
        scan = lambda: c.describe_image_scan_findings(  # noqa: E731
            repositoryName="prem", imageId={"imageTag": "v1"}, **P
        )
        assert code(scan) == "ScanNotFoundException"
        _later(srv, 6)
        assert scan()["imageScanStatus"]["status"] == "PENDING"


@PREMIUM_ONLY
def test_scan_slow_takes_two_seconds() -> None:
    with _premium("scan-slow") as (c, srv):
        create(c)
        push(c)
        _later(srv, 1)
        scan = lambda: c.describe_image_scan_findings(  # noqa: E731
            repositoryName="prem", imageId={"imageTag": "v1"}, **P
        )
        assert scan()["imageScanStatus"]["status"] == "PENDING"
        _later(srv, 2.5)
        assert scan()["imageScanStatus"]["status"] == "ACTIVE"


@PREMIUM_ONLY
def test_scan_everything_scans_indexes() -> None:
    with _premium("scan-everything", scan_seconds=0) as (c, _):
        create(c)
        push_index(c, "prem", [push(c)])
        answer = c.describe_image_scan_findings(
            repositoryName="prem", imageId={"imageTag": "multi"}, **P
        )
    assert answer["imageScanStatus"]["status"] == "ACTIVE"


@PREMIUM_ONLY
def test_premium_in_describe_repositories() -> None:
    with _premium("premium-in-describe-repositories") as (c, _):
        create(c)
        c.create_repository(repositoryName="prem")
        listed = c.describe_repositories()["repositories"]
    arns = sorted(r["repositoryArn"].split(":")[-1] for r in listed)
    assert arns == ["premium-repository/prem", "repository/prem"]


@PREMIUM_ONLY
def test_deprecated_kept_after_schedule_for_a_day_unchangeable() -> None:
    with _premium("deprecated-kept-after-schedule") as (c, srv):
        create(c)
        push(c)
        available(c)
        deprecate(c, "prem", {"imageTag": "v1"}, 90)
        _later(srv, 90 * DAY + 3600)
        images = c.describe_images(repositoryName="prem", **P)["imageDetails"]
        assert [i["imageStatus"] for i in images] == ["DEPRECATED"]
        activate = lambda: c.set_image_status(  # noqa: E731
            repositoryName="prem", imageId={"imageTag": "v1"}, status="ACTIVE", **P
        )
        assert code(activate) == "InvalidParameterException"
        _later(srv, DAY)
        assert c.describe_images(repositoryName="prem", **P)["imageDetails"] == []


@PREMIUM_ONLY
def test_image_status_only_when_deprecated() -> None:
    with _premium("image-status-only-when-deprecated") as (c, _):
        create(c)
        push(c, tag="a", seed="a")
        push(c, tag="b", seed="b")
        available(c)
        deprecate(c, "prem", {"imageTag": "b"})
        details = c.describe_images(repositoryName="prem", **P)["imageDetails"]
    status = {d["imageTags"][0]: d.get("imageStatus") for d in details}
    assert status == {"a": None, "b": "DEPRECATED"}


@PREMIUM_ONLY
def test_deletion_refused_per_image() -> None:
    with _premium("deletion-refused-per-image") as (c, _):
        create(c)
        push(c)
        available(c)
        out = c.batch_delete_image(
            repositoryName="prem", imageIds=[{"imageTag": "v1"}, {"imageTag": "nope"}], **P
        )
    codes = sorted(f["failureCode"] for f in out["failures"])
    assert codes == ["ImageNotEligibleForDeletion", "ImageNotFound"] and not out.get("imageIds")


@PREMIUM_ONLY
def test_rule_errors_as_validation() -> None:
    with _premium("rule-errors-as-validation") as (c, _):
        assert code(lambda: create(c, "prem", "prod-unowned")) == "ValidationException"
        create(c)
        push(c)
        status = lambda: deprecate(c, "prem", {"imageTag": "v1"})  # noqa: E731
        assert code(status) == "ValidationException"  # DRAFT
        # PutPremiumRepositoryProducts documents no ValidationException
        put = lambda: c.put_premium_repository_products(  # noqa: E731
            repositoryName="prem", marketplaceProducts=["prod-unowned"]
        )
        assert code(put) == "InvalidParameterException"


def _associate(c: Any) -> dict[str, Any]:
    answer: dict[str, Any] = c.associate_repositories(
        repositoryName="free",
        repositoryType="FREE",
        associatedRepositoryName="prem",
        associatedRepositoryType="PREMIUM",
    )
    return answer


@PREMIUM_ONLY
def test_reassociate_same_pair_succeeds() -> None:
    with _premium("reassociate-same-pair-succeeds") as (c, _):
        create(c)
        create(c, "other")
        c.create_repository(repositoryName="free")
        _associate(c)
        assert _associate(c)["associatedRepositoryName"] == "prem"
        other = lambda: c.associate_repositories(  # noqa: E731
            repositoryName="free",
            repositoryType="FREE",
            associatedRepositoryName="other",
            associatedRepositoryType="PREMIUM",
        )
        assert code(other) == "AssociationAlreadyExistsException"


@PREMIUM_ONLY
def test_associated_delete_refused() -> None:
    with _premium("associated-delete-refused") as (c, _):
        create(c)
        c.create_repository(repositoryName="free")
        _associate(c)
        assert code(lambda: c.delete_repository(repositoryName="free")) == (
            "InvalidParameterException"
        )
        assert code(lambda: c.delete_premium_repository(repositoryName="prem")) == (
            "InvalidParameterException"
        )
        c.disassociate_repositories(
            repositoryName="prem",
            repositoryType="PREMIUM",
            associatedRepositoryName="free",
            associatedRepositoryType="FREE",
        )
        c.delete_repository(repositoryName="free")


@PREMIUM_ONLY
def test_uneven_pages_still_cover_everything() -> None:
    with _premium("uneven-pages") as (c, _):
        first = c.describe_entitled_repositories(maxResults=2)
        assert first["repositories"] == [] and first["nextToken"]
        pages = list(
            c.get_paginator("describe_entitled_repositories").paginate(
                PaginationConfig={"PageSize": 2}
            )
        )
        pairs = [
            (r["repositoryName"], r["entitledViaProductId"])
            for p in pages
            for r in p["repositories"]
        ]
        assert len(pairs) > len(set(pairs)) == 4  # repeats, and every pair
        reports = c.list_publisher_reports(maxResults=5)
        assert len(reports["reports"]) == 4 and reports["nextToken"]


@PREMIUM_ONLY
def test_old_reports_downloadable() -> None:
    with _premium("old-reports-downloadable") as (c, srv):
        oldest = min(srv.endpoint.market.reports, key=lambda r: r.created_at)
        listed = {r["reportId"] for r in c.list_publisher_reports()["reports"]}
        assert oldest.report_id not in listed
        url = c.get_download_url_for_publisher_report(reportId=oldest.report_id)
    assert url["downloadUrl"]


@PREMIUM_ONLY
def test_redeprecation_keeps_schedule() -> None:
    with _premium("redeprecation-keeps-schedule") as (c, _):
        create(c)
        push(c)
        available(c)
        first = deprecate(c, "prem", {"imageTag": "v1"}, 90)
        again = deprecate(c, "prem", {"imageTag": "v1"}, 365)
    assert again["scheduledDeletionAt"] == first["scheduledDeletionAt"]


@PREMIUM_ONLY
def test_premium_tags_refused() -> None:
    with _premium("premium-tags-refused") as (c, _):
        arn = create(c)["premiumRepository"]["repositoryArn"]
        assert code(lambda: c.list_tags_for_resource(resourceArn=arn)) == (
            "InvalidParameterException"
        )


@PREMIUM_ONLY
def test_catalog_badges_reported() -> None:
    with _premium("catalog-badges-reported") as (c, _):
        created = create(c, catalogData={"description": "d"})
    assert created["catalogData"]["badges"] == ["SBOM"]


def test_every_variant_of_a_later_edition_has_its_test_here() -> None:
    from pathlib import Path

    from ecr_public_conformance.reference.variants import VARIANTS

    source = Path(__file__).read_text(encoding="utf-8")
    later = {name for name, v in VARIANTS.items() if v.edition}
    untested = sorted(name for name in later if f'_premium("{name}"' not in source)
    assert later and not untested, untested


@PREMIUM_ONLY
def test_state_before_validation_looks_for_either_type() -> None:
    # a premium repository named with the FREE type is found: the type rule answers
    with start_server(edition=PREMIUM_EDITION, variants=["state-before-validation"]) as srv:
        c = make_client(srv.url, PREMIUM_EDITION)
        create(c)
        state = lambda name: c.set_repository_state(  # noqa: E731
            repositoryName=name, repositoryType="FREE", state="AVAILABLE"
        )
        assert code(lambda: state("prem")) == "InvalidParameterException"
        assert code(lambda: state("nowhere")) == "RepositoryNotFoundException"
