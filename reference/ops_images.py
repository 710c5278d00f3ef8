"""Handlers for images: PutImage, DescribeImages, DescribeImageTags."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from .context import Ctx
from .errors import ApiError, invalid
from .manifests import DOCKER_MANIFEST, Manifest, digest_of, layer_sizes, parse_manifest
from .pagination import paginate
from .scans import start_scan
from .state import ACTIVE, DEPRECATED, PREMIUM, Image, Repository
from .variants import on

Params = dict[str, Any]


def _check_references(ctx: Ctx, repo: Repository, manifest: Manifest) -> None:
    missing = [d for d in manifest.blobs if d not in repo.layers]
    if ctx.fault("missing-layers-accepted"):
        missing = []
    if missing:
        raise ApiError(
            "LayersNotFoundException",
            f"Layers referenced by the manifest do not exist: {', '.join(missing)}",
        )
    gone = [d for d in manifest.children if d not in repo.images]
    if ctx.fault("missing-references-accepted"):
        gone = []
    if gone:
        raise ApiError(
            "ReferencedImagesNotFoundException",
            f"Images referenced by the index do not exist: {', '.join(gone)}",
        )


def _size(ctx: Ctx, repo: Repository, manifest: Manifest, text: str) -> int:
    if manifest.is_index:  # "the max size of all manifests in the list"
        sizes = [repo.images[d].size for d in manifest.children if d in repo.images]
        return sum(sizes) if ctx.fault("index-size-summed") else max(sizes, default=0)
    if ctx.fault("size-of-manifest"):
        return len(text.encode())
    size = layer_sizes(manifest, repo.layers)
    if on(ctx, "image-size-with-config") and manifest.blobs:
        size += repo.layers.get(manifest.blobs[0], 0)
    return size


def put_image(ctx: Ctx, p: Params) -> Params:
    """PutImage."""
    repo = ctx.repository(p)
    text, tag = p["imageManifest"], p.get("imageTag")
    declared = p.get("imageManifestMediaType")
    if declared is None and ctx.fault("media-type-required"):
        raise invalid("Invalid parameter at 'imageManifestMediaType': it is required")
    manifest = parse_manifest(text, declared)
    if declared is None and ctx.fault("media-type-not-read-from-manifest"):
        manifest = replace(manifest, media_type=DOCKER_MANIFEST)  # its mediaType ignored
    digest = digest_of(text)
    given = p.get("imageDigest")
    if given is not None and given != digest and not ctx.fault("image-digest-not-checked"):
        raise ApiError(
            "ImageDigestDoesNotMatchException",
            f"The given digest {given} does not match the manifest's digest {digest}",
        )
    _check_references(ctx, repo, manifest)
    image = repo.images.get(digest)
    if image is not None and (tag is None or tag in image.tags):
        raise ApiError("ImageAlreadyExistsException", f"Image {digest} already exists")
    if image is None:
        image = _new_image(ctx, repo, manifest, text, digest)
        if repo.kind == PREMIUM:  # "scanned automatically when they're pushed"
            image.scan = start_scan(ctx, image, tag)
    if tag is not None:
        _move_tag(ctx, repo, image, tag)
    repo.images[digest] = image
    if ctx.fault("put-image-answers-other-digest"):
        digest = digest_of(json.dumps(json.loads(text), separators=(",", ":")))
    return {"image": _put_view(ctx, repo, image, digest, tag)}


def _put_view(ctx: Ctx, repo: Repository, image: Image, digest: str, tag: str | None) -> Params:
    out = {
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "repositoryType": repo.kind,
        "imageId": {"imageDigest": digest, **({"imageTag": tag} if tag else {})},
        "imageManifest": image.manifest,
        "imageManifestMediaType": image.media_type,
    }
    if image.subject is not None and not ctx.fault("subject-not-reported"):
        out["subjectManifestDigest"] = image.subject
    return out


def _new_image(ctx: Ctx, repo: Repository, manifest: Manifest, text: str, digest: str) -> Image:
    limit = ctx.options.max_images_per_repository
    if limit is not None and len(repo.images) >= limit:
        raise ApiError("LimitExceededException", f"A repository may hold at most {limit} images")
    return Image(
        digest=digest,
        manifest=text,
        media_type=manifest.media_type,
        artifact_media_type=manifest.artifact_media_type,
        size=_size(ctx, repo, manifest, text),
        pushed_at=ctx.now(),
        references=manifest.blobs + manifest.children,
        subject=manifest.subject,
    )


def _move_tag(ctx: Ctx, repo: Repository, image: Image, tag: str) -> None:
    holder = repo.find_tag(tag)
    if holder is not None and holder is not image:
        if ctx.options.immutable_tags:
            raise ApiError(
                "ImageTagAlreadyExistsException",
                f"The tag '{tag}' is already on image {holder.digest} and tags are immutable",
            )
        if not ctx.fault("tag-not-moved"):
            del holder.tags[tag]
    if ctx.fault("retag-replaces-tags"):
        image.tags.clear()
    image.tags[tag] = ctx.now()


def resolve(repo: Repository, image_id: Params) -> Image | None:
    """Return the image an ``ImageIdentifier`` names (by digest and/or tag), or None."""
    digest, tag = image_id.get("imageDigest"), image_id.get("imageTag")
    image = repo.images.get(digest) if digest is not None else repo.find_tag(tag or "")
    if image is None or (tag is not None and tag not in image.tags):
        return None
    return image


def image_detail(ctx: Ctx, repo: Repository, image: Image) -> Params:
    """The wire form of an ``ImageDetail``."""
    out = {
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "imageDigest": image.digest,
        "imageTags": sorted(image.tags, reverse=on(ctx, "listing-order-reversed")),
        "imageSizeInBytes": image.size,
        "imagePushedAt": image.pushed_at * _time_unit(ctx),
        "imageManifestMediaType": image.media_type,
    }
    if image.artifact_media_type:
        out["artifactMediaType"] = image.artifact_media_type
    out.update(_later_members(ctx, repo, image))
    return out


def _later_members(ctx: Ctx, repo: Repository, image: Image) -> Params:
    """The image detail's members of later editions: repository type, subject, status."""
    out: Params = {"repositoryType": repo.kind}
    if image.subject is not None and not ctx.fault("subject-not-reported"):
        out["subjectManifestDigest"] = image.subject
    if repo.kind == PREMIUM and not (
        image.status == ACTIVE and on(ctx, "image-status-only-when-deprecated")
    ):
        out["imageStatus"] = image.status
    shown = image.status == DEPRECATED or ctx.fault("schedule-shown-when-active")
    if image.deletion_at is not None and shown:
        out["scheduledDeletionAt"] = image.deletion_at
    return out


def describe_images(ctx: Ctx, p: Params) -> Params:
    """DescribeImages (every listed image id must exist)."""
    repo = ctx.repository(p)
    images = list(repo.images.values())
    if p.get("imageIds") is not None and not ctx.fault("image-filter-ignored"):
        found = {}
        for image_id in p["imageIds"]:
            require_tag_or_digest(image_id)
            image = resolve(repo, image_id)
            if image is None:
                raise ApiError("ImageNotFoundException", f"The image {image_id} does not exist")
            found[image.digest] = image
        images = list(found.values())
    page, token = paginate(ctx, p, images, lambda i: i.digest)
    out: Params = {"imageDetails": [image_detail(ctx, repo, i) for i in page]}
    if token:
        out["nextToken"] = token
    return out


def describe_image_tags(ctx: Ctx, p: Params) -> Params:
    """DescribeImageTags."""
    repo = ctx.repository(p)
    pairs = [(t, i) for i in repo.images.values() for t in i.tags]
    if ctx.fault("one-tag-per-image"):
        pairs = [(min(i.tags), i) for i in repo.images.values() if i.tags]
    page, token = paginate(ctx, p, pairs, lambda pair: f"{pair[0]}\0{pair[1].digest}")
    details = []
    for tag, image in page:
        detail = image_detail(ctx, repo, image)
        for key in _NOT_REFERENCED:
            detail.pop(key, None)
        created = image.tags[tag] * _time_unit(ctx)
        item = {"imageTag": tag, "createdAt": created, "imageDetail": detail}
        if ctx.fault("image-tag-created-at-omitted"):
            del item["createdAt"]
        details.append(item)
    out: Params = {"imageTagDetails": details}
    if token:
        out["nextToken"] = token
    return out


#: ImageDetail members a tag's ``ReferencedImageDetail`` does not have.
_NOT_REFERENCED = (
    "registryId",
    "repositoryName",
    "imageTags",
    "repositoryType",
    "subjectManifestDigest",
)


def _time_unit(ctx: Ctx) -> int:
    """1 (epoch seconds), or 1000 under the ``timestamps-in-milliseconds`` fault."""
    return 1000 if ctx.fault("timestamps-in-milliseconds") else 1


def require_tag_or_digest(image_id: Params) -> None:
    """Raise ``InvalidParameterException`` if an image id has neither digest nor tag."""
    if image_id.get("imageDigest") is None and image_id.get("imageTag") is None:
        raise invalid("An image id needs an imageDigest or an imageTag")
