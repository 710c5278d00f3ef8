"""The catalogue of documented behaviours (``behaviours.toml``): scenarios as data.

Every error the specs document for an operation (ServerException and
UnsupportedCommandException set aside: they have no client-side condition) and every normative
sentence about effects is one entry: the sentence it rests on (quoted, so it is found in the
document or the model), the setup it needs (named fixtures, see :mod:`.scenarios`), the steps
(requests as templates) and what each must answer, and the reference fault that breaks it.
Errors that cannot be provoked safely on a shared endpoint are listed with the reason.

The catalogue is one file per edition that adds operations: ``behaviours.toml`` for the seed
edition, ``behaviours_premium.toml`` for the premium repositories of edition botocore-1.44.18
(its top-level ``edition`` is that of every entry in it). An entry runs on a target of its
edition or a later one, and its quote is found in its edition's document. Reference faults no
request can show within a run (they need the clock to move by days) are listed with the reason.

One generic interpreter (:mod:`.scenarios`) runs the entries; the ``behaviour`` checks judge them.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ...specs import load_service
from ...specs.citations import Citation, CitationError, cite, exception_line
from ...specs.editions import DEFAULT_EDITION, version_key
from ...specs.editions import edition as find_edition
from ...specs.freedoms import load_freedoms

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CATALOGUE = Path(__file__).with_name("behaviours.toml")
#: The entries of later editions, one file each (the file's ``edition`` is its entries').
LATER_CATALOGUES = (Path(__file__).with_name("behaviours_premium.toml"),)
#: Errors with no client-side condition: not catalogued.
NOT_PROVOKED = frozenset({"ServerException", "UnsupportedCommandException"})
#: Predicates a step check may use on the values found at its path.
PREDICATES = (
    "equals",
    "contains",
    "absent",
    "count",
    "present",
    "missing",
    "at_least",
    "at_most",
    "seconds_from_now",
    "all_equal",
    "only",
    "json_equals",
    "base64_has",
    "all_match",
)
Kind = Literal["error", "effect"]
PROFILES = ("quick", "ci", "nightly")


class CatalogueError(ValueError):
    """The behaviours catalogue is malformed or names something the specs do not have."""


@dataclass(frozen=True)
class Assertion:
    """One predicate on the values a step's answer has at ``path``."""

    path: str
    predicate: str
    value: Any

    def describe(self) -> str:
        """``imageDetails[].imageDigest absent '{image.digest}'``."""
        return f"{self.path} {self.predicate.replace('_', ' ')} {self.value!r}"


@dataclass(frozen=True)
class Step:
    """One request of a scenario and what it must answer."""

    call: str
    request: Any
    expect: tuple[str, ...] = ()  # error codes; () means success
    checks: tuple[Assertion, ...] = ()
    save: tuple[tuple[str, str], ...] = ()  # (variable, path) taken from the answer
    settle: bool = False  # a read after a write: retried within the consistency window
    body: str | None = None  # a raw body instead of the templated request
    #: A read of a process the document says completes (a scan): sent again for up to this
    #: many seconds while its answer is not the one expected.
    wait: float = 0.0
    #: Checks that apply only when the answer has this (a status the document ties them to).
    only_if: tuple[Assertion, ...] = ()


@dataclass(frozen=True)
class Behaviour:
    """One documented behaviour and how to provoke and judge it."""

    id: str
    kind: Kind
    operation: str
    source: str
    quote: str
    setup: tuple[str, ...]
    steps: tuple[Step, ...]
    fault: str
    #: Fixtures that are the behaviour itself: their failure is the effect not holding.
    acts: tuple[str, ...] = ()
    error: str | None = None
    also: frozenset[str] = frozenset()
    code_level: Literal["MUST", "SHOULD"] = "MUST"
    accepts_success: bool = False
    freedoms: tuple[str, ...] = ()
    profiles: tuple[str, ...] = PROFILES
    note: str = ""
    #: Conditions the target must meet for the behaviour to apply (``verified_registry``).
    when: tuple[str, ...] = ()
    #: Variants the fault needs beside it to show (e.g. a minimum part size).
    fault_variants: tuple[str, ...] = ()
    #: Other reference faults that break the entry (a member left out, where ``fault`` gives a
    #: wrong value): each is shown to fail it too.
    more_faults: tuple[str, ...] = ()
    #: Optional members the document says are returned here (member path -> its sentence):
    #: their absence is judged with the effect (MUST), not apart at SHOULD.
    returned: tuple[tuple[str, str], ...] = ()
    #: The edition whose document states it (None: the default edition); it runs on that
    #: edition and later ones.
    edition: str | None = None

    @property
    def citation(self) -> Citation:
        """Where the behaviour is documented: for an error, the line of the operation's
        Exceptions list that names it (and the model shape that says when it happens); for
        an effect, the line (or shape) of the quote."""
        shape = self.error if self.source == "service-model" else None
        # the edition whose sources hold the quote (the seed edition's entries are cited in it
        # whichever edition a run judges by)
        quoted_in = self.edition or DEFAULT_EDITION
        found = cite(self.source, self.quote, shape, quoted_in)
        if self.error is None:
            return found
        if self.source == "document":  # the sentence that states the condition, and the code
            return Citation(self.source, self.quote, found.line, self.error, found.file)
        line = exception_line(self.operation, self.error, quoted_in)
        return Citation(self.source, self.quote, line=line, shape=found.shape)

    def runs_on(self, edition: str | None) -> bool:
        """True when a target serving ``edition`` (None: the default one) has what it needs."""
        return runs_on(self.edition, edition)

    def says_returned(self, member: str) -> bool:
        """True when the document says ``member`` is returned in this behaviour."""
        return any(m == member for m, _ in self.returned)

    @property
    def allowed(self) -> frozenset[str]:
        """The codes that answer this condition correctly: the documented one, then those the
        freedoms allow."""
        return frozenset({self.error}) | self.also if self.error else frozenset()


@dataclass(frozen=True)
class Unprovocable:
    """A documented error the suite cannot provoke safely, and why."""

    operation: str
    error: str
    reason: str
    edition: str | None = None

    @property
    def id(self) -> str:
        """``Operation/Error``."""
        return f"{self.operation}/{self.error}"


@dataclass(frozen=True)
class Unobservable:
    """A reference fault no request of a run can show, and why (it needs days to pass)."""

    fault: str
    reason: str


@dataclass(frozen=True)
class Catalogue:
    """Every behaviour and every unprovocable error."""

    behaviours: tuple[Behaviour, ...]
    unprovocable: tuple[Unprovocable, ...] = field(default=())
    unobservable: tuple[Unobservable, ...] = field(default=())

    def for_operation(
        self, operation: str, kind: Kind, profile: str, edition: str | None = None
    ) -> list[Behaviour]:
        """The entries of ``kind`` for ``operation`` that run under ``profile`` on a target
        serving ``edition`` (None: the default one)."""
        return [
            b
            for b in self.behaviours
            if b.operation == operation
            and b.kind == kind
            and profile in b.profiles
            and b.runs_on(edition)
        ]

    def of_edition(self, edition: str | None) -> list[Behaviour]:
        """The entries an edition's document states (None: the default edition's)."""
        return [b for b in self.behaviours if b.edition == edition]

    def entry(self, entry_id: str) -> Behaviour:
        """The behaviour with this id (``KeyError`` when unknown)."""
        for b in self.behaviours:
            if b.id == entry_id:
                return b
        raise KeyError(f"no behaviour {entry_id!r} in the catalogue")


def assertions(raw: list[dict[str, Any]], where: str) -> tuple[Assertion, ...]:
    """A step's checks from their data form (a path and one predicate each)."""
    out = []
    for item in raw:
        preds = [p for p in PREDICATES if p in item]
        if "path" not in item or len(preds) != 1 or set(item) - {"path", *PREDICATES}:
            raise CatalogueError(f"{where}: a check needs a path and exactly one of {PREDICATES}")
        out.append(Assertion(item["path"], preds[0], item[preds[0]]))
    return tuple(out)


def runs_on(entry_edition: str | None, served: str | None) -> bool:
    """True when an entry of ``entry_edition`` runs on a target serving ``served`` (None: the
    default edition): that edition or a later one."""
    if entry_edition is None:
        return True
    return served is not None and version_key(served) >= version_key(entry_edition)


def _step(raw: dict[str, Any], where: str, edition: str | None = None) -> Step:
    operations = load_service(edition).operations
    if raw.get("call") not in operations:
        raise CatalogueError(f"{where}: unknown operation {raw.get('call')!r}")
    expect = raw.get("expect", [])
    expect = [expect] if isinstance(expect, str) else list(expect)
    return Step(
        call=raw["call"],
        request=raw.get("request", {}),
        expect=tuple(expect),
        checks=assertions(raw.get("checks", []), where),
        save=tuple(sorted(raw.get("save", {}).items())),
        settle=bool(raw.get("settle", False)),
        body=raw.get("body"),
        wait=float(raw.get("wait", 0.0)),
        only_if=assertions([raw["only_if"]] if "only_if" in raw else [], where),
    )


def _behaviour(
    raw: dict[str, Any], n: int, freedom_ids: set[str], edition: str | None = None, name: str = ""
) -> Behaviour:
    svc = load_service(edition)
    where = f"{name or CATALOGUE.name}: behaviour {n} ({raw.get('id', '?')})"
    for key in ("id", "kind", "operation", "source", "quote", "fault"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise CatalogueError(f"{where}: '{key}' (a non-empty string) is required")
    op = raw["operation"]
    if op not in svc.operations:
        raise CatalogueError(f"{where}: unknown operation {op!r}")
    error = raw.get("error")
    if raw["kind"] == "error":
        if error not in svc.operation(op).error_codes:
            raise CatalogueError(f"{where}: {error!r} is not an error {op} documents")
        if raw["id"] != f"{op}/{error}":
            raise CatalogueError(f"{where}: an error entry's id is Operation/Error")
    elif raw["kind"] != "effect":
        raise CatalogueError(f"{where}: kind must be 'error' or 'effect'")
    # here, not at the top: the interpreter (scenarios) imports this module's types
    from .scenarios import CONDITIONS, FIXTURES

    bad = set(raw.get("setup", ())) | set(raw.get("acts", ()))
    if bad - FIXTURES.keys() or set(raw.get("when", ())) - CONDITIONS.keys():
        raise CatalogueError(f"{where}: unknown fixture or condition")
    unknown = set(raw.get("freedoms", ())) - freedom_ids
    if unknown:
        raise CatalogueError(f"{where}: unknown freedoms {sorted(unknown)}")
    steps = [_step(s, where, edition) for s in raw.get("before", [])]
    if raw["kind"] == "error":
        provoking = {"call": op, "request": raw.get("request", {}), "body": raw.get("body")}
        steps.append(_step(provoking, where, edition))
    else:
        steps += [_step(s, where, edition) for s in raw.get("steps", [])]
        if not steps:
            raise CatalogueError(f"{where}: an effect needs steps")
    behaviour = Behaviour(
        id=raw["id"],
        kind=raw["kind"],
        operation=op,
        source=raw["source"],
        quote=raw["quote"],
        setup=tuple(raw.get("setup", ())),
        acts=tuple(raw.get("acts", ())),
        steps=tuple(steps),
        fault=raw["fault"],
        error=error,
        also=frozenset(raw.get("also", ())),
        code_level=raw.get("code_level", "MUST"),
        accepts_success=bool(raw.get("accepts_success", False)),
        freedoms=tuple(raw.get("freedoms", ())),
        profiles=tuple(raw.get("profiles", PROFILES)),
        note=raw.get("note", ""),
        when=tuple(raw.get("when", ())),
        fault_variants=tuple(raw.get("fault_variants", ())),
        returned=tuple(sorted(raw.get("returned", {}).items())),
        more_faults=tuple(raw.get("more_faults", ())),
        edition=edition,
    )
    try:
        behaviour.citation  # noqa: B018  (a quote must be where it is said to be)
        for _, quote in behaviour.returned:
            cite("document", quote, edition=edition or DEFAULT_EDITION)
    except CitationError as exc:
        raise CatalogueError(f"{where}: {exc}") from None
    return behaviour


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{path}: {exc}") from exc


def load_catalogue(path: Path | None = None, edition: str | None = None) -> Catalogue:
    """Read and validate the catalogue (operations, codes, quotes, freedoms, unique ids): the
    given file alone, or (None) the seed edition's with the later editions' files that run on
    ``edition`` (a name or alias; None: the default edition, so the seed's file alone)."""
    if path is not None:
        return _load((path,))
    served = find_edition(edition).name if edition is not None else None
    return _load((CATALOGUE, *(f for f in LATER_CATALOGUES if runs_on(_edition_of(f), served))))


@functools.cache
def _edition_of(path: Path) -> str | None:
    edition = _read(path).get("edition")
    return str(edition) if edition is not None else None


@functools.cache
def _load(paths: tuple[Path, ...]) -> Catalogue:
    freedom_ids = {f.id for f in load_freedoms()}
    behaviours: list[Behaviour] = []
    unprovocable: list[Unprovocable] = []
    unobservable: list[Unobservable] = []
    for file in paths:
        data = _read(file)
        edition = data.get("edition")
        behaviours += [
            _behaviour(raw, n, freedom_ids, edition, file.name)
            for n, raw in enumerate(data.get("behaviour", []), 1)
        ]
        unprovocable += [
            Unprovocable(u["operation"], u["error"], u["reason"], edition)
            for u in data.get("unprovocable", [])
        ]
        unobservable += [
            Unobservable(u["fault"], u["reason"]) for u in data.get("unobservable", [])
        ]
    ids = [b.id for b in behaviours] + [u.id for u in unprovocable]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogueError(f"{paths[0]}: ids used twice: {', '.join(dupes)}")
    return Catalogue(tuple(behaviours), tuple(unprovocable), tuple(unobservable))


def documented_pairs(edition: str | None = None) -> list[tuple[str, str]]:
    """Every (operation, error) the specs of ``edition`` (None: the default one) document,
    ServerException and UnsupportedCommandException set aside."""
    return sorted(
        (op.name, code)
        for op in load_service(edition).operations.values()
        for code in op.error_codes - NOT_PROVOKED
    )


def added_pairs(edition: str) -> list[tuple[str, str]]:
    """The (operation, error) pairs ``edition`` documents and the default edition does not."""
    return sorted(set(documented_pairs(edition)) - set(documented_pairs()))
