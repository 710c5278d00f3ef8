"""Negative checks: invalid requests are rejected, properly, and leave no trace."""

from __future__ import annotations

from typing import Any

from ...specs import Operation
from ...wire import Exchange
from ..catalogue.samples import sent_samples
from ..harness.env import CheckEnv
from ..harness.older_edition import ignored_new_member
from ..harness.registry import Outcome, Skip, check
from ..harness.registry_identity import registry_id
from ..harness.semantics import NAMING_MEMBERS, creates_repository
from ..harness.shrink import shrink
from ..harness.tried import TriedCounter

INVALID = ("invalid", "boundary-invalid")


def _not_judged(reasons: list[str], what: str) -> str:
    """The note saying which requests a check left unjudged, and why (the first reason)."""
    if not reasons:
        return ""
    many = len(reasons) != 1
    return f"{len(reasons)} {what}{'s' if many else ''} not judged: {reasons[0]}"


def _fact(env: CheckEnv, op: Operation, label: Any) -> Any:
    constraint = f"{label.violation}" + (
        f" ({label.keyword}={label.bound!r})" if label.keyword else ""
    )
    return env.fact(op.name, label.member, constraint, label.provenance or "overlay")


def _accepted(ex: Exchange) -> bool:
    return ex.ok or ex.status >= 500


def _verb(ex: Exchange) -> str:
    """``accepted (HTTP 200)`` or ``answered with HTTP 501``: what happened to a request."""
    if ex.ok:
        return f"accepted (HTTP {ex.status})"
    return f"answered with HTTP {ex.status}" + (f" {ex.error_code}" if ex.error_code else "")


def not_found_codes(op: Operation) -> frozenset[str]:
    """The operation's documented not-found codes."""
    return frozenset(c for c in op.error_codes if c.endswith("NotFoundException"))


def names_only_known(env: CheckEnv, params: Any) -> bool:
    """True when every resource a request names is one the run knows to exist."""
    params = params if isinstance(params, dict) else {}
    known = env.resources.known_names()
    for member in NAMING_MEMBERS:
        if member not in params:
            continue
        values = params[member] if isinstance(params[member], list) else [params[member]]
        if any(not isinstance(v, str) or v not in known for v in values):
            return False
    return True


def _other_registry(env: CheckEnv, params: dict[str, Any]) -> bool:
    """True when the request names a registry other than the run's (RegistryNotFoundException
    may then come first, as a not-found answer to any request naming an unknown resource)."""
    registry = params.get("registryId")
    return registry is not None and registry != registry_id(env)


def allowed_answers(env: CheckEnv, op: Operation, sample: Any) -> frozenset[str]:
    """Codes a conforming endpoint may answer an invalid request with: the validation codes
    for its violation, and - when it also names a resource not known to exist - the
    operation's not-found codes (a server may check state before it validates)."""
    allowed = frozenset(sample.label.allowed_errors)
    params = sample.params if isinstance(sample.params, dict) else {}
    if not names_only_known(env, params) or _other_registry(env, params):
        allowed |= not_found_codes(op)
    member = creates_repository(op.name)
    name = params.get(member) if member else None
    # a name the run already created
    if isinstance(name, str) and name in env.resources.known_names():
        allowed |= {"RepositoryAlreadyExistsException"}
    return allowed


@check("negative", "MUST", "a request violating a constraint is rejected with a 4xx")
def invalid_request_rejected(env: CheckEnv, op: Operation) -> Outcome:
    """Every request with exactly one spec violation is answered with a client error."""
    out = Outcome()
    tried = TriedCounter(op)
    ignored: list[str] = []
    for sample in sent_samples(env, op):
        if sample.kind not in INVALID:
            continue
        if sample.exchange.ok and (why := ignored_new_member(env, op.name, sample.label.member)):
            ignored.append(why)  # an older edition's target may ignore the member
            continue
        out.examples += 1
        tried.judged(sample)
        if _accepted(sample.exchange):
            label = sample.label
            ex = shrink(env, op, sample, _accepted)
            out.failures.append(
                env.fail(
                    f"{label.violation} at {label.member} was {_verb(ex)}; "
                    "expected a 4xx client error",
                    ex,
                    _fact(env, op, label),
                    f"a 4xx client error for {label.violation}",
                )
            )
            break
    out.tried = tried.records()
    out.note = _not_judged(ignored, "accepted invalid request")
    if out.examples == 0:
        raise Skip(out.note or "the specs give this operation no constraint to violate")
    return out


@check("negative", "SHOULD", "a rejected invalid request names a validation error code")
def invalid_request_error_code(env: CheckEnv, op: Operation) -> Outcome:
    """An invalid request's error code is one the spec allows for that kind of violation."""
    out = Outcome()
    tried = TriedCounter(op)
    ignored: list[str] = []
    for sample in sent_samples(env, op):
        ex = sample.exchange
        if sample.kind not in INVALID or _accepted(ex):
            continue
        allowed = allowed_answers(env, op, sample)
        if ex.error_code not in allowed and (
            why := ignored_new_member(env, op.name, sample.label.member)
        ):
            ignored.append(why)  # refused for something else: the violation went unseen
            continue
        out.examples += 1
        tried.judged(sample)
        if ex.error_code not in allowed:
            out.failures.append(
                env.fail(
                    f"{sample.label.violation} at {sample.label.member} was refused with "
                    f"{ex.error_code or 'no error type'}; allowed: {', '.join(sorted(allowed))}",
                    ex,
                    _fact(env, op, sample.label),
                    " or ".join(sorted(sample.label.allowed_errors)),
                    ex.error_code or "no error type",
                )
            )
            break
    out.tried = tried.records()
    out.note = _not_judged(ignored, "refused invalid request")
    if out.examples == 0:
        raise Skip(out.note or "no invalid request was rejected with a client error")
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
    applies=lambda op: creates_repository(op.name) is not None,
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
                    f"CreateRepository was refused ({ex.error_code}) but DescribeRepositories "
                    f"then found {params['repositoryName']!r}",
                    ex,
                    env.fact(op.name, None, "a rejected request changes no state", "overlay"),
                    "no repository after a refused CreateRepository",
                    "the repository exists",
                )
            )
            break
    return out
