"""The JSON Schema of ``results.json``, made from the record types, and validation against it.

The schema is not written by hand: :func:`build_schema` derives it from :class:`RunResults`
and the records it holds (types, required members, the derived members written out, each
record's docstring, and the bounds a field states in its metadata: see :func:`bounded`).
``results.schema.json`` is that output, committed so that other tools can read it; a test
keeps the two in step (regenerate with ``python -m ecr_public_conformance.records.schema``).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from .run import SCHEMA_VERSION, ResultsError, RunResults

SCHEMA_PATH = Path(__file__).with_name("results.schema.json")
_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}


def _doc(cls: type) -> str:
    return (inspect.getdoc(cls) or "").split("\n\n")[0].replace("\n", " ")


def _node(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of one type (records go to ``$defs``, referenced by name)."""
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}
            defs[name] = _record(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    if tp in _SCALARS:
        return {"type": _SCALARS[tp]}
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(tp))}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_node(arg, defs) for arg in typing.get_args(tp)]}
    if origin in (tuple, list):
        items = [a for a in typing.get_args(tp) if a is not Ellipsis]
        return {"type": "array", "items": _node(items[0], defs) if items else {}}
    if origin in (dict, Mapping) or tp in (dict, Mapping):
        args = typing.get_args(tp)
        value = _node(args[1], defs) if len(args) == 2 else {}
        return {"type": "object", "additionalProperties": value}
    return {}


def _record(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        if not f.metadata.get("json", True):
            continue
        needed = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if f.metadata.get("inline"):  # a part: its members are the record's own
            part = _record(hints[f.name], defs)
            properties.update(part["properties"])
            required += part["required"] if needed else []
            continue
        properties[f.name] = {**_node(hints[f.name], defs), **f.metadata.get("schema", {})}
        if needed:
            required.append(f.name)
    for name in getattr(cls, "__json_extra__", ()):
        getter = getattr(cls, name)
        fget = getter.func if isinstance(getter, functools.cached_property) else getter.fget
        properties[name] = _node(typing.get_type_hints(fget)["return"], defs)
        required.append(name)
    return {
        "description": _doc(cls),
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": bool(getattr(cls, "__json_open__", False)),
    }


def build_schema() -> dict[str, Any]:
    """The schema of ``results.json`` (JSON Schema 2020-12), from the record types."""
    defs: dict[str, Any] = {}
    top = _node(RunResults, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ecr-public-conformance.invalid/results.schema.json",
        "title": f"ecr-public-conformance results.json, schema_version {SCHEMA_VERSION}",
        **top,
        "$defs": dict(sorted(defs.items())),
    }


def render_schema() -> str:
    """The text of ``results.schema.json``."""
    return json.dumps(build_schema(), indent=1, sort_keys=False) + "\n"


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def schema_errors(data: Any) -> list[str]:
    """Return every schema violation of ``data`` as ``path: message`` lines (empty when valid)."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{_where(e.absolute_path)}: {e.message}" for e in errors]


def validate(data: Any, source: str = "results") -> None:
    """Raise ``ResultsError`` with a one-line reason when ``data`` is not a valid results.json."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if isinstance(version, int) and version != SCHEMA_VERSION:
        raise ResultsError(
            f"{source}: schema_version {version}, this suite reads {SCHEMA_VERSION}"
            f" (build reports with the version that wrote it, or run again)"
        )
    error = best_match(_validator().iter_errors(data))
    if error is not None:
        message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
        raise ResultsError(f"{source}: invalid at {_where(error.absolute_path)}: {message}")


def _where(path: Any) -> str:
    return "/" + "/".join(str(p) for p in path)


def load(path: Path | str) -> RunResults:
    """Read, validate and rebuild a ``results.json``; raise ``ResultsError`` with a reason."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{path}: not valid JSON: {exc}") from exc
    validate(data, source=str(path))
    try:
        return RunResults.from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ResultsError(f"{path}: cannot rebuild the run: {exc}") from exc


if __name__ == "__main__":  # python -m ecr_public_conformance.records.schema
    SCHEMA_PATH.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
