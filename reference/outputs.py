"""Output rendering: the ``response`` fault switches applied generically over the output shape."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from typing import Any

from ..specs.model import Operation, Shape

#: A value guaranteed to be outside every enum of the model.
OUT_OF_ENUM = "NOT_IN_ENUM"


def _iso(value: Any) -> Any:
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc).isoformat()
    return value


def _walk(shape: Shape, value: Any, fn: Callable[[Shape, Any], Any]) -> Any:
    if shape.kind == "structure" and isinstance(value, dict):
        members = {m.name: m.shape for m in shape.members}
        return {k: _walk(members[k], v, fn) if k in members else v for k, v in value.items()}
    if shape.kind == "list" and isinstance(value, list) and shape.item is not None:
        item = shape.item
        return [_walk(item, v, fn) for v in value]
    return fn(shape, value)


def _fault_fn(faults: Collection[str]) -> Callable[[Shape, Any], Any]:
    def fn(shape: Shape, value: Any) -> Any:
        if shape.kind == "timestamp" and "timestamp-as-string" in faults:
            return _iso(value)
        if shape.constraint("enum") is not None and "bad-enum-value" in faults:
            return OUT_OF_ENUM
        return value

    return fn


def render_output(op: Operation, result: dict[str, Any], faults: Collection[str]) -> Any:
    """Return the output as sent: ``result`` itself unless a ``response`` fault is on."""
    if "timestamp-as-string" not in faults and "bad-enum-value" not in faults:
        return result
    return _walk(op.output, result, _fault_fn(faults))
