"""How constraint coverage reads in the reports: one line, and a table per operation in
``report.html`` with every untried side and why."""

from __future__ import annotations

from html import escape

from ..records import ConstraintCoverage, ConstraintRow, RunResults, Side
from ..records.constraints import ConstraintTally
from .fmt import plural


def _counts(t: ConstraintTally) -> str:
    return (
        f"valid values judged for {t.valid}, invalid for {t.invalid}, both for {t.both}, "
        f"neither for {t.untried}"
    )


def constraints_line(cc: ConstraintCoverage | None) -> str:
    """``of 21 constraints of the 1 operation judged: valid values judged for 13, invalid for
    15, both for 11, neither for 4; 162 more in 22 operations not judged``, or ""."""
    if cc is None or not cc.operations:
        return ""
    mine = cc.total_judged
    judged = len(cc.judged)
    line = (
        f"of {plural(mine.constraints, 'constraint')} of the "
        f"{plural(judged, 'operation')} judged: {_counts(mine)}"
    )
    rest = cc.total.constraints - mine.constraints
    others = len(cc.operations) - judged
    if others:
        line += f"; {rest} more in {plural(others, 'operation')} not judged"
    return line


def _side(cc: ConstraintCoverage, operation: str, row: ConstraintRow, side: Side) -> str:
    n = row.judged(side)
    if n:
        return f'<td class="tried" data-side="{side}">{n}</td>'
    why = cc.why_untried(operation, row, side)
    return (
        f'<td class="untried" data-side="{side}">untried <span class="why">'
        f"{escape(why)}</span></td>"
    )


def _listed(rows: tuple[ConstraintRow, ...]) -> str:
    """The constraints of an operation the run did not judge, member by member (all untried)."""
    members: dict[str, list[str]] = {}
    for r in rows:
        members.setdefault(r.member, []).append(f"{r.constraint} {r.bound}".strip())
    items = "".join(
        f"<li><code>{escape(m)}</code>: {escape(', '.join(cs))}</li>" for m, cs in members.items()
    )
    return f'<ul class="untried-list">{items}</ul>'


def _table(cc: ConstraintCoverage, operation: str) -> str:
    rows = cc.operations[operation]
    t = cc.tally_of(operation)
    judged = operation in cc.judged
    body = "".join(
        f'<tr data-member="{escape(r.member)}" data-constraint="{escape(r.constraint)}" '
        f'data-valid="{r.valid}" data-invalid="{r.invalid}">'
        f"<td><code>{escape(r.member)}</code></td><td>{escape(r.constraint)}</td>"
        f"<td><code>{escape(r.bound)}</code></td>"
        f"{_side(cc, operation, r, 'valid')}{_side(cc, operation, r, 'invalid')}</tr>"
        for r in rows
    )
    if not rows:
        summary = f"{escape(operation)}: no constraint on its input"
    elif judged:
        summary = f"{escape(operation)}: {plural(t.constraints, 'constraint')}, {_counts(t)}"
    else:
        summary = (
            f"{escape(operation)}: {plural(t.constraints, 'constraint')}, "
            "not judged in this run: every one untried"
        )
    table = (
        '<table class="results"><thead><tr><th>member</th><th>constraint</th><th>bound</th>'
        f"<th>valid values</th><th>invalid values</th></tr></thead><tbody>{body}</tbody></table>"
        if rows and judged
        else _listed(rows)
        if rows
        else '<p class="meta">No constraint on this operation\'s input.</p>'
    )
    return (
        f'<details class="constraints" data-operation="{escape(operation)}" '
        f'data-judged="{str(judged).lower()}"{" open" if judged else ""}>'
        f"<summary>{summary}</summary>{table}</details>"
    )


def render_constraints(run: RunResults) -> str:
    """Constraint coverage (``id="constraints"``): a table per operation, judged ones open."""
    cc = run.constraints
    if cc is None or not cc.operations:
        return ""
    judged = [op for op in cc.operations if op in cc.judged]
    others = [op for op in cc.operations if op not in cc.judged]
    tables = "".join(_table(cc, op) for op in [*judged, *others])
    return (
        '<section class="card" id="constraints"><h2>Constraint coverage</h2>'
        f'<p class="coverage-line">{escape(constraints_line(cc))}</p>'
        '<p class="meta">Per input member and constraint: how many valid values (at the bound) '
        "and invalid values (breaking it alone) were sent and judged; an untried side says "
        f"why.</p>{tables}</section>"
    )
