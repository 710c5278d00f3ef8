from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from ecr_public_conformance.records import (
    Budget,
    Budgets,
    CheckResult,
    Cleanup,
    Coverage,
    Ending,
    RunResults,
    SetupFailure,
)
from ecr_public_conformance.records.coverage import KindCoverage, Tally, Unexercised
from ecr_public_conformance.reports import write_reports
from ecr_public_conformance.reports.atomic import atomic_write_text
from ecr_public_conformance.reports.badge import colour, render_badge
from ecr_public_conformance.reports.html_report import render_html
from ecr_public_conformance.reports.junit import render_junit
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
    assert written["history"].parent.parent.parent == tmp_path / "history"
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
    assert text.startswith("## ECR Public conformance: 3 causes (3 failures); score 50.0%")
    assert "MUST 25.0% · SHOULD 100.0%" in text
    assert "| 3 | 2 | 1 | 0 | 1 | 1 | 1 | 0 | 9 |" in text
    assert "| CreateRepository | ✓ | – | · | ✗ |" not in text  # categories are in spec order
    row = next(line for line in text.splitlines() if line.startswith("| CreateRepository |"))
    assert row.split("|")[2:5] == [" ✓ ", " ✓ ", " · "]  # response, errors, protocol
    assert row.split("|")[5] == " ✗ "  # negative
    assert text.count("| TagResource |") == 1
    assert "### Failures: 3 causes in 3 results" in text
    assert (
        "- ✗ `rejects-too-long-name` (MUST, negative): accepted a 300-character repositoryName "
        "(maxLength 205) with HTTP 200 - 1 operation: CreateRepository"
    ) in text
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


def test_summary_lists_one_bullet_per_cause(two_causes_run: RunResults) -> None:
    text = render_summary(two_causes_run)
    failures = text[text.index("### Failures") :]
    bullets = [line for line in failures.splitlines() if line.startswith("- ")]
    assert len(bullets) == 2
    assert failures.startswith("### Failures: 2 causes in 26 results")
    assert bullets[0].startswith(
        "- ✗ `content_type_is_amz_json` (MUST, protocol): expected application/x-amz-json-1.1; "
        "got text/html - 23 operations: BatchCheckLayerAvailability, BatchDeleteImage, "
    )
    assert bullets[1] == (
        "- ✗ `page_size_respected` (MUST, pagination): expected at most \\<n\\> items per page; "
        "got \\<n\\> items on page 1 - 3 operations: DescribeImageTags, DescribeImages, "
        "DescribeRepositories"
    )


def test_summary_sets_should_causes_apart_under_spec(two_causes_run: RunResults) -> None:
    should = result_factory_should()
    how = replace(two_causes_run.settings, strictness="spec")
    run = replace(two_causes_run, results=two_causes_run.results + should, settings=how)
    text = render_summary(run)
    assert "#### Not counted (SHOULD checks under strictness spec): 1 cause in 1 result" in text
    assert text.index("#### Not counted") > text.index("`page_size_respected`")


def result_factory_should() -> tuple[CheckResult, ...]:
    from .conftest import result

    return (
        result("PutImage", "error_body_has_message", "failed", level="SHOULD", reason="no message"),
    )


def _troubled(run: RunResults) -> RunResults:
    from .conftest import result

    blocked = replace(
        result("PutImage", "registry_model_conformance", "error", category="stateful"),
        setup_failure=SetupFailure("CompleteLayerUpload", 400, "LayerPartTooSmall", ""),
    )
    return replace(
        run,
        results=run.results + (blocked,),
        ending=Ending(True, "interrupted", 300),
        budgets=Budgets(requests=Budget(3000, 3000, True)),
        cleanup=Cleanup(
            left=("ecrconf-1a2b-w0-r1",),
            command="ecr-public-conformance cleanup --prefix ecrconf-1a2b",
            not_restored=("registry display name was not set before the run",),
        ),
        coverage=Coverage(
            documented_errors=KindCoverage(
                total=72,
                provocable=67,
                exercised=64,
                passed=60,
                unexercised=(Unexercised("PutImage/LimitExceeded", "PutImage", "quota"),),
            ),
            effects=KindCoverage(total=45, exercised=41, passed=40),
            by_operation={
                "CompleteLayerUpload": {
                    "documented_errors": Tally(4, 4, 3, 3),
                    "effects": Tally(2, 2, 1, 1),
                }
            },
        ),
    )


def test_banners_sit_at_the_top_only_when_they_apply(run: RunResults) -> None:
    assert "[!WARNING]" not in render_summary(run)
    assert 'id="banners"' not in render_html(run)
    troubled = _troubled(run)
    text = render_summary(troubled)
    top = text[: text.index("| passed |")]
    for needle in (
        "> [!WARNING]",
        "> - 1 check could not run: setup CompleteLayerUpload failed with HTTP 400 "
        "LayerPartTooSmall",
        "> - interrupted after 10 of 300 cases; the scores cover only what ran",
        "> - budget hit: 3000 of 3000 requests; ",
        "> - cleanup left 1 resource behind: ecrconf-1a2b-w0-r1; remove with "
        "`ecr-public-conformance cleanup --prefix ecrconf-1a2b`",
        "> - not restored: registry display name was not set before the run",
        "**Coverage**: documented errors provoked 64/72 (60 passed), effects 41/45 (40 passed)",
    ):
        assert needle in top, needle
    page = render_html(troubled)
    assert page.index('id="banners"') < page.index('id="score"')
    banners = re.findall(r'<li class="banner" data-kind="([a-z]+)">', page)
    assert banners == ["setup", "interrupted", "budget", "cleanup", "cleanup"]
    assert "documented errors provoked 64/72 (60 passed), effects 41/45 (40 passed)" in page


def test_coverage_per_operation_and_unexercised(run: RunResults) -> None:
    troubled = _troubled(run)
    text = render_summary(troubled)
    header = next(line for line in text.splitlines() if line.startswith("| operation |"))
    assert header.endswith("| coverage |")
    row = next(line for line in text.splitlines() if line.startswith("| CompleteLayerUpload |"))
    assert row.endswith("| errors 3/4, effects 1/2 |")
    assert "<details><summary>Not exercised (1)</summary>" in text
    assert "- errors `PutImage/LimitExceeded` (PutImage): quota" in text
    page = render_html(troubled)
    cell = re.search(r'<td class="cov" data-coverage-of="CompleteLayerUpload"[^>]*>([^<]*)<', page)
    assert cell and cell.group(1) == "errors 3/4, effects 1/2"
    assert re.search(r'<details id="unexercised" data-count="1">', page)  # collapsed
    assert "PutImage/LimitExceeded" in page
    assert "coverage" not in render_summary(run).split("### Operations")[1].splitlines()[2]


def test_endpoint_results_are_one_row_at_the_top(
    run: RunResults, result_factory: Callable[..., CheckResult]
) -> None:
    endpoint = replace(
        result_factory("endpoint", "unknown_operation_rejected", "failed", category="protocol"),
        scope="endpoint",
        reason="HTTP 200 for an unknown X-Amz-Target",
    )
    with_endpoint = replace(run, results=(endpoint, *run.results))
    text = render_summary(with_endpoint)
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| operation |"))
    assert lines[header + 2].startswith("| endpoint | · | · | ✗ |")  # first row, protocol
    assert text.count("| endpoint |") == 1
    page = render_html(with_endpoint)
    first_row = re.search(
        r'<tbody><tr data-row-status="(\w+)"><th scope="row" class="op">(\w+)', page
    )
    assert first_row and first_row.groups() == ("failed", "endpoint")
    root = ET.fromstring(render_junit(with_endpoint).encode())
    suites = [s.get("name") for s in root.findall("testsuite")]
    assert suites[0] == "endpoint" and suites.count("endpoint") == 1


def test_html_has_one_card_per_cause(two_causes_run: RunResults) -> None:
    page = render_html(two_causes_run)
    cards = re.findall(
        r'<section class="cause" id="cause-([0-9a-f]{10})"[^>]*data-operations="(\d+)"', page
    )
    assert [n for _, n in cards] == ["23", "3"]
    assert [c for c, _ in cards] == [c.id for c in two_causes_run.causes]
    first = page[page.index('<section class="cause"') :]
    first = first[: first.index("</section>")]
    chips = re.findall(r'<a class="op-chip[^"]*" href="#([^"]+)"', first)
    assert len(chips) == 23
    assert all(f'id="{anchor}"' in page for anchor in chips)  # every chip reaches a drill-down
    assert re.search(r'<details id="drilldowns" data-count="26">', page)  # collapsed
    assert page.count('<section class="result"') == 26
    assert "Failures: 2 causes in 26 results" in page


def test_junit_keeps_one_testcase_per_result(two_causes_run: RunResults) -> None:
    root = ET.fromstring(render_junit(two_causes_run).encode())
    assert (root.get("tests"), root.get("failures")) == ("49", "26")
