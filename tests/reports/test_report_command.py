from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ecr_public_conformance.cli import main
from ecr_public_conformance.records import CheckResult, RunResults, Shard
from ecr_public_conformance.reports import write_results


def test_report_build_merges_shards_and_writes_everything(
    run_factory: Callable[..., RunResults],
    sample: tuple[CheckResult, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = []
    for i in range(2):
        shard = run_factory(sample[i::2], shard=Shard(i, 2))
        paths.append(str(write_results(shard, tmp_path / f"shard{i}.json")))
    out = tmp_path / "reports" / "latest"
    assert main(["report", "build", *paths, "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["badge.svg", "junit.xml", "report.html", "results.json", "summary.md"]
    assert len(list((tmp_path / "reports" / "history").iterdir())) == 1
    assert json.loads((out / "results.json").read_text())["summary"]["total"] == 9
    assert "score 50.0%" in capsys.readouterr().out


def test_report_build_history_dir_and_keep(run: RunResults, tmp_path: Path) -> None:
    path = write_results(run, tmp_path / "results.json")
    history = tmp_path / "hist"
    args = [
        "report",
        "build",
        str(path),
        "--out",
        str(tmp_path / "o"),
        "--history-dir",
        str(history),
    ]
    assert main([*args, "--keep", "3"]) == 0
    assert len(list(history.iterdir())) == 1


def test_report_build_exit_2_on_bad_input(
    run: RunResults, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ["--out", str(tmp_path / "out")]
    assert main(["report", "build", str(tmp_path / "missing.json"), *out]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "cannot read" in err and err.count("\n") == 1

    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["report", "build", str(bad), *out]) == 2
    assert "not valid JSON" in capsys.readouterr().err

    data = run.to_json()
    data["results"][0]["status"] = "green"
    bad.write_text(json.dumps(data))
    assert main(["report", "build", str(bad), *out]) == 2
    err = capsys.readouterr().err
    assert "invalid at /results/0/status" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()
