"""Automatic scans of images pushed to premium repositories, and the findings they report.

"Images in premium repositories are scanned automatically when they're pushed". A scan is a
:class:`~.state.Scan` whose status follows the clock: none yet (``ScanNotFoundException``)
before it starts, ``PENDING`` until it is done, then its outcome. The outcome is ``ACTIVE``
(``COMPLETE`` under a variant) for an image the reference can scan, ``UNSUPPORTED_IMAGE`` for
one it cannot (an index, or an artifact whose config is not an image config), or whatever the
``scan_outcomes`` option gives for the tag the image was pushed with.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import TYPE_CHECKING, Any

from .state import Image, Repository, Scan
from .variants import on

if TYPE_CHECKING:
    from .context import Ctx

#: How long a scan takes by default, in seconds (well within the waiter's 30 x 10 s).
SCAN_SECONDS = 0.5
#: How long a scan takes at least under the ``scan-slow`` variant.
SLOW_SCAN_S = 2.0
#: The statuses a scan ends in: the waiter's two successes and four failures.
FINAL_STATUSES = (
    "ACTIVE",
    "COMPLETE",
    "FAILED",
    "UNSUPPORTED_IMAGE",
    "SCAN_ELIGIBILITY_EXPIRED",
    "FINDINGS_UNAVAILABLE",
)
SUCCESSES = ("ACTIVE", "COMPLETE")
#: Tags whose images' scans end in a failure (the default ``scan_outcomes`` option).
DEFAULT_OUTCOMES = {
    "scan-failed": "FAILED",
    "scan-unsupported": "UNSUPPORTED_IMAGE",
    "scan-expired": "SCAN_ELIGIBILITY_EXPIRED",
    "scan-unavailable": "FINDINGS_UNAVAILABLE",
}
#: Config media types of images the reference can scan.
IMAGE_CONFIGS = frozenset(
    {"application/vnd.docker.container.image.v1+json", "application/vnd.oci.image.config.v1+json"}
)
DESCRIPTIONS = {
    "PENDING": "The scan is in progress.",
    "ACTIVE": "The scan is complete; its findings are kept up to date.",
    "COMPLETE": "The scan completed successfully.",
    "FAILED": "The scan failed.",
    "UNSUPPORTED_IMAGE": "The image's media type, operating system or package manager isn't "
    "supported.",
    "SCAN_ELIGIBILITY_EXPIRED": "The image is no longer eligible for scanning.",
    "FINDINGS_UNAVAILABLE": "The findings aren't available for the image.",
}


def start_scan(ctx: Ctx, image: Image, tag: str | None) -> Scan | None:
    """The scan of an image just pushed (None under the ``no-automatic-scan`` fault)."""
    if ctx.fault("no-automatic-scan"):
        return None
    now, seconds = ctx.now(), float(ctx.options.scans.seconds)
    if on(ctx, "scan-slow"):
        seconds = max(seconds, SLOW_SCAN_S)
    start = now + seconds / 2 if on(ctx, "scan-not-found-first") else now
    return Scan(start, now + seconds, _outcome(ctx, image, tag))


def scannable(image: Image) -> bool:
    """Whether the reference can scan the image (an image manifest with an image config)."""
    return image.artifact_media_type in IMAGE_CONFIGS


def _outcome(ctx: Ctx, image: Image, tag: str | None) -> str:
    given = ctx.options.scans.outcomes.get(tag or "")
    if given is not None:
        return str(given)
    if not scannable(image) and not on(ctx, "scan-everything"):
        return "UNSUPPORTED_IMAGE"
    return "COMPLETE" if on(ctx, "scan-status-complete") else "ACTIVE"


def scan_status(ctx: Ctx, scan: Scan | None) -> str | None:
    """The scan's status now (None: no scan has started)."""
    now = ctx.now()
    if scan is None or now < scan.started_at:
        return None
    return "PENDING" if now < scan.done_at else scan.outcome


def has_findings(ctx: Ctx, scan: Scan, status: str) -> bool:
    """Whether the answer carries the scan's findings (a successful scan, or any scan that has
    started under the ``findings-while-pending`` fault)."""
    return status in SUCCESSES or (status == "PENDING" and ctx.fault("findings-while-pending"))


def findings(ctx: Ctx, repo: Repository, image: Image) -> list[dict[str, Any]]:
    """The findings of the image's scan: the configured ones, about this image."""
    scan = image.scan
    assert scan is not None
    observed = scan.done_at
    out = []
    for finding in ctx.endpoint.market.findings:
        item = copy.deepcopy(dict(finding))
        item.setdefault("awsAccountId", ctx.options.account_id)
        for key in ("firstObservedAt", "lastObservedAt", "updatedAt"):
            item.setdefault(key, observed)
        item.setdefault("resources", [_resource(ctx, repo, image)])
        out.append(item)
    return out


def _resource(ctx: Ctx, repo: Repository, image: Image) -> dict[str, Any]:
    container = {
        "imageHash": image.digest,
        "imageTags": sorted(image.tags),
        "pushedAt": image.pushed_at,
        "registry": ctx.options.account_id,
        "repositoryName": repo.name,
    }
    return {"type": "AWS_ECR_CONTAINER_IMAGE", "details": {"containerImage": container}}


def severity_counts(items: list[dict[str, Any]]) -> dict[str, int]:
    """The number of findings of each severity."""
    return dict(Counter(str(f.get("severity", "UNDEFINED")) for f in items))
