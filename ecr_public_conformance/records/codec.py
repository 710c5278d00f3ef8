"""One generic codec between the record dataclasses and their JSON form.

A record is a frozen dataclass whose fields are JSON values, other records, or tuples, lists
and string-keyed mappings of them. :func:`to_json` writes every field (and the derived
properties a class names in ``__json_extra__``, such as a result's ``id``; a field whose
metadata says ``json: False`` stays out, and the members of an :func:`inline` field are written
beside the record's own); :func:`from_json` rebuilds a record from its type hints, ignoring
members it does not know and the derived ones, so a file written by a newer version still
reads. No record has a hand-written codec.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def bounded(default: Any = dataclasses.MISSING, **schema: Any) -> Any:
    """A dataclass field that states JSON Schema bounds for its values (``minimum=0``,
    ``pattern=...``): the schema of ``results.json`` carries them."""
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata={"schema": schema})
    return dataclasses.field(default=default, metadata={"schema": schema})


def inline(factory: Callable[[], Any] | None = None) -> Any:
    """A dataclass field holding a record whose members the JSON form writes beside the
    containing record's own (a part of a record, not a nested object): ``factory`` makes its
    default (None: the field is required)."""
    if factory is None:
        return dataclasses.field(metadata={"inline": True})
    return dataclasses.field(default_factory=factory, metadata={"inline": True})


#: Values that are their own JSON form (a subclass, such as a str enum, takes the long way).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def to_json(value: Any) -> Any:
    """The JSON form of a record, or of any value made of records and JSON values."""
    kind: Any = type(value)
    if kind in _SCALARS:
        return value
    plan = _encoding(kind)
    if plan is not None:
        out = {name: to_json(getattr(value, name)) for name in plan.names}
        if not plan.parts:
            return out
        for part in plan.parts:
            out.update(to_json(getattr(value, part)))
        return {k: out[k] for k in plan.order if k in out}
    if kind is dict or isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if kind is list or kind is tuple or isinstance(value, (tuple, list)):
        return [to_json(v) for v in value]
    return value


@dataclasses.dataclass(frozen=True)
class _Plan:
    """How a record class is written: its own members (JSON fields, then derived ones), its
    inline parts, and the order of the keys once the parts' members are in."""

    names: tuple[str, ...]
    parts: tuple[str, ...]
    order: tuple[str, ...]


@functools.cache
def _encoding(kind: type) -> _Plan | None:
    """How a record class is written, or None for a class that is not a record (worked out
    once per class: a run encodes thousands)."""
    if not dataclasses.is_dataclass(kind):
        return None
    fields = [f for f in dataclasses.fields(kind) if f.metadata.get("json", True)]
    extras = tuple(getattr(kind, "__json_extra__", ()))
    order: list[str] = []
    for f in fields:
        part = _encoding(_hints(kind)[f.name]) if f.metadata.get("inline") else None
        order += part.order if part is not None else [f.name]
    return _Plan(
        (*(f.name for f in fields if not f.metadata.get("inline")), *extras),
        tuple(f.name for f in fields if f.metadata.get("inline")),
        (*order, *extras),
    )


def from_json(cls: type[T], data: Any) -> T:
    """Rebuild a record of type ``cls`` from its JSON form."""
    result: T = _decode(cls, data)
    return result


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


Decoder = Callable[[Any], Any]


def _decode(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    try:
        decoder = _decoder(tp)
    except TypeError:  # an unhashable annotation: worked out on every call
        decoder = _build(tp)
    return decoder(data)


def _same(data: Any) -> Any:
    return data


@functools.cache
def _decoder(tp: Any) -> Decoder:
    """The function that rebuilds values of type ``tp`` (built once per type)."""
    return _build(tp)


def _build(tp: Any) -> Decoder:
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return functools.partial(_record, tp)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        return lambda data: _union(options, data)
    if origin is tuple:
        args = typing.get_args(tp)
        item = args[0] if args else Any
        return lambda data: tuple([_decode(item, v) for v in data])
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        return lambda data: [_decode(item, v) for v in data]
    if origin in (dict, Mapping) or tp in (dict, Mapping):
        args = typing.get_args(tp)
        item = args[1] if len(args) == 2 else Any
        if _is_plain(item):
            return dict
        return lambda data: {k: _decode(item, v) for k, v in data.items()}
    return _same


def _is_plain(tp: Any) -> bool:
    """True for a type whose JSON form is the value itself (a scalar or ``Any``)."""
    return tp is Any or tp in _SCALARS


def _union(options: tuple[Any, ...], data: Any) -> Any:
    """The first record type of a union that the data is, else the data itself."""
    for option in options:
        if option is type(None):
            continue
        if isinstance(option, type) and dataclasses.is_dataclass(option):
            if isinstance(data, Mapping):
                return _record(option, data)
        if typing.get_origin(option) in (tuple, list) and isinstance(data, list):
            return _decode(option, data)
        if typing.get_origin(option) in (dict, Mapping) and isinstance(data, Mapping):
            return _decode(option, data)
    return data


@functools.cache
def _decoding(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    """(name, type, inline) of each member a record class reads back (once per class)."""
    hints = _hints(cls)
    return tuple(
        (f.name, hints[f.name], bool(f.metadata.get("inline")))
        for f in dataclasses.fields(cls)
        if f.init and f.metadata.get("json", True)
    )


def _record(cls: type, data: Mapping[str, Any]) -> Any:
    kwargs = {
        name: _decode(tp, data if inline else data[name])
        for name, tp, inline in _decoding(cls)
        if inline or name in data
    }
    return cls(**kwargs)
