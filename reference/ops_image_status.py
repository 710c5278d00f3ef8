"""SetImageStatus: deprecate an image of a premium repository, or cancel its deprecation.

The rules of the document's page set_image_status: not in a FREE repository, not while the
repository is DRAFT; ``deprecationPeriodDays`` (90 to 365) with ``DEPRECATED`` and never with
``ACTIVE``; ``ACTIVE`` only before the scheduled deletion time; a manifest list is deprecated
before the images it references, with an earlier deletion time, and is not made ``ACTIVE``
while it references deprecated images (``ValidationException``).
"""

from __future__ import annotations

from typing import Any

from .context import Ctx
from .errors import ApiError, rule_error
from .ops_images import require_tag_or_digest, resolve
from .state import ACTIVE, DEPRECATED, DRAFT, FREE, PREMIUM, Image, PremiumRepository
from .variants import on

Params = dict[str, Any]
DAY_S = 86400.0


def _image(ctx: Ctx, p: Params) -> tuple[PremiumRepository, Image]:
    if p["repositoryType"] == FREE and not ctx.fault("status-on-free-accepted"):
        raise rule_error(ctx, "You can set the image status only in a PREMIUM repository")
    repo = ctx.premium_repository(p)
    if repo.state == DRAFT and not ctx.fault("status-in-draft-accepted"):
        raise rule_error(ctx, "You can't set an image status while the repository is DRAFT")
    require_tag_or_digest(p["imageId"])
    image = resolve(repo, p["imageId"])
    if image is None:
        raise ApiError("ImageNotFoundException", f"The image {p['imageId']} does not exist")
    due = image.status == DEPRECATED and image.deletion_at is not None
    if due and ctx.now() >= (image.deletion_at or 0):
        if not ctx.fault("status-after-schedule-accepted"):
            raise rule_error(ctx, "After the scheduled deletion time, the status can't change")
    return repo, image


def _lists_of(repo: PremiumRepository, image: Image) -> list[Image]:
    return [i for i in repo.images.values() if image.digest in i.references and i is not image]


def _deprecate(ctx: Ctx, repo: PremiumRepository, image: Image, days: int | None) -> None:
    if days is None:
        if not ctx.fault("deprecation-period-optional"):
            raise rule_error(ctx, "deprecationPeriodDays is required with DEPRECATED")
        days = 90
    at = ctx.now() + days * DAY_S + (DAY_S if ctx.fault("schedule-off-by-a-day") else 0.0)
    if image.status == DEPRECATED and on(ctx, "redeprecation-keeps-schedule"):
        at = image.deletion_at or at
    early = [
        i for i in _lists_of(repo, image) if i.status != DEPRECATED or (i.deletion_at or at) >= at
    ]
    if early and not ctx.fault("referenced-image-deprecated-first"):
        raise ApiError(
            "ValidationException",
            f"The manifest list {early[0].digest} references this image: deprecate it first, "
            "with an earlier scheduled deletion time",
        )
    image.status, image.deletion_at = DEPRECATED, at


def _activate(ctx: Ctx, repo: PremiumRepository, image: Image, days: int | None) -> None:
    if days is not None and not ctx.fault("period-with-active-accepted"):
        raise rule_error(ctx, "Don't specify deprecationPeriodDays with ACTIVE")
    children = [repo.images[d] for d in image.references if d in repo.images]
    if any(c.status == DEPRECATED for c in children):
        if not ctx.fault("list-activated-over-deprecated"):
            raise ApiError(
                "ValidationException",
                "A manifest list can't be ACTIVE while it references deprecated images",
            )
    if ctx.fault("active-keeps-schedule"):
        return
    image.status = ACTIVE
    if not ctx.fault("schedule-shown-when-active"):
        image.deletion_at = None


def set_image_status(ctx: Ctx, p: Params) -> Params:
    """SetImageStatus."""
    repo, image = _image(ctx, p)
    days = p.get("deprecationPeriodDays")
    if p["status"] == DEPRECATED:
        _deprecate(ctx, repo, image, days)
    else:
        _activate(ctx, repo, image, days)
    tag = p["imageId"].get("imageTag")
    out: Params = {
        "repositoryName": repo.name,
        "repositoryType": PREMIUM,
        "imageId": {"imageDigest": image.digest, **({"imageTag": tag} if tag else {})},
        "status": image.status,
    }
    shown = image.status == DEPRECATED or ctx.fault("schedule-shown-when-active")
    if image.deletion_at is not None and shown:
        out["scheduledDeletionAt"] = image.deletion_at
    return out
