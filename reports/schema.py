"""The JSON Schema of ``results.json`` and validation against it."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from .results import ResultsError

SCHEMA_PATH = Path(__file__).with_name("results.schema.json")


@lru_cache(maxsize=1)
def results_schema() -> dict[str, Any]:
    """Return the parsed ``results.schema.json`` (JSON Schema 2020-12)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(results_schema())


def schema_errors(data: Any) -> list[str]:
    """Return every schema violation of ``data`` as ``path: message`` lines (empty when valid)."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{_where(e.absolute_path)}: {e.message}" for e in errors]


def validate(data: Any, source: str = "results") -> None:
    """Raise ``ResultsError`` with a one-line reason when ``data`` is not a valid results.json."""
    error = best_match(_validator().iter_errors(data))
    if error is not None:
        message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
        raise ResultsError(f"{source}: invalid at {_where(error.absolute_path)}: {message}")


def _where(path: Any) -> str:
    return "/" + "/".join(str(p) for p in path)
