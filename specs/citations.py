"""Find where the sources say something: the document line or the model shape of a quote.

Hand-written catalogues (the freedoms the spec leaves, the documented behaviours the suite
provokes) quote the boto3 reference or botocore's model word for word. This module finds each
quote in an edition's sources (the default edition unless one is named), so a failure can name
the document line it rests on, and so a quote that no longer appears in the sources (after a
model refresh) is an error rather than a silent mis-citation. When the edition's document is a
folder of pages, a citation names the page as well as the line.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import json
import re
from dataclasses import dataclass

from .derive.document import document_files
from .editions import edition as find_edition
from .loader import load_service

Page = tuple[str | None, tuple[str, ...]]


class CitationError(ValueError):
    """A quote does not appear in the source it is attributed to."""


@dataclass(frozen=True)
class Citation:
    """Where a quote stands: its source, the document page and line (or model shape), the text.

    ``file`` is the page of a folder document (``ecr-public/client/create_repository.rst``);
    None for a single-page document.
    """

    source: str
    quote: str
    line: int | None = None
    shape: str | None = None
    file: str | None = None

    @property
    def where(self) -> str:
        """``document line 311``, ``document <page> line 12``, ``service model, shape X``."""
        doc = None
        if self.line is not None:
            page = f"{self.file} " if self.file else ""
            doc = f"document {page}line {self.line}"
        if doc is not None and self.shape is not None:
            return f"{doc}; service model, shape {self.shape}"
        if doc is not None:
            return doc
        if self.shape is not None:
            return f"service model, shape {self.shape}"
        return self.source


def _flat(text: str) -> str:
    return " ".join(text.split())


def _resolved(edition: str | None) -> str:
    return find_edition(edition).name


@functools.cache
def _pages(name: str) -> tuple[Page, ...]:
    """The document's pages (page name, lines): one unnamed page, or a folder's pages."""

    path = find_edition(name).document
    if not path.is_dir():
        return ((None, tuple(path.read_text(encoding="utf-8").splitlines())),)
    return tuple(
        (p.relative_to(path).as_posix(), tuple(p.read_text(encoding="utf-8").splitlines()))
        for p in document_files(path)
    )


@functools.cache
def _model_docs(name: str) -> tuple[tuple[str, str], ...]:
    model = find_edition(name).source / "service-2.json"
    shapes = json.loads(model.read_text(encoding="utf-8"))["shapes"]
    out = []
    for shape_name, shape in shapes.items():
        doc = shape.get("documentation", "")
        out.append((shape_name, _flat(html.unescape(re.sub(r"<[^>]+>", "", doc)))))
    return tuple(out)


@functools.cache
def _flat_pages(name: str) -> tuple[tuple[str | None, str, tuple[int, ...]], ...]:
    """The document's pages, each as one text of its lines with whitespace collapsed (joined
    by newlines, which no collapsed quote holds) and the offset each line starts at (made once
    per edition: searching one text is a tenth of the time of searching line by line)."""
    out = []
    for page, lines in _pages(name):
        flat = [_flat(line) for line in lines]
        starts = itertools.accumulate((len(line) + 1 for line in flat[:-1]), initial=0)
        out.append((page, "\n".join(flat), tuple(starts) if flat else ()))
    return tuple(out)


@functools.cache
def document_position(quote: str, edition: str | None = None) -> tuple[str | None, int] | None:
    """The first (page, line) of the edition's document holding ``quote``
    (whitespace-insensitive), or None; the page is None for a single-page document."""
    want = _flat(quote)
    for page, text, starts in _flat_pages(_resolved(edition)):
        at = text.find(want)
        if at >= 0 and starts:
            return page, bisect.bisect_right(starts, at)
    return None


def document_line(quote: str, edition: str | None = None) -> int | None:
    """The first document line holding ``quote`` (whitespace-insensitive), or None."""
    found = document_position(quote, edition)
    return None if found is None else found[1]


def exception_position(
    operation: str, code: str, edition: str | None = None
) -> tuple[str | None, int] | None:
    """The (page, line) where ``operation``'s Exceptions list names ``code``, or None."""

    name = _resolved(edition)
    try:
        python_name = load_service(name).operation(operation).python_name
    except KeyError:
        return None
    for (page, lines), methods in zip(_pages(name), _methods(name), strict=True):
        start = methods.get(python_name)
        if start is None:
            continue
        for number in range(start + 1, len(lines)):
            if ".. py:method::" in lines[number]:
                return None
            if f"exceptions.{code}`" in lines[number]:
                return page, number + 1
        return None
    return None


_METHOD = re.compile(r"\.\. py:method:: (?:\w+\.Client\.)?(\w+)\(")


@functools.cache
def _methods(name: str) -> tuple[dict[str, int], ...]:
    """Per page of the document, the index of the first line declaring each client method
    (made once per edition, instead of a search of every line for each cited error)."""
    out = []
    for _, lines in _pages(name):
        first: dict[str, int] = {}
        for i, line in enumerate(lines):
            if ".. py:method::" in line:
                for method in _METHOD.findall(line):
                    first.setdefault(method, i)
        out.append(first)
    return tuple(out)


def exception_line(operation: str, code: str, edition: str | None = None) -> int | None:
    """The document line where ``operation``'s Exceptions list names ``code``, or None."""
    found = exception_position(operation, code, edition)
    return None if found is None else found[1]


def model_shape(quote: str, shape: str | None = None, edition: str | None = None) -> str | None:
    """The first model shape (or ``shape`` itself) whose documentation holds ``quote``."""
    want = _flat(quote)
    return next(
        (
            name
            for name, doc in _model_docs(_resolved(edition))
            if want in doc and shape in (None, name)
        ),
        None,
    )


def cite(source: str, quote: str, shape: str | None = None, edition: str | None = None) -> Citation:
    """Locate ``quote`` in ``source`` (document or service-model, in ``shape`` when given) of
    an edition (the default one unless named); other sources are taken as given.
    ``CitationError`` when the quote is not where it is said to be."""
    if source == "document":
        found = document_position(quote, edition)
        if found is None:
            raise CitationError(f"not in the document: {quote!r}")
        return Citation(source, quote, line=found[1], file=found[0])
    if source == "service-model":
        shape_found = model_shape(quote, shape, edition)
        if shape_found is None:
            where = f"shape {shape}" if shape else "documentation"
            raise CitationError(f"not in the service model's {where}: {quote!r}")
        return Citation(source, quote, shape=shape_found)
    return Citation(source, quote)
