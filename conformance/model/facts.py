"""The facts the registry model asserts (``facts.toml``), each with the sentence it rests on.

A rule names a fact by its id when it reports a mismatch; the ``stateful`` checks cite the
fact's quote and its document line (or model shape) exactly as a documented behaviour's
failure does. Quotes are found by :mod:`~ecr_public_conformance.specs.citations`, in the
edition a run judges by.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...specs.citations import Citation, cite, exception_position

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["FACTS", "FactsError", "ModelFact", "load_facts", "model_fact"]

FACTS = Path(__file__).with_name("facts.toml")
#: Where a quote may stand: the document, the service model, or the model's own rule.
SOURCES = ("document", "service-model", "registry-model")
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class FactsError(ValueError):
    """``facts.toml`` is malformed, or a rule names a fact it does not declare."""


@dataclass(frozen=True)
class ModelFact:
    """One fact of the registry model and the sentence it rests on."""

    id: str
    text: str
    operations: tuple[str, ...]
    source: str
    quote: str
    member: str | None = None
    error: str | None = None
    #: Per operation, a sentence of that operation's own page (instead of ``quote``).
    quotes: tuple[tuple[str, str], ...] = ()

    def statement(self, operation: str) -> str:
        """The fact as a mismatch about ``operation`` states it."""
        return self.text.replace("{operation}", operation)

    def quote_for(self, operation: str) -> str:
        """The sentence the fact rests on for ``operation``."""
        own = dict(self.quotes).get(operation, self.quote)
        return own.replace("{operation}", operation)

    def citation(self, operation: str, edition: str | None = None) -> Citation:
        """Where the fact is stated for ``operation`` in ``edition`` (None: the default one):
        for a refusal, the line of the operation's Exceptions list that names the code (and
        the model shape that says when it happens); otherwise the quote's line or shape.
        ``CitationError`` when the quote is not there."""
        quote = self.quote_for(operation)
        shape = self.error if self.source == "service-model" else None
        found = cite(self.source, quote, shape, edition)
        if self.error is None:
            return found
        if self.source == "document":
            return Citation(self.source, quote, found.line, self.error, found.file)
        at = exception_position(operation, self.error, edition)
        page, line = at if at is not None else (None, None)
        return Citation(self.source, quote, line=line, shape=found.shape, file=page)


def _fact(raw: dict[str, Any], n: int) -> ModelFact:
    where = f"{FACTS.name}: fact {n} ({raw.get('id', '?')})"
    for key in ("id", "text", "source", "quote"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise FactsError(f"{where}: '{key}' (a non-empty string) is required")
    if not _ID.fullmatch(raw["id"]):
        raise FactsError(f"{where}: an id is lower-case words joined by hyphens")
    if raw["source"] not in SOURCES:
        raise FactsError(f"{where}: source must be one of {SOURCES}")
    operations = raw.get("operations")
    if not isinstance(operations, list) or not operations:
        raise FactsError(f"{where}: 'operations' (a non-empty list) is required")
    quotes = raw.get("quotes", {})
    if set(quotes) - set(operations):
        raise FactsError(f"{where}: quotes for operations it does not list")
    unknown = set(raw) - {"id", "text", "operations", "member", "error", "source", "quote"}
    if unknown - {"quotes"}:
        raise FactsError(f"{where}: unknown keys {sorted(unknown - {'quotes'})}")
    return ModelFact(
        id=raw["id"],
        text=raw["text"],
        operations=tuple(operations),
        source=raw["source"],
        quote=raw["quote"],
        member=raw.get("member"),
        error=raw.get("error"),
        quotes=tuple(sorted(quotes.items())),
    )


@functools.cache
def load_facts(path: Path = FACTS) -> dict[str, ModelFact]:
    """Every fact of ``facts.toml`` by id (``FactsError`` when malformed or an id repeats)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise FactsError(f"{path}: {exc}") from exc
    facts: dict[str, ModelFact] = {}
    for n, raw in enumerate(data.get("fact", []), 1):
        fact = _fact(raw, n)
        if fact.id in facts:
            raise FactsError(f"{path.name}: fact id used twice: {fact.id}")
        facts[fact.id] = fact
    return facts


def model_fact(fact_id: str) -> ModelFact:
    """The fact with this id (``FactsError`` when ``facts.toml`` does not declare it)."""
    found = load_facts().get(fact_id)
    if found is None:
        raise FactsError(f"the registry model names an undeclared fact {fact_id!r}")
    return found
