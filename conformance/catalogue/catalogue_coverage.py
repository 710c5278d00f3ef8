"""How much of the behaviours catalogue a run covered: the run record's ``coverage``.

The catalogue (``behaviours.toml``) says which documented errors and effects exist and which
cannot be provoked safely; what the run exercised and passed is counted from the results by
the records layer (:func:`~ecr_public_conformance.records.coverage.recount`), so a run, its
shards merged and a results file read back agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...records import CheckResult, Coverage
from ...records.coverage import Entry, KindCoverage, Unexercised, recount
from .behaviours import documented_pairs, load_catalogue, runs_on


def catalogue_coverage(results: Iterable[CheckResult], edition: str | None = None) -> Coverage:
    """The coverage of these results against the catalogue's entries for a target serving
    ``edition`` (None: the default one): that edition's documented errors and effects."""
    catalogue = load_catalogue(edition=edition)
    mine = [b for b in catalogue.behaviours if b.runs_on(edition)]
    errors = tuple(Entry(b.id, b.operation) for b in mine if b.kind == "error")
    effects = tuple(Entry(b.id, b.operation) for b in mine if b.kind == "effect")
    pairs = documented_pairs(edition)
    documented: dict[str, dict[str, int]] = {}
    for op, _ in pairs:
        counts = documented.setdefault(op, {})
        counts["documented_errors"] = counts.get("documented_errors", 0) + 1
    unprovocable = tuple(
        Unexercised(u.id, u.operation, f"not provocable: {u.reason}")
        for u in catalogue.unprovocable
        if runs_on(u.edition, edition)
    )
    base = Coverage(
        documented_errors=KindCoverage(
            total=len(pairs), provocable=len(errors), entries=errors, unprovocable=unprovocable
        ),
        effects=KindCoverage(total=len(effects), provocable=len(effects), entries=effects),
        documented=documented,
    )
    return recount(results, base)
