"""The one reader of the spec files of an edition (``specs/editions/<name>/``).

Every other module gets its facts from :func:`load_service`. The files are validated against
``spec.schema.json`` before anything is built from them, so a hand-edited or truncated spec
fails here, naming the file, instead of silently producing a weaker test. The derivation
validates the files it writes and leaves their digest (with the schema's) in
``validated.sha256``; files that still match it are not validated again (that took about half
a second of every run's start-up, for two editions).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .editions import SPECS_DIR, EditionError, edition, selected_edition
from .model import (
    CONSTRAINT_KEYWORDS,
    Acceptor,
    Constraint,
    ErrorRef,
    ErrorSpec,
    Member,
    Operation,
    Paginator,
    Service,
    Shape,
    Waiter,
)

SERVICE_FILE = "service.json"
ERRORS_FILE = "errors.json"
WAITERS_FILE = "waiters.json"
OPERATIONS_DIR = "operations"
SPEC_SCHEMA_FILE = "spec.schema.json"
VALIDATED_FILE = "validated.sha256"


class SpecError(Exception):
    """A spec file is missing, unreadable or does not follow ``spec.schema.json``."""


def edition_dir(name: str | None = None) -> Path:
    """The folder of the shipped edition ``name`` (an alias, or None for the selected one)."""
    return _edition_dir(selected_edition() if name is None else name)


@functools.lru_cache(maxsize=16)
def _edition_dir(name: str) -> Path:
    try:
        return edition(name).directory
    except EditionError as exc:
        raise SpecError(str(exc)) from None


def spec_files(specs_dir: Path | None = None) -> list[Path]:
    """Return an edition's generated spec files, sorted: index, errors, waiters, operations."""
    root = specs_dir or edition_dir()
    ops = sorted((root / OPERATIONS_DIR).glob("*.json"))
    return [root / SERVICE_FILE, root / ERRORS_FILE, root / WAITERS_FILE, *ops]


def spec_hash(specs_dir: Path | None = None) -> str:
    """Return a sha256 over an edition's generated spec files, identifying the specs a run used."""
    root = specs_dir or edition_dir()
    return files_hash(
        (path.relative_to(root).as_posix(), path.read_bytes()) for path in spec_files(root)
    )


def files_hash(files: Iterable[tuple[str, bytes]]) -> str:
    """The sha256 of spec files given as (relative name, bytes) in :func:`spec_files` order."""
    h = hashlib.sha256()
    for rel, data in files:
        h.update(rel.encode())
        h.update(b"\0")
        h.update(data)
    return h.hexdigest()


def validated_digest(hashed: str) -> str:
    """What ``validated.sha256`` holds for spec files of hash ``hashed`` that were validated
    against the current ``spec.schema.json``."""
    schema = (SPECS_DIR / SPEC_SCHEMA_FILE).read_bytes()
    return hashlib.sha256(schema + b"\0" + hashed.encode()).hexdigest()


def _validated(root: Path) -> str | None:
    """The spec hash of ``root``'s files when its ``validated.sha256`` vouches for them, else
    None (no such file, a file changed since, the schema changed, or a file is unreadable)."""
    try:
        recorded = (root / VALIDATED_FILE).read_text(encoding="utf-8").strip()
        hashed = spec_hash(root)
    except (OSError, UnicodeDecodeError):
        return None
    return hashed if recorded == validated_digest(hashed) else None


def read_json(path: Path) -> Any:
    """Read one JSON spec file, turning any failure into a :class:`SpecError` naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SpecError(f"spec file missing: {path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpecError(f"spec file {path} cannot be read as JSON: {exc}") from exc


@functools.cache
def _validator(kind: str) -> Any:
    """The validator of one part of ``spec.schema.json`` (read and built once per process)."""
    import jsonschema

    meta = read_json(SPECS_DIR / SPEC_SCHEMA_FILE)
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": meta["$defs"]})


def schema_errors(path: Path, document: Any, kind: str) -> list[str]:
    """Return messages for every way ``document`` breaks ``spec.schema.json``'s ``kind`` part."""
    validator = _validator(kind)
    out = []
    for err in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        out.append(f"{path}: at {where}: {err.message}")
    return out


def _check(path: Path, document: Any, kind: str, validated: bool = False) -> Any:
    if validated:
        return document
    errors = schema_errors(path, document, kind)
    if errors:
        raise SpecError(errors[0] + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""))
    return document


def shape_from_schema(schema: Mapping[str, Any]) -> Shape:
    """Build a :class:`Shape` tree from one JSON Schema node of a spec."""
    kind = schema["x-type"]
    prov = dict(schema.get("x-provenance", {}))
    constraints = tuple(
        Constraint(k, schema[k], prov.get(k, "service-model"))
        for k in CONSTRAINT_KEYWORDS
        if k in schema
    )
    members: tuple[Member, ...] = ()
    item = key = value = None
    if kind == "structure":
        required = set(schema.get("required", ()))
        members = tuple(
            Member(
                name,
                shape_from_schema(sub),
                name in required,
                prov.get(f"required:{name}") if name in required else None,
            )
            for name, sub in schema.get("properties", {}).items()
        )
    elif kind == "list":
        item = shape_from_schema(schema["items"])
    elif kind == "map":
        key = shape_from_schema(schema["propertyNames"])
        value = shape_from_schema(schema["additionalProperties"])
    return Shape(
        kind=kind,
        name=schema.get("x-shape"),
        schema=schema,
        members=members,
        item=item,
        constraints=constraints,
        provenance=prov,
        description=schema.get("description", ""),
        key=key,
        value=value,
    )


def _operation(path: Path, validated: bool = False) -> Operation:
    doc = _check(path, read_json(path), "operation", validated)
    pag = doc.get("paginator")
    return Operation(
        name=doc["name"],
        python_name=doc["python_name"],
        target=doc["target"],
        summary=doc["summary"],
        input=shape_from_schema(doc["input"]),
        output=shape_from_schema(doc["output"]),
        input_schema=doc["input"],
        output_schema=doc["output"],
        errors=tuple(ErrorRef(e["code"], e["provenance"]) for e in doc["errors"]),
        paginator=Paginator(**pag) if pag else None,
        documentation_url=doc.get("documentation_url", ""),
        exclusive=tuple(frozenset(g["members"]) for g in doc["exclusive"]),
    )


def _errors(path: Path, validated: bool = False) -> dict[str, ErrorSpec]:
    doc = _check(path, read_json(path), "errors", validated)
    out: dict[str, ErrorSpec] = {}
    for level in ("operation", "protocol"):
        for e in doc[f"{level}_errors"]:
            out[e["code"]] = ErrorSpec(
                code=e["code"],
                fault=e["fault"],
                http_status=tuple(e["http_status"]),
                level=level,
                description=e.get("description", ""),
                operations=tuple(e.get("operations", ())),
                provenance=e["provenance"],
                error_class=e["class"],
            )
    return out


def _waiters(path: Path, validated: bool = False) -> dict[str, Waiter]:
    doc = _check(path, read_json(path), "waiters", validated)
    return {
        w["name"]: Waiter(
            name=w["name"],
            operation=w["operation"],
            delay=w["delay"],
            max_attempts=w["max_attempts"],
            acceptors=tuple(Acceptor(**a) for a in w["acceptors"]),
            description=w.get("description", ""),
            provenance=w["provenance"],
        )
        for w in doc["waiters"]
    }


@functools.lru_cache(maxsize=8)
def _load(root: Path, edition_name: str) -> Service:
    hashed = _validated(root)
    ok = hashed is not None
    index = _check(root / SERVICE_FILE, read_json(root / SERVICE_FILE), "service", ok)
    operations = {}
    for name in index["operations"]:
        op = _operation(root / OPERATIONS_DIR / f"{name}.json", ok)
        if op.name != name:
            raise SpecError(f"{root / OPERATIONS_DIR / name}.json describes {op.name!r}")
        operations[name] = dataclasses.replace(op, edition=edition_name)
    return Service(
        service_id=index["service_id"],
        api_version=index["api_version"],
        protocol=index["protocol"],
        json_version=index["json_version"],
        target_prefix=index["target_prefix"],
        signing_name=index["signing_name"],
        endpoint_prefix=index["endpoint_prefix"],
        operations=operations,
        errors=_errors(root / ERRORS_FILE, ok),
        spec_hash=hashed or spec_hash(root),
        raw_index=index,
        waiters=_waiters(root / WAITERS_FILE, ok),
        edition=edition_name,
    )


def load_service(
    edition: str | os.PathLike[str] | None = None, specs_dir: Path | str | None = None
) -> Service:
    """Load (once per edition) and return the ECR Public service spec of an edition.

    ``edition`` is a shipped edition's name or an alias (``newest``, ``oldest``, ``seed``);
    None is the default edition. ``specs_dir`` loads the specs in that folder instead (a path
    given as ``edition`` is taken as ``specs_dir``). Raises :class:`SpecError` naming the file
    when a spec is missing or malformed, or the edition when there is no such edition.
    """
    if isinstance(edition, os.PathLike):
        return _load(Path(edition).resolve(), "")
    if specs_dir is not None:
        return _load(Path(specs_dir).resolve(), "")
    root = edition_dir(edition)
    return _load(root, root.name)
