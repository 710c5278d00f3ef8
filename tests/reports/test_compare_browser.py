"""Render the comparison of three runs in headless Chromium and check what a reader sees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecr_public_conformance.reports.compare import write_compare

from .test_compare import three_runs
from .test_reports_browser import CHROMIUM, _chromium_run

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium binary (install Debian's 'chromium' package or set CHROMIUM=...)",
)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    return write_compare(three_runs(), tmp_path / "cmp")["html"]


def test_chromium_renders_three_columns_rows_and_causes(page: Path, tmp_path: Path) -> None:
    done = _chromium_run(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    heads = re.findall(r'<table class="compare" id="runs"><thead><tr>(.*?)</tr>', dom, flags=re.S)
    assert heads and heads[0].count('<th scope="col"') == 3
    assert "http://localhost:4566" in heads[0] and "variants: minimal-output" in heads[0]
    scores = re.findall(r'data-score="([^"]+)"', dom)
    assert scores == ["50.0%", "46.9%", "50.0%"]
    assert 'data-parity="parity with AWS (us-east-1) 91.2%"' in dom
    assert len(re.findall(r'data-spec="[0-9a-f]{12}"', dom)) == 3
    assert len(re.findall(r'data-profile="ci"', dom)) == 3
    rows = re.findall(r'<tr data-operation="[^"]+" data-category="[^"]+" data-differs="(\w+)"', dom)
    assert "true" in rows and "false" in rows
    assert dom.count('class="cause-row"') == len(re.findall(r'<tr class="cause-row"', dom)) > 0
    assert "the runs were checked against different specs" in dom


def test_chromium_screenshot(page: Path, tmp_path: Path) -> None:
    png = tmp_path / "compare.png"
    done = _chromium_run(tmp_path, f"--screenshot={png}", "--window-size=1366,900", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
