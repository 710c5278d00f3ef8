"""The documented-behaviours catalogue: complete, cited, and every entry shown to fail.

Each entry runs against the reference twice: with the fault the catalogue names for it (the
entry must fail, under the check that judges it) and without (it must pass). The suite passing
with every variant (test_variants.py) covers the freedoms.
"""

from __future__ import annotations

import pytest

from ecr_public_conformance.conformance.catalogue.behaviours import (
    Behaviour,
    CatalogueError,
    added_pairs,
    documented_pairs,
    load_catalogue,
)
from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.reference.faults import CODE_FAULTS, FAULTS
from ecr_public_conformance.specs import load_service

from ..conftest import PREMIUM_EDITION, EnvFactory

CATALOGUE = load_catalogue(edition="newest")  # every edition's entries
ENTRIES = {b.id: b for b in CATALOGUE.behaviours}
#: Startup options of the reference an entry needs to apply (what the API cannot change).
OPTIONS: dict[str, dict[str, object]] = {
    "CreatePremiumRepository/ValidationException": {"registry_verified": False},
}


def _errors_of(edition: str | None) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    errors = {(b.operation, b.error) for b in CATALOGUE.of_edition(edition) if b.kind == "error"}
    skipped = {(u.operation, u.error) for u in CATALOGUE.unprovocable if u.edition == edition}
    return errors, skipped  # type: ignore[return-value]


def test_every_documented_error_is_catalogued_or_has_a_reason() -> None:
    errors, skipped = _errors_of(None)
    assert errors | skipped == set(documented_pairs())
    assert not errors & skipped
    assert len(documented_pairs()) == 72 and len(errors) >= 64
    assert all(u.reason for u in CATALOGUE.unprovocable)


def test_every_error_the_premium_edition_adds_is_catalogued_or_has_a_reason() -> None:
    errors, skipped = _errors_of(PREMIUM_EDITION)
    added = set(added_pairs(PREMIUM_EDITION))
    assert errors | skipped == added, sorted(added - errors - skipped)
    assert not errors & skipped
    assert len(errors) >= 0.9 * len(added - skipped)


def test_every_entry_cites_where_it_is_documented() -> None:
    for b in CATALOGUE.behaviours:
        citation = b.citation
        if b.kind == "error":
            errors = load_service(b.edition).operation(b.operation).errors
            ref = next(e for e in errors if e.code == b.error)
            listed_by_document = ref.provenance in ("document", "both")
            assert citation.shape == b.error and bool(citation.line) == listed_by_document, b.id
        elif b.source == "document":
            assert citation.line, b.id


def test_every_entry_names_a_fault_of_the_reference() -> None:
    for b in CATALOGUE.behaviours:
        name = b.fault.partition("=")[0]
        assert name in FAULTS and FAULTS[name].kind == "deviation", b.id
        if name in CODE_FAULTS:
            assert b.fault.partition("=")[2] == b.error, b.id
        for more in b.more_faults:
            assert more in FAULTS and FAULTS[more].kind == "deviation", (b.id, more)


def test_every_behaviour_fault_is_named_by_an_entry() -> None:
    named = {f.partition("=")[0] for b in CATALOGUE.behaviours for f in (b.fault, *b.more_faults)}
    unseen = {u.fault for u in CATALOGUE.unobservable}
    mine = {name for name, fault in FAULTS.items() if fault.category == "behaviour"}
    assert mine <= named | unseen, mine - named - unseen
    assert not named & unseen and unseen <= mine and all(u.reason for u in CATALOGUE.unobservable)


def test_a_misquote_is_an_error(tmp_path: object) -> None:
    from pathlib import Path

    bad = Path(str(tmp_path)) / "b.toml"
    bad.write_text(
        '[[behaviour]]\nid = "DeleteRepository/RepositoryNotFoundException"\nkind = "error"\n'
        'operation = "DeleteRepository"\nerror = "RepositoryNotFoundException"\n'
        'source = "document"\nquote = "words nobody wrote"\nfault = "x"\n'
    )
    with pytest.raises(CatalogueError, match="not in the document"):
        load_catalogue(bad)


def _check_for(b: Behaviour) -> str:
    if b.kind == "effect":
        return "documented_effect_holds"
    misreported = b.fault.startswith("misreport=")
    return (
        "documented_error_code"
        if misreported and b.code_level == "SHOULD"
        else ("documented_error_raised")
    )


def _entry(
    env_factory: EnvFactory, b: Behaviour, faults: list[str], variants: tuple[str, ...]
) -> object:
    """The entry's outcome under its check; for an effect that holds, under the SHOULD check of
    the members it reads too (the first that does not pass)."""
    profile = "ci" if "ci" in b.profiles and "quick" not in b.profiles else "quick"
    options = OPTIONS.get(b.id, {})
    env = env_factory(
        *faults, variants=variants, profile=profile, edition=b.edition, options=options
    )
    op = load_service(b.edition).operation(b.operation)
    checks = [_check_for(b)] + (["documented_members_returned"] if b.kind == "effect" else [])
    for check_id in checks:
        result = run_case(env, all_checks()[check_id], op)
        outcome = next(e for e in result.entries if e.id == b.id)
        if outcome.status != "passed":
            break
    return result, outcome


@pytest.mark.parametrize(
    ("entry_id", "fault"),
    sorted((b.id, f) for b in CATALOGUE.behaviours for f in (b.fault, *b.more_faults)),
)
def test_entry_fails_on_its_fault(entry_id: str, fault: str, make_env: EnvFactory) -> None:
    b = ENTRIES[entry_id]
    result, outcome = _entry(make_env, b, [fault], b.fault_variants)
    assert outcome.status == "failed", (outcome, result.reason)  # type: ignore[attr-defined]
    failure = next(f for f in result.failures if b.id in f.message)  # type: ignore[attr-defined]
    assert failure.spec_fact.quote == b.quote and failure.expected and failure.actual
    assert failure.setup["entry"] == b.id


@pytest.mark.parametrize("entry_id", sorted(ENTRIES))
def test_entry_passes_on_the_reference(entry_id: str, make_env: EnvFactory) -> None:
    b = ENTRIES[entry_id]
    result, outcome = _entry(make_env, b, [], ())
    assert outcome.status == "passed", (outcome, [f.message for f in result.failures])  # type: ignore[attr-defined]


#: Predicate tables (situation -> values found at the path, wanted value, verdict).
MISSING, INVALID = "MissingLayerDigest", "InvalidLayerDigest"
ONLY = [
    ("every value is the wanted one", [MISSING], MISSING, True),
    ("nothing at the path (reported another way)", [], MISSING, True),
    ("one value is another", [MISSING, INVALID], MISSING, False),
    ("the only value is another", [INVALID], MISSING, False),
]


@pytest.mark.parametrize(("situation", "values", "want", "verdict"), ONLY)
def test_only_predicate(situation: str, values: list[str], want: str, verdict: bool) -> None:
    from ecr_public_conformance.conformance.catalogue.behaviours import Assertion
    from ecr_public_conformance.conformance.catalogue.scenarios import holds

    assert holds(Assertion("failures[].failureCode", "only", want), values, want, 0.0) is verdict


def _freedom_cases() -> list[tuple[str, str]]:
    from ecr_public_conformance.specs.freedoms import freedom

    return sorted(
        (b.id, variant)
        for b in CATALOGUE.behaviours
        for name in b.freedoms
        for variant in freedom(name).variants
    )


@pytest.mark.parametrize(("entry_id", "variant"), _freedom_cases())
def test_entry_passes_on_the_variants_of_its_freedoms(
    entry_id: str, variant: str, make_env: EnvFactory
) -> None:
    b = ENTRIES[entry_id]
    result, outcome = _entry(make_env, b, [], (variant,))
    allowed = ("passed", "skipped") if b.when else ("passed",)
    assert outcome.status in allowed, (outcome, [f.message for f in result.failures])  # type: ignore[attr-defined]


def test_effects_cover_the_document() -> None:
    effects = [b for b in CATALOGUE.of_edition(None) if b.kind == "effect"]
    assert 30 <= len(effects) <= 45
    assert len({b.operation for b in effects}) >= 15
