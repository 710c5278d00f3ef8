"""Boundary requests: explicit examples at and just beyond every constraint, always tried.

For every constrained member: valid values at the minimum and the maximum, invalid values at
minimum-1 and maximum+1, the empty string or list where that is relevant, a valid and a
non-matching value for patterns, and the members of an enum plus one outside it. Each example
is a :class:`~.cases.LabelledRequest` (invalid ones are :class:`~.cases.InvalidRequest`).
Examples for huge maxima (``LayerPartBlob`` 20 MiB, ``ImageManifest`` 4 MiB) are included and
marked ``large=True`` so that a quick profile can skip them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import example, find, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, NoSuchExample

from ..specs import Operation, Shape
from . import semantic_values as semantic
from .core import INT_RANGE, ITEM, b64, resolve_operation, respect_exclusive
from .invalid import _CANDIDATE_CHARS
from .labelled import (
    LARGE_BYTES,
    InvalidRequest,
    LabelledRequest,
    Site,
    allowed_errors,
    caught_by,
    sites,
)
from .regex_length import NotAnalysable, string_of_length

__all__ = ["boundary_requests", "canonical_value", "with_boundaries"]

#: (label, keyword, value, large) produced for one site.
Bound = tuple[str, str, Any, bool]


@dataclass(frozen=True)
class _Later:
    """A bound's value above 1 MiB, made only for a request that is kept (a layer part's
    maxima are 27 MB of text each: made for every run and dropped, they set its peak memory)."""

    make: Callable[[], Any]


def _later(large: bool, make: Callable[[], Any]) -> Any:
    """``make``'s value now, or, for a large bound, when a request needs it."""
    return _Later(make) if large else make()


# --------------------------------------------------------------------------- canonical values


#: Characters tried, repeated, for a value of a given length before searching for one.
_REPEATED = "a0Az_-."


@functools.lru_cache(maxsize=512)
def _find_matching(pattern: str, length: int | None) -> str:
    if length is not None:
        for ch in _REPEATED:  # most patterns of the model are one repeated class
            if re.fullmatch(pattern, ch * length):
                return ch * length
        try:  # built from the pattern's syntax: exact, and quick to say that none exists
            built = string_of_length(pattern, length)
        except NotAnalysable:
            pass
        else:
            if built is None:
                raise InvalidArgument(f"no value of length {length} matches {pattern!r}")
            return built
    strategy = st.from_regex(pattern, fullmatch=True)
    try:
        return find(
            strategy,
            lambda s: length is None or len(s) == length,
            settings=settings(database=None, derandomize=True, max_examples=2000),
        )
    except NoSuchExample:
        raise InvalidArgument(
            f"cannot build a value of length {length} matching {pattern!r}"
        ) from None


def _string_of(shape: Shape, length: int | None, variant: int) -> str:
    pattern = shape.constraint("pattern")
    exact = semantic.EXACT_LENGTH.get(shape.name or "")
    canonical = semantic.CANONICAL.get(shape.name or "")
    lo = c.value if (c := shape.constraint("minLength")) else 0
    hi = c.value if (c := shape.constraint("maxLength")) else None
    if length is None and canonical is not None:
        value = canonical(variant)
        if lo <= len(value) <= (hi if hi is not None else len(value)):
            return value
    if length is None:
        length = min(max(lo, 8), hi) if hi is not None else max(lo, 8)
    if exact is not None:
        return exact(length, variant)
    if pattern is not None:
        return _find_matching(pattern.value, length)
    chunk = f"v{variant}-"
    return (chunk * (length // len(chunk) + 1))[:length]


def _filler_bytes(n: int) -> bytes:
    return (bytes(range(256)) * (n // 256 + 1))[:n]


#: The filler repeats every 256 bytes and base64 works in groups of 3: 768 bytes of filler
#: encode to one fixed text, and any whole number of them to that text repeated.
_FILLER_PERIOD = 768
_FILLER_PERIOD_B64 = b64(_filler_bytes(_FILLER_PERIOD))


def filler_b64(n: int) -> str:
    """The base64 text of ``n`` filler bytes, without making or encoding them (the maxima of
    layer parts are 20 MiB, built for every run and then set aside unless it sends them)."""
    whole, rest = divmod(n, _FILLER_PERIOD)
    return "".join([_FILLER_PERIOD_B64] * whole + [b64(_filler_bytes(rest))])  # one copy


def canonical_value(
    shape: Shape, variant: int = 0, force: tuple[str, ...] = (), full: bool = False
) -> Any:
    """Return a deterministic valid value of ``shape``, with the ``force`` path present.

    Structures get their required (and forced) members, or all members when ``full``;
    ``variant`` makes list items differ from each other.
    """
    kind = shape.kind
    if kind == "structure":
        head = force[0] if force else None
        return {
            m.name: canonical_value(m.shape, variant, force[1:] if m.name == head else (), full)
            for m in shape.members
            if m.required or m.name == head or full
        }
    if kind == "list":
        assert shape.item is not None
        lo = c.value if (c := shape.constraint("minItems")) else 0
        count = max(lo, 1 if force else 0)
        return [canonical_value(shape.item, i, force[1:], True) for i in range(count)]
    if kind == "string":
        enum = shape.constraint("enum")
        return enum.value[variant % len(enum.value)] if enum else _string_of(shape, None, variant)
    if kind == "map":
        return {}
    if kind in INT_RANGE or kind in ("float", "double"):
        lo_c, hi_c = shape.constraint("minimum"), shape.constraint("maximum")
        return lo_c.value if lo_c else (min(0, hi_c.value) if hi_c else 0)
    if kind == "blob":
        lo = c.value if (c := shape.constraint("x-minBytes")) else 0
        return filler_b64(max(lo, 1))
    return {"boolean": False, "timestamp": 0}[kind]


# --------------------------------------------------------------------------- per-kind bounds


def _exists(shape: Shape, length: int) -> bool:
    """True when a value of ``length`` matches the shape's pattern (a model's length bound can
    be looser than its pattern: no valid value sits on such a bound, so none is sent)."""
    try:
        _string_of(shape, length, 0)
    except InvalidArgument:
        return False
    return True


def _string_bounds(site: Site) -> Iterator[Bound]:
    shape = site.shape
    lo_c, hi_c = shape.constraint("minLength"), shape.constraint("maxLength")
    patterned = shape.constraint("pattern") is not None
    if lo_c is not None:
        if (lo_c.value > 0 or not patterned) and _exists(shape, lo_c.value):
            yield "valid", "minLength", _string_of(shape, lo_c.value, 0), False
        if lo_c.value - 1 >= (1 if patterned else 0) and _exists(shape, lo_c.value - 1):
            yield "too-short", "minLength", _string_of(shape, lo_c.value - 1, 0), False
    if hi_c is not None:
        big = hi_c.value + 1 > LARGE_BYTES
        if _exists(shape, hi_c.value):
            yield "valid", "maxLength", _later(big, lambda: _string_of(shape, hi_c.value, 1)), big
        if _exists(shape, hi_c.value + 1):
            value = _later(big, lambda: _string_of(shape, hi_c.value + 1, 2))
            yield "too-long", "maxLength", value, big
    yield from _pattern_bounds(shape)
    yield from _enum_bounds(shape)


def _pattern_bounds(shape: Shape) -> Iterator[Bound]:
    c = shape.constraint("pattern")
    if c is None:
        return
    rx = re.compile(c.value)
    yield "valid", "pattern", _string_of(shape, None, 0), False
    lo = max(1, (m.value if (m := shape.constraint("minLength")) else 0))
    for ch in _CANDIDATE_CHARS:
        if rx.search(ch * lo) is None:
            yield "pattern", "pattern", ch * lo, False
            break
    if shape.constraint("minLength") is None and rx.search("") is None:
        yield "pattern", "pattern", "", False


def _enum_bounds(shape: Shape) -> Iterator[Bound]:
    c = shape.constraint("enum")
    if c is None:
        return
    for value in c.value:
        yield "valid", "enum", value, False
    outside = "not-" + "-".join(str(v) for v in c.value)[:20]
    yield "enum", "enum", outside, False


def _list_bounds(site: Site) -> Iterator[Bound]:
    assert site.shape.item is not None
    item = site.shape.item

    def items(n: int) -> list[Any]:
        return [canonical_value(item, i, full=True) for i in range(n)]

    lo_c, hi_c = site.shape.constraint("minItems"), site.shape.constraint("maxItems")
    if lo_c is not None:
        yield "valid", "minItems", items(lo_c.value), False
        if lo_c.value > 0:
            yield "too-few-items", "minItems", items(lo_c.value - 1), False
    if hi_c is not None:
        yield "valid", "maxItems", items(hi_c.value), False
        yield "too-many-items", "maxItems", items(hi_c.value + 1), False


def _number_bounds(site: Site) -> Iterator[Bound]:
    low, high = INT_RANGE.get(site.shape.kind, INT_RANGE["long"])
    lo_c, hi_c = site.shape.constraint("minimum"), site.shape.constraint("maximum")
    if lo_c is not None:
        yield "valid", "minimum", lo_c.value, False
        if lo_c.value - 1 >= low:
            yield "out-of-range", "minimum", lo_c.value - 1, False
    if hi_c is not None:
        yield "valid", "maximum", hi_c.value, False
        if hi_c.value + 1 <= high:
            yield "out-of-range", "maximum", hi_c.value + 1, False


def _blob_bounds(site: Site) -> Iterator[Bound]:
    lo_c, hi_c = site.shape.constraint("x-minBytes"), site.shape.constraint("x-maxBytes")
    if lo_c is not None:
        yield "valid", "x-minBytes", filler_b64(lo_c.value), False
        if lo_c.value > 0:
            yield "blob-too-small", "x-minBytes", filler_b64(lo_c.value - 1), False
    if hi_c is not None:
        big = (hi_c.value + 1) * 4 // 3 > LARGE_BYTES
        yield "valid", "x-maxBytes", _later(big, lambda: filler_b64(hi_c.value)), big
        yield "blob-too-large", "x-maxBytes", _later(big, lambda: filler_b64(hi_c.value + 1)), big
    yield "not-base64", "contentEncoding", "not*base64", False


_BOUNDS: dict[str, Callable[[Site], Iterator[Bound]]] = {
    "string": _string_bounds,
    "list": _list_bounds,
    "integer": _number_bounds,
    "long": _number_bounds,
    "float": _number_bounds,
    "double": _number_bounds,
    "blob": _blob_bounds,
}


# --------------------------------------------------------------------------- assembly


def _concrete(path: tuple[str, ...]) -> tuple[str | int, ...]:
    return tuple(0 if p == ITEM else p for p in path)


def _request_with(op: Operation, site: Site, value: Any) -> Any:
    request = canonical_value(op.input, force=site.path)
    node = request
    concrete = _concrete(site.path)
    for step in concrete[:-1]:
        node = node[step]
    node[concrete[-1]] = value
    return respect_exclusive(op, request, keep=concrete[0])


def _case(op: Operation, site: Site, bound: Bound) -> LabelledRequest:
    label, keyword, value, large = bound
    if isinstance(value, _Later):
        value = value.make()
    c = site.shape.constraint(keyword)
    bound_value = c.value if c is not None else "base64"
    provenance = c.provenance if c is not None else "service-model"
    path = _concrete(site.path)
    params = _request_with(op, site, value)
    if label == "valid":
        return LabelledRequest(
            op.name, params, "valid", path, keyword, bound_value, provenance, large=large
        )
    return InvalidRequest(
        op.name,
        params,
        label,
        path,
        keyword,
        bound_value,
        provenance,
        allowed_errors=allowed_errors(op, label, path, large),
        caught_by=caught_by(label, keyword, path, value, site.shape.kind, provenance),
        large=large,
    )


def boundary_requests(op: Operation | str, *, include_large: bool = True) -> list[LabelledRequest]:
    """Return the explicit boundary examples of ``op`` (valid and invalid), in spec order."""
    operation = resolve_operation(op)
    out: list[LabelledRequest] = []
    for site in sites(operation.input):
        producer = _BOUNDS.get(site.shape.kind)
        if producer is None or not site.path:
            continue
        for bound in producer(site):
            if include_large or not bound[3]:
                out.append(_case(operation, site, bound))
    return out


def large_boundaries(op: Operation | str) -> list[tuple[tuple[str | int, ...], str, bool]]:
    """(path, keyword, valid) of each boundary example of ``op`` above 1 MiB, in spec order,
    without making its value."""
    operation = resolve_operation(op)
    out = []
    for site in sites(operation.input):
        producer = _BOUNDS.get(site.shape.kind)
        if producer is None or not site.path:
            continue
        for label, keyword, _, large in producer(site):
            if large:
                out.append((_concrete(site.path), keyword, label == "valid"))
    return out


def with_boundaries(
    op: Operation | str, *, mode: str = "invalid", include_large: bool = False
) -> Callable[[Any], Any]:
    """Decorator adding every boundary example of ``op`` to a ``@given`` test as ``@example``.

    ``mode="valid"`` adds the params of valid boundary requests (for tests of valid requests);
    ``mode="invalid"`` adds the :class:`InvalidRequest` objects.
    """
    if mode not in ("valid", "invalid"):
        raise InvalidArgument(f"mode must be 'valid' or 'invalid', not {mode!r}")
    cases = [
        c
        for c in boundary_requests(op, include_large=include_large)
        if c.valid == (mode == "valid")
    ]

    def decorate(test: Any) -> Any:
        for case in reversed(cases):
            test = example(case.params if mode == "valid" else case)(test)
        return test

    return decorate
