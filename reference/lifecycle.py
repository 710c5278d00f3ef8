"""Deprecated images of premium repositories: when they go.

"When you deprecate an image, Amazon ECR deletes it after the deprecation period ends", and
"Amazon ECR deletes the image within 24 hours after this time". The reference deletes an image
when its scheduled deletion time comes (lazily: when its repository is next looked up), or up
to 24 hours later under the ``deprecated-kept-after-schedule`` variant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .state import DEPRECATED, Image, Repository
from .variants import on

if TYPE_CHECKING:
    from .context import Ctx

#: How long after its scheduled time a deprecated image may still be there (24 hours).
DELETION_GRACE_S = 24 * 3600.0


def deleted_at(ctx: Ctx, image: Image) -> float | None:
    """When a deprecated image is deleted (None: it is not deprecated, or never goes)."""
    if image.status != DEPRECATED or image.deletion_at is None:
        return None
    if ctx.fault("deprecated-never-deleted"):
        return None
    grace = DELETION_GRACE_S if on(ctx, "deprecated-kept-after-schedule") else 0.0
    return image.deletion_at + grace


def expire_images(ctx: Ctx, repo: Repository) -> None:
    """Delete the repository's deprecated images whose time has come."""
    now = ctx.now()
    for digest in [d for d, image in repo.images.items() if gone(ctx, image, now)]:
        del repo.images[digest]


def gone(ctx: Ctx, image: Image, now: float) -> bool:
    """True when a deprecated image's deletion time has come by ``now``."""
    at = deleted_at(ctx, image)
    return at is not None and at <= now
