"""The behaviour checks pass on every variant of the premium edition, at both strictness levels.

A variant of that edition is another valid choice its document leaves open (specs/freedoms.toml,
each freedom with its document line). The run serves the default edition, so these variants are
judged here on the reference serving the premium edition: the behaviour checks of the new
edition's catalogue operations run once per variant; at ``spec`` no MUST check may fail, and at
``aws`` a SHOULD check may fail only where the freedom lists the variant as a known AWS
departure (``[[freedom.aws]]``). No check may break at any level.
"""

from __future__ import annotations

import pytest

from ecr_public_conformance.conformance.catalogue.behaviours import load_catalogue
from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.reference.variants import VARIANTS
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.specs.freedoms import aws_departures, freedom

from .conftest import PREMIUM_EDITION, EnvFactory

PREMIUM_VARIANTS = sorted(n for n, v in VARIANTS.items() if v.edition == PREMIUM_EDITION)
CHECKS = (
    "documented_error_raised",
    "documented_error_code",
    "documented_effect_holds",
    "documented_members_returned",
)


def _operations(variant: str) -> list[str]:
    """The operations whose entries a variant's freedoms touch (all the edition's entries' when
    none names them): a focused subset, so each variant costs seconds."""
    entries = load_catalogue(edition=PREMIUM_EDITION).of_edition(PREMIUM_EDITION)
    touched = {b.operation for b in entries if set(b.freedoms) & set(VARIANTS[variant].freedoms)}
    return sorted(touched or {b.operation for b in entries})


def test_every_variant_of_the_premium_edition_has_its_freedom_cited_there() -> None:
    assert PREMIUM_VARIANTS
    for name in PREMIUM_VARIANTS:
        for freedom_id in VARIANTS[name].freedoms:
            f = freedom(freedom_id)
            cited = f.citation.line or f.citation.shape or f.source != "document"
            assert f.edition == PREMIUM_EDITION and cited, (name, freedom_id)


@pytest.mark.parametrize("variant", PREMIUM_VARIANTS)
def test_behaviour_checks_pass_on_the_variant(variant: str, make_env: EnvFactory) -> None:
    env = make_env(variants=(variant,), edition=PREMIUM_EDITION, profile="ci")
    service = load_service(PREMIUM_EDITION)
    listed = aws_departures((variant,))
    must, should, broken = [], [], []
    for op in _operations(variant):
        for check_id in CHECKS:
            check = all_checks()[check_id]
            result = run_case(env, check, service.operation(op))
            where = (op, check_id, [f.message[:160] for f in result.failures])
            if result.status == "error":
                broken.append((op, check_id, result.reason[:200]))
            elif result.status == "failed" and check.level == "MUST":
                must.append(where)
            elif result.status == "failed" and (variant, check_id) not in listed:
                should.append(where)
    assert broken == []  # no check may break, at any level
    assert must == []  # strictness spec: nothing counted fails
    assert should == []  # strictness aws: only known AWS departures may fail
