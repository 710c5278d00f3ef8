"""Negative checks: invalid requests are rejected, properly, and leave no trace."""

from __future__ import annotations

from typing import Any

from ...specs import Operation
from ...wire import Exchange
from ..env import CheckEnv
from ..registry import Outcome, Skip, check
from ..semantics import CREATES_REPOSITORY
from ..shrink import shrink

INVALID = ("invalid", "boundary-invalid")


def _fact(env: CheckEnv, op: Operation, label: Any) -> Any:
    constraint = f"{label.violation}" + (
        f" ({label.keyword}={label.bound!r})" if label.keyword else ""
    )
    return env.fact(op.name, label.member, constraint, label.provenance or "overlay")


def _accepted(ex: Exchange) -> bool:
    return ex.ok or ex.status >= 500


@check("negative", "MUST", "a request violating a constraint is rejected with a 4xx")
def invalid_request_rejected(env: CheckEnv, op: Operation) -> Outcome:
    """Every request with exactly one spec violation is answered with a client error."""
    out = Outcome()
    for sample in env.samples(op):
        if sample.kind not in INVALID:
            continue
        out.examples += 1
        if _accepted(sample.exchange):
            label = sample.label
            ex = shrink(env, op, sample, _accepted)
            out.failures.append(
                env.fail(
                    f"{label.violation} at {label.member} was answered with HTTP {ex.status}, "
                    "expected a 4xx rejection",
                    ex,
                    _fact(env, op, label),
                )
            )
            break
    if out.examples == 0:
        raise Skip("the specs give this operation no constraint to violate")
    return out


@check("negative", "SHOULD", "a rejected invalid request names a validation error code")
def invalid_request_error_code(env: CheckEnv, op: Operation) -> Outcome:
    """An invalid request's error code is one the spec allows for that kind of violation."""
    out = Outcome()
    for sample in env.samples(op):
        ex = sample.exchange
        if sample.kind not in INVALID or _accepted(ex):
            continue
        out.examples += 1
        if ex.error_code not in sample.label.allowed_errors:
            allowed = ", ".join(sorted(sample.label.allowed_errors))
            out.failures.append(
                env.fail(
                    f"{sample.label.violation} at {sample.label.member} was rejected with "
                    f"{ex.error_code!r}; allowed: {allowed}",
                    ex,
                    _fact(env, op, sample.label),
                )
            )
            break
    if out.examples == 0:
        raise Skip("no invalid request was rejected with a client error")
    return out


def _probes(env: CheckEnv) -> list[dict[str, Any]]:
    """Create requests with one invalid member besides a fresh, valid repository name.

    Two break the schema; two break rules the error catalogue states (TooManyTagsException:
    at most 50 tags per repository; InvalidTagParameterException for a reserved ``aws:`` key).
    """
    return [
        {"repositoryName": env.new_name("n"), "tags": [{"Key": "k" * 129, "Value": "v"}]},
        {"repositoryName": env.new_name("n"), "catalogData": {"description": "d" * 1025}},
        {
            "repositoryName": env.new_name("n"),
            "tags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)],
        },
        {"repositoryName": env.new_name("n"), "tags": [{"Key": "aws:reserved", "Value": "v"}]},
    ]


@check(
    "negative",
    "MUST",
    "a rejected create leaves no resource behind",
    applies=lambda op: op.name in CREATES_REPOSITORY,
    mutates=True,
)
def rejected_create_leaves_no_trace(env: CheckEnv, op: Operation) -> Outcome:
    """After a rejected CreateRepository, the repository it named does not exist."""
    env.guard_mutation("send invalid CreateRepository requests")
    out = Outcome()
    for params in _probes(env):
        ex = env.send(op.name, params)
        if ex.ok:
            continue  # accepting it is invalid_request_rejected's business
        out.examples += 1
        look = env.send("DescribeRepositories", {"repositoryNames": [params["repositoryName"]]})
        if look.ok:
            env.ledger.record("repository", name=params["repositoryName"])
            out.failures.append(
                env.fail(
                    f"CreateRepository was rejected ({ex.error_code}) but DescribeRepositories "
                    f"then found {params['repositoryName']!r}",
                    ex,
                    env.fact(op.name, None, "a rejected request changes no state", "overlay"),
                )
            )
            break
    return out
