"""Labelled requests and the facts every invalid or boundary request carries.

A :class:`LabelledRequest` is a request plus what it tests: the violation kind (or ``valid``),
the member path, the JSON Schema keyword and its value with provenance, the error codes a
conforming endpoint may answer with, and who would catch it first (:func:`caught_by`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..specs import Member, Operation, Shape, load_service
from . import semantic_values as semantic
from .core import ITEM

__all__ = [
    "CAUGHT_BY",
    "LARGE_BYTES",
    "VIOLATIONS",
    "CaughtBy",
    "InvalidRequest",
    "LabelledRequest",
    "Site",
    "allowed_errors",
    "caught_by",
    "format_path",
    "sites",
    "template_of",
    "without_constraint",
]

CaughtBy = Literal["client", "server", "wire"]

#: Violation kinds, with the JSON Schema keyword each breaks.
VIOLATIONS: dict[str, str] = {
    "missing-required": "required",
    "wrong-type": "type",
    "too-short": "minLength",
    "too-long": "maxLength",
    "pattern": "pattern",
    "enum": "enum",
    "too-few-items": "minItems",
    "too-many-items": "maxItems",
    "out-of-range": "minimum|maximum",
    "not-base64": "contentEncoding",
    "blob-too-small": "x-minBytes",
    "blob-too-large": "x-maxBytes",
    "malformed-json": "(none: not JSON)",
}

#: Who catches each kind first, when the constraint is in botocore's model. botocore's
#: ParamValidator checks required members, Python types and ``min`` (length, items, value);
#: it does not check ``max``, patterns, enums or blob sizes. A blob is base64-encoded by the
#: SDK itself, so invalid base64 and malformed JSON only exist on the wire.
CAUGHT_BY: dict[str, CaughtBy] = {
    "missing-required": "client",
    "wrong-type": "client",
    "too-short": "client",
    "too-few-items": "client",
    "out-of-range:minimum": "client",
    "out-of-range:maximum": "server",
    "too-long": "server",
    "too-many-items": "server",
    "pattern": "server",
    "enum": "server",
    "blob-too-small": "server",
    "blob-too-large": "server",
    "not-base64": "wire",
    "malformed-json": "wire",
}

#: Python types botocore's validator accepts per shape kind (bool is an int to Python).
_SDK_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "blob": (bytes, bytearray, str),
    "list": (list, tuple),
    "structure": (dict,),
    "map": (dict,),
    "timestamp": (str, int, float),
    "float": (float, int),
    "double": (float, int),
}

#: Requests above this many bytes are ``large``: a quick profile skips them.
LARGE_BYTES = 1 << 20


def caught_by(
    violation: str,
    keyword: str | None = None,
    path: tuple[str | int, ...] = (),
    value: Any = None,
    kind: str | None = None,
    provenance: str | None = None,
) -> CaughtBy:
    """Return who rejects this violation first: ``client`` (botocore), ``server`` or ``wire``.

    A wrong JSON type for the whole body, or one botocore accepts as the right Python type
    (``True`` for an integer), only exists on the wire. A constraint botocore's model does not
    state (provenance ``document``/``overlay``) is only caught by the server.
    """
    if violation == "wrong-type":
        if not path:
            return "wire"
        accepted = _SDK_TYPES.get(kind or "", ())
        return "wire" if isinstance(value, accepted) else "client"
    key = f"{violation}:{keyword}" if violation == "out-of-range" else violation
    who = CAUGHT_BY[key]
    if who == "client" and provenance in ("document", "overlay"):
        return "server"
    return who


def allowed_errors(
    op: Operation, violation: str, path: tuple[str | int, ...] = (), large: bool = False
) -> frozenset[str]:
    """Error codes the specs allow in answer to this violation of ``op``.

    Any code of the validation class (the operation's own, such as InvalidParameterException,
    and the protocol's: SerializationException, ValidationException, AWS's common
    ValidationError...), whatever the violation: which of them a server picks for which
    violation is a convention. The negative checks and the endpoint's malformed-JSON check
    both judge by this one rule.
    """
    service = load_service(op.edition or None)
    base = service.codes_of_class("validation") | semantic.extra_error_codes(path, violation)
    if large:
        base = base | {"RequestEntityTooLargeException"}
    # the operation's own codes (of whichever edition it is from) and the protocol's
    protocol = frozenset(e.code for e in service.protocol_errors())
    codes = base & (op.error_codes | protocol)
    if not codes:
        raise ValueError(f"the specs allow no error code for {violation} in {op.name}")
    return codes


def format_path(path: tuple[str | int, ...]) -> str:
    """Render a path as ``catalogData.architectures[0]`` (``(top)`` when empty)."""
    out = ""
    for step in path:
        if isinstance(step, int) or step == ITEM:
            out += f"[{step}]" if isinstance(step, int) else "[]"
        else:
            out += f".{step}" if out else step
    return out or "(top)"


def template_of(path: tuple[str | int, ...]) -> tuple[str, ...]:
    """Replace list indices in a concrete path by ``ITEM``."""
    return tuple(ITEM if isinstance(p, int) else p for p in path)


@dataclass(frozen=True)
class LabelledRequest:
    """A request with what it tests; ``violation == "valid"`` for valid boundary requests."""

    operation: str
    params: Any
    violation: str
    path: tuple[str | int, ...] = ()
    keyword: str | None = None
    bound: Any = None
    provenance: str | None = None
    allowed_errors: frozenset[str] = frozenset()
    caught_by: CaughtBy | None = None
    large: bool = False
    body: bytes | None = None

    @property
    def valid(self) -> bool:
        """True when the request is valid (a boundary value inside the bounds)."""
        return self.violation == "valid"

    @property
    def member(self) -> str:
        """The dotted member path, ``(top)`` for the whole request."""
        return format_path(self.path)

    def wire_body(self) -> bytes:
        """The bytes to send: the raw body, or the params as JSON."""
        return self.body if self.body is not None else json.dumps(self.params).encode()

    def __repr__(self) -> str:
        where = self.member
        what = f"{self.keyword}={_short(self.bound)}" if self.keyword else "-"
        who = f", caught by {self.caught_by}" if self.caught_by else ""
        big = ", large" if self.large else ""
        return (
            f"{type(self).__name__}({self.operation}: {self.violation} at {where} "
            f"[{what}, {self.provenance or 'n/a'}]{who}{big})"
        )


@dataclass(frozen=True, repr=False)
class InvalidRequest(LabelledRequest):
    """A request with exactly one violation of the specs, and how it should be answered."""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass(frozen=True)
class Site:
    """A place in a request: its path template, shape, and member (None for list items/top)."""

    path: tuple[str, ...]
    shape: Shape
    member: Member | None

    @property
    def member_name(self) -> str | None:
        """The nearest member name on the path (list items inherit their list's name)."""
        names = [p for p in self.path if p != ITEM]
        return names[-1] if names else None


def sites(shape: Shape, path: tuple[str, ...] = (), member: Member | None = None) -> Iterator[Site]:
    """Yield every site of a shape tree, depth first, the root first."""
    yield Site(path, shape, member)
    for m in shape.members:
        yield from sites(m.shape, (*path, m.name), m)
    if shape.item is not None:
        yield from sites(shape.item, (*path, ITEM), None)


def _node(schema: Mapping[str, Any], step: str | int) -> Any:
    if isinstance(step, int) or step == ITEM:
        return schema["items"]
    return schema["properties"][step]


def without_constraint(
    schema: Mapping[str, Any], path: tuple[str | int, ...], keyword: str
) -> dict[str, Any]:
    """Return a copy of ``schema`` with one constraint removed at ``path``.

    ``required`` removes the last path step from its parent's required list; any other keyword
    is deleted from the node at ``path`` (``type`` with the node's ``enum``, whose values are
    of that type). ``KeyError`` if the path or keyword is absent.
    """
    out: dict[str, Any] = copy.deepcopy(dict(schema))
    steps = list(path)
    if keyword == "required":
        name = steps.pop()
        node = out
        for step in steps:
            node = _node(node, step)
        node["required"] = [r for r in node["required"] if r != name]
        if len(node["required"]) == len(schema_required(schema, tuple(steps))):
            raise KeyError(f"{name!r} is not required at {format_path(tuple(steps))}")
        return out
    node = out
    for step in steps:
        node = _node(node, step)
    del node[keyword]
    if keyword == "type":
        node.pop("enum", None)  # a value of another type cannot be one of the enum's either
    return out


def schema_required(schema: Mapping[str, Any], path: tuple[str | int, ...]) -> list[str]:
    """Return the required list of the structure node at ``path``."""
    node: Any = schema
    for step in path:
        node = _node(node, step)
    return list(node.get("required", ()))
