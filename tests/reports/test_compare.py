"""``report compare``: runs side by side, as HTML and Markdown, and one line for bad input."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from ecr_public_conformance.cli import main
from ecr_public_conformance.records import Parity, Reported, RunResults, Target
from ecr_public_conformance.reports import write_results
from ecr_public_conformance.reports.compare import (
    cause_rows,
    columns,
    matrix_rows,
    render_html,
    render_markdown,
    warnings,
)

from .conftest import make_run, two_causes_results

PARITY = Parity(
    oracle="AWS (us-east-1)", score=0.912, compared=100, matching=91, divergences=9, stale=0
)


def three_runs() -> list[RunResults]:
    reference = make_run()
    emulator = replace(
        make_run(two_causes_results()),
        target=Target("http://localhost:4566", kind="url"),
    )
    emulator = replace(emulator, times=replace(emulator.times, started_at="2026-11-28T10:00:00Z"))
    variant = make_run(started_at="2026-11-29T10:00:00Z")
    variant = replace(
        variant,
        target=Target(
            "http://127.0.0.1:6000",
            kind="reference",
            reported=Reported(variants=("minimal-output",)),
        ),
        parity=PARITY,
        spec_hash="0" * 64,
    )
    return [reference, emulator, variant]


def test_columns_name_each_target() -> None:
    labels = [c.label for c in columns(three_runs())]
    assert labels == [
        "embedded reference",
        "http://localhost:4566",
        "embedded reference (variants: minimal-output)",
    ]
    twice = columns([make_run(), make_run()])
    assert [c.label for c in twice] == ["embedded reference #1", "embedded reference #2"]


def test_rows_mark_where_the_runs_differ() -> None:
    runs = three_runs()
    rows = {(r.operation, r.category): r for r in matrix_rows(runs)}
    row = rows[("CreateRepository", "negative")]
    assert row.statuses == ("failed", "not-run", "failed") and row.differs
    assert rows[("CreateRepository", "protocol")].statuses == ("not-run", "failed", "not-run")
    causes = cause_rows(runs)
    shared = [c for c in causes if all(s is not None for s in c.seen[::2])]
    assert shared and shared[0].seen[1] is None  # in the sample runs, not in the emulator's
    assert len({c.cause.id for c in causes}) == len(causes)


def test_markdown_has_a_column_per_target_with_score_spec_and_profile() -> None:
    text = render_markdown(three_runs())
    head = "| | embedded reference | http://localhost:4566 | embedded reference (variants: "
    assert head + "minimal-output) |" in text
    assert "| score | 50.0% | 46.9% | 50.0% |" in text
    assert "| parity | · | · | parity with AWS (us-east-1) 91.2% |" in text
    assert "| spec | `db125b38559f` | `db125b38559f` | `000000000000` |" in text
    assert "| profile | `ci` | `ci` | `ci` |" in text
    assert "> - the runs were checked against different specs: rows may not compare" in text
    assert "CreateRepository / negative ≠ | ✗ | · | ✗ |" in text


def test_html_is_one_self_contained_page() -> None:
    page = render_html(three_runs())
    assert page.count('<th scope="col" data-column="2">') == 3  # runs, matrix, causes
    assert 'data-operation="CreateRepository" data-category="negative" data-differs="true"' in page
    # nothing to fetch: no script, stylesheet link or external source
    assert "<script" not in page and "<link" not in page and 'src="' not in page


def test_nothing_to_warn_about_runs_of_one_kind() -> None:
    assert warnings([make_run(), make_run()]) == []


def _write(tmp: Path, name: str, run: RunResults) -> str:
    path = tmp / name / "results.json"
    write_results(run, path)
    return str(path)


def test_the_command_writes_html_and_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [_write(tmp_path, f"r{i}", run) for i, run in enumerate(three_runs())]
    code = main(["report", "compare", *files, "--out", str(tmp_path / "cmp")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert (tmp_path / "cmp" / "compare.html").read_text().startswith("<!DOCTYPE html>")
    assert (
        (tmp_path / "cmp" / "compare.md")
        .read_text()
        .startswith("## ECR Public conformance: 3 runs")
    )
    assert out.splitlines()[0] == f"  50.0%  {files[0]}"


#: situation -> (files: name -> text, the stderr line)
BAD = {
    "one file": ({"a.json": None}, "error: report compare: give two results files or more"),
    "a missing file": ({"a.json": None, "b.json": "MISSING"}, "error: b.json: cannot read: "),
    "not JSON": ({"a.json": None, "b.json": "{"}, "error: b.json: not valid JSON: "),
    "not results": ({"a.json": None, "b.json": json.dumps({"x": 1})}, "error: b.json: "),
}


@pytest.mark.parametrize("situation", list(BAD))
def test_bad_input(situation: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files, expected = BAD[situation]
    names = []
    for name, text in files.items():
        if text is None:
            write_results(make_run(), tmp_path / name)
        elif text != "MISSING":
            (tmp_path / name).write_text(text)
        names.append(name)
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        code = main(["report", "compare", *names, "--out", "cmp"])
    finally:
        os.chdir(old)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith(expected), err
    assert not (tmp_path / "cmp").exists()
