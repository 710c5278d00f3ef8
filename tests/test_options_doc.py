"""Defaults are shown in ``--help``; docs/options.md lists every option of run and the plug-in."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ecr_public_conformance.cli import build_parser
from ecr_public_conformance.records.options import with_table

OPTIONS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "options.md"


def _subparser(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found: argparse.ArgumentParser = sub.choices[name]
    return found


def _options(name: str) -> list[argparse.Action]:
    return [a for a in _subparser(name)._actions if a.option_strings and a.dest != "help"]


@pytest.mark.parametrize("command", ["run", "record", "cleanup", "serve", "replay"])
def test_every_option_has_help_and_says_its_default(command: str) -> None:
    for action in _options(command):
        assert action.help, f"{command} {action.option_strings[0]} has no help text"
        if isinstance(action, argparse._StoreConstAction | argparse._StoreTrueAction):
            continue
        if action.default not in (None, [], argparse.SUPPRESS):
            assert "default" in action.help, f"{command} {action.option_strings[0]}: no default"


def test_every_run_option_is_in_the_options_page() -> None:
    text = OPTIONS_PAGE.read_text(encoding="utf-8")
    for action in _options("run"):
        for option in action.option_strings:
            assert f"`{option}" in text, f"docs/options.md does not list run {option}"


def test_every_plugin_option_is_in_the_options_page() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "pytest", "--help", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    options = set(re.findall(r"--ecr-[a-z-]+", shown))
    assert "--ecr-endpoint-url" in options
    text = OPTIONS_PAGE.read_text(encoding="utf-8")
    missing = sorted(o for o in options if f"`{o}`" not in text)
    assert not missing, f"docs/options.md does not list {missing}"


def test_the_options_page_table_is_the_option_table() -> None:
    """docs/options.md shows the table records/options.py declares; regenerate it with
    ``python -m ecr_public_conformance.records.options docs/options.md``."""
    text = OPTIONS_PAGE.read_text(encoding="utf-8")
    assert with_table(text) == text, "docs/options.md drifted from records/options.py"


def test_a_drifted_table_is_noticed() -> None:
    text = OPTIONS_PAGE.read_text(encoding="utf-8")
    drifted = text.replace("region to sign for", "region to sign with", 1)
    assert with_table(drifted) != drifted
    with pytest.raises(ValueError):
        with_table("no markers here")


@pytest.mark.parametrize(
    ("content", "says"), [("no markers\n", "the page has no options table markers"), (None, "")]
)
def test_regenerating_a_bad_page_is_one_line_and_exit_2(
    tmp_path: Path, content: str | None, says: str
) -> None:
    page = tmp_path / "page.md"
    if content is not None:
        page.write_text(content)
    done = subprocess.run(
        [sys.executable, "-m", "ecr_public_conformance.records.options", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"error: {page}: ")
    assert says in done.stderr
