"""ListPublisherReports and GetDownloadUrlForPublisherReport (the document's pages
list_publisher_reports and get_download_url_for_publisher_report). The reports are startup
data (:mod:`.publisher_reports`)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from .context import Ctx
from .errors import ApiError
from .pagination import Uneven, paginate
from .publisher_reports import Report, listed
from .variants import on

Params = dict[str, Any]
#: The request members that choose which reports are listed.
FILTERS = ("reportType", "granularity")
#: How long a download URL is valid ("valid for up to one hour").
URL_LIFETIME_S = 3600


def _wanted(ctx: Ctx, p: Params, report: Report) -> bool:
    if not listed(report, ctx.now()) and not ctx.fault("old-reports-listed"):
        return False
    if ctx.fault("report-filter-ignored"):
        return True
    kind, granularity = p.get("reportType"), p.get("granularity")
    return kind in (None, report.report_type) and granularity in (None, report.granularity)


def list_publisher_reports(ctx: Ctx, p: Params) -> Params:
    """ListPublisherReports: reports of the last 365 days, of the type and granularity asked."""
    reports = [r for r in ctx.endpoint.market.reports if _wanted(ctx, p, r)]
    hashed = p
    if ctx.fault("report-token-any-filters"):  # the token does not hold the filters
        hashed = {k: v for k, v in p.items() if k not in FILTERS}
    uneven = Uneven() if on(ctx, "uneven-pages") else None
    page, token = paginate(ctx, hashed, reports, lambda r: r.report_id, uneven)
    out: Params = {"reports": [r.wire() for r in page]}
    if token:
        out["nextToken"] = token
    return out


def get_download_url_for_publisher_report(ctx: Ctx, p: Params) -> Params:
    """GetDownloadUrlForPublisherReport: a URL valid for an hour."""
    report_id = p["reportId"]
    found = next((r for r in ctx.endpoint.market.reports if r.report_id == report_id), None)
    kept = found is not None and (listed(found, ctx.now()) or on(ctx, "old-reports-downloadable"))
    if not kept and not ctx.fault("any-report-downloadable"):
        raise ApiError(
            "PublisherReportNotFoundException", f"The publisher report '{report_id}' can't be found"
        )
    expires = int(ctx.now()) + URL_LIFETIME_S
    blob = f"{report_id}/{expires}".encode()
    signature = hmac.new(ctx.endpoint.secret, blob, hashlib.sha256).hexdigest()
    account, region = ctx.options.account_id, ctx.options.region
    url = (
        f"https://ecr-public-publisher-reports.s3.{region}.amazonaws.com/{account}/"
        f"{report_id}.csv.gz?X-Amz-Expires={URL_LIFETIME_S}&Expires={expires}"
        f"&X-Amz-Signature={signature}"
    )
    return {"reportId": report_id, "downloadUrl": url}
