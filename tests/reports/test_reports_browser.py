"""Render report.html in headless Chromium and check what a reader would see."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ecr_public_conformance.records import RunResults
from ecr_public_conformance.reports import write_reports
from ecr_public_conformance.reports.matrix import spec_operations

from .test_constraint_table import BASE, constraint_run

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


def _chromium() -> str | None:
    env = os.environ.get("CHROMIUM")
    if env:
        return env
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium binary (install Debian's 'chromium' package or set CHROMIUM=...)",
)


def _chromium_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def report(run: RunResults, tmp_path: Path) -> Path:
    return write_reports(run, tmp_path / "latest")["html"]


def test_chromium_renders_score_matrix_and_drill_down(report: Path, tmp_path: Path) -> None:
    done = _chromium_run(tmp_path, "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert 'id="score"' in dom and "50.0%" in dom
    assert 'id="matrix"' in dom
    assert dom.count('data-category="negative"') >= 23
    assert 'data-operation="CreateRepository" data-category="negative" data-status="failed"' in dom
    assert dom.count('<details class="failure"') == 2
    assert "Violated spec fact" in dom and "aws ecr-public" in dom
    assert 'class="js"' in dom  # the optional script ran (copy buttons and filters enabled)


def test_chromium_screenshot(report: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    done = _chromium_run(tmp_path, f"--screenshot={png}", "--window-size=1366,900", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    keep = os.environ.get("REPORT_SCREENSHOT")
    if keep:
        shutil.copyfile(png, keep)


@pytest.fixture
def causes_report(two_causes_run: RunResults, tmp_path: Path) -> Path:
    return write_reports(two_causes_run, tmp_path / "latest")["html"]


def test_chromium_shows_one_card_per_cause(causes_report: Path, tmp_path: Path) -> None:
    """26 failing results from 2 causes render as exactly 2 cards listing their operations."""
    done = _chromium_run(tmp_path, "--dump-dom", causes_report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    cards = re.findall(r'<section class="cause" [^>]*>.*?</section>', dom, flags=re.S)
    assert len(cards) == 2
    content, page = cards
    assert "expected application/x-amz-json-1.1; got text/html" in content
    chips = re.findall(
        r'<a class="op-chip[^"]*" href="#[^"]+" data-result="[^"]+">(\w+)</a>', content
    )
    assert chips == list(spec_operations())
    assert "expected at most &lt;n&gt; items per page" in page
    chips = re.findall(r'<a class="op-chip[^"]*" href="#[^"]+" data-result="[^"]+">(\w+)</a>', page)
    assert chips == ["DescribeImageTags", "DescribeImages", "DescribeRepositories"]
    # The 26 drill-downs stay available, collapsed.
    assert re.search(r'<details id="drilldowns" data-count="26">', dom)
    assert dom.count('<section class="result"') == 26


def test_chromium_opens_the_drill_down_a_chip_links_to(causes_report: Path, tmp_path: Path) -> None:
    url = causes_report.as_uri() + "#res-DescribeImages-page_size_respected"
    done = _chromium_run(tmp_path, "--dump-dom", url)
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r'<details id="drilldowns" data-count="26" open="">', done.stdout)


def test_chromium_shows_the_constraint_coverage(tmp_path: Path) -> None:
    run = constraint_run(BASE)
    path = write_reports(run, tmp_path / "latest")["html"]
    done = _chromium_run(tmp_path, "--dump-dom", path.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert 'id="constraints"' in dom
    assert 'data-operation="CreateRepository" data-judged="true" open=""' in dom
    assert 'data-member="repositoryName" data-constraint="maxLength"' in dom
    assert "the minimum is 0: nothing below" in dom  # an untried side, with why


def test_chromium_shows_the_status_per_operation(report: Path, tmp_path: Path) -> None:
    done = _chromium_run(tmp_path, "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert '<details id="status">' in dom
    assert '<tr data-operation="CreateRepository"><td>CreateRepository</td>' in dom
    assert 'data-area="wire"' in dom and 'data-area="errors"' in dom
