"""Valid wire-form requests, built from the typed ``Shape`` tree of an operation's input.

Generation dispatches on the shape kind through :data:`BUILDERS` (one small function per kind);
the few places where domain knowledge beats a generic builder (repository names, digests,
policies, manifests, logos, names of existing resources) are looked up in
:mod:`ecr_public_conformance.strategies.semantic_values`.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..specs import Operation, Shape, load_service
from ..specs.validation import is_valid
from . import semantic_values as semantic

__all__ = [
    "BUILDERS",
    "ITEM",
    "STRING_CAP",
    "Context",
    "from_shape",
    "resolve_operation",
    "valid_requests",
]

#: Marker for "any item of this list" in a path template.
ITEM = "[]"
#: Default caps on generated sizes when a maximum is larger (boundaries test the real maxima).
STRING_CAP = 40
ITEMS_CAP = 4
BLOB_CAP = 256
#: JSON number ranges of the integer kinds (Smithy integer = int32, long = int64).
INT_RANGE = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}

PathTemplate = tuple[str, ...]


@dataclass(frozen=True)
class Context:
    """Names of resources that exist on a target, to bind generated requests to them."""

    repositories: tuple[str, ...] = ()
    layer_digests: tuple[str, ...] = ()
    upload_ids: tuple[str, ...] = ()
    image_digests: tuple[str, ...] = ()
    image_tags: tuple[str, ...] = ()
    resource_arns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise InvalidArgument(f"Context.{f.name} must be a sequence of strings")
            object.__setattr__(self, f.name, tuple(value))

    def values(self, field_name: str) -> tuple[str, ...]:
        """Return the values of one field; ``InvalidArgument`` names the fields if unknown."""
        if field_name not in {f.name for f in fields(self)}:
            known = ", ".join(f.name for f in fields(self))
            raise InvalidArgument(f"Context has no field {field_name!r}; fields: {known}")
        result: tuple[str, ...] = getattr(self, field_name)
        return result


@dataclass(frozen=True)
class _Gen:
    """What one builder call needs beyond the shape."""

    context: Context | None = None
    force: PathTemplate = ()
    member: str | None = None
    caps: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)


Builder = Callable[[Shape, _Gen], st.SearchStrategy[Any]]


def resolve_operation(op: Operation | str) -> Operation:
    """Return ``op`` itself, or the operation of that name; unknown names raise InvalidArgument."""
    if isinstance(op, Operation):
        return op
    if not isinstance(op, str):
        raise InvalidArgument(f"expected an Operation or an operation name, got {op!r}")
    try:
        return load_service().operation(op)
    except KeyError as exc:
        raise InvalidArgument(str(exc.args[0])) from None


def _bound(shape: Shape, keyword: str) -> Any:
    c = shape.constraint(keyword)
    return None if c is None else c.value


def length_bounds(shape: Shape, low_kw: str, high_kw: str, cap: int) -> tuple[int, int | None]:
    """Return (min, max) of a length-like constraint pair; max None when unbounded."""
    lo = _bound(shape, low_kw) or 0
    hi = _bound(shape, high_kw)
    return int(lo), None if hi is None else int(hi)


def _capped(lo: int, hi: int | None, cap: int, g: _Gen) -> int:
    if hi is None:
        return lo + cap
    return min(hi, lo + cap) if g.caps else hi


def _context_values(shape: Shape, g: _Gen) -> list[str]:
    if g.context is None or g.member is None:
        return []
    name = semantic.CONTEXT_FIELDS.get(g.member)
    if name is None:
        return []
    return [v for v in g.context.values(name) if is_valid(shape.schema, v)]


def pattern_strings(shape: Shape, lo: int, hi: int) -> st.SearchStrategy[str]:
    """Strategy for strings of ``lo..hi`` characters that full-match the shape's pattern."""
    builder = semantic.SHAPE_BUILDERS.get(shape.name or "")
    if builder is not None:
        return builder(lo, hi)
    pattern = _bound(shape, "pattern")
    if pattern is None:
        return st.text(min_size=lo, max_size=hi)
    strat = st.from_regex(pattern, fullmatch=True)
    return strat.filter(lambda s: lo <= len(s) <= hi)


def _string(shape: Shape, g: _Gen) -> st.SearchStrategy[Any]:
    enum = _bound(shape, "enum")
    if enum is not None:
        return st.sampled_from(list(enum))
    lo, hi = length_bounds(shape, "minLength", "maxLength", STRING_CAP)
    top = _capped(lo, hi, STRING_CAP, g)
    if shape.name in semantic.SHAPE_BUILDERS:
        # semantic builders keep their own (small) sizes; give them the real budget
        return pattern_strings(shape, lo, hi if hi is not None else 2**20)
    if shape.constraint("pattern"):
        return pattern_strings(shape, lo, top)
    return st.text(min_size=lo, max_size=top)


def _integer(shape: Shape, g: _Gen) -> st.SearchStrategy[Any]:
    low, high = INT_RANGE.get(shape.kind, INT_RANGE["long"])
    lo = _bound(shape, "minimum")
    hi = _bound(shape, "maximum")
    return st.integers(low if lo is None else lo, high if hi is None else hi)


def _boolean(shape: Shape, g: _Gen) -> st.SearchStrategy[Any]:
    return st.booleans()


def _timestamp(shape: Shape, g: _Gen) -> st.SearchStrategy[Any]:
    return st.integers(0, 4102444800)


def _float(shape: Shape, g: _Gen) -> st.SearchStrategy[Any]:
    return st.floats(allow_nan=False, allow_infinity=False)


def b64(data: bytes) -> str:
    """Return ``data`` base64-encoded as text."""
    return base64.b64encode(data).decode("ascii")


def _blob(shape: Shape, g: _Gen) -> st.SearchStrategy[Any]:
    lo, hi = length_bounds(shape, "x-minBytes", "x-maxBytes", BLOB_CAP)
    top = _capped(lo, hi, BLOB_CAP, g)
    raw = st.binary(min_size=lo, max_size=top).map(b64)
    if shape.name == "LogoImageBlob":
        logos = semantic.logo_blobs().filter(lambda s: lo <= len(base64.b64decode(s)) <= top)
        return st.one_of(raw, logos)
    return raw


def _list(shape: Shape, g: _Gen) -> st.SearchStrategy[Any]:
    assert shape.item is not None, f"list shape {shape.name} has no item shape"
    lo, hi = length_bounds(shape, "minItems", "maxItems", ITEMS_CAP)
    forced = bool(g.force) and g.force[0] == ITEM
    if forced:
        lo = max(lo, 1)
        if hi is not None and hi < 1:
            raise InvalidArgument(f"list {shape.name} allows no items; cannot place one")
    item = build(shape.item, replace(g, force=g.force[1:] if forced else ()))
    top = max(lo, _capped(lo, hi, ITEMS_CAP, g))
    if shape.name in semantic.UNIQUE_ITEMS:
        return st.lists(item, min_size=lo, max_size=top, unique_by=_json_key)
    return st.lists(item, min_size=lo, max_size=top)


def _json_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _map(shape: Shape, g: _Gen) -> st.SearchStrategy[Any]:
    assert shape.key is not None and shape.value is not None, f"map {shape.name} lacks shapes"
    plain = replace(g, force=(), member=None)
    keys = build(shape.key, plain)
    return st.dictionaries(keys, build(shape.value, plain), max_size=ITEMS_CAP)


def _structure(shape: Shape, g: _Gen) -> st.SearchStrategy[Any]:
    head = g.force[0] if g.force else None
    if head is not None and head not in {m.name for m in shape.members}:
        raise InvalidArgument(f"{shape.name} has no member {head!r} to place a value at")
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for m in shape.members:
        sub = replace(g, member=m.name, force=g.force[1:] if m.name == head else ())
        target = required if (m.required or m.name == head) else optional
        target[m.name] = build(m.shape, sub)
    return st.fixed_dictionaries(required, optional=optional)


#: Shape kind -> builder. Every kind that occurs in the specs must have an entry.
BUILDERS: dict[str, Builder] = {
    "structure": _structure,
    "list": _list,
    "map": _map,
    "string": _string,
    "integer": _integer,
    "long": _integer,
    "boolean": _boolean,
    "blob": _blob,
    "timestamp": _timestamp,
    "float": _float,
    "double": _float,
}


def build(shape: Shape, g: _Gen) -> st.SearchStrategy[Any]:
    """Return the strategy for ``shape`` under generation options ``g``."""
    bound = _context_values(shape, g) if shape.kind == "string" else []
    if bound:
        return st.sampled_from(bound)
    builder = BUILDERS.get(shape.kind)
    if builder is None:
        raise InvalidArgument(f"no builder for shape kind {shape.kind!r} ({shape.name})")
    return builder(shape, g)


def from_shape(
    shape: Shape,
    *,
    context: Context | None = None,
    member: str | None = None,
    force: Sequence[str] = (),
) -> st.SearchStrategy[Any]:
    """Strategy for valid wire-form values of ``shape``.

    ``member`` is the member name the value is for (it selects context binding); ``force`` is a
    path template (member names and ``ITEM``) that must be present in every value.
    """
    if not isinstance(shape, Shape):
        raise InvalidArgument(f"from_shape expects a Shape, got {shape!r}")
    if context is not None and not isinstance(context, Context):
        raise InvalidArgument(f"context must be a Context, got {context!r}")
    key = (id(shape), context, member, tuple(force))
    cached = _BUILT.get(key)
    if cached is None or cached[0] is not shape:
        cached = _BUILT[key] = (shape, build(shape, _Gen(context, tuple(force), member)))
    return cached[1]


#: Strategies already built by :func:`from_shape`, by the shape's identity and the options
#: (the shape is kept with its strategy, so an identity is never reused while cached).
_BUILT: dict[tuple[int, Context | None, str | None, PathTemplate], tuple[Shape, Any]] = {}


def respect_exclusive(op: Operation, request: Any, keep: Any = None) -> Any:
    """Drop members the specs say cannot be used together, keeping ``keep`` and then the
    group's first-named member, so a request breaks at most the rule it is meant to."""
    if not isinstance(request, dict):
        return request
    for group in op.exclusive:
        present = sorted(m for m in group if m in request)
        if len(present) < 2:
            continue
        stay = keep if keep in present else present[0]
        for name in present:
            if name != stay:
                request = {k: v for k, v in request.items() if k != name}
    return request


def valid_requests(op: Operation | str, context: Context | None = None) -> st.SearchStrategy[Any]:
    """Strategy for valid request dicts (wire form) of one operation."""
    operation = resolve_operation(op)
    return from_shape(operation.input, context=context).map(
        lambda request: respect_exclusive(operation, request)
    )


def full_match(pattern: str, value: str) -> bool:
    """True when ``value`` full-matches ``pattern``."""
    return re.fullmatch(pattern, value) is not None
