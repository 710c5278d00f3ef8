"""Response checks: success bodies have the output's JSON shape; its value constraints are SHOULD.

The output schemas reuse shapes the input constrains (lengths, patterns, list sizes, enums).
Smithy does not enforce constraint traits when reading output and treats enums as open, so only
JSON types, required members and encodings are MUST (``response_schema_conformance``); the
constraints (``response_constraints_met``) and JSON nulls, which SDKs read as absent
(``response_members_not_null``), are reported at SHOULD.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from ...specs import Operation
from ...specs.validation import (
    OUTPUT_FREE_KEYWORDS,
    Violation,
    null_paths,
    types_only,
    violations,
    without_nulls,
)
from ...wire import Exchange
from ..env import CheckEnv
from ..registry import Outcome, Skip, check


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
    return _typed(json.dumps(op.output_schema, sort_keys=True))


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
            out.failures.append(
                env.fail(
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
            )
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
    "response values meet the constraints of the shapes they reuse",
    applies=lambda op: _constrained(op.output_schema),
)
def response_constraints_met(env: CheckEnv, op: Operation) -> Outcome:
    """Response values keep the lengths, patterns, list sizes and enum values of their shapes.

    Not binding on output: enums are open, and the constraints are rules for input.
    """

    def find(ex: Exchange) -> list[Violation]:
        found = violations(op.output_schema, without_nulls(_body(ex)))
        return [v for v in found if v.keyword in OUTPUT_FREE_KEYWORDS]

    def describe(v: Violation) -> tuple[str, str, str]:
        where = template(v.path)
        return (
            f"{where} within its shape's '{v.keyword}'",
            v.message[:80],
            f"response member {where} breaks the shape's '{v.keyword}': {v.message}",
        )

    return _judge(env, op, find, describe, " (not binding on output)")


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


def successes(env: CheckEnv, op: Operation) -> list[Exchange]:
    """Every 2xx exchange of ``op``: its samples, then those seen by other checks and setup."""
    seen = [s.exchange for s in env.samples(op) if s.exchange.ok]
    return seen + [ex for ex in env.successes.get(op.name, []) if ex not in seen]


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
