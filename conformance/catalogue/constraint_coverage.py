"""Which constraints a run could try: the run record's ``constraints`` section.

The specs give every constraint of every input member (``required``, lengths, patterns,
ranges, enums, list and blob sizes); the strategies say which sides of each they can make a
value for (a boundary value inside it, a value that breaks it alone). What the run judged is
counted from the results by the records layer
(:func:`~ecr_public_conformance.records.constraints.recount`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...records import CheckResult, ConstraintCoverage, ConstraintRow
from ...records.constraints import recount
from ...specs import Operation, Service, Shape
from ...strategies import boundary_requests, plans, skipped_violations
from ...strategies.boundaries import large_boundaries
from ...strategies.labelled import format_path, sites, template_of
from ..harness.semantics import SEMANTIC_MEMBERS
from .samples import sends_large

#: Why a size bound gets no valid value when only the nightly profile sends values that big.
NIGHTLY_ONLY = "values above 1 MiB are sent by the nightly profile only"
#: Why a string length bound gets no valid value: no value of that length fits the pattern.
NO_VALID_LENGTH = "no value of this length matches the member's pattern"
#: Why a valid boundary value is never judged: its request carries members whose meaning the
#: schema cannot check, which ``valid_request_accepted`` leaves alone.
SEMANTIC = "its valid requests carry {members}, whose meaning the schema cannot check: not judged"
#: Why a minimum of 0 gets no invalid value.
ZERO_MINIMUM = "the minimum is 0: no value is below it"
#: Why a patterned string's zero minimum gets no valid value: the empty value is not sent.
EMPTY_PATTERNED = "the minimum is 0 and the member has a pattern: the empty value is not sent"


def _bound(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _never_valid(shape: Shape, keyword: str, huge: bool) -> str:
    if huge:
        return NIGHTLY_ONLY
    if keyword == "minLength" and shape.constraint("pattern") is not None:
        c = shape.constraint("minLength")
        if c is not None and c.value == 0:
            return EMPTY_PATTERNED
    return NO_VALID_LENGTH


def _never_invalid(keyword: str, value: Any, skipped: dict[Any, str], key: Any, big: bool) -> str:
    if big:
        return NIGHTLY_ONLY
    if keyword in ("minLength", "minItems", "x-minBytes", "minimum") and value == 0:
        return ZERO_MINIMUM
    return skipped.get(key, "no value breaks it alone")


def operation_rows(op: Operation, large: bool) -> tuple[ConstraintRow, ...]:
    """Every constraint of ``op``'s input members, with why a side is never tried (if so)."""
    valid: set[tuple[str, str | None]] = set()
    invalid: set[tuple[str, str | None]] = set()
    huge: set[tuple[str, str | None]] = set()
    semantic: dict[tuple[str, str | None], str] = {}
    if not large:  # the values above 1 MiB are not made: only where they would be
        huge = {(format_path(template_of(path)), kw) for path, kw, _ in large_boundaries(op)}
    for b in boundary_requests(op, include_large=large):
        key = (format_path(template_of(b.path)), b.keyword)
        carried = sorted(SEMANTIC_MEMBERS & set(b.params)) if isinstance(b.params, dict) else []
        if b.valid and carried:
            semantic[key] = SEMANTIC.format(members=", ".join(carried))
        else:
            (valid if b.valid else invalid).add(key)
    for p in plans(op, include_large=False):
        invalid.add((format_path(p.site.path), p.keyword))
    skipped = {(member, keyword): why for member, keyword, why in skipped_violations(op)}
    rows = []
    for site in sites(op.input):
        member = format_path(site.path)
        if site.member is not None and site.member.required:
            rows.append(ConstraintRow(member, "required"))
        for c in site.shape.constraints:
            key = (member, c.keyword)
            big = key in huge
            no_valid = ""
            if key not in valid:
                no_valid = semantic.get(key) or _never_valid(site.shape, c.keyword, big)
            no_invalid = ""
            if key not in invalid:
                no_invalid = _never_invalid(c.keyword, c.value, skipped, key, big)
            rows.append(
                ConstraintRow(member, c.keyword, _bound(c.value), 0, 0, no_valid, no_invalid)
            )
    return tuple(rows)


def constraint_coverage(
    results: Iterable[CheckResult], service: Service, profile: str
) -> ConstraintCoverage:
    """The constraint coverage of these results over every operation of ``service``."""
    large = sends_large(profile)
    base = ConstraintCoverage(
        operations={
            name: operation_rows(op, large) for name, op in sorted(service.operations.items())
        }
    )
    return recount(results, base)
