"""Output rendering: the ``response`` fault switches applied generically over the output shape."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from typing import Any

from ..specs.model import Operation, Shape
from .faults import known_faults

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


def render_output(
    op: Operation,
    result: dict[str, Any],
    faults: Collection[str],
    variants: frozenset[str] = frozenset(),
) -> Any:
    """Return the output as sent: ``result`` shaped by the variants, then the faults."""
    from .variants import shape_output

    result = shape_output(op, result, variants)
    if not _RESPONSE_FAULTS & set(faults):
        return result
    return _walk(op.output, result, _fault_fn(faults), "null-members" in faults)


#: The faults applied here, over the output shape.
_RESPONSE_FAULTS = known_faults(
    {"timestamp-as-string", "bad-enum-value", "number-as-string", "null-members"}
)
