"""waiter_states_known: what it says, as a table, and the waiter source it cites.

DescribeImageScanFindings answers with success only to a premium repository's scanned image,
which its catalogue scenarios make, so they run first (as they do in a run).
"""

from __future__ import annotations

from typing import Any

import pytest

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.specs import load_service

from .conftest import PREMIUM_EDITION, EnvFactory

KNOWN = (
    "COMPLETE, ACTIVE, FAILED, UNSUPPORTED_IMAGE, SCAN_ELIGIBILITY_EXPIRED, FINDINGS_UNAVAILABLE, "
    "PENDING"
)

#: (faults, variants, status, the failure message it must be)
MESSAGES = [
    (
        ("unknown-scan-status",),
        (),
        "failed",
        "response member imageScanStatus.status is 'IN_PROGRESS', a state the ImageScanComplete "
        "waiter does not know (no acceptor matches it, and the model's enum does not list it); "
        f"known: {KNOWN}",
    ),
    ((), (), "passed", ""),
    ((), ("scan-status-complete",), "passed", ""),
]


def _judged(env: Any) -> Any:
    op = load_service(PREMIUM_EDITION).operation("DescribeImageScanFindings")
    run_case(env, all_checks()["documented_effect_holds"], op)
    return run_case(env, all_checks()["waiter_states_known"], op)


@pytest.mark.parametrize(("faults", "variants", "status", "text"), MESSAGES)
def test_message(
    faults: tuple[str, ...],
    variants: tuple[str, ...],
    status: str,
    text: str,
    make_env: EnvFactory,
) -> None:
    result = _judged(make_env(*faults, variants=variants, edition=PREMIUM_EDITION))
    said = result.failures[0].message if result.failures else ""
    assert (result.status, said) == (status, text), result.reason
    assert result.examples > 0


def test_the_failure_cites_the_waiter_and_says_what_was_expected(make_env: EnvFactory) -> None:
    result = _judged(make_env("unknown-scan-status", edition=PREMIUM_EDITION))
    failure = result.failures[0]
    assert failure.spec_fact.member == "imageScanStatus.status"
    assert failure.spec_fact.constraint == (
        "a state the ImageScanComplete waiter knows (not binding) "
        f"[{PREMIUM_EDITION} source/waiters-2.json, waiter ImageScanComplete]"
    )
    assert failure.spec_fact.provenance == "service-model"
    assert (failure.expected, failure.actual) == (
        f"imageScanStatus.status one of {KNOWN}",
        "'IN_PROGRESS'",
    )


def test_it_applies_only_where_a_waiter_reads_the_answers() -> None:
    check = all_checks()["waiter_states_known"]
    newest = load_service(PREMIUM_EDITION)
    assert [n for n, op in sorted(newest.operations.items()) if check.applies(op)] == [
        "DescribeImageScanFindings"
    ]
    assert not any(check.applies(op) for op in load_service("seed").operations.values())
