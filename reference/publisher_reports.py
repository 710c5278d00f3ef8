"""Publisher reports: what ``ListPublisherReports`` lists, made up at startup.

The API cannot create reports, so they are a startup option (``publisher_reports``: report
objects in their wire form, ``createdAt`` in epoch seconds); without it the reference makes
weekly and monthly ``SUMMARY`` and ``TRENDS`` reports for the last 8 weeks and 6 months, and
two reports older than 365 days, which are not listed.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

DAY_S = 86400.0
#: Reports older than this are not listed ("created in the last 365 days").
LISTED_FOR_S = 365 * DAY_S


@dataclass(frozen=True)
class Report:
    """One publisher report."""

    report_id: str
    report_type: str
    granularity: str
    start: str
    end: str
    size: int
    created_at: float

    def wire(self) -> dict[str, Any]:
        """The ``PublisherReport`` structure."""
        return {
            "reportId": self.report_id,
            "reportType": self.report_type,
            "granularity": self.granularity,
            "period": {"startDate": self.start, "endDate": self.end},
            "sizeInBytes": self.size,
            "createdAt": self.created_at,
        }


def report_from_wire(raw: Mapping[str, Any]) -> Report:
    """A report from its wire form (``KeyError``/``TypeError`` when a member is missing)."""
    period = raw["period"]
    return Report(
        str(raw["reportId"]),
        str(raw["reportType"]),
        str(raw["granularity"]),
        str(period["startDate"]),
        str(period["endDate"]),
        int(raw["sizeInBytes"]),
        float(raw["createdAt"]),
    )


def _report(
    kind: str, granularity: str, start: datetime.date, end: datetime.date, now: float
) -> Report:
    key = f"{kind}/{granularity}/{start.isoformat()}".encode()
    digest = hashlib.sha256(key).hexdigest()
    created = datetime.datetime.combine(end, datetime.time(6), datetime.timezone.utc)
    created += datetime.timedelta(days=1)
    size = 2048 + int(digest[:4], 16)
    # made the morning after its period, or just now when that morning has not come yet
    at = min(created.timestamp(), now)
    return Report(digest[:32], kind, granularity, str(start), str(end), size, at)


def _weeks(today: datetime.date, count: int, skip: int = 0) -> Iterable[tuple[Any, Any]]:
    monday = today - datetime.timedelta(days=today.weekday())
    for n in range(1 + skip, 1 + skip + count):
        start = monday - datetime.timedelta(weeks=n)
        yield start, start + datetime.timedelta(days=6)


def _months(today: datetime.date, count: int) -> Iterable[tuple[Any, Any]]:
    first = today.replace(day=1)
    for _ in range(count):
        end = first - datetime.timedelta(days=1)
        first = end.replace(day=1)
        yield first, end


def default_reports(now: float) -> tuple[Report, ...]:
    """The reports a default run starts with (see the module's docstring)."""
    today = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date()
    periods = [("WEEKLY", s, e) for s, e in _weeks(today, 8)]
    periods += [("MONTHLY", s, e) for s, e in _months(today, 6)]
    periods += [("WEEKLY", s, e) for s, e in _weeks(today, 1, skip=57)]  # over 365 days old
    return tuple(
        _report(kind, gran, start, end, now)
        for gran, start, end in periods
        for kind in ("SUMMARY", "TRENDS")
    )


def listed(report: Report, now: float) -> bool:
    """Whether ``ListPublisherReports`` lists the report (created in the last 365 days)."""
    return report.created_at >= now - LISTED_FOR_S
