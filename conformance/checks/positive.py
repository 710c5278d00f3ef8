"""Positive checks: valid requests are accepted, and nothing is answered with a server error."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...specs import Operation
from ...specs.citations import cite
from ...wire import Exchange
from ..catalogue.samples import sent_samples
from ..harness.env import CheckEnv
from ..harness.registry import Outcome, Skip, check
from ..harness.registry_identity import registry_id, registry_verified
from ..harness.semantics import DOCUMENTED_DEFAULTS, DocumentedDefault, documented_refusal
from ..harness.shrink import shrink
from ..harness.tried import TriedCounter

VALID = ("valid", "boundary-valid")


@check("positive", "MUST", "a valid request is not rejected as invalid")
def valid_request_accepted(env: CheckEnv, op: Operation) -> Outcome:
    """A schema-valid request is never answered with a validation error (state errors may be)."""
    refusals = env.service.codes_of_class("validation")
    out = Outcome()
    tried = TriedCounter(op)
    for sample in sent_samples(env, op):
        if sample.kind not in VALID or sample.semantic or _unkept(env, sample):
            continue
        if documented_refusal(op.name, sample.params) is not None:
            continue  # the document says such a request may be refused
        out.examples += 1
        tried.judged(sample)
        ex = sample.exchange
        if ex.error_code in refusals:
            ex = shrink(
                env,
                op,
                sample,
                lambda e: (
                    e.error_code in refusals and documented_refusal(op.name, e.request_body) is None
                ),
            )
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
    out.tried = tried.records()
    if out.examples == 0:
        raise Skip(
            "every valid request of this operation carries members whose meaning the "
            "specs cannot check (manifests, digests, upload ids...) or values its document "
            "says may be refused"
        )
    return out


def _unkept(env: CheckEnv, sample: Any) -> bool:
    """A registry display name an unverified registry may refuse ("Only accounts that have the
    verified account badge can have a registry display name")."""
    params = sample.params if isinstance(sample.params, dict) else {}
    return bool(params.get("displayName")) and not registry_verified(env)


@check("positive", "MUST", "no request is answered with a server error")
def no_server_error(env: CheckEnv, op: Operation) -> Outcome:
    """No request, valid or invalid, is answered with a 5xx (a sample, a setup step, any check).

    A 503 with a throttling error type is throttling: retried, never judged.
    """
    out = Outcome()
    samples = sent_samples(env, op)
    seen = [(s.kind, s.exchange) for s in samples]
    sent = {id(ex) for _, ex in seen}
    seen += [
        ("setup or check", ex)
        for ex in env.sender.server_errors.get(op.name, [])
        if id(ex) not in sent
    ]
    for kind, ex in seen:
        out.examples += 1
        if ex.status >= 500:
            code = ex.error_code
            out.failures.append(
                env.fail(
                    f"a {kind} request was answered with HTTP {ex.status}"
                    + (f" {code}" if code else ""),
                    ex,
                    env.fact(op.name, None, "ServerException only for server faults", "both"),
                    "no server error",
                )
            )
            break
    return out


def _defaults_of(op: Operation) -> list[DocumentedDefault]:
    taken = {m.name for m in op.input.members if not m.required}
    return [
        d
        for d in DOCUMENTED_DEFAULTS
        if d.member in taken
        and (d.rule != "page-size" or (op.paginator and op.paginator.limit_key == d.member))
    ]


def _registry_ids(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "registryId"] + [
            x for v in value.values() for x in _registry_ids(v)
        ]
    if isinstance(value, list):
        return [x for v in value for x in _registry_ids(v)]
    return []


def _breaks(env: CheckEnv, op: Operation, d: DocumentedDefault, ex: Exchange) -> str | None:
    """How an answer to a request without ``d.member`` breaks its documented default."""
    body = ex.json if isinstance(ex.json, dict) else {}
    if d.rule == "default-registry":
        mine = registry_id(env)
        other = [r for r in _registry_ids(body) if mine and r != mine]
        return f"registryId {other[0]!r}, not the default registry {mine}" if other else None
    assert op.paginator is not None
    items = body.get(op.paginator.result_key) or []
    return f"a page of {len(items)} items" if len(items) > d.value else None


@check(
    "positive",
    "MUST",
    "a request that leaves out a member gets the default the document states",
    applies=lambda op: bool(_defaults_of(op)),
)
def documented_defaults_hold(env: CheckEnv, op: Operation) -> Outcome:
    """A valid request that leaves out a member with a documented default gets that default.

    Without registryId it acts on the caller's default registry; without maxResults its page
    holds at most 100 items.
    """
    out = Outcome()
    for d in _defaults_of(op):
        for sample in sent_samples(env, op):
            params = sample.params if isinstance(sample.params, dict) else None
            if params is None or d.member in params or not sample.exchange.ok:
                continue
            out.examples += 1
            broken = _breaks(env, op, d, sample.exchange)
            if broken:
                c = cite("document", d.quote)
                fact = env.fact(op.name, d.member, f"left out: {d.quote} [{c.where}]", "document")
                out.failures.append(
                    env.fail(
                        f"a request without {d.member} was answered with {broken}",
                        sample.exchange,
                        replace(fact, doc_line=c.line, quote=d.quote),
                        f"the documented default of {d.member}",
                        broken,
                    )
                )
                return out
    if out.examples == 0:
        raise Skip("no valid request that leaves out a defaulted member was answered with success")
    return out
