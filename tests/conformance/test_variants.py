"""The suite passes on the reference with every variant: no check asserts a freedom.

A variant is the other valid choice where the spec leaves one (specs/freedoms.toml). Each runs
alone at the quick profile, in its freedom's edition (the seed edition's also alone at ci, on the
checks its freedoms name), and all run together at quick and ci (and at quick on the newest
edition), and each run is judged at both strictness levels: at ``spec``
no MUST check may fail, and at ``aws`` a SHOULD check may fail only where the freedom lists it
as a known AWS behaviour the variant departs from (``[[freedom.aws]]``); every listed departure
must show. No check may break at any level. This is the proof that the verdicts hold on any
conforming implementation.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.reference.variants import VARIANTS
from ecr_public_conformance.specs.freedoms import aws_departures, load_freedoms

CLI = [sys.executable, "-m", "ecr_public_conformance"]


def test_every_freedom_has_a_variant_and_every_variant_a_freedom() -> None:
    freedoms = {f.id: f for f in load_freedoms()}
    named = {v for f in freedoms.values() for v in f.variants}
    assert named == set(VARIANTS), "variants and the freedoms catalogue disagree"
    for f in freedoms.values():
        assert f.variants or f.no_variant, f"{f.id}: neither a variant nor a reason"
    for variant in VARIANTS.values():
        assert variant.freedoms and set(variant.freedoms) <= set(freedoms), variant.name
        for freedom_id in variant.freedoms:
            assert variant.name in freedoms[freedom_id].variants, (variant.name, freedom_id)


def test_every_freedom_names_real_checks() -> None:
    from ecr_public_conformance.conformance.checks import all_checks

    planned = {"documented_effect_holds", "documented_error_raised", "documented_error_code"}
    known = set(all_checks()) | planned
    for f in load_freedoms():
        assert f.checks and set(f.checks) <= known, (f.id, set(f.checks) - known)


def _failing(results: dict[str, Any], level: str | None = None) -> list[tuple[str, str, str]]:
    return [
        (r["id"], r["status"], (r["failures"][0]["message"] if r["failures"] else r["reason"]))
        for r in results["results"]
        if r["status"] in ("failed", "error", "xpassed") and level in (None, r["level"])
    ]


def _named_checks(variant: str) -> str:
    """The checks the variant's freedoms name, comma-separated: its focused run's checks."""
    freedoms = {f.id: f for f in load_freedoms()}
    return ",".join(sorted({c for f in VARIANTS[variant].freedoms for c in freedoms[f].checks}))


#: Every variant alone at quick, in the edition whose document leaves its choice open (the
#: premium edition's variants with that edition), each of the seed edition's alone at ci on the
#: checks its freedoms name, and all of them together at quick and ci on the seed edition and at
#: quick on the newest: (variant, profile, edition, checks; "" for the whole suite).
RUNS = [
    ("all", "quick", "seed", ""),
    ("all", "ci", "seed", ""),
    ("all", "quick", "newest", ""),
    *((name, "quick", v.edition or "seed", "") for name, v in sorted(VARIANTS.items())),
    *(
        (name, "ci", "seed", _named_checks(name))
        for name, v in sorted(VARIANTS.items())
        if v.edition is None
    ),
]


@pytest.mark.parametrize(("variant", "profile", "edition", "checks"), RUNS)
def test_suite_passes_on_the_variant(
    variant: str, profile: str, edition: str, checks: str, tmp_path: Path
) -> None:
    done = subprocess.run(
        [*CLI, "run", "--quiet", "--seed", "11", "--profile", profile, "--strictness", "aws"]
        + ["--edition", edition, "--reference-variant", variant]
        + (["--checks", checks] if checks else [])
        + ["--report-dir", str(tmp_path / "out"), "--history-dir", str(tmp_path / "history")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert _failing(results, "MUST") == []  # strictness spec: nothing counted fails
    broken = [(r["id"], r["reason"][:200]) for r in results["results"] if r["status"] == "error"]
    assert broken == [], broken  # no check may break, at any level
    variants = tuple(results["target"]["reported"]["variants"])
    assert variants
    ran = set(checks.split(",")) if checks else None
    listed = frozenset(d for d in aws_departures(variants) if ran is None or d[1] in ran)
    should = _failing(results, "SHOULD")
    unlisted = [
        f for f in should if (_variant_of(f, variants, listed), f[0].split("::")[1]) not in listed
    ]
    assert unlisted == [], unlisted  # strictness aws: only known AWS behaviours may fail
    shown = {f[0].split("::")[1] for f in should}
    assert {check for _, check in listed} <= shown, "a listed departure did not show"
    assert done.returncode == (1 if listed else 0), done.stdout + done.stderr


def _variant_of(
    failure: tuple[str, str, str], variants: tuple[str, ...], listed: frozenset[tuple[str, str]]
) -> str:
    """The variant a listed departure of this failure's check names (or "")."""
    check = failure[0].split("::")[1]
    return next((v for v in variants if (v, check) in listed), "")


def _statuses(tmp_path: Path, *variants: str) -> dict[str, str]:
    out = tmp_path / "-".join(variants or ("plain",))
    args = [a for v in variants for a in ("--reference-variant", v)]
    subprocess.run(
        [*CLI, "run", "--quiet", "--seed", "5", "--report-dir", str(out), *args],
        capture_output=True,
        text=True,
        timeout=900,
    )
    results = json.loads((out / "results.json").read_text())["results"]
    return {r["id"]: r["status"] for r in results}


def test_a_minimum_part_size_loses_no_check(tmp_path: Path) -> None:
    plain = _statuses(tmp_path)
    enforced = _statuses(tmp_path, "enforce-min-part-size")
    assert enforced == plain
