"""Per-operation status for an emulator's repository: ``status.md`` and ``status.json``.

Per operation of the run's edition: whether the target supports it, and for each area
(``wire``, ``errors``, ``effects``, ``pagination``, ``state``) how much passed of what was
judged, with the causes of what did not. Made to be committed and diffed: nothing run-specific
(no times, seeds, ports or counts of requests), operations and causes in a fixed order, cause
texts normalised (numbers read ``<n>``).

What each area counts:

* ``wire``: the results of the protocol, response, errors, positive and negative checks (the
  AWS JSON 1.1 wire format, response shapes, error format, valid and invalid requests);
* ``errors``: the documented errors of the catalogue, passed of those the specs document (and
  how many the run provoked, ``exercised``);
* ``effects``: the documented effects of the catalogue, passed of those the specs document
  (and how many the run observed);
* ``pagination``: the results of the pagination checks;
* ``state``: the results of the registry-model and read-after-write checks.

A result counts when it counts towards the run's score (its level under the run's strictness;
parity is never here); skipped, unsupported and disabled results are not judged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from ..records import ENDPOINT, CheckResult, RunResults, counts
from ..records.causes import Cause, counted_causes
from ..specs import SpecError, load_service
from ..specs.editions import EditionError
from .atomic import atomic_write_text
from .cause_text import check_label
from .markdown import md
from .matrix import spec_operations

#: The version of ``status.json``'s layout.
STATUS_VERSION = 1
FILES = {"markdown": "status.md", "json": "status.json"}
#: The check categories each area counts (by check results).
CHECK_AREAS = {
    "wire": ("protocol", "response", "errors", "positive", "negative"),
    "pagination": ("pagination",),
    "state": ("stateful", "consistency"),
}
#: The catalogue kind each area counts (by documented entries), and the checks that judge it.
CATALOGUE_AREAS = {
    "errors": ("documented_errors", ("documented_error_raised", "documented_error_code")),
    "effects": ("effects", ("documented_effect_holds", "documented_members_returned")),
}
#: The areas, in the order of the table's columns.
AREAS = ("wire", "errors", "effects", "pagination", "state")
#: Statuses that were judged (the others were not run, or could not be on this target).
JUDGED = frozenset({"passed", "failed", "error", "xfailed", "xpassed"})


@dataclass(frozen=True)
class Area:
    """One operation's area: how much passed of what was judged, and why the rest did not."""

    passed: int
    total: int
    causes: tuple[str, ...] = ()
    #: Of a catalogue area's documented entries, how many the run provoked or observed.
    exercised: int | None = None

    def cell(self) -> str:
        """``12/14``, or ``-`` when nothing was judged."""
        return f"{self.passed}/{self.total}" if self.total else "-"


@dataclass(frozen=True)
class OperationStatus:
    """One operation: supported (None: not tested) and its areas."""

    operation: str
    supported: bool | None
    areas: dict[str, Area]


def area_of(result: CheckResult) -> str | None:
    """The area a result belongs to, or None (parity, and checks of no area)."""
    for area, (_, checks) in CATALOGUE_AREAS.items():
        if result.check in checks:
            return area
    for area, categories in CHECK_AREAS.items():
        if result.category in categories:
            return area
    return None


def _supported(results: list[CheckResult]) -> bool | None:
    """False when the target answered the operation as unsupported and nothing was judged."""
    if not results:
        return None
    judged = any(r.status in JUDGED for r in results)
    return judged or not any(r.status == "unsupported" for r in results)


def edition_operations(edition: str) -> tuple[str, ...]:
    """The operations of the edition a run judged by (the default edition's when the run names
    none, or one this version does not ship)."""
    try:
        return tuple(load_service(edition or None).operations)
    except (SpecError, EditionError):
        return spec_operations()


def _cause_text(cause: Cause) -> str:
    return f"{check_label(cause)}: {cause.text}"


def operation_statuses(run: RunResults) -> list[OperationStatus]:
    """Every operation of the run's edition (and any other the run has), in name order."""
    by_operation: dict[str, list[CheckResult]] = {}
    for r in run.results:
        by_operation.setdefault(r.operation, []).append(r)
    names = sorted((set(edition_operations(run.edition)) | set(by_operation)) - {ENDPOINT})
    causes = counted_causes(run.causes)
    out = []
    for name in names:
        results = by_operation.get(name, [])
        areas = {}
        for area in AREAS:
            mine = [r for r in results if area_of(r) == area and counts(r, run.settings.strictness)]
            ids = {r.id for r in mine}
            texts = sorted({_cause_text(c) for c in causes if ids & set(c.results)})
            if area in CATALOGUE_AREAS:
                kind = CATALOGUE_AREAS[area][0]
                tally = run.coverage.by_operation.get(name, {}).get(kind) if run.coverage else None
                passed, total = (tally.passed, tally.total) if tally else (0, 0)
                exercised: int | None = tally.exercised if tally else 0
            else:
                judged = [r for r in mine if r.status in JUDGED]
                passed, total = sum(r.status == "passed" for r in judged), len(judged)
                exercised = None
            areas[area] = Area(passed, total, tuple(texts), exercised)
        out.append(OperationStatus(name, _supported(results), areas))
    return out


def _target(run: RunResults) -> str:
    return run.target.name or (run.target.endpoint_url if run.target.kind == "url" else "")


def _area_json(area: Area) -> dict[str, Any]:
    out: dict[str, Any] = {"passed": area.passed, "total": area.total}
    if area.exercised is not None:
        out["exercised"] = area.exercised
    out["causes"] = list(area.causes)
    return out


def render_status_json(run: RunResults) -> str:
    """``status.json``: the per-operation status, keys and lists in a fixed order."""
    doc: dict[str, Any] = {
        "status_version": STATUS_VERSION,
        "target": _target(run),
        "edition": run.edition,
        "profile": run.settings.profile,
        "strictness": run.settings.strictness,
        "operations": {
            s.operation: {
                "supported": s.supported,
                **{area: _area_json(a) for area, a in s.areas.items()},
            }
            for s in operation_statuses(run)
        },
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


SUPPORTED_TEXT = {True: "yes", False: "no", None: "not tested"}


def render_status_markdown(run: RunResults) -> str:
    """``status.md``: one table row per operation, then the causes per operation and area."""
    statuses = operation_statuses(run)
    target = _target(run)
    lines = [
        "# ECR Public conformance status" + (f": {md(target)}" if target else ""),
        "",
        f"Edition `{run.edition or 'default'}`, profile `{run.settings.profile}`, strictness "
        f"`{run.settings.strictness}`. Wire, pagination and state count check results; errors and "
        "effects count the documented ones that passed.",
        "",
        "| Operation | Supported | " + " | ".join(a.capitalize() for a in AREAS) + " |",
        "|---|---|" + "---|" * len(AREAS),
    ]
    for s in statuses:
        cells = [s.areas[a].cell() for a in AREAS]
        lines.append(
            f"| {s.operation} | {SUPPORTED_TEXT[s.supported]} | " + " | ".join(cells) + " |"
        )
    failing = [(s, a) for s in statuses for a in AREAS if s.areas[a].causes]
    if failing:
        lines += ["", "## Causes", ""]
        for s, area in failing:
            for text in s.areas[area].causes:
                lines.append(f"- {s.operation}, {area}: {md(text)}")
    return "\n".join(lines) + "\n"


def render_status_html(run: RunResults) -> str:
    """The status table for ``report.html`` (``id="status"``), collapsed under the matrix."""
    rows = []
    for s in operation_statuses(run):
        cells = "".join(
            f'<td data-area="{a}" title="{escape("; ".join(s.areas[a].causes))}">'
            f"{escape(s.areas[a].cell())}</td>"
            for a in AREAS
        )
        rows.append(
            f'<tr data-operation="{escape(s.operation)}"><td>{escape(s.operation)}</td>'
            f"<td>{SUPPORTED_TEXT[s.supported]}</td>{cells}</tr>"
        )
    head = "".join(f"<th>{a}</th>" for a in AREAS)
    return (
        '<section class="card"><details id="status"><summary>Status per operation (as '
        "<code>report status</code> writes it; a cell's tooltip names its causes)</summary>"
        f'<table class="results"><thead><tr><th>operation</th><th>supported</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></details></section>"
    )


def write_status(run: RunResults, out_dir: Path) -> dict[str, Path]:
    """Write ``status.md`` and ``status.json`` into ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    return {
        "markdown": atomic_write_text(out_dir / FILES["markdown"], render_status_markdown(run)),
        "json": atomic_write_text(out_dir / FILES["json"], render_status_json(run)),
    }
