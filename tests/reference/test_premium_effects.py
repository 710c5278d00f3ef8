"""Premium repositories: what each documented operation does can be seen afterwards
(edition botocore-1.44.18; each test names the document page it follows)."""

from __future__ import annotations

import json
from typing import Any

from .premium import (
    PRODUCT,
    P,
    available,
    code,
    create,
    deprecate,
    push,
    push_helm_chart,
    push_index,
)

DAY = 86400.0


def _premium(c: Any, **kw: Any) -> list[dict[str, Any]]:
    pages = c.get_paginator("describe_premium_repositories").paginate(PaginationConfig=kw)
    return [r for page in pages for r in page["repositories"]]


def test_every_state_is_listed_and_kept(pc: Any) -> None:
    # describe_premium_repositories: "Repositories in the DRAFT, AVAILABLE, and HIDDEN states"
    for name in ("a1", "b1", "c1"):
        assert create(pc, name)["premiumRepository"]["state"] == "DRAFT"
    available(pc, "b1")
    available(pc, "c1")
    answer = pc.set_repository_state(repositoryName="c1", state="HIDDEN", **P)
    assert answer["state"] == "HIDDEN" and answer["repositoryType"] == "PREMIUM"
    listed = _premium(pc, PageSize=1)
    assert [(r["repositoryName"], r["state"]) for r in listed] == [
        ("a1", "DRAFT"),
        ("b1", "AVAILABLE"),
        ("c1", "HIDDEN"),
    ]
    # set_repository_state: "If you specify the current state, the request succeeds and
    # nothing changes."
    pc.set_repository_state(repositoryName="c1", state="HIDDEN", **P)
    assert _premium(pc)[2]["state"] == "HIDDEN"


def test_products_are_replaced_by_the_full_list(pc: Any) -> None:
    # put_premium_repository_products: "This list replaces the existing list."
    create(pc, "prem", PRODUCT, "prod-reference-b")
    answer = pc.put_premium_repository_products(
        repositoryName="prem", marketplaceProducts=["prod-reference-c"]
    )
    assert answer["marketplaceProducts"] == ["prod-reference-c"]
    assert _premium(pc)[0]["marketplaceProducts"] == ["prod-reference-c"]


def test_catalog_data_merges_and_answers_the_whole(pc: Any) -> None:
    # put_premium_repository_catalog_data: "Fields that you include replace the stored values,
    # and fields that you leave out aren't changed." / "To remove the logo, specify an empty
    # logoImageBlob." / "The full catalog data of the premium repository after the update."
    logo = b"\x89PNG fake logo"
    create(pc, catalogData={"description": "old", "aboutText": "about", "logoImageBlob": logo})
    answer = pc.put_premium_repository_catalog_data(
        repositoryName="prem", catalogData={"description": "new", "categories": ["AI_ML"]}
    )["catalogData"]
    assert answer["description"] == "new" and answer["aboutText"] == "about"
    assert answer["categories"] == ["AI_ML"] and answer["logoUrl"]
    assert pc.get_premium_repository_catalog_data(repositoryName="prem")["catalogData"] == answer
    pc.put_premium_repository_catalog_data(
        repositoryName="prem", catalogData={"logoImageBlob": b""}
    )
    kept = pc.get_premium_repository_catalog_data(repositoryName="prem")["catalogData"]
    assert "logoUrl" not in kept and kept["description"] == "new"


def test_catalog_data_never_set_is_not_found(pc: Any) -> None:
    create(pc)
    assert code(lambda: pc.get_premium_repository_catalog_data(repositoryName="prem")) == (
        "RepositoryCatalogDataNotFoundException"
    )


def test_policies(pc: Any) -> None:
    create(pc)
    text = json.dumps({"Version": "2012-10-17", "Statement": []})
    get = pc.get_premium_repository_policy
    assert code(lambda: get(repositoryName="prem")) == "RepositoryPolicyNotFoundException"
    assert pc.set_premium_repository_policy(repositoryName="prem", policyText=text)["policyText"]
    assert get(repositoryName="prem")["policyText"] == text
    assert pc.delete_premium_repository_policy(repositoryName="prem")["policyText"] == text
    assert code(lambda: get(repositoryName="prem")) == "RepositoryPolicyNotFoundException"
    # a free repository of the same name is another repository
    pc.create_repository(repositoryName="prem")
    assert code(lambda: pc.get_repository_policy(repositoryName="prem")) == (
        "RepositoryPolicyNotFoundException"
    )


def _linked(c: Any) -> tuple[list[Any], list[Any]]:
    free = c.describe_repositories(repositoryNames=["free"])["repositories"][0]
    premium = _premium(c)[0]
    return free.get("associatedRepositories", []), premium.get("associatedRepositories", [])


def test_an_association_shows_on_both_sides(pc: Any) -> None:
    # associate_repositories: "Associates a repository with another repository of a different
    # type"; disassociate_repositories: "Removes the association between two repositories"
    create(pc)
    pc.create_repository(repositoryName="free")
    pc.associate_repositories(
        repositoryName="prem",
        repositoryType="PREMIUM",
        associatedRepositoryName="free",
        associatedRepositoryType="FREE",
    )
    assert _linked(pc) == (
        [{"repositoryName": "prem", "repositoryType": "PREMIUM"}],
        [{"repositoryName": "free", "repositoryType": "FREE"}],
    )
    pc.disassociate_repositories(
        repositoryName="free",
        repositoryType="FREE",
        associatedRepositoryName="prem",
        associatedRepositoryType="PREMIUM",
    )
    assert _linked(pc) == ([], [])


def test_a_deleted_repository_takes_its_association_along(pc: Any) -> None:
    create(pc)
    pc.create_repository(repositoryName="free")
    pc.associate_repositories(
        repositoryName="free",
        repositoryType="FREE",
        associatedRepositoryName="prem",
        associatedRepositoryType="PREMIUM",
    )
    deleted = pc.delete_repository(repositoryName="free")["repository"]
    assert deleted["associatedRepositories"] == [
        {"repositoryName": "prem", "repositoryType": "PREMIUM"}
    ]
    assert "associatedRepositories" not in _premium(pc)[0]


def test_deleted_premium_repository_answers_five_fields(pc: Any) -> None:
    # delete_premium_repository: "Only the registryId, repositoryName, repositoryArn,
    # repositoryUri, and createdAt fields are returned."
    created = create(pc)["premiumRepository"]
    gone = pc.delete_premium_repository(repositoryName="prem")["premiumRepository"]
    assert set(gone) == {
        "registryId",
        "repositoryName",
        "repositoryArn",
        "repositoryUri",
        "createdAt",
    }
    assert gone["repositoryArn"] == created["repositoryArn"]
    assert created["repositoryArn"] == "arn:aws:ecr-public::123456789012:premium-repository/prem"
    assert _premium(pc) == []


def test_deprecation_schedules_then_deletes(pc: Any, later: Any) -> None:
    # set_image_status: "DEPRECATED: Schedules the image for deletion after the deprecation
    # period." / "ACTIVE: Cancels a pending deletion." / "When you deprecate an image, Amazon
    # ECR deletes it after the deprecation period ends."
    create(pc)
    d = push(pc)
    available(pc)
    first = deprecate(pc, "prem", {"imageTag": "v1"}, 90)
    assert first["status"] == "DEPRECATED" and first["imageId"]["imageDigest"] == d
    detail = pc.describe_images(repositoryName="prem", **P)["imageDetails"][0]
    assert detail["imageStatus"] == "DEPRECATED"
    assert detail["scheduledDeletionAt"] == first["scheduledDeletionAt"]
    delay = first["scheduledDeletionAt"].timestamp() - detail["imagePushedAt"].timestamp()
    assert 90 * DAY - 60 < delay < 90 * DAY + 60
    active = pc.set_image_status(
        repositoryName="prem", imageId={"imageDigest": d}, status="ACTIVE", **P
    )
    assert active["status"] == "ACTIVE" and "scheduledDeletionAt" not in active
    assert (
        "scheduledDeletionAt"
        not in pc.describe_images(repositoryName="prem", **P)["imageDetails"][0]
    )
    deprecate(pc, "prem", {"imageDigest": d}, 90)
    later(90 * DAY + 1)
    assert pc.describe_images(repositoryName="prem", **P)["imageDetails"] == []
    pc.delete_premium_repository(repositoryName="prem")  # empty now


def test_a_manifest_list_goes_before_its_images(pc: Any) -> None:
    # set_image_status: "deprecate the manifest list first, with a scheduled deletion time
    # before the image's. You can't set a manifest list to ACTIVE while it references
    # deprecated images. Requests that break these rules fail with ValidationException."
    create(pc)
    a, b = push(pc, tag="a", seed="a"), push(pc, tag="b", seed="b")
    index = push_index(pc, "prem", [a, b])
    available(pc)
    assert code(lambda: deprecate(pc, "prem", {"imageDigest": a})) == "ValidationException"
    deprecate(pc, "prem", {"imageDigest": index}, 100)
    assert code(lambda: deprecate(pc, "prem", {"imageDigest": a}, 90)) == "ValidationException"
    deprecate(pc, "prem", {"imageDigest": a}, 120)
    activate = lambda: pc.set_image_status(  # noqa: E731
        repositoryName="prem", imageId={"imageDigest": index}, status="ACTIVE", **P
    )
    assert code(activate) == "ValidationException"
    pc.set_image_status(repositoryName="prem", imageId={"imageDigest": a}, status="ACTIVE", **P)
    assert activate()["status"] == "ACTIVE"


def test_repository_type_chooses_the_repository(pc: Any) -> None:
    # "If you don't specify a type, Amazon ECR uses FREE."
    create(pc)
    pc.create_repository(repositoryName="prem")
    premium_digest = push(pc, seed="p")
    free_digest = push(pc, seed="f", kind="FREE")
    free = pc.describe_images(repositoryName="prem")["imageDetails"]
    premium = pc.describe_images(repositoryName="prem", **P)["imageDetails"]
    assert [(i["imageDigest"], i["repositoryType"]) for i in free] == [(free_digest, "FREE")]
    assert [(i["imageDigest"], i["repositoryType"]) for i in premium] == [
        (premium_digest, "PREMIUM")
    ]
    assert premium[0]["imageStatus"] == "ACTIVE" and "imageStatus" not in free[0]


def test_subject_is_reported(pc: Any) -> None:
    # describe_images: "The digest of the manifest that this image refers to as its subject."
    create(pc)
    base = push(pc, tag="base", seed="s")
    subject = {
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "size": 1,
        "digest": base,
    }
    text_digest = push(pc, tag="sig", seed="t", subject=subject)
    details = {
        i["imageDigest"]: i for i in pc.describe_images(repositoryName="prem", **P)["imageDetails"]
    }
    assert details[text_digest]["subjectManifestDigest"] == base
    assert "subjectManifestDigest" not in details[base]


def test_artifact_types_follow_the_images(pc: Any) -> None:
    # "The types of artifacts that the repository contains, such as IMAGE or HELM."
    create(pc, catalogData={"description": "d"})
    get = pc.get_premium_repository_catalog_data
    assert "artifactTypes" not in get(repositoryName="prem")["catalogData"]
    push(pc)
    assert get(repositoryName="prem")["catalogData"]["artifactTypes"] == ["IMAGE"]
    push_helm_chart(pc)
    assert get(repositoryName="prem")["catalogData"]["artifactTypes"] == ["HELM", "IMAGE"]


def test_registry_premium_status_and_catalog(pc: Any) -> None:
    # describe_registries: premiumStatus, premiumRegistryUri; put_registry_catalog_data:
    # description and logoImageBlob
    registry = pc.describe_registries()["registries"][0]
    assert registry["premiumStatus"] == "ENABLED" and registry["premiumRegistryUri"]
    pc.put_registry_catalog_data(description="what we publish", logoImageBlob=b"logo")
    data = pc.get_registry_catalog_data()["registryCatalogData"]
    assert data["description"] == "what we publish" and data["logoUrl"].startswith("https://")


def test_a_premium_repository_is_tagged_by_its_arn(pc: Any) -> None:
    arn = create(pc, tags=[{"Key": "team", "Value": "a"}])["premiumRepository"]["repositoryArn"]
    pc.tag_resource(resourceArn=arn, tags=[{"Key": "tier", "Value": "gold"}])
    tags = pc.list_tags_for_resource(resourceArn=arn)["tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"team": "a", "tier": "gold"}
    pc.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert pc.list_tags_for_resource(resourceArn=arn)["tags"] == [{"Key": "tier", "Value": "gold"}]
