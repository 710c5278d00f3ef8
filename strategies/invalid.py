"""Invalid requests: exactly one violation of the specs per example.

For each site of an operation's input (see :func:`~.cases.sites`) a *planner* per shape kind
lists the ways the site can be broken alone (:class:`Plan`); each plan becomes a strategy that
draws a valid request with the site present and replaces (or removes) the value there. Wire
level plans (malformed JSON, a non-object body) apply to every operation.

Pattern semantics: the model's patterns carry no anchors and Smithy does not anchor them, while
implementations usually full-match. Valid values always full-match; a ``pattern`` violation
never matches anywhere (``re.search`` finds nothing). Values in between are never generated.
A value that breaks ``maxLength`` of a patterned string still full-matches the pattern, and a
``pattern`` violation respects the length bounds.
"""

from __future__ import annotations

import json
import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..specs import Operation, Shape
from .core import (
    INT_RANGE,
    ITEM,
    STRING_CAP,
    b64,
    from_shape,
    pattern_strings,
    resolve_operation,
    respect_exclusive,
)
from .labelled import (
    LARGE_BYTES,
    InvalidRequest,
    Site,
    allowed_errors,
    caught_by,
    format_path,
    sites,
)

__all__ = [
    "PLANNERS",
    "Plan",
    "invalid_requests",
    "non_matching_strings",
    "plans",
    "skipped_violations",
]

_NON_ASCII = "éß中😀"
_CANDIDATE_CHARS = "".join(chr(c) for c in range(33, 127)) + " " + _NON_ASCII


@dataclass(frozen=True)
class Plan:
    """One way to break one site alone: the kind, the keyword and the replacement values."""

    violation: str
    site: Site
    keyword: str | None
    bound: Any
    provenance: str | None
    values: st.SearchStrategy[Any] | None
    large: bool = False

    def __repr__(self) -> str:
        return f"Plan({self.violation} at {format_path(self.site.path)}, {self.keyword})"


Planner = Callable[[Site], list[Plan]]


def _plan(
    site: Site,
    violation: str,
    keyword: str,
    values: st.SearchStrategy[Any] | None,
    large: bool = False,
) -> Plan:
    c = site.shape.constraint(keyword)
    if c is not None:
        return Plan(violation, site, keyword, c.value, c.provenance, values, large)
    return Plan(violation, site, keyword, None, None, values, large)


# --------------------------------------------------------------------------- value helpers


def _repeat(length: int, chunk: str) -> str:
    return (chunk * (length // len(chunk) + 1))[:length]


def long_text(lo: int, hi: int) -> st.SearchStrategy[str]:
    """Strategy for text of ``lo..hi`` characters, cheap even for very long lengths."""
    if hi <= 512:
        return st.text(min_size=lo, max_size=hi)
    return st.builds(_repeat, st.integers(lo, hi), st.text(min_size=1, max_size=8))


def _length_values(shape: Shape, lo: int, hi: int) -> st.SearchStrategy[str]:
    if shape.constraint("pattern") is not None:
        return pattern_strings(shape, lo, hi)
    return long_text(lo, hi)


def non_matching_strings(shape: Shape, lo: int, hi: int) -> st.SearchStrategy[str] | None:
    """Strategy for strings of ``lo..hi`` characters the pattern matches nowhere, or None."""
    c = shape.constraint("pattern")
    if c is None:
        return None
    rx = re.compile(c.value)
    if rx.search("") is not None:
        return None
    alphabet = "".join(ch for ch in _CANDIDATE_CHARS if rx.search(ch) is None)
    if not alphabet:
        return None
    return st.text(alphabet, min_size=lo, max_size=hi).filter(lambda s: rx.search(s) is None)


def _random_bytes(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.builds(
        lambda n, seed: b64(random.Random(seed).randbytes(n)),
        st.integers(lo, hi),
        st.integers(0, 2**32),
    )


def _items(site: Site, lo: int, hi: int) -> st.SearchStrategy[list[Any]]:
    assert site.shape.item is not None
    item = from_shape(site.shape.item, member=site.member_name)
    return st.lists(item, min_size=lo, max_size=hi, unique_by=lambda v: json.dumps(v))


# --------------------------------------------------------------------------- planners


def _missing_required(site: Site) -> list[Plan]:
    m = site.member
    if m is None or not m.required:
        return []
    return [Plan("missing-required", site, "required", m.name, m.required_provenance, None)]


_WRONG: dict[str, st.SearchStrategy[Any]] = {
    "text": st.text(max_size=6),
    "int": st.integers(-5, 5),
    "bool": st.booleans(),
    "list": st.lists(st.text(max_size=3), max_size=2),
    "dict": st.dictionaries(st.text("abc", min_size=1, max_size=2), st.integers(0, 3), max_size=2),
}
_WRONG_FOR: dict[str, tuple[str, ...]] = {
    "string": ("int", "bool", "list", "dict"),
    "blob": ("int", "bool", "list", "dict"),
    "integer": ("text", "bool", "frac", "list"),
    "long": ("text", "bool", "frac", "list"),
    "boolean": ("text", "int", "list"),
    "list": ("text", "int", "dict"),
    "structure": ("text", "int", "list", "bool"),
    "map": ("text", "int", "list", "bool"),
    "timestamp": ("list", "dict", "bool"),
    "float": ("text", "list", "bool"),
    "double": ("text", "list", "bool"),
}


def _wrong_values(shape: Shape, name: str) -> st.SearchStrategy[Any]:
    if name != "frac":
        return _WRONG[name]
    lo = (shape.constraint("minimum") or _zero).value
    hi_c = shape.constraint("maximum")
    fracs = [lo + 0.5, lo + 0.25]
    return st.sampled_from([f for f in fracs if hi_c is None or f <= hi_c.value])


def _wrong_type(site: Site) -> list[Plan]:
    names = _WRONG_FOR.get(site.shape.kind)
    if names is None:
        raise InvalidArgument(f"no wrong-type values for shape kind {site.shape.kind!r}")
    values = st.one_of(*(_wrong_values(site.shape, n) for n in names))
    return [
        Plan("wrong-type", site, "type", site.shape.schema.get("type"), "service-model", values)
    ]


def _string_length(site: Site) -> list[Plan]:
    shape, out = site.shape, []
    lo_c, hi_c = shape.constraint("minLength"), shape.constraint("maxLength")
    patterned = shape.constraint("pattern") is not None
    if lo_c is not None and lo_c.value > 0:
        low = 1 if patterned else 0
        if lo_c.value - 1 >= low:
            out.append(
                _plan(site, "too-short", "minLength", _length_values(shape, low, lo_c.value - 1))
            )
    if hi_c is not None:
        n = hi_c.value + 1
        out.append(
            _plan(
                site,
                "too-long",
                "maxLength",
                _length_values(shape, n, n + 8),
                large=n > LARGE_BYTES,
            )
        )
    return out


def _pattern(site: Site) -> list[Plan]:
    shape = site.shape
    if shape.constraint("pattern") is None:
        return []
    lo = max(1, (shape.constraint("minLength") or _zero).value)
    hi_c = shape.constraint("maxLength")
    hi = min(hi_c.value, lo + STRING_CAP) if hi_c is not None else lo + STRING_CAP
    values = non_matching_strings(shape, lo, hi)
    return [] if values is None else [_plan(site, "pattern", "pattern", values)]


def _enum(site: Site) -> list[Plan]:
    c = site.shape.constraint("enum")
    if c is None:
        return []
    lo = (site.shape.constraint("minLength") or _zero).value
    hi_c = site.shape.constraint("maxLength")
    hi = min(hi_c.value, lo + STRING_CAP) if hi_c is not None else lo + STRING_CAP
    values = _length_values(site.shape, lo, hi).filter(lambda v: v not in c.value)
    return [_plan(site, "enum", "enum", values)]


def _list_size(site: Site) -> list[Plan]:
    out = []
    lo_c, hi_c = site.shape.constraint("minItems"), site.shape.constraint("maxItems")
    if lo_c is not None and lo_c.value > 0:
        out.append(_plan(site, "too-few-items", "minItems", _items(site, 0, lo_c.value - 1)))
    if hi_c is not None:
        out.append(
            _plan(site, "too-many-items", "maxItems", _items(site, hi_c.value + 1, hi_c.value + 2))
        )
    return out


def _range(site: Site) -> list[Plan]:
    low, high = INT_RANGE.get(site.shape.kind, INT_RANGE["long"])
    out = []
    lo_c, hi_c = site.shape.constraint("minimum"), site.shape.constraint("maximum")
    if lo_c is not None and lo_c.value - 1 >= low:
        values = st.integers(max(low, lo_c.value - 1024), lo_c.value - 1)
        out.append(_plan(site, "out-of-range", "minimum", values))
    if hi_c is not None and hi_c.value + 1 <= high:
        values = st.integers(hi_c.value + 1, min(high, hi_c.value + 1024))
        out.append(_plan(site, "out-of-range", "maximum", values))
    return out


_NOT_B64 = st.one_of(
    st.sampled_from(["!!!!", "abc", "a===", "@@@@", "QQ=", "Zm9v YmFy", "Zm9v\n"]),
    st.text("!#$%&*()<>?", min_size=1, max_size=8),
    st.text(string.ascii_letters + string.digits, min_size=1, max_size=17).filter(
        lambda s: len(s) % 4 == 1
    ),
)


def _blob(site: Site) -> list[Plan]:
    out = [Plan("not-base64", site, "contentEncoding", "base64", "service-model", _NOT_B64)]
    lo_c, hi_c = site.shape.constraint("x-minBytes"), site.shape.constraint("x-maxBytes")
    if lo_c is not None and lo_c.value > 0:
        out.append(_plan(site, "blob-too-small", "x-minBytes", _random_bytes(0, lo_c.value - 1)))
    if hi_c is not None:
        n = hi_c.value + 1
        out.append(
            _plan(
                site,
                "blob-too-large",
                "x-maxBytes",
                _random_bytes(n, n + 16),
                large=n * 4 // 3 > LARGE_BYTES,
            )
        )
    return out


@dataclass(frozen=True)
class _Zero:
    value: int = 0


_zero = _Zero()

#: Shape kind -> planners for violations specific to that kind (every site also gets the
#: missing-required and wrong-type planners).
PLANNERS: dict[str, tuple[Planner, ...]] = {
    "string": (_string_length, _pattern, _enum),
    "list": (_list_size,),
    "integer": (_range,),
    "long": (_range,),
    "blob": (_blob,),
    "structure": (),
    "map": (),
    "boolean": (),
    "timestamp": (),
    "float": (_range,),
    "double": (_range,),
}


def plans(op: Operation | str, *, include_large: bool = True) -> list[Plan]:
    """Every single-violation plan for ``op``'s input (member level, not wire level)."""
    operation = resolve_operation(op)
    out: list[Plan] = []
    for site in sites(operation.input):
        kind_planners = PLANNERS.get(site.shape.kind)
        if kind_planners is None:
            raise InvalidArgument(f"no planners for shape kind {site.shape.kind!r}")
        for planner in (_missing_required, _wrong_type, *kind_planners):
            out.extend(p for p in planner(site) if include_large or not p.large)
    return out


def skipped_violations(op: Operation | str) -> list[tuple[str, str, str]]:
    """Constraints no value can violate alone, as ``(member, keyword, reason)``."""
    operation = resolve_operation(op)
    planned = {(p.site.path, p.keyword) for p in plans(operation)}
    out = []
    for site in sites(operation.input):
        for c in site.shape.constraints:
            if (site.path, c.keyword) in planned:
                continue
            out.append((format_path(site.path), c.keyword, _why_skipped(site.shape, c.keyword)))
    return out


def _why_skipped(shape: Shape, keyword: str) -> str:
    if keyword in ("minLength", "minItems", "x-minBytes"):
        return "the minimum is 0 (or only values that also break the pattern are shorter)"
    if keyword == "pattern":
        return "the pattern matches the empty string, so every value contains a match"
    return "no value breaks this constraint alone"


# --------------------------------------------------------------------------- application


def _walk_to_parent(
    draw: st.DrawFn, request: Any, path: tuple[str, ...]
) -> tuple[Any, str | int, tuple[str | int, ...]]:
    node, concrete = request, []
    for step in path[:-1]:
        key: str | int = step
        if step == ITEM:
            key = draw(st.integers(0, len(node) - 1))
        concrete.append(key)
        node = node[key]
    last: str | int = path[-1]
    if last == ITEM:
        last = draw(st.integers(0, len(node) - 1))
    return node, last, (*concrete, last)


@st.composite
def _apply(draw: st.DrawFn, op: Operation, plan: Plan) -> InvalidRequest:
    path = plan.site.path
    value: Any = None
    concrete: tuple[str | int, ...] = ()
    if not path:
        assert plan.values is not None
        request, concrete = draw(plan.values), ()
    else:
        request = draw(from_shape(op.input, force=path))
        parent, key, concrete = _walk_to_parent(draw, request, path)
        if plan.values is None:
            del parent[key]
        else:
            value = parent[key] = draw(plan.values)
    request = respect_exclusive(op, request, keep=path[0] if path else None)
    return InvalidRequest(
        operation=op.name,
        params=request,
        violation=plan.violation,
        path=concrete,
        keyword=plan.keyword,
        bound=plan.bound,
        provenance=plan.provenance,
        allowed_errors=allowed_errors(op, plan.violation, concrete, plan.large),
        caught_by=caught_by(
            plan.violation,
            plan.keyword,
            concrete,
            value if path else request,
            plan.site.shape.kind,
            plan.provenance,
        ),
        large=plan.large,
    )


def _malformed_texts(text: str) -> st.SearchStrategy[bytes]:
    # An empty body is not malformed: AWS JSON servers read it as ``{}``. Cut after 1+ chars.
    cut = st.integers(1, max(1, len(text) - 1)).map(lambda i: text[:i].encode())
    fixed = st.sampled_from(
        [
            (text[:-1] + ",}") if text != "{}" else "{,}",
            text + "}",
            "{'repositoryName': 'x'}",
            '{"a":}',
            "{" + text,
            "nul",
        ]
    ).map(str.encode)
    binary = st.binary(min_size=1, max_size=8).map(lambda b: b"\xff\xfe" + b)
    return st.one_of(cut, fixed, binary)


def _is_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


@st.composite
def _malformed(draw: st.DrawFn, op: Operation) -> InvalidRequest:
    text = json.dumps(draw(from_shape(op.input)))
    body = draw(_malformed_texts(text).filter(lambda b: bool(b.strip()) and not _is_json(b)))
    return InvalidRequest(
        operation=op.name,
        params=None,
        body=body,
        violation="malformed-json",
        allowed_errors=allowed_errors(op, "malformed-json"),
        caught_by="wire",
    )


def invalid_requests(
    op: Operation | str, *, include_large: bool = False
) -> st.SearchStrategy[InvalidRequest]:
    """Strategy for :class:`InvalidRequest` examples of ``op``, one violation each.

    Plans for very large values (``large``) are left to :func:`boundary_requests` unless
    ``include_large`` is true.
    """
    operation = resolve_operation(op)
    member_plans = plans(operation, include_large=include_large)
    strategies = [_apply(operation, p) for p in member_plans]
    strategies.append(_malformed(operation))
    return st.one_of(*strategies)
