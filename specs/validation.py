"""Validate wire-form JSON values against spec schemas.

Standard JSON Schema leaves ``contentEncoding`` as an annotation and knows nothing of a blob's
decoded size, so the validator here extends Draft 2020-12 with two things the specs need:
``contentEncoding: base64`` is enforced (strict base64), and ``x-minBytes``/``x-maxBytes``
bound the decoded length of a blob.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema
from jsonschema import validators

from .model import CONSTRAINT_KEYWORDS


def decode_base64(value: str) -> bytes | None:
    """Return the bytes of a strict base64 string, or None if it is not valid base64."""
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None


def _content_encoding(validator: Any, encoding: str, instance: Any, schema: Any) -> Iterator[Any]:
    if encoding == "base64" and isinstance(instance, str) and decode_base64(instance) is None:
        yield jsonschema.ValidationError(f"{instance[:40]!r} is not valid base64")


def _bytes_bound(minimum: bool) -> Any:
    def check(validator: Any, bound: int, instance: Any, schema: Any) -> Iterator[Any]:
        if not isinstance(instance, str):
            return
        raw = decode_base64(instance)
        if raw is None:
            return
        if minimum and len(raw) < bound:
            yield jsonschema.ValidationError(f"blob of {len(raw)} bytes is shorter than {bound}")
        if not minimum and len(raw) > bound:
            yield jsonschema.ValidationError(f"blob of {len(raw)} bytes is longer than {bound}")

    return check


SpecValidator = validators.extend(
    jsonschema.Draft202012Validator,
    {
        "contentEncoding": _content_encoding,
        "x-minBytes": _bytes_bound(True),
        "x-maxBytes": _bytes_bound(False),
    },
)


@dataclass(frozen=True)
class Violation:
    """One way a value breaks a schema: where, which keyword, and a message."""

    path: tuple[str | int, ...]
    keyword: str
    message: str

    @property
    def member(self) -> str:
        """The dotted member path (``catalogData.description``), or ``(top)``."""
        return ".".join(str(p) for p in self.path) or "(top)"


@functools.lru_cache(maxsize=256)
def _validator(schema_json: str) -> Any:
    return SpecValidator(json.loads(schema_json))


#: Validators by the identity of the schema they were made for, the schema kept with its
#: validator (so that its identity is not reused while cached). Schemas are never changed once
#: made; a run validated its responses against the same few, and dumping a schema to find its
#: validator cost about as much as the validation.
_BY_ID: dict[int, tuple[Mapping[str, Any], Any]] = {}
_BY_ID_MAX = 1024


def _validator_for(schema: Mapping[str, Any]) -> Any:
    """The validator of ``schema`` (one per distinct schema)."""
    found = _BY_ID.get(id(schema))
    if found is not None and found[0] is schema:
        return found[1]
    validator = _validator(json.dumps(schema, sort_keys=True))
    if len(_BY_ID) < _BY_ID_MAX:
        _BY_ID[id(schema)] = (schema, validator)
    return validator


def violations(schema: Mapping[str, Any], instance: Any) -> list[Violation]:
    """Return every violation of ``schema`` by ``instance``, shallowest first."""
    v = _validator_for(schema)
    errs = sorted(v.iter_errors(instance), key=lambda e: (len(e.absolute_path), str(e.path)))
    return [Violation(tuple(e.absolute_path), str(e.validator), e.message) for e in errs]


def is_valid(schema: Mapping[str, Any], instance: Any) -> bool:
    """Return True when ``instance`` satisfies ``schema``."""
    return not violations(schema, instance)


#: Keywords that bound a value rather than type it: binding on requests, not on responses
#: (Smithy: constraint traits are not enforced when reading output; enums are open).
OUTPUT_FREE_KEYWORDS = frozenset(CONSTRAINT_KEYWORDS)


def types_only(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` without the value constraints: JSON types, required members and
    encodings (base64 blobs) stay."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in OUTPUT_FREE_KEYWORDS:
            continue
        if key == "properties" and isinstance(value, Mapping):
            out[key] = {k: types_only(v) for k, v in value.items()}
        elif key == "items" and isinstance(value, Mapping):
            out[key] = types_only(value)
        else:
            out[key] = value
    return out


def shape_names(schema: Mapping[str, Any]) -> set[str]:
    """Every shape name (``x-shape``) inside ``schema``."""
    out = {str(schema["x-shape"])} if "x-shape" in schema else set()
    for sub in (schema.get("properties") or {}).values():
        out |= shape_names(sub)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), Mapping):
            out |= shape_names(schema[key])
    return out


def output_only_constraints(schema: Mapping[str, Any], input_shapes: frozenset[str]) -> Any:
    """A copy of an output ``schema`` that keeps the value constraints only of shapes no input
    uses: a constraint of a shape the input shares is a rule for requests (a list that must
    not be empty in a request may well be empty in an answer)."""
    out: dict[str, Any] = {}
    shared = schema.get("x-shape") in input_shapes
    for key, value in schema.items():
        if shared and key in OUTPUT_FREE_KEYWORDS:
            continue
        if key == "properties" and isinstance(value, Mapping):
            out[key] = {k: output_only_constraints(v, input_shapes) for k, v in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
            out[key] = output_only_constraints(value, input_shapes)
        else:
            out[key] = value
    return out


#: The JSON type each shape kind has on the wire (AWS JSON 1.1: timestamps are numbers).
_WIRE_TYPES: dict[str, tuple[type, ...]] = {
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
    "string": (str,),
    "blob": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "timestamp": (int, float),
    "float": (int, float),
    "double": (int, float),
}


def json_type_ok(kind: str, value: Any) -> bool:
    """True when ``value`` has the JSON type a member of shape ``kind`` has on the wire."""
    types = _WIRE_TYPES.get(kind)
    if types is None:
        return True
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def json_kind(value: Any) -> str:
    """The JSON type of ``value`` as a word: string, number, boolean, list, object, null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    for kind, name in ((str, "string"), (list, "list"), (dict, "object")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


#: How a root fact names the members of a shape kind (the kinds that share a JSON type).
_KIND_WORDS = {"long": "integer", "double": "float", "map": "structure"}


def wire_format_root(kind: str, value: Any) -> str:
    """The root fact of a member sent with the wrong JSON type, shared by every check that
    sees it: ``timestamp members sent as strings``."""
    return f"{_KIND_WORDS.get(kind, kind)} members sent as {json_kind(value)}s"


def without_nulls(value: Any) -> Any:
    """``value`` with every ``null`` object member removed (AWS SDKs read null as absent)."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def null_paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The paths of every ``null`` object member inside ``value``."""
    out: list[tuple[str | int, ...]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out += [(*path, k)] if v is None else null_paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += null_paths(v, (*path, i))
    return out
