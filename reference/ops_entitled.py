"""The premium repositories of other publishers the caller is entitled to, and their images and
tags (the document's pages describe_entitled_repositories, describe_entitled_images and
describe_entitled_image_tags). The entitlements are startup data (:mod:`.market`)."""

from __future__ import annotations

from typing import Any

from .context import Ctx
from .errors import ApiError
from .lifecycle import DELETION_GRACE_S
from .market import EntitledImage, EntitledRepository
from .ops_images import require_tag_or_digest
from .pagination import Uneven, paginate
from .state import DEPRECATED, DRAFT
from .variants import on

Params = dict[str, Any]


def _listed(ctx: Ctx, repo: EntitledRepository) -> bool:
    """Entitled repositories are AVAILABLE or HIDDEN: a DRAFT one isn't available yet."""
    return repo.state != DRAFT or ctx.fault("draft-entitlement-listed")


def entitled_view(ctx: Ctx, repo: EntitledRepository, product: str) -> Params:
    """The wire form of an ``EntitledRepository`` (one repository and product pair)."""
    account = ctx.options.account_id if ctx.fault("entitled-arn-with-account") else ""
    return {
        "registryAlias": repo.alias,
        "repositoryName": repo.name,
        "repositoryArn": f"arn:aws:ecr-public::{account}:entitled-repository/"
        f"{repo.alias}/{repo.name}",
        "repositoryUri": f"{repo.alias}.premium.public.ecr.aws/{repo.name}",
        "state": repo.state,
        "entitledViaProductId": product,
        "registryDisplayName": repo.display_name,
    }


def describe_entitled_repositories(ctx: Ctx, p: Params) -> Params:
    """DescribeEntitledRepositories: one entry per repository and product."""
    one = ctx.fault("entitlement-per-repository")
    pairs = [
        (repo, product)
        for repo in ctx.endpoint.market.entitled
        if _listed(ctx, repo)
        for product in (repo.products[:1] if one else repo.products)
    ]
    uneven = Uneven(empty_first=True, repeat=True) if on(ctx, "uneven-pages") else None
    page, token = paginate(ctx, p, pairs, _pair_key, uneven)
    out: Params = {"repositories": [entitled_view(ctx, r, product) for r, product in page]}
    if token:
        out["nextToken"] = token
    return out


def _pair_key(pair: tuple[EntitledRepository, str]) -> str:
    return f"{pair[0].alias}/{pair[0].name}\0{pair[1]}"


def entitled_repository(ctx: Ctx, p: Params) -> EntitledRepository:
    """The entitled repository a request names, or ``EntitlementNotFoundException`` (no
    entitlement, no such repository, or not available yet)."""
    for repo in ctx.endpoint.market.entitled:
        if (repo.alias, repo.name) == (p["registryAlias"], p["repositoryName"]):
            if repo.state != DRAFT or ctx.fault("draft-entitled-images-shown"):
                return repo
    raise ApiError(
        "EntitlementNotFoundException",
        f"You have no active entitlement for {p['registryAlias']}/{p['repositoryName']}",
    )


def present(ctx: Ctx, image: EntitledImage) -> bool:
    """Whether an entitled image is still there ("Entitled buyers can still pull it until
    it's deleted")."""
    if image.status != DEPRECATED or image.deletion_at is None:
        return True
    grace = DELETION_GRACE_S if on(ctx, "deprecated-kept-after-schedule") else 0.0
    return ctx.now() < image.deletion_at + grace or ctx.fault("deprecated-never-deleted")


def referenced_detail(image: EntitledImage) -> Params:
    """The ``ReferencedImageDetail`` of an entitled image."""
    out: Params = {
        "imageDigest": image.digest,
        "imageSizeInBytes": image.size,
        "imagePushedAt": image.pushed_at,
        "imageManifestMediaType": image.media_type,
        "imageStatus": image.status,
    }
    if image.artifact_media_type:
        out["artifactMediaType"] = image.artifact_media_type
    if image.status == DEPRECATED and image.deletion_at is not None:
        out["scheduledDeletionAt"] = image.deletion_at
    return out


def _detail(ctx: Ctx, repo: EntitledRepository, image: EntitledImage) -> Params:
    tags = sorted((t for t, _ in image.tags), reverse=on(ctx, "listing-order-reversed"))
    return {"repositoryName": repo.name, "imageTags": tags, **referenced_detail(image)}


def _find(repo: EntitledRepository, images: list[EntitledImage], image_id: Params) -> EntitledImage:
    require_tag_or_digest(image_id)
    digest, tag = image_id.get("imageDigest"), image_id.get("imageTag")
    for image in images:
        tags = {t for t, _ in image.tags}
        if (digest is None or image.digest == digest) and (tag is None or tag in tags):
            return image
    raise ApiError("ImageNotFoundException", f"The image {image_id} does not exist in {repo.name}")


def describe_entitled_images(ctx: Ctx, p: Params) -> Params:
    """DescribeEntitledImages (every listed image id must exist)."""
    repo = entitled_repository(ctx, p)
    images = [i for i in repo.images if present(ctx, i)]
    if p.get("imageIds") is not None and not ctx.fault("entitled-image-filter-ignored"):
        found = {i.digest: i for i in (_find(repo, images, x) for x in p["imageIds"])}
        images = list(found.values())
    page, token = paginate(ctx, p, images, lambda i: i.digest)
    out: Params = {
        "repositoryName": repo.name,
        "registryAlias": repo.alias,
        "imageDetails": [_detail(ctx, repo, i) for i in page],
    }
    if token:
        out["nextToken"] = token
    return out


def describe_entitled_image_tags(ctx: Ctx, p: Params) -> Params:
    """DescribeEntitledImageTags."""
    repo = entitled_repository(ctx, p)
    pairs = [(t, at, i) for i in repo.images if present(ctx, i) for t, at in i.tags]
    page, token = paginate(ctx, p, pairs, lambda x: f"{x[0]}\0{x[2].digest}")
    details = [
        {"imageTag": tag, "createdAt": at, "imageDetail": referenced_detail(image)}
        for tag, at, image in page
    ]
    out: Params = {
        "repositoryName": repo.name,
        "registryAlias": repo.alias,
        "imageTagDetails": details,
    }
    if token:
        out["nextToken"] = token
    return out
