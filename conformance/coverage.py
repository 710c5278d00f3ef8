"""Spec coverage: which documented errors and effects a run exercised, and how many passed.

Computed from the catalogue (``behaviours.toml``) and the entry outcomes the behaviour checks
keep in their results, so it is the same for a run, its shards merged, or a results file read
back. ``results.json`` carries it as ``coverage``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .behaviours import documented_pairs, load_catalogue
from .records import CheckResult

#: The check whose entries say whether a documented error was provoked, and the effects'.
JUDGES = {"documented_errors": "documented_error_raised", "effects": "documented_effect_holds"}


def _outcomes(results: Iterable[CheckResult], check: str) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for r in results:
        if r.check == check:
            for e in r.entries:
                out[e.id] = (e.status, e.reason)
            if not r.entries and r.status not in ("passed", "failed"):
                out.setdefault(f"{r.operation}/*", (r.status, r.reason))
    return out


def _block(
    ids: list[tuple[str, str]], outcomes: dict[str, tuple[str, str]], total: int
) -> dict[str, Any]:
    exercised = [i for i, _ in ids if outcomes.get(i, ("", ""))[0] in ("passed", "failed")]
    passed = [i for i, _ in ids if outcomes.get(i, ("", ""))[0] == "passed"]
    unexercised = []
    for entry_id, operation in ids:
        status, reason = outcomes.get(entry_id) or outcomes.get(f"{operation}/*", ("", ""))
        if status not in ("passed", "failed"):
            unexercised.append(
                {
                    "id": entry_id,
                    "operation": operation,
                    "reason": f"{status}: {reason}" if status else "not run in this run",
                }
            )
    return {
        "total": total,
        "provocable": len(ids),
        "exercised": len(exercised),
        "passed": len(passed),
        "unexercised": unexercised,
    }


def coverage_of(results: Iterable[CheckResult]) -> dict[str, Any]:
    """The coverage block of ``results.json`` for these results."""
    results = list(results)
    catalogue = load_catalogue()
    kinds = {
        "documented_errors": [
            (b.id, b.operation) for b in catalogue.behaviours if b.kind == "error"
        ],
        "effects": [(b.id, b.operation) for b in catalogue.behaviours if b.kind == "effect"],
    }
    totals = {"documented_errors": len(documented_pairs()), "effects": len(kinds["effects"])}
    out: dict[str, Any] = {}
    by_operation: dict[str, dict[str, Any]] = {}
    for kind, ids in kinds.items():
        outcomes = _outcomes(results, JUDGES[kind])
        block = _block(ids, outcomes, totals[kind])
        if kind == "documented_errors":
            block["unexercised"] += [
                {"id": u.id, "operation": u.operation, "reason": f"not provocable: {u.reason}"}
                for u in catalogue.unprovocable
            ]
        out[kind] = block
        for operation in sorted({op for _, op in ids}):
            mine = [(i, op) for i, op in ids if op == operation]
            total = (
                sum(1 for op, _ in documented_pairs() if op == operation)
                if kind == "documented_errors"
                else len(mine)
            )
            small = _block(mine, outcomes, total)
            small.pop("unexercised")
            by_operation.setdefault(operation, {})[kind] = small
    out["by_operation"] = by_operation
    return out


def coverage_line(coverage: dict[str, Any]) -> str:
    """``documented errors provoked 64/72 (60 passed), effects 41/45 (40 passed)``."""
    if not coverage:
        return ""
    e, f = coverage.get("documented_errors", {}), coverage.get("effects", {})
    return (
        f"documented errors provoked {e.get('exercised', 0)}/{e.get('total', 0)} "
        f"({e.get('passed', 0)} passed), effects {f.get('exercised', 0)}/{f.get('total', 0)} "
        f"({f.get('passed', 0)} passed)"
    )
