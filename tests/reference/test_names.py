"""Every fault and variant name the reference's code tests is listed in its data file, and every
listed name is tested somewhere: a misspelt switch can never be silently off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecr_public_conformance.reference.context import Ctx
from ecr_public_conformance.reference.faults import FAULTS, load_faults
from ecr_public_conformance.reference.names import UnknownName
from ecr_public_conformance.reference.options import Options
from ecr_public_conformance.reference.variants import VARIANTS, load_variants, on

REFERENCE = Path(__file__).resolve().parents[2] / "reference"
NAME = r'"([a-z0-9-]+)"'
HOLDS = r"\s+(?:not\s+)?in\s+(?:[\w.]+\.)?{}\b"
FAULT_USES = (
    rf"\.fault\(\s*{NAME}\s*\)",
    rf"fault_value\(\s*{NAME}\s*\)",
    NAME + HOLDS.format("faults"),
    r'f"([a-z0-9-]+)=\{[^}"]*\}"' + HOLDS.format("faults"),
)
VARIANT_USES = (rf"\bon\(\s*[\w.]+\s*,\s*{NAME}\s*\)", NAME + HOLDS.format("variants"))


def _sets(text: str, function: str) -> list[str]:
    found = re.findall(rf"{function}\(\s*\{{([^}}]*)\}}\s*\)", text)
    return [name for body in found for name in re.findall(NAME, body)]


def _used(patterns: tuple[str, ...], function: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted(REFERENCE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        names = [n for p in patterns for n in re.findall(p, text)] + _sets(text, function)
        for name in names:
            out.setdefault(name, set()).add(path.name)
    return out


def test_every_fault_the_code_tests_is_listed_and_every_listed_fault_is_tested() -> None:
    used = _used(FAULT_USES, "known_faults")
    assert len(used) > 50, "the scan found too few uses: are the patterns still right?"
    unknown = {name: files for name, files in used.items() if name not in FAULTS}
    assert not unknown, f"names the code tests but faults.toml does not list: {unknown}"
    assert set(FAULTS) <= set(used), f"listed but never tested: {set(FAULTS) - set(used)}"


def test_every_variant_the_code_tests_is_listed_and_every_listed_variant_is_tested() -> None:
    used = _used(VARIANT_USES, "known_variants")
    assert len(used) > 15, "the scan found too few uses: are the patterns still right?"
    unknown = {name: files for name, files in used.items() if name not in VARIANTS}
    assert not unknown, f"names the code tests but variants.toml does not list: {unknown}"
    assert set(VARIANTS) <= set(used), f"listed but never tested: {set(VARIANTS) - set(used)}"


def test_an_unknown_name_raises_at_once() -> None:
    from ecr_public_conformance.reference.app import make_endpoint
    from ecr_public_conformance.specs import load_service

    ctx = Ctx(make_endpoint(), load_service().operation("CreateRepository"))
    with pytest.raises(UnknownName, match="unknown fault 'tags-not-stord'"):
        ctx.fault("tags-not-stord")
    with pytest.raises(UnknownName, match="unknown variant 'minimal-outpt'"):
        on(Options(), "minimal-outpt")
    assert ctx.fault("tags-not-stored") is False and on(ctx, "minimal-output") is False


@pytest.mark.parametrize(
    ("loader", "text", "message"),
    [
        (load_faults, '[[fault]]\nname = "x"\ndescription = "d"\n', "needs a check category"),
        (load_faults, '[[fault]]\nname = "x"\n', "'description'"),
        (
            load_faults,
            '[[fault]]\nname = "x"\ncategory = "errors"\ndescription = "d"\n' * 2,
            "listed twice",
        ),
        (
            load_faults,
            '[[fault]]\nname = "x"\ncategory = "errors"\ndescription = "d"\nedition = "z"\n',
            "unknown edition 'z'",
        ),
        (
            load_faults,
            '[[fault]]\nname = "x"\ndescription = "d"\nkind = "outage"\n',
            "an outage takes a count",
        ),
        (load_variants, '[[variant]]\nname = "x"\ndescription = "d"\n', "'freedoms'"),
    ],
)
def test_a_malformed_entry_names_itself(
    loader: object, text: str, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "switches.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        loader(path)  # type: ignore[operator]
