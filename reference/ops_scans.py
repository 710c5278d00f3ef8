"""DescribeImageScanFindings: the scan status of an image in a premium repository, and its
findings once the scan has succeeded, a page at a time (the document's page
describe_image_scan_findings and the ImageScanComplete waiter)."""

from __future__ import annotations

from typing import Any

from .context import Ctx
from .errors import ApiError
from .ops_images import require_tag_or_digest, resolve
from .pagination import paginate
from .scans import DESCRIPTIONS, findings, has_findings, scan_status, severity_counts
from .state import PREMIUM, Image, Repository

Params = dict[str, Any]
#: The status the ``unknown-scan-status`` fault reports: private ECR's word for a running scan,
#: which neither an acceptor of the ImageScanComplete waiter nor ECR Public's ScanStatus knows.
UNKNOWN_SCAN_STATUS = "IN_PROGRESS"


def _scanned_image(ctx: Ctx, p: Params) -> tuple[Repository, Image]:
    """The premium repository and image the request names ("If you don't specify a type,
    Amazon ECR uses FREE, and the request fails with ValidationException")."""
    if ctx.repository_type(p) != PREMIUM and not ctx.fault("scan-of-free-accepted"):
        raise ApiError(
            "ValidationException",
            "Image scanning is supported only for premium repositories: specify PREMIUM",
        )
    repo = ctx.premium_repository(p)
    require_tag_or_digest(p["imageId"])
    image = resolve(repo, p["imageId"])
    if image is None:
        raise ApiError("ImageNotFoundException", f"The image {p['imageId']} does not exist")
    return repo, image


def describe_image_scan_findings(ctx: Ctx, p: Params) -> Params:
    """DescribeImageScanFindings."""
    repo, image = _scanned_image(ctx, p)
    status = scan_status(ctx, image.scan)
    if status is None or image.scan is None:
        raise ApiError("ScanNotFoundException", f"No scan of the image {image.digest} was found")
    tag = p["imageId"].get("imageTag")
    out: Params = {
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "imageId": {"imageDigest": image.digest, **({"imageTag": tag} if tag else {})},
        "imageScanStatus": {"status": _reported(ctx, status), "description": DESCRIPTIONS[status]},
    }
    if not has_findings(ctx, image.scan, status):
        return out
    every = findings(ctx, repo, image)
    page, token = paginate(ctx, p, every, lambda f: str(f["findingId"]))
    counted = page if ctx.fault("severity-counts-of-page") else every
    out["imageScanFindings"] = {
        "imageScanCompletedAt": image.scan.done_at,
        "vulnerabilitySourceUpdatedAt": image.scan.done_at,
        "findingSeverityCounts": severity_counts(counted),
        "findings": page,
    }
    if token:
        out["nextToken"] = token
    return out


def _reported(ctx: Ctx, status: str) -> str:
    """The scan status as answered (a status no one knows under ``unknown-scan-status``)."""
    return UNKNOWN_SCAN_STATUS if ctx.fault("unknown-scan-status") else status
