"""The plug-in form ends like ``run``: seed, score line, coverage line and report path, with or
without a report folder; a bad expected-failures file is one line with pytest's usage exit
code; the history is keyed by the target's name."""

from __future__ import annotations

import json

import pytest

pytest_plugins = ["pytester"]
SUITE = ["--pyargs", "ecr_public_conformance.conformance", "-p", "no:cacheprovider"]
ONE = ["--ecr-operations", "GetAuthorizationToken", "--ecr-seed", "7"]


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*SUITE, *args, timeout=300)


def _ending(result: pytest.RunResult) -> list[str]:
    """The lines of the plug-in's section of pytest's summary."""
    lines = result.stdout.lines
    start = next(i for i, line in enumerate(lines) if "= ecr-public-conformance =" in line)
    end = next(i for i, line in enumerate(lines) if line.startswith("ecr-public-conformance re"))
    return lines[start + 1 : end + 1]


def test_without_a_report_folder_it_ends_like_run(pytester: pytest.Pytester) -> None:
    result = run(pytester, *ONE)
    assert result.ret == 0
    ending = _ending(result)
    assert ending[0] == (
        "ecr-public-conformance: target embedded reference, profile quick, strictness spec, "
        "seed 7 (replay: --ecr-seed 7)"
    )
    assert ending[1].startswith("no failures; score 100.0% (strictness spec): ")
    assert ending[2].startswith("coverage: documented errors provoked ")
    assert ending[-1] == "ecr-public-conformance reports: ecr-conformance/latest/report.html"
    folder = pytester.path / "ecr-conformance" / "latest"
    doc = json.loads((folder / "results.json").read_text())
    assert doc["seed"] == 7 and doc["target"]["name"] == "reference"
    assert [p.name for p in (folder.parent / "history").iterdir()] == ["reference"]
    assert not (pytester.path / "history").exists()


def test_a_named_target_keeps_one_history_and_a_given_folder_is_used(
    pytester: pytest.Pytester,
) -> None:
    result = run(pytester, *ONE, "--ecr-target-name", "My Emulator", "--ecr-report-dir", "out")
    assert result.ret == 0
    assert _ending(result)[-1] == "ecr-public-conformance reports: out/report.html"
    assert [p.name for p in (pytester.path / "history").iterdir()] == ["my-emulator"]


#: situation -> (file text or None for no file, the one line pytest shows)
BAD_FILES = {
    "no such file": (None, "ERROR: --ecr-expected-failures known.toml: no such file"),
    "not TOML": (
        "[[expected]\n",
        "ERROR: --ecr-expected-failures: known.toml: Expected ']]' at the end of an array "
        "declaration (at line 1, column 11)",
    ),
    "misspelt operation": (
        '[[expected]]\noperation = "CreateRepositry"\ncheck = "x"\nreason = "r"\n',
        "ERROR: --ecr-expected-failures: known.toml: entry 1: unknown operation 'CreateRepositry'",
    ),
}


@pytest.mark.parametrize("situation", sorted(BAD_FILES))
def test_a_bad_expected_failures_file_is_one_line(
    pytester: pytest.Pytester, situation: str
) -> None:
    text, line = BAD_FILES[situation]
    if text is not None:
        (pytester.path / "known.toml").write_text(text)
    result = run(pytester, "--ecr-expected-failures", "known.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [e for e in result.stderr.lines if e.strip()]
    assert len(errors) == 1 and errors[0].startswith(line), errors
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
