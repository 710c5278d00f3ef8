"""GitHub Actions, simulated by its environment variables: the job summary and one annotation
per cause, in workflow-command syntax, escaped."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ecr_public_conformance.records import RunResults, Settings
from ecr_public_conformance.reports import write_reports
from ecr_public_conformance.reports.github import (
    CUT,
    MAX_ANNOTATIONS,
    MAX_SUMMARY_BYTES,
    annotation_lines,
    escape_data,
    escape_property,
    publish,
    summary_text,
)

from .conftest import SECRET, failure, make_run, result

#: text -> (escaped as a message, escaped as a property)
ESCAPES = {
    "plain": ("plain", "plain"),
    "50% done": ("50%25 done", "50%25 done"),
    "two\nlines\r\n": ("two%0Alines%0D%0A", "two%0Alines%0D%0A"),
    "a: b, c": ("a: b, c", "a%3A b%2C c"),
    "%0A already": ("%250A already", "%250A already"),
    "::error::": ("::error::", "%3A%3Aerror%3A%3A"),
}


@pytest.mark.parametrize("text", sorted(ESCAPES))
def test_workflow_command_escapes(text: str) -> None:
    assert (escape_data(text), escape_property(text)) == ESCAPES[text]


def _mixed_run() -> RunResults:
    """Strictness spec: two counted causes (MUST), one not counted (SHOULD)."""
    return replace(
        make_run(
            (
                result("CreateRepository", "ok", "passed"),
                result(
                    "CreateRepository",
                    "rejects-too-long-name",
                    "failed",
                    failures=(failure("CreateRepository", "accepted 300 chars: 50%\nsecond"),),
                ),
                result("DeleteRepository", "force-delete", "error", reason="reset by peer"),
                result(
                    "DescribeImages",
                    "error-code",
                    "failed",
                    level="SHOULD",
                    failures=(failure("DescribeImages", "code, not documented"),),
                ),
            )
        ),
        settings=Settings("ci", 1234, "spec"),
    )


#: The annotations of the mixed run, counted causes first (as errors), then the others (a
#: cause's text is normalised: numbers as <n>, one line).
EXPECTED_ANNOTATIONS = [
    "::error title=ECR Public conformance%3A rejects-too-long-name (MUST)::accepted <n> chars: "
    "50%25 second - 1 operation: CreateRepository (1 failure)",
    "::error title=ECR Public conformance%3A force-delete (MUST)::reset by peer - 1 operation: "
    "DeleteRepository (1 failure)",
    "::warning title=ECR Public conformance%3A error-code (SHOULD%2C not counted)::code, not "
    "documented - 1 operation: DescribeImages (1 failure)",
]


def test_one_annotation_per_cause_errors_then_warnings() -> None:
    lines = annotation_lines(_mixed_run())
    assert sorted(lines[:2]) == sorted(EXPECTED_ANNOTATIONS[:2])
    assert lines[2:] == EXPECTED_ANNOTATIONS[2:]


def test_a_passing_run_has_no_annotation() -> None:
    assert annotation_lines(make_run((result("CreateRepository", "ok", "passed"),))) == []


def test_past_the_limit_one_notice_counts_the_rest() -> None:
    many = tuple(
        result("CreateRepository", f"check-{i:03}", "error", reason=f"reason {i}")
        for i in range(MAX_ANNOTATIONS + 3)
    )
    lines = annotation_lines(make_run(many))
    assert len(lines) == MAX_ANNOTATIONS + 1
    assert all(line.startswith("::error title=") for line in lines[:-1])
    assert lines[-1] == (
        "::notice title=ECR Public conformance::3 more causes (errors) not annotated: see the "
        "job summary"
    )


def _published(
    run: RunResults, tmp_path: Path, environ: dict[str, str]
) -> tuple[list[str], str | None]:
    written = write_reports(run, tmp_path / "out")
    lines: list[str] = []
    problem = publish(run, written["summary"], lines.append, environ)
    return lines, problem


def test_on_github_actions_the_summary_is_appended_and_causes_annotated(tmp_path: Path) -> None:
    run = _mixed_run()
    step = tmp_path / "step_summary.md"
    step.write_text("earlier step\n")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(step)}
    lines, problem = _published(run, tmp_path, env)
    assert problem is None
    assert sorted(lines) == sorted(EXPECTED_ANNOTATIONS)
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert step.read_text() == "earlier step\n" + summary
    assert summary.startswith("## ECR Public conformance: 2 causes (2 failures)")


def test_credentials_never_reach_an_annotation(tmp_path: Path) -> None:
    leaky = failure("CreateRepository", f"echoed the key {SECRET}", secret=True)
    run = make_run((result("CreateRepository", "c", "failed", failures=(leaky,)),))
    lines, _ = _published(run, tmp_path, {"GITHUB_ACTIONS": "true"})
    assert len(lines) == 1 and SECRET not in lines[0]


#: environment -> (annotated, summary appended)
ENVIRONMENTS = {
    "not GitHub": ({}, (False, False)),
    "GITHUB_ACTIONS only": ({"GITHUB_ACTIONS": "true"}, (True, False)),
    "GITHUB_ACTIONS false": (
        {"GITHUB_ACTIONS": "false", "GITHUB_STEP_SUMMARY": ""},
        (False, False),
    ),
    "summary file only": ({"GITHUB_STEP_SUMMARY": "STEP"}, (False, True)),
    "both": ({"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": "STEP"}, (True, True)),
}


@pytest.mark.parametrize("situation", sorted(ENVIRONMENTS))
def test_detected_from_the_environment(situation: str, tmp_path: Path) -> None:
    environ, expected = ENVIRONMENTS[situation]
    step = tmp_path / "step.md"
    environ = {k: str(step) if v == "STEP" else v for k, v in environ.items()}
    lines, problem = _published(_mixed_run(), tmp_path, environ)
    assert problem is None
    assert (bool(lines), step.exists()) == expected


def test_an_unwritable_job_summary_is_one_warning_line(tmp_path: Path) -> None:
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "missing" / "step.md")}
    _, problem = _published(_mixed_run(), tmp_path, env)
    assert problem is not None and "\n" not in problem
    assert problem.startswith(
        f"warning: cannot append to the job summary ({tmp_path / 'missing' / 'step.md'}): "
    )


def test_a_summary_past_the_job_summary_limit_is_cut() -> None:
    assert summary_text("short") == "short\n"
    cut = summary_text("é" * MAX_SUMMARY_BYTES)
    assert len(cut.encode("utf-8")) <= MAX_SUMMARY_BYTES and cut.endswith(CUT)
