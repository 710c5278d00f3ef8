from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.records import CheckResult, Reported, RunResults, Target
from ecr_public_conformance.reports import load_history, write_reports
from ecr_public_conformance.reports.history import (
    append_run,
    compare,
    operations_key,
    prune,
    series_dir,
    target_key,
)
from ecr_public_conformance.reports.html_report import render_html
from ecr_public_conformance.specs import load_service


def test_history_record_is_compact(run: RunResults, tmp_path: Path) -> None:
    path = append_run(tmp_path, run)
    assert path.name == "2026-11-27T18-00-00Z.json"
    assert path.parent == series_dir(tmp_path, run)
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
    series = series_dir(tmp_path, run_factory())
    names = sorted(p.name for p in series.iterdir())
    assert names == [f"2026-11-27T18-{m:02d}-00Z.json" for m in range(7, 12)]
    assert prune(series, keep=2) == [series / n for n in names[:3]]
    assert [r.run_id for r in load_history(series)] == [
        "2026-11-27T18-10-00Z",
        "2026-11-27T18-11-00Z",
    ]


def test_rebuilding_the_same_run_does_not_add_a_point(run: RunResults, tmp_path: Path) -> None:
    write_reports(run, tmp_path / "latest")
    write_reports(run, tmp_path / "latest")
    assert len(list((tmp_path / "history").rglob("*.json"))) == 1
    page = (tmp_path / "latest" / "report.html").read_text()
    assert 'id="trend" data-points="1"' in page
    assert "No previous run" in page


def test_unreadable_history_files_are_ignored(run: RunResults, tmp_path: Path) -> None:
    series = series_dir(tmp_path, run)
    series.mkdir(parents=True)
    (series / "2020-01-01T00-00-00Z.json").write_text("{broken")
    (series / "2020-01-02T00-00-00Z.json").write_text("[1, 2]")
    append_run(tmp_path, run)
    assert [r.run_id for r in load_history(series)] == [run.run_id]


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


def _target(url: str, kind: str = "url", **reported: Any) -> Target:
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in reported.items()}
    return Target(endpoint_url=url, kind=kind, reported=Reported(**fields))  # type: ignore[arg-type]


URL_HASH = re.compile(r"-[0-9a-f]{8}$")
TARGET_KEYS = [
    ("reference, any port", _target("http://127.0.0.1:5000", "reference"), "reference"),
    ("reference, another port", _target("http://127.0.0.1:6001", "reference"), "reference"),
    (
        "reference, worker and server reported",
        _target("http://127.0.0.1:6001", "reference", worker="gw0", server="ref", faults=[]),
        "reference",
    ),
    (
        "reference with faults",
        _target("http://127.0.0.1:5000", "reference", faults=["page-size-ignored", "a-b"]),
        "reference-a-b-page-size-ignored",
    ),
    (
        "reference with a variant",
        _target("http://127.0.0.1:5000", "reference", variants=["strict-auth"]),
        "reference-strict-auth",
    ),
    ("in-process", _target("http://localhost", "in-process"), "in-process"),
    (
        "named url target",
        replace(_target("http://127.0.0.1:38211"), name="My Emulator"),
        "my-emulator",
    ),
    (
        "named in-process target",
        replace(_target("http://localhost", "in-process"), name="emu"),
        "emu",
    ),
    (
        "reference by its default name",
        replace(_target("http://127.0.0.1:5000", "reference"), name="reference"),
        "reference",
    ),
    (
        "renamed reference with a fault",
        replace(_target("http://127.0.0.1:5000", "reference", faults=["x"]), name="ref"),
        "ref-x",
    ),
    ("url with port", _target("http://localhost:4566"), "localhost-4566-"),
    (
        "https default port",
        _target("https://ecr-public.us-east-1.amazonaws.com"),
        "ecr-public-us-east-1-amazonaws-com-443-",
    ),
]


@pytest.mark.parametrize(("situation", "target", "expected"), TARGET_KEYS)
def test_target_key(situation: str, target: Target, expected: str) -> None:
    key = target_key(target)
    if target.kind == "url" and not target.name:
        assert key.startswith(expected) and URL_HASH.search(key), situation
    else:
        assert key == expected, situation


def test_a_named_target_keeps_one_history_whatever_its_port() -> None:
    ports = [replace(_target(f"http://127.0.0.1:{p}/"), name="emu") for p in (4566, 38211)]
    assert {target_key(t) for t in ports} == {"emu"}


def test_url_targets_on_one_host_differ_by_hash() -> None:
    a, b = (
        target_key(_target("http://localhost:4566")),
        target_key(_target("http://localhost:4566/x")),
    )
    assert a != b and a.rsplit("-", 1)[0] == b.rsplit("-", 1)[0] == "localhost-4566"
    assert target_key(_target("http://localhost:4566/")) == a


def test_operations_key(
    run_factory: Callable[..., RunResults], result_factory: Callable[..., CheckResult]
) -> None:
    every = tuple(result_factory(op, "chk", "passed") for op in load_service().operations)
    assert operations_key(run_factory(every)) == "all"
    endpoint = result_factory("endpoint", "chk", "passed")
    assert operations_key(run_factory((*every, endpoint))) == "all"
    some = operations_key(run_factory(every[:2]))
    assert re.fullmatch(r"[0-9a-f]{8}", some)
    assert operations_key(run_factory(tuple(reversed(every[:2])))) == some
    assert operations_key(run_factory((every[0], endpoint))) != some


def test_runs_are_compared_only_within_their_series(
    run_factory: Callable[..., RunResults],
    result_factory: Callable[..., CheckResult],
    tmp_path: Path,
) -> None:
    """A quick run of one operation on an emulator is never the previous run of a ci run."""
    out = tmp_path / "reports" / "latest"
    every = tuple(result_factory(op, "chk", "passed") for op in load_service().operations)
    early = run_factory(every, started_at="2026-11-27T10:00:00Z")
    ci = replace(early, settings=replace(early.settings, profile="ci"))
    quick = replace(
        run_factory(
            (result_factory("CreateRepository", "chk", "failed"),),
            started_at="2026-11-27T11:00:00Z",
        ),
        settings=replace(early.settings, profile="quick"),
        target=_target("http://localhost:4566"),
    )
    ci_again = replace(ci, times=replace(ci.times, started_at="2026-11-27T12:00:00Z"))
    write_reports(ci, out)
    write_reports(quick, out)
    written = write_reports(ci_again, out)
    files = sorted(
        p.relative_to(tmp_path / "reports" / "history")
        for p in (tmp_path / "reports" / "history").rglob("*.json")
    )
    assert [str(p.parent) for p in files] == [
        "localhost-4566-"
        + target_key(quick.target).rsplit("-", 1)[1]
        + "/quick-"
        + operations_key(quick),
        "reference/ci-all",
        "reference/ci-all",
    ]
    summary = written["summary"].read_text()
    assert "Compared with the previous run (2026-11-27T10-00-00Z)" in summary
    assert "`reference/ci-all`" in summary
    assert summary.startswith("## ECR Public conformance: no failures; score 100.0% (+0.0 pts)")
    page = written["html"].read_text()
    assert 'id="trend" data-points="2"' in page
    # The quick run on the other target had no previous run at all.
    assert "No previous run" in render_html(quick, compare(quick, None))


def test_interrupted_runs_are_recorded_but_not_compared_or_drawn(
    run_factory: Callable[..., RunResults], tmp_path: Path
) -> None:
    out = tmp_path / "latest"
    first = run_factory(started_at="2026-11-27T10:00:00Z")
    late = run_factory(started_at="2026-11-27T11:00:00Z")
    stopped = replace(late, ending=replace(late.ending, interrupted=True))
    third = run_factory(started_at="2026-11-27T12:00:00Z")
    write_reports(first, out)
    halted = write_reports(stopped, out)
    record = json.loads(halted["history"].read_text())
    assert record["interrupted"] is True
    page = halted["html"].read_text()
    assert 'id="trend" data-points="1"' in page  # the first run only
    assert "vs previous" not in page  # a partial score is not compared
    assert "(+" not in halted["summary"].read_text().splitlines()[0]
    written = write_reports(third, out)
    assert "Compared with the previous run (2026-11-27T10-00-00Z)" in written["summary"].read_text()
    points = re.findall(r'data-run-id="([^"]+)"', written["html"].read_text())
    assert points == ["2026-11-27T10-00-00Z", "2026-11-27T12-00-00Z"]
    assert len(list(halted["history"].parent.glob("*.json"))) == 3


def test_an_interrupted_run_alone_draws_no_point(
    run_factory: Callable[..., RunResults], tmp_path: Path
) -> None:
    plain = run_factory()
    stopped = replace(plain, ending=replace(plain.ending, stop_reason="max-failures"))
    page = write_reports(stopped, tmp_path / "latest")["html"].read_text()
    assert 'id="trend" data-points="0"' in page and "No complete run" in page


def test_old_flat_history_files_are_ignored(run: RunResults, tmp_path: Path) -> None:
    history = tmp_path / "history"
    history.mkdir()
    old = {
        "history_version": 1,
        "run_id": "2026-11-01T00-00-00Z",
        "started_at": "2026-11-01T00:00:00Z",
        "score": 0.1,
        "failing": ["CreateRepository::response-shape"],
    }
    (history / "2026-11-01T00-00-00Z.json").write_text(json.dumps(old))
    written = write_reports(run, tmp_path / "latest")
    assert "No previous run" in written["html"].read_text()
    assert (history / "2026-11-01T00-00-00Z.json").exists()  # left alone, not pruned
