"""One generic codec between the record dataclasses and their JSON form.

A record is a frozen dataclass whose fields are JSON values, other records, or tuples, lists
and string-keyed mappings of them. :func:`to_json` writes every field (and the derived
properties a class names in ``__json_extra__``, such as a result's ``id``; a field whose
metadata says ``json: False`` stays out); :func:`from_json`
rebuilds a record from its type hints, ignoring members it does not know and the derived ones,
so a file written by a newer version still reads. No record has a hand-written codec.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def bounded(default: Any = dataclasses.MISSING, **schema: Any) -> Any:
    """A dataclass field that states JSON Schema bounds for its values (``minimum=0``,
    ``pattern=...``): the schema of ``results.json`` carries them."""
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata={"schema": schema})
    return dataclasses.field(default=default, metadata={"schema": schema})


def to_json(value: Any) -> Any:
    """The JSON form of a record, or of any value made of records and JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.metadata.get("json", True)
        }
        for name in getattr(type(value), "__json_extra__", ()):
            out[name] = to_json(getattr(value, name))
        return out
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [to_json(v) for v in value]
    return value


def from_json(cls: type[T], data: Any) -> T:
    """Rebuild a record of type ``cls`` from its JSON form."""
    result: T = _decode(cls, data)
    return result


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _record(tp, data)
    if origin in (typing.Union, types.UnionType):
        return _union(typing.get_args(tp), data)
    if origin is tuple:
        args = typing.get_args(tp)
        item = args[0] if args else Any
        return tuple(_decode(item, v) for v in data)
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        return [_decode(item, v) for v in data]
    if origin in (dict, Mapping) or tp in (dict, Mapping):
        args = typing.get_args(tp)
        item = args[1] if len(args) == 2 else Any
        return {k: _decode(item, v) for k, v in data.items()}
    return data


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


def _record(cls: type, data: Mapping[str, Any]) -> Any:
    hints = _hints(cls)
    kwargs = {
        f.name: _decode(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)
        if f.init and f.name in data and f.metadata.get("json", True)
    }
    return cls(**kwargs)
