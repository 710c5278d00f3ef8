"""Find where the sources say something: the document line or the model shape of a quote.

Hand-written catalogues (the freedoms the spec leaves, the documented behaviours the suite
provokes) quote the boto3 reference or botocore's model word for word. This module finds each
quote, so a failure can name the document line it rests on, and so a quote that no longer
appears in the sources (after a model refresh) is an error rather than a silent mis-citation.
"""

from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass

from .loader import SPECS_DIR

DOCUMENT = SPECS_DIR / "source" / "000_edd6e329cd97d809.txt"
MODEL = SPECS_DIR / "source" / "service-2.json"


class CitationError(ValueError):
    """A quote does not appear in the source it is attributed to."""


@dataclass(frozen=True)
class Citation:
    """Where a quote stands: its source, the document line (or model shape) and the text."""

    source: str
    quote: str
    line: int | None = None
    shape: str | None = None

    @property
    def where(self) -> str:
        """``document line 311`` or ``service model, shape EmptyUploadException``."""
        if self.line is not None and self.shape is not None:
            return f"document line {self.line}; service model, shape {self.shape}"
        if self.line is not None:
            return f"document line {self.line}"
        if self.shape is not None:
            return f"service model, shape {self.shape}"
        return self.source


def _flat(text: str) -> str:
    return " ".join(text.split())


@functools.cache
def _document_lines() -> tuple[str, ...]:
    return tuple(DOCUMENT.read_text(encoding="utf-8").splitlines())


@functools.cache
def _model_docs() -> tuple[tuple[str, str], ...]:
    shapes = json.loads(MODEL.read_text(encoding="utf-8"))["shapes"]
    out = []
    for name, shape in shapes.items():
        doc = shape.get("documentation", "")
        out.append((name, _flat(html.unescape(re.sub(r"<[^>]+>", "", doc)))))
    return tuple(out)


def document_line(quote: str) -> int | None:
    """The first document line holding ``quote`` (whitespace-insensitive), or None."""
    want = _flat(quote)
    for number, line in enumerate(_document_lines(), start=1):
        if want in _flat(line):
            return number
    return None


def exception_line(operation: str, code: str) -> int | None:
    """The document line where ``operation``'s Exceptions list names ``code``, or None."""
    from .loader import load_service

    method = f".. py:method:: {load_service().operation(operation).python_name}("
    lines = _document_lines()
    start = next((i for i, line in enumerate(lines) if method in line), None)
    if start is None:
        return None
    for number in range(start + 1, len(lines)):
        if ".. py:method::" in lines[number]:
            return None
        if f"exceptions.{code}`" in lines[number]:
            return number + 1
    return None


def model_shape(quote: str, shape: str | None = None) -> str | None:
    """The first model shape (or ``shape`` itself) whose documentation holds ``quote``."""
    want = _flat(quote)
    return next(
        (name for name, doc in _model_docs() if want in doc and shape in (None, name)), None
    )


def cite(source: str, quote: str, shape: str | None = None) -> Citation:
    """Locate ``quote`` in ``source`` (document or service-model, in ``shape`` when given);
    other sources are taken as given. ``CitationError`` when the quote is not where it is
    said to be."""
    if source == "document":
        line = document_line(quote)
        if line is None:
            raise CitationError(f"not in the document: {quote!r}")
        return Citation(source, quote, line=line)
    if source == "service-model":
        found = model_shape(quote, shape)
        if found is None:
            where = f"shape {shape}" if shape else "documentation"
            raise CitationError(f"not in the service model's {where}: {quote!r}")
        return Citation(source, quote, shape=found)
    return Citation(source, quote)
