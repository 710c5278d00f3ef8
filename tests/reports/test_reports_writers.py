from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from ecr_public_conformance.conformance.records import CheckResult
from ecr_public_conformance.reports import RunResults, write_reports
from ecr_public_conformance.reports.atomic import atomic_write_text
from ecr_public_conformance.reports.badge import colour, render_badge
from ecr_public_conformance.reports.html_report import render_html
from ecr_public_conformance.reports.markdown import render_summary
from ecr_public_conformance.reports.writers import FILES

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def written(run: RunResults, tmp_path: Path) -> dict[str, Path]:
    return write_reports(run, tmp_path / "latest")


def test_write_reports_writes_five_files_and_a_history_record(
    written: dict[str, Path], tmp_path: Path
) -> None:
    assert {k: p.name for k, p in written.items() if k != "history"} == FILES
    assert all(p.is_file() and p.stat().st_size > 0 for p in written.values())
    assert written["history"].parent == tmp_path / "history"
    assert not [p for p in (tmp_path / "latest").iterdir() if p.name.endswith(".tmp")]


def test_junit_parses_with_the_right_counts(written: dict[str, Path]) -> None:
    root = ET.parse(written["junit"]).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("9", "2", "1")
    assert root.get("skipped") == "3"  # skipped + unsupported + xfailed
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert len(suites) == 7
    create = suites["CreateRepository"]
    assert (create.get("tests"), create.get("failures")) == ("3", "1")
    failed = [c for c in create.findall("testcase") if c.find("failure") is not None]
    assert len(failed) == 1
    node = failed[0].find("failure")
    assert node is not None and "300-character" in (node.get("message") or "")
    assert "aws ecr-public" in (node.text or "") and "boto3" in (node.text or "")
    skipped = suites["PutImage"].find("testcase/skipped")
    assert skipped is not None and skipped.get("message") == "unsupported: 501"
    error = suites["DeleteRepository"].find("testcase/error")
    assert error is not None and "ConnectionResetError" in (error.get("message") or "")


def test_summary_markdown_content(run: RunResults) -> None:
    text = render_summary(run)
    assert text.startswith("## ECR Public conformance: 50.0%")
    assert "MUST 25.0% · SHOULD 100.0%" in text
    assert "| 3 | 2 | 1 | 0 | 1 | 1 | 1 | 0 | 9 |" in text
    assert "| CreateRepository | ✓ | – | · | ✗ |" not in text  # categories are in spec order
    row = next(line for line in text.splitlines() if line.startswith("| CreateRepository |"))
    assert row.split("|")[2:5] == [" ✓ ", " ✓ ", " · "]  # response, errors, protocol
    assert row.split("|")[5] == " ✗ "  # negative
    assert text.count("| TagResource |") == 1
    assert "### Failures (3)" in text
    assert "`CreateRepository::rejects-too-long-name` (MUST, negative): accepted a 300" in text
    assert "Compared with the previous run" not in text
    assert not re.search(r"[\U0001F300-\U0001FAFF\u2705\u274C]", text)  # no emoji


def test_badge_is_svg_coloured_by_score() -> None:
    for score, text, fill in (
        (0.974, "97%", "#4c1"),
        (0.5, "50%", "#fe7d37"),
        (0.3, "30%", "#e05d44"),
        (None, "n/a", "#9f9f9f"),
    ):
        root = ET.fromstring(render_badge(score))
        assert root.tag == f"{SVG}svg"
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert texts.count("conformance") == 2 and texts.count(text) == 2
        assert fill in [r.get("fill") for r in root.iter(f"{SVG}rect")]
        assert colour(score) == fill


def test_badge_file_is_valid_xml(written: dict[str, Path]) -> None:
    assert ET.parse(written["badge"]).getroot().get("aria-label") == "conformance: 50%"


def test_html_has_score_matrix_and_drill_down(written: dict[str, Path]) -> None:
    page = written["html"].read_text()
    assert re.search(r'id="score" data-score="0\.5', page) and "50.0%" in page
    assert 'id="matrix"' in page
    assert len(set(re.findall(r'<td[^>]*data-operation="([^"]+)"', page))) == 23
    assert len(re.findall(r"<td [^>]*data-category=", page)) == 23 * 8
    assert 'data-operation="CreateRepository" data-category="negative" data-status="failed"' in page
    assert 'data-operation="TagResource" data-category="response" data-status="not-run"' in page
    assert 'data-operation="PutImage" data-category="positive" data-status="unsupported"' in page
    assert page.count('<details class="failure"') == 2
    block = page[page.index('<details class="failure"') :]
    block = block[: block.index("</details>")]
    for needle in (
        "Violated spec fact",
        "maxLength=205",
        "service-model",
        "Request",
        "POST http://127.0.0.1:5000/",
        "Response",
        "x-amzn-RequestId: r-1",
        "&quot;repositoryName&quot;: &quot;aaaa&quot;",
        "aws ecr-public createrepository",
        "boto3.client(",
        'class="copy"',
    ):
        assert needle in block, needle
    assert 'id="legend"' in page and 'id="levels"' in page and 'id="trend"' in page


def test_html_is_self_contained(written: dict[str, Path]) -> None:
    page = written["html"].read_text()
    assert "<script src" not in page.lower()
    assert "<link" not in page.lower()
    assert "@import" not in page
    assert not re.search(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "Content-Security-Policy" in page
    # The only http(s) URLs are the target's address, shown as text.
    urls = set(re.findall(r"https?://[^\s\"'<&]+", page))
    assert urls <= {"http://127.0.0.1:5000/", "http://127.0.0.1:5000"}


def test_html_escapes_result_text(
    run_factory: Callable[..., RunResults], result_factory: Callable[..., CheckResult]
) -> None:
    evil = result_factory("CreateRepository", "<script>alert(1)</script>", "failed")
    page = render_html(run_factory((evil,)))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_redaction_in_every_output(written: dict[str, Path], secrets: tuple[str, ...]) -> None:
    files = list(written.values())
    assert len(files) == 6
    for path in files:
        text = path.read_text()
        for secret in secrets:
            assert secret not in text, (path.name, secret)
    assert "[REDACTED]" in written["results"].read_text()
    assert "[REDACTED]" in written["html"].read_text()


def test_atomic_write_keeps_the_old_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.html"
    atomic_write_text(path, "old report")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(path, "new report " * 1000)
    assert path.read_text() == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_reports_failure_leaves_previous_reports_intact(
    run: RunResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "latest"
    write_reports(run, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("crash")))
    with pytest.raises(OSError):
        write_reports(run, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
