"""Response checks: success bodies have the output's JSON shape; its value constraints are SHOULD.

The output schemas reuse shapes the input constrains (lengths, patterns, list sizes, enums).
Smithy does not enforce constraint traits when reading output and treats enums as open, so only
JSON types, required members and encodings are MUST (``response_schema_conformance``); the
constraints (``response_constraints_met``) and JSON nulls, which SDKs read as absent
(``response_members_not_null``), are reported at SHOULD, and so are values a waiter of the
operation reads that are none of its states (``waiter_states_known``, from the edition's
waiters-2.json acceptors and the model's enums).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ...records import Failure
from ...specs import Operation, Service, load_service
from ...specs.validation import (
    OUTPUT_FREE_KEYWORDS,
    Violation,
    null_paths,
    output_only_constraints,
    shape_names,
    types_only,
    violations,
    wire_format_root,
    without_nulls,
)
from ...specs.waiters import WaiterPath, unread_arguments, values_at, waiter_paths
from ...wire import Exchange
from ..catalogue.samples import sent_samples
from ..harness.env import CheckEnv
from ..harness.registry import Outcome, Skip, check


def template(path: tuple[str | int, ...]) -> str:
    """A member path with list positions as ``[]``: ``registries[].aliases[].status``."""
    out = ""
    for step in path:
        out += "[]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top)"


def _body(ex: Exchange) -> Any:
    return ex.json if ex.json is not None else ({} if not ex.text.strip() else ex.text)


@functools.lru_cache(maxsize=64)
def _typed(schema_json: str) -> Mapping[str, Any]:
    return types_only(json.loads(schema_json))


def typed_schema(op: Operation) -> Mapping[str, Any]:
    """The output schema with its value constraints removed."""
    found = _TYPED.get(id(op.output_schema))
    if found is None or found[0] is not op.output_schema:
        # by identity, the schema kept: dumping it for every response took longer than the check
        typed = _typed(json.dumps(op.output_schema, sort_keys=True))
        found = _TYPED[id(op.output_schema)] = (op.output_schema, typed)
    return found[1]


_TYPED: dict[int, tuple[Mapping[str, Any], Mapping[str, Any]]] = {}


_INPUT_SHAPES: dict[str, frozenset[str]] = {}
_OUTPUTS: dict[tuple[str, str], Mapping[str, Any]] = {}


def input_shapes(service: Service) -> frozenset[str]:
    """Every shape some operation's input uses (their constraints are rules for requests)."""
    key = service.spec_hash
    if key not in _INPUT_SHAPES:
        ops = service.operations.values()
        _INPUT_SHAPES[key] = frozenset(n for op in ops for n in shape_names(op.input_schema))
    return _INPUT_SHAPES[key]


def _constrained_output(op: Operation, service: Service) -> Mapping[str, Any]:
    key = (service.spec_hash, op.name)
    if key not in _OUTPUTS:
        _OUTPUTS[key] = output_only_constraints(op.output_schema, input_shapes(service))
    return _OUTPUTS[key]


def op_service(op: Operation) -> Service:
    """The service (edition) an operation was loaded from."""
    return load_service(op.edition or None)


def output_schema(op: Operation, service: Service) -> Mapping[str, Any]:
    """The output schema with the constraints of output-only shapes (those no input shares)."""
    return _constrained_output(op, service)


def _judge(
    env: CheckEnv,
    op: Operation,
    find: Any,
    describe: Any,
    level_note: str,
) -> Outcome:
    out = Outcome()
    for ex in successes(env, op):
        out.examples += 1
        found: list[Violation] = find(ex)
        if found:
            v = found[0]
            expected, actual, message = describe(v)
            failure = env.fail(
                message,
                ex,
                env.fact(
                    op.name,
                    v.member,
                    f"output {v.keyword}{level_note}",
                    _provenance(op, v.path, v.keyword),
                ),
                expected,
                actual,
            )
            out.failures.append(replace(failure, root=_root(op, v, ex)))
            break
    if out.examples == 0:
        raise Skip("no request was answered with success, so there was no response to validate")
    return out


@check("response", "MUST", "success responses have the output's JSON types and required members")
def response_schema_conformance(env: CheckEnv, op: Operation) -> Outcome:
    """Every 2xx body has the output shape's JSON types, required members and encodings."""

    def find(ex: Exchange) -> list[Violation]:
        return violations(typed_schema(op), without_nulls(_body(ex)))

    def describe(v: Violation) -> tuple[str, str, str]:
        where = template(v.path)
        if v.keyword == "required":
            missing = v.message.split("'")[1] if "'" in v.message else v.message
            member = f"{where}.{missing}" if v.path else missing
            return (
                f"required member {member}",
                "absent",
                f"response member {member} is required but absent",
            )
        return (
            f"{where} to satisfy '{v.keyword}'",
            v.message[:80],
            f"response member {where} breaks '{v.keyword}': {v.message}",
        )

    return _judge(env, op, find, describe, "")


@check(
    "response",
    "SHOULD",
    "response values meet the constraints of the output shapes no request uses",
    applies=lambda op: _constrained(output_schema(op, op_service(op))),
)
def response_constraints_met(env: CheckEnv, op: Operation) -> Outcome:
    """Response values keep the constraints of the output shapes no request uses (enum values).

    Not binding (Smithy enums are open), and never an input constraint: a shape the input
    shares constrains requests only, so an empty list is what an empty answer looks like.
    """

    def find(ex: Exchange) -> list[Violation]:
        found = violations(output_schema(op, env.service), without_nulls(_body(ex)))
        return [v for v in found if v.keyword in OUTPUT_FREE_KEYWORDS]

    def describe(v: Violation) -> tuple[str, str, str]:
        where = template(v.path)
        return (
            f"{where} within its shape's '{v.keyword}'",
            v.message[:80],
            f"response member {where} breaks the shape's '{v.keyword}': {v.message}",
        )

    return _judge(env, op, find, describe, " (not binding on output)")


def _root(op: Operation, v: Violation, ex: Exchange) -> str:
    """The root fact of a member of the wrong JSON type (one wire-format defect, whatever
    check sees it), or "" for any other violation."""
    if v.keyword != "type":
        return ""
    member = op.output.member_at([str(p) for p in v.path if isinstance(p, str)])
    value: Any = ex.json
    for step in v.path:
        if isinstance(value, dict) and isinstance(step, str):
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and step < len(value):
            value = value[step]
    return wire_format_root(member.shape.kind, value) if member is not None else ""


def _constrained(schema: Mapping[str, Any]) -> bool:
    if OUTPUT_FREE_KEYWORDS & set(schema):
        return True
    subs = list((schema.get("properties") or {}).values())
    if isinstance(schema.get("items"), Mapping):
        subs.append(schema["items"])
    return any(_constrained(s) for s in subs)


@check("response", "SHOULD", "response members are left out rather than sent as null")
def response_members_not_null(env: CheckEnv, op: Operation) -> Outcome:
    """No response member is JSON null (AWS SDKs read null as absent; AWS leaves it out)."""
    out = Outcome()
    for ex in successes(env, op):
        out.examples += 1
        nulls = null_paths(ex.json)
        if nulls:
            where = template(nulls[0])
            out.failures.append(
                env.fail(
                    f"response member {where} is null ({len(nulls)} null member"
                    f"{'s' if len(nulls) != 1 else ''} in all)",
                    ex,
                    env.fact(op.name, where, "absent members are left out", "protocol"),
                    "absent members left out",
                    f"{where} is null",
                )
            )
            break
    if out.examples == 0:
        raise Skip("no request was answered with success, so there was no response to validate")
    return out


def _waited(op: Operation) -> bool:
    return bool(waiter_paths(op_service(op), op.name))


@check(
    "response",
    "SHOULD",
    "the values a waiter reads are states the waiter knows",
    applies=_waited,
)
def waiter_states_known(env: CheckEnv, op: Operation) -> Outcome:
    """Every value a waiter's path acceptors read in a response is a state that waiter knows."""
    # The states: the acceptors' expected values and the model's enum at that path. Not binding
    # (enums are open). Error answers are not judged: an error code no acceptor names ends the
    # waiter with that error, which is what a client expects of it.
    service = op_service(op)
    paths = waiter_paths(service, op.name)
    out = Outcome()
    unread = unread_arguments(service, op.name)
    if unread:
        out.note = "not judged (not a member path): " + "; ".join(unread)
    for ex in successes(env, op):
        out.examples += 1
        found = next(((p, v) for p in paths for v in values_at(ex.json, p) if not p.knows(v)), None)
        if found is not None:
            out.failures.append(_unknown_state(env, op, ex, *found))
            break
    if out.examples == 0:
        raise Skip("no request was answered with success, so there was no response to validate")
    return out


def _unknown_state(
    env: CheckEnv, op: Operation, ex: Exchange, path: WaiterPath, value: Any
) -> Failure:
    known = ", ".join(str(v) for v in path.known)
    return env.fail(
        f"response member {path.argument} is {value!r}, a state the {path.waiter} waiter does "
        f"not know (no acceptor matches it, and the model's enum does not list it); known: "
        f"{known}",
        ex,
        env.fact(
            op.name,
            path.argument,
            f"a state the {path.waiter} waiter knows (not binding) [{path.source}]",
            "service-model",
        ),
        f"{path.argument} one of {known}",
        repr(value),
    )


def successes(env: CheckEnv, op: Operation) -> list[Exchange]:
    """Every 2xx exchange of ``op``: its samples, then those seen by other checks and setup."""
    seen = [s.exchange for s in sent_samples(env, op) if s.exchange.ok]
    return seen + [ex for ex in env.sender.successes.get(op.name, []) if ex not in seen]


def _provenance(op: Operation, path: tuple[str | int, ...], keyword: str) -> str:
    """The provenance of the schema fact at ``path`` (best effort; 'service-model' if unknown)."""
    shape = op.output
    for step in path:
        if isinstance(step, int):
            shape = shape.item or shape
            continue
        try:
            shape = shape.member(step).shape
        except KeyError:
            break
    return shape.provenance.get(keyword, shape.provenance.get("type", "service-model"))
