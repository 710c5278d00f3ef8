"""The freedoms catalogue: what the specification leaves open, as data (``freedoms.toml``).

A conforming implementation may take either side of each freedom, so no check may assert one.
Each entry names the quote (or protocol rule) that leaves the choice open (found in the default
edition's sources, or in those of the edition it names), the checks that would
otherwise give a false failure, and the reference variants that take the other side; the
suite is run against every variant to prove it (tests/conformance/test_variants.py). The table
of docs/freedoms.md ("What the suite does not assert") is generated from here
(:func:`render_markdown`).
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .citations import Citation, CitationError, cite
from .editions import DEFAULT_EDITION, EditionError, editions
from .editions import edition as find_edition
from .loader import SPECS_DIR, SpecError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FREEDOMS_FILE = SPECS_DIR / "freedoms.toml"
SOURCES = ("document", "service-model", "model-structure", "protocol")
#: Sources whose quotes are found word for word (the others state a rule or an observation).
QUOTED = ("document", "service-model")
README_BEGIN = "<!-- freedoms:begin (generated from specs/freedoms.toml) -->"
README_END = "<!-- freedoms:end -->"


@dataclass(frozen=True)
class AwsDeparture:
    """A SHOULD check a variant of the freedom fails at ``--strictness aws``: the variant takes
    the side AWS is known not to take (``behaviour``, with its ``source``)."""

    variant: str
    check: str
    behaviour: str
    source: str


@dataclass(frozen=True)
class Freedom:
    """One choice the spec leaves open."""

    id: str
    title: str
    source: str
    quote: str
    open: str
    checks: tuple[str, ...]
    variants: tuple[str, ...]
    no_variant: str = ""
    #: The edition whose sources hold the quote (None: the default edition).
    edition: str | None = None
    #: SHOULD checks a variant fails under --strictness aws, each a known AWS behaviour.
    aws: tuple[AwsDeparture, ...] = ()

    @property
    def citation(self) -> Citation:
        """Where the quote stands (document line, model shape, or the protocol), in the
        freedom's edition."""
        return (
            cite(self.source, self.quote, edition=self.edition or DEFAULT_EDITION)
            if self.source in QUOTED
            else Citation(self.source, self.quote)
        )

    @property
    def where(self) -> str:
        """The citation's place, with the edition when it is not the default one."""
        where = self.citation.where
        return f"{self.edition} {where}" if self.edition else where


def _entry(raw: dict[str, Any], where: str) -> Freedom:
    for key in ("id", "title", "source", "quote", "open"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise SpecError(f"{where}: '{key}' (a non-empty string) is required")
    if raw["source"] not in SOURCES:
        raise SpecError(f"{where}: source must be one of {', '.join(SOURCES)}")
    variants = tuple(raw.get("variants", ()))
    if not variants and not raw.get("no_variant"):
        raise SpecError(f"{where}: a freedom needs 'variants' or a 'no_variant' reason")
    edition = raw.get("edition")
    if edition is not None:
        try:
            edition = find_edition(str(edition)).name
        except EditionError as exc:
            raise SpecError(f"{where}: {exc}") from None
    freedom = Freedom(
        raw["id"],
        raw["title"],
        raw["source"],
        raw["quote"],
        raw["open"],
        tuple(raw.get("checks", ())),
        variants,
        raw.get("no_variant", ""),
        edition,
        tuple(_departure(d, variants, where) for d in raw.get("aws", ())),
    )
    try:
        freedom.citation  # noqa: B018  (a quote must be where it is said to be)
    except CitationError as exc:
        raise SpecError(f"{where}: {exc}") from None
    return freedom


def _departure(raw: dict[str, Any], variants: tuple[str, ...], where: str) -> AwsDeparture:
    for key in ("variant", "check", "behaviour", "source"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise SpecError(f"{where}: aws '{key}' (a non-empty string) is required")
    if raw["variant"] not in variants:
        raise SpecError(f"{where}: aws variant {raw['variant']!r} is not one of its variants")
    return AwsDeparture(raw["variant"], raw["check"], raw["behaviour"], raw["source"])


def aws_departures(variants: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    """(variant, check) of every SHOULD failure the freedoms list for these variants."""
    return frozenset(
        (d.variant, d.check) for f in load_freedoms() for d in f.aws if d.variant in variants
    )


@functools.cache
def load_freedoms(path: Path = FREEDOMS_FILE) -> tuple[Freedom, ...]:
    """Read and validate the catalogue (ids unique, quotes found in their sources)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SpecError(f"{path}: {exc}") from exc
    out = [_entry(raw, f"{path}: freedom {n}") for n, raw in enumerate(data["freedom"], 1)]
    ids = [f.id for f in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SpecError(f"{path}: freedom ids used twice: {', '.join(dupes)}")
    return tuple(out)


def _applies(f: Freedom, edition: str) -> bool:
    """Whether a freedom concerns ``edition``: one citing a later edition does not."""
    if f.edition is None:
        return True
    order = [e.name for e in editions()]
    return order.index(find_edition(edition).name) >= order.index(f.edition)


def absent_quotes(edition: str) -> tuple[str, ...]:
    """Ids of the freedoms whose quote is not found in that edition's sources (the catalogue
    is checked against the default edition, or the edition a freedom names, when loaded; this
    tells how another edition reads). A freedom citing a later edition is left out."""
    out = []
    for f in load_freedoms():
        if f.source in QUOTED and _applies(f, edition):
            try:
                cite(f.source, f.quote, edition=edition)
            except CitationError:
                out.append(f.id)
    return tuple(out)


def freedom(freedom_id: str) -> Freedom:
    """The freedom with this id; ``KeyError`` lists the known ids."""
    for f in load_freedoms():
        if f.id == freedom_id:
            return f
    raise KeyError(
        f"unknown freedom {freedom_id!r}; known: {', '.join(x.id for x in load_freedoms())}"
    )


def render_markdown() -> str:
    """The docs/freedoms.md table of every freedom (between the generated-section markers)."""
    lines = [
        README_BEGIN,
        "",
        "| freedom | what may differ | based on | proven by variant |",
        "|---|---|---|---|",
    ]
    for f in load_freedoms():
        where = f.where
        basis = f"{where}: “{f.quote}”" if f.source in QUOTED else f"{f.source}: {f.quote}"
        proof = ", ".join(f"`{v}`" for v in f.variants) or f"none ({f.no_variant})"
        lines.append(f"| **{f.title}** | {f.open} | {basis} | {proof} |")
    return "\n".join([*lines, "", README_END])


if __name__ == "__main__":  # python -m ecr_public_conformance.specs.freedoms > section.md
    print(render_markdown())
