"""The freedoms catalogue: quotes found in their sources, the docs/freedoms.md table up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecr_public_conformance.specs.citations import CitationError, cite, document_line
from ecr_public_conformance.specs.freedoms import (
    README_BEGIN,
    README_END,
    load_freedoms,
    render_markdown,
)
from ecr_public_conformance.specs.loader import SpecError

FREEDOMS_PAGE = Path(__file__).resolve().parents[2] / "docs" / "freedoms.md"


def test_catalogue_loads_and_ids_are_unique() -> None:
    freedoms = load_freedoms()
    assert len(freedoms) >= 15
    assert len({f.id for f in freedoms}) == len(freedoms)


def test_document_quotes_carry_their_line() -> None:
    for f in load_freedoms():
        if f.source == "document":
            assert f.citation.line == document_line(f.quote, f.edition) and f.citation.line


def test_a_freedom_of_a_later_edition_is_cited_there() -> None:
    later = [f for f in load_freedoms() if f.edition is not None]
    assert later and all(f.edition == "botocore-1.44.18" for f in later)
    scan = next(f for f in later if f.id == "scan-final-status")
    assert scan.citation.file == "ecr-public/client/describe_image_scan_findings.rst"
    assert scan.where.startswith("botocore-1.44.18 document ecr-public/client/")
    with pytest.raises(CitationError):
        cite(scan.source, scan.quote)  # not in the default edition's document


def test_a_freedom_naming_an_unknown_edition_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "f.toml"
    bad.write_text(
        '[[freedom]]\nid = "x"\ntitle = "t"\nsource = "protocol"\nquote = "q"\nopen = "o"\n'
        'no_variant = "n"\nedition = "botocore-0.0.1"\n'
    )
    with pytest.raises(SpecError, match="unknown edition"):
        load_freedoms(bad)


@pytest.mark.parametrize(
    ("source", "quote", "message"),
    [
        ("document", "a sentence the reference never wrote", "not in the document"),
        ("service-model", "no such model text", "not in the service model"),
    ],
)
def test_a_misquote_is_an_error(source: str, quote: str, message: str) -> None:
    with pytest.raises(CitationError, match=message):
        cite(source, quote)


def test_a_bad_entry_names_itself(tmp_path: Path) -> None:
    bad = tmp_path / "f.toml"
    bad.write_text('[[freedom]]\nid = "x"\ntitle = "t"\nsource = "document"\nquote = "q"\n')
    with pytest.raises(SpecError, match="freedom 1: 'open'"):
        load_freedoms(bad)


def test_freedoms_page_is_generated_from_the_catalogue() -> None:
    text = FREEDOMS_PAGE.read_text(encoding="utf-8")
    start, end = text.index(README_BEGIN), text.index(README_END) + len(README_END)
    assert text[start:end] == render_markdown(), (
        "docs/freedoms.md is stale: python -m ecr_public_conformance.specs.freedoms"
    )
