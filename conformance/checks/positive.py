"""Positive checks: valid requests are accepted, and nothing is answered with a server error."""

from __future__ import annotations

from typing import Any

from ...specs import Operation
from ..env import CheckEnv
from ..registry import Outcome, Skip, check
from ..semantics import VALIDATION_CODES
from ..shrink import shrink

VALID = ("valid", "boundary-valid")


@check("positive", "MUST", "a valid request is not rejected as invalid")
def valid_request_accepted(env: CheckEnv, op: Operation) -> Outcome:
    """A schema-valid request is never answered with a validation error (state errors may be)."""
    out = Outcome()
    for sample in env.samples(op):
        if sample.kind not in VALID or sample.semantic or _unkept(env, sample):
            continue
        out.examples += 1
        ex = sample.exchange
        if ex.error_code in VALIDATION_CODES:
            ex = shrink(env, op, sample, lambda e: e.error_code in VALIDATION_CODES)
            out.failures.append(
                env.fail(
                    f"a request valid by the specs was refused with {ex.error_code}",
                    ex,
                    env.fact(op.name, None, "input schema (all constraints satisfied)", "both"),
                    "a valid request not refused as invalid",
                    str(ex.error_code),
                )
            )
            break
    if out.examples == 0:
        raise Skip(
            "every valid request of this operation carries members whose meaning the "
            "specs cannot check (manifests, digests, upload ids...)"
        )
    return out


def _unkept(env: CheckEnv, sample: Any) -> bool:
    """A registry display name an unverified registry may refuse ("Only accounts that have the
    verified account badge can have a registry display name")."""
    params = sample.params if isinstance(sample.params, dict) else {}
    return bool(params.get("displayName")) and not env.registry_verified()


@check("positive", "MUST", "no request is answered with a server error")
def no_server_error(env: CheckEnv, op: Operation) -> Outcome:
    """No request, valid or invalid, is answered with a 5xx."""
    out = Outcome()
    for sample in env.samples(op):
        out.examples += 1
        if sample.exchange.status >= 500:
            code = sample.exchange.error_code
            out.failures.append(
                env.fail(
                    f"a {sample.kind} request was answered with HTTP {sample.exchange.status}"
                    + (f" {code}" if code else ""),
                    sample.exchange,
                    env.fact(op.name, None, "ServerException only for server faults", "both"),
                    "no server error",
                )
            )
            break
    return out
