"""BatchDeleteImage: per-image failures, deleting by digest or by tag.

Deleting by digest removes the image and all its tags. Deleting by tag removes the tag, and
the image too when that was its last tag (as the ECR documentation describes).
"""

from __future__ import annotations

from typing import Any

from .context import Ctx
from .errors import ApiError
from .manifests import is_digest
from .ops_images import resolve
from .state import DRAFT, Image, PremiumRepository, Repository
from .variants import on

Params = dict[str, Any]

#: Tags as Docker accepts them.
_TAG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def _failure(image_id: Params, code: str, reason: str, bare: bool = False) -> Params:
    if bare:  # the failure-without-code fault
        return {"imageId": image_id, "failureReason": reason}
    return {"imageId": image_id, "failureCode": code, "failureReason": reason}


def _problem(repo: Repository, image_id: Params) -> tuple[str, str] | None:
    digest, tag = image_id.get("imageDigest"), image_id.get("imageTag")
    if digest is None and tag is None:
        return "MissingDigestAndTag", "Neither an image digest nor a tag was given"
    if digest is not None and not is_digest(digest):
        return "InvalidImageDigest", f"Invalid image digest {digest!r}"
    if tag is not None and (not set(tag) <= _TAG_CHARS or tag[0] in ".-"):
        return "InvalidImageTag", f"Invalid image tag {tag!r}"
    if digest is not None and tag is not None:
        holder = repo.find_tag(tag)
        if holder is not None and holder.digest != digest:
            return "ImageTagDoesNotMatchDigest", f"Tag {tag!r} is on image {holder.digest}"
    image = resolve(repo, image_id)
    if image is None:
        return "ImageNotFound", "Requested image not found"
    if tag is None and _referenced(repo, image):
        return "ImageReferencedByManifestList", "The image is referenced by a manifest list"
    return None


def _referenced(repo: Repository, image: Image) -> bool:
    return any(image.digest in other.references for other in repo.images.values())


def _delete(ctx: Ctx, repo: Repository, image_id: Params) -> list[Params]:
    image = resolve(repo, image_id)
    assert image is not None
    tag = image_id.get("imageTag")
    if (
        tag is not None
        and image_id.get("imageDigest") is None
        and not ctx.fault("tag-delete-deletes-image")
    ):
        del image.tags[tag]
        if image.tags or _referenced(repo, image) or ctx.fault("last-tag-keeps-image"):
            return [{"imageDigest": image.digest, "imageTag": tag}]
        gone = [{"imageDigest": image.digest, "imageTag": tag}]
    else:
        gone = [{"imageDigest": image.digest, "imageTag": t} for t in image.tags]
        gone = gone or [{"imageDigest": image.digest}]
        if ctx.fault("digest-delete-untags-only"):
            image.tags.clear()
            return gone
    del repo.images[image.digest]
    return gone


def _after_draft(ctx: Ctx, repo: Repository) -> bool:
    """Whether a premium repository has left DRAFT: "While the repository is in the DRAFT
    state, you can remove images with BatchDeleteImage; after it leaves the DRAFT state,
    deprecate images with SetImageStatus" (DeletionNotAllowedException, or each image a
    ``ImageNotEligibleForDeletion`` failure under the ``deletion-refused-per-image`` variant)."""
    if not isinstance(repo, PremiumRepository) or repo.state == DRAFT:
        return False
    if ctx.fault("delete-after-draft-allowed"):
        return False
    if not on(ctx, "deletion-refused-per-image"):
        raise ApiError(
            "DeletionNotAllowedException",
            f"The premium repository '{repo.name}' is no longer DRAFT: deprecate images with "
            "SetImageStatus",
        )
    return True


def batch_delete_image(ctx: Ctx, p: Params) -> Params:
    """BatchDeleteImage."""
    repo = ctx.repository(p)
    refused = _after_draft(ctx, repo)
    deleted: list[Params] = []
    failures: list[Params] = []
    for image_id in p["imageIds"]:
        problem = _problem(repo, image_id)
        if problem is None and refused:
            problem = "ImageNotEligibleForDeletion", "The premium repository is no longer DRAFT"
        if problem is not None:
            code, reason = problem
            if ctx.fault("image-failures-not-found"):
                code = "ImageNotFound"
            failures.append(_failure(image_id, code, reason, ctx.fault("failure-without-code")))
        else:
            deleted.extend(_delete(ctx, repo, image_id))
    out: Params = {"failures": failures}
    if deleted and not ctx.fault("deleted-ids-omitted"):
        out["imageIds"] = deleted
    return out
