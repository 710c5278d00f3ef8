"""Pagination checks for every paginated operation, on items the run created."""

from __future__ import annotations

import base64
from collections import Counter
from typing import Any

from ...specs import Operation
from ..catalogue.listings import MAX_PAGES, Prepared, Walk, listing, prepare, walk
from ..harness.env import CheckEnv
from ..harness.once import once_per_run
from ..harness.registry import Outcome, Skip, check
from ..harness.semantics import largest_page

#: Small-page walks of a listing the run shares with what the target already holds (every
#: repository of the registry) stop after this many pages: their cost must not grow with the
#: user's registry. Listings inside a repository the run created are walked to the end.
SHARED_SMALL_PAGES = 10
PAGE_SIZES = (1, 2)
STABLE_ATTEMPTS = 3


def _paginated(op: Operation) -> bool:
    return op.paginator is not None


def shared(env: CheckEnv, op: Operation, base: dict[str, Any]) -> bool:
    """True when the listing is not confined to a resource the run created: it holds whatever
    the target already had (every repository of a user's registry)."""
    return not any(env.namespace.owns(v) for v in base.values())


def _setup(env: CheckEnv, op: Operation) -> dict[str, Any]:
    """Base parameters of the walk; creates a few items first where the run may."""
    return dict(_prepared(env, op).base)


@once_per_run("pagination-items", key=lambda op: op.name)
def _prepared(env: CheckEnv, op: Operation) -> Prepared:
    """The walk's base parameters and the items made for it (made once per listing)."""
    return prepare(env, op.name)


def made(env: CheckEnv, op: Operation) -> list[str]:
    """The items the run made for the walk of ``op`` (which a full listing must hold)."""
    return list(_prepared(env, op).items)


@once_per_run("pagination-walks", key=lambda op: op.name)
def _walks(env: CheckEnv, op: Operation) -> tuple[Walk, list[Walk]]:
    """The full walk and the small-page walks of ``op`` (walked once, shared by the checks)."""
    return _walk_all(env, op)


def _walk_all(env: CheckEnv, op: Operation) -> tuple[Walk, list[Walk]]:
    """Walk with the largest pages, then small pages, then the largest pages again.

    The largest page size the operation accepts makes a long listing cost as few requests as
    it can.

    Another writer on a shared target can change the listing mid-walk; only a set of small-page
    walks bracketed by two full listings that agree is judged (on a listing the run shares with
    the user, they need only agree on the run's own items). Otherwise retry, then skip. Small
    pages walk a shared listing for its first pages only.
    """
    base = _setup(env, op)
    common = shared(env, op, base)
    bound = SHARED_SMALL_PAGES if common else MAX_PAGES
    largest = largest_page(op)
    for _ in range(STABLE_ATTEMPTS):
        before = walk(env, op, base, largest, keep_pages=False)
        if before.broke is not None:
            raise Skip(
                f"the first page could not be read (HTTP {before.broke.status} "
                f"{before.broke.error_code})"
            )
        small = [walk(env, op, base, k, bound) for k in PAGE_SIZES]
        after = walk(env, op, base, largest, keep_pages=False)
        if _keys(env, op, before, common) == _keys(env, op, after, common):
            return before, small
    raise Skip(
        f"the listing changed during each of {STABLE_ATTEMPTS} walks (another writer on "
        "the target?), so pagination could not be judged"
    )


def _keys(env: CheckEnv, op: Operation, w: Walk, own_only: bool = False) -> list[str]:
    keys = sorted(w.keys)
    return [k for k in keys if env.namespace.owns(k)] if own_only else keys


def _seen(full: Walk, walks: list[Walk]) -> str:
    """What the walks saw, for the result: items of the full walk, pages of the cut ones."""
    cut = [w for w in walks if w.cut]
    held = len(full.keys)
    note = f"the full listing held {held} item{'' if held == 1 else 's'}"
    if cut:
        note += "; small pages were judged on the first " + ", ".join(
            f"{len(w.counts)} pages of {w.size}" for w in cut
        )
    return note


def _fact(env: CheckEnv, op: Operation, what: str) -> Any:
    assert op.paginator is not None
    return env.fact(
        op.name,
        op.paginator.limit_key if "page" in what else op.paginator.output_token,
        what,
        op.paginator.provenance,
    )


@check("pagination", "MUST", "no page holds more than maxResults items", applies=_paginated)
def page_size_respected(env: CheckEnv, op: Operation) -> Outcome:
    """Every page of a walk with maxResults k holds at most k items."""
    assert op.paginator is not None
    full, walks = _walks(env, op)
    out = Outcome(note=_seen(full, walks))
    for w in walks:
        for page in w.pages:
            out.examples += 1
            n = len(page.json.get(op.paginator.result_key) or [])
            if w.k is not None and n > w.k:
                out.failures.append(
                    env.fail(
                        f"a page of {n} items for maxResults={w.k}",
                        page,
                        _fact(env, op, "page size <= maxResults"),
                        "at most maxResults items per page",
                        "more items than maxResults on a page",
                    )
                )
                return out
    return out


def _partition(
    keys: list[str], expected: set[str] | None, repeats_allowed: bool = False
) -> tuple[list[str], ...]:
    """Duplicates, missing and unexpected items of one walk (against ``expected`` if known);
    no duplicates where the document lets an item appear on more than one page."""
    counted = Counter(keys)
    dupes = [] if repeats_allowed else sorted(k for k, n in counted.items() if n > 1)
    if expected is None:
        return dupes, [], []
    return dupes, sorted(expected - set(keys)), sorted(set(keys) - expected)


def _partition_failure(env: CheckEnv, op: Operation, w: Walk, found: tuple[list[str], ...]) -> Any:
    dupes, missing, extra = found
    what = ", ".join(
        name
        for name, items in (
            ("duplicates", dupes),
            ("missing items", missing),
            ("unexpected items", extra),
        )
        if items
    )
    return env.fail(
        f"walk with {w.size}: duplicates {dupes[:3]}, missing {missing[:3]}, "
        f"unexpected {extra[:3]}",
        w.last or w.broke,
        _fact(env, op, "pages partition the results"),
        "every item exactly once over the pages",
        what,
    )


@check("pagination", "MUST", "walking all pages yields every item exactly once", applies=_paginated)
def pages_cover_all_items_once(env: CheckEnv, op: Operation) -> Outcome:
    """The pages of a walk hold no duplicates, and together the same items as one big page.

    The largest-page walk holds each item the run made for the walk; a small-page walk cut
    short on a listing the run shares with the user is judged on the pages it read.
    """
    full, walks = _walks(env, op)
    out = Outcome(note=_seen(full, walks))
    everything = set(full.keys)
    repeats = bool(listing(op.name).repeats)  # a listing whose document allows repeats
    for w in [full, *walks]:
        out.examples += 1
        if w.broke is not None:
            out.failures.append(
                env.fail(
                    f"the walk with {w.size} broke off",
                    w.broke,
                    _fact(env, op, "nextToken leads to the next page"),
                    "a walk that ends on a last page",
                    "the walk broke off",
                )
            )
            return out
        keys = w.keys
        if w is full:
            found = _partition(keys, None, repeats)
            found = (found[0], sorted(set(made(env, op)) - set(keys)), [])
        else:
            found = _partition(keys, None if w.cut else everything, repeats)
        if any(found):
            out.failures.append(_partition_failure(env, op, w, found))
            return out
    return out


@check("pagination", "MUST", "the last page carries no nextToken", applies=_paginated)
def no_token_after_last_page(env: CheckEnv, op: Operation) -> Outcome:
    """A walk ends on the page holding the last item: no token leads to an empty page."""
    assert op.paginator is not None
    full, walks = _walks(env, op)
    out = Outcome(note=_seen(full, walks))
    for w in [full, *walks]:
        if not w.ended:
            continue
        out.examples += 1
        if w.before_empty is not None:
            out.failures.append(
                env.fail(
                    f"with {w.size}, a nextToken led to an empty page",
                    w.before_empty,
                    _fact(env, op, "nextToken is null when there are no more results"),
                    "no nextToken on the last page",
                    "a nextToken leading to an empty page",
                )
            )
            return out
    return out


def _tamper(token: str) -> list[str]:
    mid = len(token) // 2
    flipped = token[:mid] + ("A" if token[mid] != "A" else "B") + token[mid + 1 :]
    return [flipped, base64.b64encode(b"not-a-real-token").decode()]


@check("pagination", "SHOULD", "a tampered nextToken is rejected", applies=_paginated)
def tampered_token_rejected(env: CheckEnv, op: Operation) -> Outcome:
    """A modified or made-up nextToken is rejected with a validation error."""
    assert op.paginator is not None
    pg = op.paginator
    base = _setup(env, op)
    first = walk(env, op, base, 1, max_pages=1)
    token = first.pages[0].json.get(pg.output_token) if first.pages else None
    if not token:
        items = len(first.pages[0].json.get(pg.result_key) or []) if first.pages else 0
        raise Skip(
            f"no nextToken to tamper with: the first page of maxResults=1 held {items} "
            f"item{'' if items == 1 else 's'} and no nextToken"
        )
    out = Outcome()
    for bad in _tamper(str(token)):
        ex = env.send(op.name, {**base, pg.limit_key: 1, pg.input_token: bad})
        out.examples += 1
        if ex.ok or ex.error_code not in env.service.codes_of_class("validation"):
            out.failures.append(
                env.fail(
                    f"a tampered nextToken was {'accepted' if ex.ok else 'answered'} with "
                    f"HTTP {ex.status}" + (f" {ex.error_code}" if ex.error_code else ""),
                    ex,
                    env.fact(op.name, pg.input_token, "tokens are opaque and verified", "overlay"),
                    "a validation error for a tampered nextToken",
                )
            )
            return out
    return out
