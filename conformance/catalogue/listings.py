"""The paginated listings as data (``listings.toml``): how a walk is prepared and followed.

One place says, per listing, what identifies an item, what the run makes before it walks and
whether the document lets an item repeat across pages. The pagination checks and parity's
pagination scenarios prepare their walks here, and follow ``nextToken`` with :func:`walk`.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ...specs import Operation
from ...wire import Exchange
from ..harness.env import CheckEnv
from ..harness.registry import Skip

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LISTINGS = Path(__file__).with_name("listings.toml")
#: No walk sends more pages than this.
MAX_PAGES = 500
Makes = Literal["", "repositories", "images"]


class ListingsError(ValueError):
    """``listings.toml`` is malformed."""


@dataclass(frozen=True)
class Listing:
    """One paginated listing: its item identity, what a walk of it needs made, and repeats."""

    operation: str
    identity: str = ""
    makes: Makes = ""
    items: int = 0
    #: The document's sentence letting an item appear on more than one page ("" when none).
    repeats: str = ""

    def key(self, item: Any) -> str:
        """The identity of one item of the listing (``repositoryName=r1``)."""
        if isinstance(item, dict) and self.identity in item:
            return f"{self.identity}={item[self.identity]}"
        return repr(item)


@functools.cache
def load_listings(path: Path = LISTINGS) -> dict[str, Listing]:
    """Every listing of ``listings.toml`` (or ``path``), by operation."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for operation, table in raw.items():
        unknown = set(table) - {"identity", "makes", "items", "repeats"}
        if unknown or table.get("makes", "") not in ("", "repositories", "images"):
            raise ListingsError(f"{path.name}: [{operation}] has {sorted(table)}")
        out[operation] = Listing(operation, **table)
    return out


def listing(operation: str) -> Listing:
    """The listing of ``operation`` (one with nothing made, for a listing without a table)."""
    return load_listings().get(operation) or Listing(operation)


@dataclass(frozen=True)
class Prepared:
    """A walk's base parameters and the identities of the items the run made for it."""

    base: dict[str, Any]
    items: tuple[str, ...] = ()


def prepare(env: CheckEnv, operation: str) -> Prepared:
    """Make what a walk of ``operation`` needs (where the run may create): its base parameters.

    A listing of the registry's repositories is walked as it is when the run may not create;
    a listing of images needs a repository the run creates (``Skip`` otherwise). A refused setup
    request raises ``SetupFailed``. Images hold the same bytes on every run, so a target that
    lists them by digest lists them in the same order each time.
    """
    found = listing(operation)
    if not found.makes:
        return Prepared({})
    if not env.may_mutate():
        if found.makes == "images":
            raise Skip("walking images needs a repository the run creates")
        return Prepared({})
    if found.makes == "repositories":
        names = [env.resources.create_repository() for _ in range(found.items)]
        env.resources.await_listed(names)
        return Prepared({}, tuple(f"repositoryName={n}" for n in names))
    repository = env.resources.create_repository()
    env.resources.await_listed([repository])
    items = []
    for i in range(found.items):
        content = f"pagination-{i}"
        digest, _ = env.resources.push_image(
            repository, f"t{i}", content.encode() * 8, nonce=content
        )
        items.append(found.key({"imageDigest": digest, "imageTag": f"t{i}"}))
    return Prepared({"repositoryName": repository}, tuple(items))


@dataclass
class Walk:
    """One walk with page size ``k`` (None: the operation's default): each item's identity and
    each page's item count, and the pages themselves unless the walk was told not to keep them
    (a full listing of a shared registry: its cost in memory must not grow with the registry)."""

    k: int | None
    pages: list[Exchange] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    ended: bool = False
    broke: Exchange | None = None
    #: The last page read, and the first page whose nextToken led to an empty page.
    last: Exchange | None = None
    before_empty: Exchange | None = None

    @property
    def cut(self) -> bool:
        """True when the walk stopped at its page bound, before the last page."""
        return not self.ended and self.broke is None

    @property
    def size(self) -> str:
        """``maxResults=k`` as the messages say it."""
        return f"maxResults={self.k}" if self.k is not None else "the default page size"


def walk(
    env: CheckEnv,
    op: Operation,
    base: dict[str, Any],
    k: int | None,
    max_pages: int = MAX_PAGES,
    keep_pages: bool = True,
) -> Walk:
    """Follow ``nextToken`` from the first page to the last, or for ``max_pages`` pages.

    ``k`` None sends no maxResults (the operation's default page size).
    """
    assert op.paginator is not None
    pg = op.paginator
    found = listing(op.name)
    w = Walk(k)
    token = None
    for _ in range(max_pages):
        params = dict(base)
        if k is not None:
            params[pg.limit_key] = k
        if token is not None:
            params[pg.input_token] = token
        ex = env.send(op.name, params)
        if not ex.ok or not isinstance(ex.json, dict):
            w.broke = ex
            return w
        items = ex.json.get(pg.result_key) or []
        if w.counts and not items and w.before_empty is None:
            w.before_empty = w.last
        if keep_pages:
            w.pages.append(ex)
        w.last = ex
        w.keys += [found.key(i) for i in items]
        w.counts.append(len(items))
        token = ex.json.get(pg.output_token)
        if not token:
            w.ended = True
            return w
    return w
