"""A real run against the embedded reference says which constraints it tried, and which not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.conformance.catalogue.constraint_coverage import (
    NIGHTLY_ONLY,
    ZERO_MINIMUM,
    operation_rows,
)
from ecr_public_conformance.records.schema import load
from ecr_public_conformance.specs import load_service

CLI = [sys.executable, "-m", "ecr_public_conformance"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("constraints")
    done = subprocess.run(
        [
            *CLI,
            "run",
            "--quiet",
            "--seed",
            "7",
            "--edition",
            "seed",
            "--operations",
            "CreateRepository",
        ]
        + ["--report-dir", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def _rows(report: Path) -> dict[tuple[str, str], dict[str, Any]]:
    data = json.loads((report / "results.json").read_text())
    rows = data["constraints"]["operations"]["CreateRepository"]
    return {(r["member"], r["constraint"]): r for r in rows}


def test_some_constraints_are_tried_valid_and_invalid(report: Path) -> None:
    rows = _rows(report)
    both = [k for k, r in rows.items() if r["valid"] and r["invalid"]]
    assert ("catalogData.description", "maxLength") in both
    assert ("catalogData.architectures", "maxItems") in both
    assert rows[("repositoryName", "required")]["valid"] > 0


def test_the_checks_say_what_they_judged(report: Path) -> None:
    data = json.loads((report / "results.json").read_text())
    tried = {r["check"]: r["tried"] for r in data["results"] if r["tried"]}
    assert set(tried) == {
        "valid_request_accepted",
        "invalid_request_rejected",
        "invalid_request_error_code",
    }
    assert {t["side"] for t in tried["valid_request_accepted"]} == {"valid"}
    assert {t["side"] for t in tried["invalid_request_rejected"]} == {"invalid"}


def test_untried_constraints_are_listed_with_why(report: Path) -> None:
    run = load(report / "results.json")
    assert run.constraints is not None
    untried = {
        (u.operation, u.member, u.constraint, u.side): u.reason for u in run.constraints.untried()
    }
    assert untried[("CreateRepository", "tags", "minItems", "invalid")] == ZERO_MINIMUM
    assert "tags" in untried[("CreateRepository", "tags", "maxItems", "valid")]
    # the edition's other operations are there too, untried
    assert untried[("DeleteRepository", "repositoryName", "required", "invalid")] == (
        "the run did not judge this operation"
    )
    assert run.constraints.judged == ("CreateRepository",)
    assert set(run.constraints.operations) == set(load_service().operations)


def test_the_reports_show_it(report: Path) -> None:
    html = (report / "report.html").read_text()
    assert 'id="constraints"' in html
    assert 'data-operation="CreateRepository" data-judged="true" open' in html
    summary = (report / "summary.md").read_text()
    assert "**Constraints**: of 21 constraints of the 1 operation judged" in summary


def test_huge_bounds_are_left_to_nightly() -> None:
    op = load_service().operations["UploadLayerPart"]
    quick = {(r.member, r.constraint): r for r in operation_rows(op, large=False)}
    nightly = {(r.member, r.constraint): r for r in operation_rows(op, large=True)}
    assert quick[("layerPartBlob", "x-maxBytes")].no_valid == NIGHTLY_ONLY
    assert quick[("layerPartBlob", "x-maxBytes")].no_invalid == NIGHTLY_ONLY
    # nightly sends them; a valid upload part is then left alone for its upload id
    assert "uploadId" in nightly[("layerPartBlob", "x-maxBytes")].no_valid
    assert nightly[("layerPartBlob", "x-maxBytes")].no_invalid == ""
