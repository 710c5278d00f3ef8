"""Coverage of the premium edition: the behaviour checks, run on the reference serving it, judge
at least 90% of the new operations' provocable documented errors and of their stated effects,
and every entry they judge passes (the rest is listed with a reason in the catalogue)."""

from __future__ import annotations

from ecr_public_conformance.conformance.catalogue.behaviours import (
    added_pairs,
    documented_pairs,
    load_catalogue,
)
from ecr_public_conformance.conformance.catalogue.catalogue_coverage import catalogue_coverage
from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.records import CheckResult
from ecr_public_conformance.specs import load_service

from ..conftest import PREMIUM_EDITION, EnvFactory

BEHAVIOUR_CHECKS = ("documented_error_raised", "documented_error_code", "documented_effect_holds")


def _results(make_env: EnvFactory) -> list[CheckResult]:
    """Every behaviour check on every operation the premium edition's catalogue names."""
    env = make_env(edition=PREMIUM_EDITION, profile="ci")
    service = load_service(PREMIUM_EDITION)
    entries = load_catalogue(edition=PREMIUM_EDITION).of_edition(PREMIUM_EDITION)
    operations = sorted({b.operation for b in entries})
    return [
        run_case(env, all_checks()[check], service.operation(op))
        for op in operations
        for check in BEHAVIOUR_CHECKS
    ]


def test_the_new_operations_are_covered_at_90_percent(make_env: EnvFactory) -> None:
    results = _results(make_env)
    outcomes = {e.id: e.status for r in results for e in r.entries}
    failed = sorted(i for i, status in outcomes.items() if status not in ("passed", "skipped"))
    assert failed == []  # every entry judged on the reference passes
    skipped = sorted(i for i, status in outcomes.items() if status == "skipped")
    assert skipped == ["CreatePremiumRepository/ValidationException"]  # a verified registry
    new_ops = set(load_service(PREMIUM_EDITION).operations) - set(load_service().operations)
    catalogue = load_catalogue(edition=PREMIUM_EDITION)
    entries = [b for b in catalogue.of_edition(PREMIUM_EDITION) if b.operation in new_ops]
    errors = {b.id for b in entries if b.kind == "error"}
    effects = {b.id for b in entries if b.kind == "effect"}
    passed = {i for i, status in outcomes.items() if status == "passed"}
    provocable = {(op, code) for op, code in added_pairs(PREMIUM_EDITION) if op in new_ops}
    provocable -= {(u.operation, u.error) for u in catalogue.unprovocable}
    assert len(errors & passed) >= 0.9 * len(provocable), sorted(errors - passed)
    assert len(effects & passed) >= 0.9 * len(effects), sorted(effects - passed)
    coverage = catalogue_coverage(results, PREMIUM_EDITION)
    assert coverage.documented_errors.total == len(documented_pairs(PREMIUM_EDITION))
    assert coverage.documented_errors.passed >= len(errors) and coverage.effects.passed >= len(
        effects
    )
