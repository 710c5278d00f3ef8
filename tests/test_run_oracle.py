"""``run --oracle``: parity with a recording, scored apart from conformance."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.cli import main
from ecr_public_conformance.conformance.harness.config import OptionError
from ecr_public_conformance.conformance.parity.corpus import check_oracle, read_manifest
from ecr_public_conformance.reports.fmt import score_text

CLI = [sys.executable, "-m", "ecr_public_conformance"]
#: The edition of the corpus and the runs: parity works alike on every edition (the newest
#: edition's recordings are checked for determinism in tests/conformance/parity/test_record.py).
EDITION = "seed"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("oracle") / "reference"
    done = subprocess.run(
        [*CLI, "record", "--out", str(out), "--seed", "5", "--quiet", "--edition", EDITION],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return out


def run(tmp: Path, corpus: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], Any]:
    out = tmp / "out"
    done = subprocess.run(
        [
            *CLI,
            "run",
            "--edition",
            EDITION,
            "--quiet",
            "--seed",
            "3",
            "--oracle",
            str(corpus),
            "--report-dir",
            str(out),
            "--history-dir",
            str(tmp / "history"),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    results = (
        json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else None
    )
    return done, results


def _parity_results(results: Any) -> list[Any]:
    return [r for r in results["results"] if r["category"] == "parity"]


def test_the_reference_matches_its_own_recording(tmp_path: Path, corpus: Path) -> None:
    done, results = run(tmp_path, corpus)
    assert done.returncode == 0, done.stdout + done.stderr
    parity = results["parity"]
    assert parity["score"] == 1.0 and parity["divergences"] == 0 and parity["stale"] == 0
    assert parity["compared"] == read_manifest(corpus).records
    assert parity["oracle"] == "embedded reference" and parity["spec_hash_matches"]
    assert "conformance 100.0%, parity with embedded reference 100.0%" in done.stdout
    assert {r["status"] for r in _parity_results(results)} == {"passed"}


def test_a_variant_stays_conformant_and_diverges_from_the_recording(
    tmp_path: Path, corpus: Path
) -> None:
    known = tmp_path / "known.toml"
    known.write_text(
        '[[expected]]\noperation = "CreateRepository"\ncheck = "matches_recording"\n'
        'reason = "our answers leave optional members out"\n'
    )
    done, results = run(
        tmp_path, corpus, "--reference-variant", "minimal-output", "--expected-failures", str(known)
    )
    assert done.returncode == 0, done.stdout + done.stderr  # parity does not count
    assert results["summary"]["score"] == 1.0
    parity = results["parity"]
    assert 0 < parity["score"] < 1 and parity["divergences"] > 0
    assert parity["divergences"] == sum(v["divergences"] for v in parity["by_operation"].values())
    by_id = {r["id"]: r for r in _parity_results(results)}
    assert by_id["CreateRepository::matches_recording"]["status"] == "xfailed"
    failure = by_id["DescribeRepositories::matches_recording"]["failures"][0]
    assert failure["actual"] == "absent" and failure["expected"].endswith(" present")
    # the target's exchange, and beside it the recorded answer
    assert failure["response"]["status"] == 200 and failure["replay"]["recorded"]["response"]
    assert failure["replay"]["replayed"]["response"]["status"] == 200
    line = f"conformance 100.0%, parity with embedded reference {score_text(parity['score'])}"
    assert line in done.stdout
    assert line in (tmp_path / "out" / "summary.md").read_text()
    page = (tmp_path / "out" / "report.html").read_text()
    assert 'id="parity"' in page and "Recorded answer (" in page and "Replayed answer" in page


def test_the_parity_gate_fails_the_run_on_a_divergence(tmp_path: Path, corpus: Path) -> None:
    done, results = run(
        tmp_path,
        corpus,
        "--reference-variant",
        "minimal-output",
        "--parity-gate",
        "--",
        "--ecr-checks",
        "parity",
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert results["parity"]["gate"] is True and results["parity"]["divergences"] > 0


def test_a_fault_shows_as_divergences(tmp_path: Path, corpus: Path) -> None:
    done, results = run(
        tmp_path, corpus, "--reference-fault", "null-members", "--", "--ecr-checks", "parity"
    )
    assert done.returncode == 0, done.stdout + done.stderr  # only parity ran: nothing counted
    failures = [f for r in _parity_results(results) for f in r["failures"]]
    assert any(f["actual"] == "present (null)" for f in failures)
    assert results["parity"]["score"] < 1


#: situation -> (arguments, the stderr line)
USAGE = {
    "a gate without an oracle": (
        ["--parity-gate"],
        "error: --parity-gate needs --oracle DIR (a parity corpus to compare with)",
    ),
    "an oracle that is not there": (
        ["--oracle", "nowhere"],
        "error: --oracle: nowhere: no such folder",
    ),
    "an oracle that is not a corpus": (
        ["--oracle", "."],
        "error: --oracle: .: not a parity corpus (no manifest.json; record one with "
        "ecr-public-conformance record --out DIR)",
    ),
}


@pytest.mark.parametrize("situation", list(USAGE))
def test_usage_error(situation: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args, expected = USAGE[situation]
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        code = main(["run", *args])
    finally:
        os.chdir(old)
    err = capsys.readouterr().err
    assert code == 2 and err == expected + "\n"
    assert not (tmp_path / "ecr-conformance").exists()


pytest_plugins = ["pytester"]
SUITE = [
    *("--pyargs", "ecr_public_conformance.conformance", "-p", "no:cacheprovider"),
    *("--ecr-edition", EDITION),
]


def test_the_plugin_replays_an_oracle(pytester: pytest.Pytester, corpus: Path) -> None:
    args = [
        *SUITE,
        "--ecr-oracle",
        str(corpus),
        "--ecr-checks",
        "parity",
        "--ecr-operations",
        "CreateRepository,DescribeRepositories",
        "--ecr-reference-variant",
        "minimal-output",
    ]
    quiet = pytester.runpytest_subprocess(*args, timeout=300)
    quiet.assert_outcomes(xfailed=2)
    gated = pytester.runpytest_subprocess(*args, "--ecr-parity-gate", timeout=300)
    gated.assert_outcomes(failed=2)
    bad = pytester.runpytest_subprocess(*SUITE, "--ecr-oracle", "nowhere", timeout=300)
    assert bad.ret == 4 and "--ecr-oracle: nowhere: no such folder" in bad.stderr.str()


def test_a_corpus_of_another_edition_is_refused_in_one_line(tmp_path: Path, corpus: Path) -> None:
    done, results = run(tmp_path, corpus, "--edition", "newest")
    assert done.returncode == 2 and results is None
    assert done.stderr == (
        f"error: --oracle {corpus}: recorded with edition botocore-1.43.11, and this run judges "
        "by botocore-1.44.18; add --edition botocore-1.43.11\n"
    )


def test_the_plugin_names_its_own_edition_option(corpus: Path) -> None:
    with pytest.raises(OptionError) as refused:
        check_oracle(corpus, "--ecr-oracle", edition="botocore-1.44.18")
    assert str(refused.value).endswith("; add --ecr-edition botocore-1.43.11")
