from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from ecr_public_conformance.conformance.records import CheckResult
from ecr_public_conformance.reports import RunResults, load_history, write_reports
from ecr_public_conformance.reports.history import append_run, prune


def test_history_record_is_compact(run: RunResults, tmp_path: Path) -> None:
    path = append_run(tmp_path, run)
    assert path.name == "2026-11-27T18-00-00Z.json"
    record = json.loads(path.read_text())
    assert record["score"] == 0.5
    assert record["failing"] == [
        "CreateRepository::rejects-too-long-name",
        "DeleteRepository::force-delete",
        "DescribeRepositories::next-token-round-trip",
    ]
    assert record["counts"]["passed"] == 3 and record["profile"] == "ci"
    assert record["target"] == {"endpoint_url": "http://127.0.0.1:5000", "kind": "reference"}


def test_retention_keeps_the_newest_runs(
    run_factory: Callable[..., RunResults], tmp_path: Path
) -> None:
    for minute in range(12):
        append_run(tmp_path, run_factory(started_at=f"2026-11-27T18:{minute:02d}:00Z"), keep=5)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"2026-11-27T18-{m:02d}-00Z.json" for m in range(7, 12)]
    assert prune(tmp_path, keep=2) == [tmp_path / n for n in names[:3]]
    assert [r.run_id for r in load_history(tmp_path)] == [
        "2026-11-27T18-10-00Z",
        "2026-11-27T18-11-00Z",
    ]


def test_rebuilding_the_same_run_does_not_add_a_point(run: RunResults, tmp_path: Path) -> None:
    write_reports(run, tmp_path / "latest")
    write_reports(run, tmp_path / "latest")
    assert len(list((tmp_path / "history").iterdir())) == 1
    page = (tmp_path / "latest" / "report.html").read_text()
    assert 'id="trend" data-points="1"' in page
    assert "No previous run" in page


def test_unreadable_history_files_are_ignored(run: RunResults, tmp_path: Path) -> None:
    (tmp_path / "2020-01-01T00-00-00Z.json").write_text("{broken")
    append_run(tmp_path, run)
    assert [r.run_id for r in load_history(tmp_path)] == [run.run_id]


def test_comparison_and_trend_across_two_runs(
    run_factory: Callable[..., RunResults],
    sample: tuple[CheckResult, ...],
    set_status: Callable[..., tuple[CheckResult, ...]],
    tmp_path: Path,
) -> None:
    out = tmp_path / "latest"
    first = run_factory(started_at="2026-11-26T18:00:00Z", finished_at="2026-11-26T18:05:00Z")
    write_reports(first, out)
    # Run 2: the pagination failure is fixed, a passing check now fails.
    results = set_status(sample, "next-token-round-trip", "passed")
    results = set_status(results, "policy-echo", "failed")
    second = run_factory(results)
    written = write_reports(second, out)

    summary = written["summary"].read_text()
    assert "Compared with the previous run (2026-11-26T18-00-00Z)" in summary
    new = summary[summary.index("**New failures") : summary.index("**Fixed")]
    assert "`SetRepositoryPolicy::policy-echo`" in new and "next-token" not in new
    fixed = summary[summary.index("**Fixed") :]
    assert "`DescribeRepositories::next-token-round-trip`" in fixed.split("###")[0]

    page = written["html"].read_text()
    assert 'data-previous="2026-11-26T18-00-00Z"' in page
    new_list = re.search(r'<ul class="cmp-list" id="new-failures"[^>]*>(.*?)</ul>', page)
    fixed_list = re.search(r'<ul class="cmp-list" id="fixed"[^>]*>(.*?)</ul>', page)
    assert new_list and "SetRepositoryPolicy::policy-echo" in new_list.group(1)
    assert fixed_list and "DescribeRepositories::next-token-round-trip" in fixed_list.group(1)
    assert 'id="trend" data-points="2"' in page
    points = re.findall(r'<circle class="trend-point[^"]*"[^>]*data-run-id="([^"]+)"', page)
    assert points == ["2026-11-26T18-00-00Z", "2026-11-27T18-00-00Z"]
    labels = re.findall(r'<text class="pt-label"[^>]*>([^<]+)</text>', page)
    assert labels == ["50.0%", "50.0%"]
