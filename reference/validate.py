"""Generic request validation driven by the operation's input :class:`Shape` tree.

Two passes, as an AWS front end does: deserialisation (JSON types; a mismatch is a
``SerializationException``) and then constraints (required, lengths, patterns, list sizes,
ranges, enums, base64 blobs; a violation is an ``InvalidParameterException`` naming the member
and the JSON Schema keyword). Patterns are full-matched. Members the served edition does not
define are ignored: they are left out of the parameters a handler gets.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Collection
from typing import Any

from ..specs.model import Shape
from ..specs.validation import decode_base64
from .errors import ApiError, invalid

_INT_RANGE = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
_EMPTY: dict[str, Any] = {
    "string": "",
    "blob": "",
    "list": [],
    "structure": {},
    "integer": 0,
    "long": 0,
    "boolean": False,
    "timestamp": 0,
    "float": 0.0,
}


def _where(path: str) -> str:
    return path or "(top)"


def check_types(shape: Shape, value: Any, path: str = "") -> None:
    """Raise ``SerializationException`` when ``value`` does not have ``shape``'s JSON type."""
    if not _type_ok(shape.kind, value):
        raise ApiError(
            "SerializationException",
            f"Cannot deserialize {type(value).__name__} value at '{_where(path)}' "
            f"as {shape.kind} ({shape.name or shape.kind})",
        )
    if shape.kind == "structure":
        for m in shape.members:
            if value.get(m.name) is not None:
                check_types(m.shape, value[m.name], f"{path}.{m.name}".lstrip("."))
    elif shape.kind == "list" and shape.item is not None:
        for i, item in enumerate(value):
            if item is None:
                raise ApiError("SerializationException", f"null list item at '{path}[{i}]'")
            check_types(shape.item, item, f"{path}[{i}]")


def _type_ok(kind: str, value: Any) -> bool:
    if kind in _INT_RANGE:
        low, high = _INT_RANGE[kind]
        return type(value) is int and low <= value <= high
    expected: Any = {
        "structure": dict,
        "list": list,
        "string": str,
        "blob": str,
        "boolean": bool,
    }.get(kind)
    if expected is not None:
        return isinstance(value, expected)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_constraints(
    shape: Shape, value: Any, faults: Collection[str] = (), path: str = ""
) -> Any:
    """Raise ``InvalidParameterException`` on the first broken constraint; return the value.

    With the ``accept-missing-required`` fault, missing required members are filled with
    empty values in the returned copy instead of being rejected.
    """
    if shape.kind == "structure":
        return _check_structure(shape, value, faults, path)
    _check_scalar(shape, value, faults, path)
    if shape.kind == "list" and shape.item is not None:
        return [
            check_constraints(shape.item, v, faults, f"{path}[{i}]") for i, v in enumerate(value)
        ]
    return value


def _check_structure(
    shape: Shape, value: dict[str, Any], faults: Collection[str], path: str
) -> Any:
    out: dict[str, Any] = {}
    for m in shape.members:
        where = f"{path}.{m.name}".lstrip(".")
        item = value.get(m.name)
        if item is None:
            if not m.required:
                continue
            if "accept-missing-required" not in faults:
                raise invalid(f"Missing required parameter '{where}' (constraint: required)")
            out[m.name] = copy.copy(_EMPTY[m.shape.kind])
            continue
        out[m.name] = check_constraints(m.shape, item, faults, where)
    return out


def _check_scalar(shape: Shape, value: Any, faults: Collection[str], path: str) -> None:
    if "names-not-validated" in faults and shape.name in NAME_SHAPES:
        return
    size = _size(shape, value, path)
    for c in shape.constraints:
        if _skipped(c.keyword, faults):
            continue
        if not _satisfies(c.keyword, c.value, value, size):
            shown = repr(value)[:60] if shape.kind != "blob" else f"<{size} bytes>"
            raise invalid(
                f"Value {shown} at '{_where(path)}' failed to satisfy constraint: "
                f"{_explain(c.keyword, c.value)} (constraint: {c.keyword})"
            )
    if "reject-namespaced-names" in faults and shape.name == "RepositoryName" and "/" in value:
        raise invalid(f"Value at '{_where(path)}' must not contain '/' (constraint: pattern)")


def _size(shape: Shape, value: Any, path: str) -> int:
    if shape.kind != "blob":
        return len(value) if isinstance(value, (str, list)) else 0
    raw = decode_base64(value)
    if raw is None:
        raise invalid(
            f"Value at '{_where(path)}' is not valid base64 (constraint: contentEncoding)"
        )
    return len(raw)


def _skipped(keyword: str, faults: Collection[str]) -> bool:
    return (keyword == "maxLength" and "no-max-length" in faults) or (
        keyword == "pattern" and "no-pattern-check" in faults
    )


def _satisfies(keyword: str, bound: Any, value: Any, size: int) -> bool:
    if keyword in ("minLength", "minItems", "x-minBytes"):
        return size >= bound
    if keyword in ("maxLength", "maxItems", "x-maxBytes"):
        return size <= bound
    if keyword == "minimum":
        return bool(value >= bound)
    if keyword == "maximum":
        return bool(value <= bound)
    if keyword == "pattern":
        return _compiled(bound).fullmatch(value) is not None
    if keyword == "enum":
        return value in bound
    return True


def _explain(keyword: str, bound: Any) -> str:
    words = {
        "minLength": "Member must have length greater than or equal to",
        "maxLength": "Member must have length less than or equal to",
        "minItems": "Member must have at least this many items:",
        "maxItems": "Member must have at most this many items:",
        "x-minBytes": "Member must have at least this many bytes:",
        "x-maxBytes": "Member must have at most this many bytes:",
        "minimum": "Member must have value greater than or equal to",
        "maximum": "Member must have value less than or equal to",
        "pattern": "Member must satisfy regular expression pattern:",
        "enum": "Member must satisfy enum value set:",
    }
    return f"{words.get(keyword, keyword)} {bound}"


@functools.lru_cache(maxsize=128)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


#: Shapes the ``names-not-validated`` fault takes as they come (any value names something).
NAME_SHAPES = frozenset({"RepositoryName", "Arn"})


def lenient_names(shape: Shape, value: Any) -> Any:
    """The ``names-not-validated`` fault: every value where a name or ARN belongs becomes the
    text of that value, as a target that validates nothing would take it."""
    if shape.name in NAME_SHAPES:
        return value if isinstance(value, str) else json.dumps(value)
    if shape.kind == "structure" and isinstance(value, dict):
        out = dict(value)
        for m in shape.members:
            if out.get(m.name) is not None:
                out[m.name] = lenient_names(m.shape, out[m.name])
        return out
    if shape.kind == "list" and shape.item is not None and isinstance(value, list):
        return [lenient_names(shape.item, v) for v in value]
    return value


def validate_input(
    shape: Shape,
    params: Any,
    faults: Collection[str] = (),
    exclusive: Collection[frozenset[str]] = (),
) -> dict[str, Any]:
    """Type-check then constraint-check a request; return the (possibly filled) parameters.

    ``exclusive`` lists member groups the specs say cannot be used together.
    """
    if "names-not-validated" in faults:
        params = lenient_names(shape, params)
    check_types(shape, params)
    result: dict[str, Any] = check_constraints(shape, params, faults)
    for group in exclusive:
        present = sorted(m for m in group if m in result)
        if len(present) > 1:
            raise invalid(
                f"{' and '.join(present)} cannot be used together (constraint: exclusive)"
            )
    return result
