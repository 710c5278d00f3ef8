"""Output rendering: members of other editions left out, then the variants and the ``response``
fault switches, applied generically over the output shape."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Collection
from typing import Any, Union

from ..specs import load_service
from ..specs.editions import editions
from ..specs.model import Operation, Shape
from .faults import known_faults
from .variants import shape_output

#: A value guaranteed to be outside every enum of the model.
OUT_OF_ENUM = "NOT_IN_ENUM"


def _iso(value: Any) -> Any:
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc).isoformat()
    return value


def _walk(shape: Shape, value: Any, fn: Callable[[Shape, Any], Any], nulls: bool = False) -> Any:
    if shape.kind == "structure" and isinstance(value, dict):
        members = {m.name: m.shape for m in shape.members}
        out = {k: _walk(members[k], v, fn, nulls) if k in members else v for k, v in value.items()}
        if nulls:  # the null-members fault: absent optional members sent as JSON null
            out.update({m.name: None for m in shape.members if m.name not in out})
        return out
    if shape.kind == "list" and isinstance(value, list) and shape.item is not None:
        item = shape.item
        return [_walk(item, v, fn, nulls) for v in value]
    return fn(shape, value)


def _fault_fn(faults: Collection[str]) -> Callable[[Shape, Any], Any]:
    def fn(shape: Shape, value: Any) -> Any:
        if shape.kind == "timestamp" and "timestamp-as-string" in faults:
            return _iso(value)
        if shape.constraint("enum") is not None and "bad-enum-value" in faults:
            return OUT_OF_ENUM
        if shape.kind in ("integer", "long") and "number-as-string" in faults:
            return str(value)
        return value

    return fn


#: Where members of other editions stand in an output: member -> None (leave it out) or the plan
#: of the structure it holds (lists are looked through).
Plan = dict[str, Union["Plan", None]]


def _items(shape: Shape) -> Shape:
    while shape.kind == "list" and shape.item is not None:
        shape = shape.item
    return shape


def _missing(full: Shape, served: Shape) -> Plan:
    """The members ``full`` defines and ``served`` lacks, at any depth."""
    full, served = _items(full), _items(served)
    if full.kind != "structure" or served.kind != "structure":
        return {}
    have = {m.name: m.shape for m in served.members}
    plan: Plan = {}
    for m in full.members:
        sub = _missing(m.shape, have[m.name]) if m.name in have else None
        if m.name not in have or sub:
            plan[m.name] = sub
    return plan


def _merge(into: Plan, plan: Plan) -> None:
    for name, sub in plan.items():
        old = into.get(name, {})
        if sub is None or old is None:
            into[name] = None
        else:
            into[name] = old
            _merge(old, sub)


@functools.cache
def edition_plan(edition: str, operation: str) -> Plan:
    """What other editions define in ``operation``'s output that ``edition`` does not (the
    handlers serve every edition, so they may produce it); empty for the newest edition."""
    served = load_service(edition).operations[operation].output
    plan: Plan = {}
    for other in editions():
        op = load_service(other.name).operations.get(operation)
        if op is not None and other.name != edition:
            _merge(plan, _missing(op.output, served))
    return plan


def _prune(value: Any, plan: Plan) -> Any:
    if isinstance(value, list):
        return [_prune(v, plan) for v in value]
    if not isinstance(value, dict) or value.keys().isdisjoint(plan):
        return value
    out = dict(value)
    for name, sub in plan.items():
        if name in out:
            if sub is None:
                del out[name]
            else:
                out[name] = _prune(out[name], sub)
    return out


def render_output(
    op: Operation,
    result: dict[str, Any],
    faults: Collection[str],
    variants: frozenset[str] = frozenset(),
    edition: str | None = None,
) -> Any:
    """Return the output as sent: ``result`` without the members ``edition`` does not define,
    shaped by the variants, then the faults."""

    plan = edition_plan(edition, op.name) if edition else None
    if plan:
        result = _prune(result, plan)
    result = shape_output(op, result, variants)
    if not _RESPONSE_FAULTS & set(faults):
        return result
    return _walk(op.output, result, _fault_fn(faults), "null-members" in faults)


#: The faults applied here, over the output shape.
_RESPONSE_FAULTS = known_faults(
    {"timestamp-as-string", "bad-enum-value", "number-as-string", "null-members"}
)
