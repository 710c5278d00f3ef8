"""Pagination checks for the four paginated operations, on items the run created."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from ...specs import Operation
from ...wire import Exchange
from ..env import CheckEnv
from ..registry import Outcome, Skip, check
from ..semantics import ITEM_IDENTITY, VALIDATION_CODES

MAX_PAGES = 500
PAGE_SIZES = (1, 2)
STABLE_ATTEMPTS = 3


def _paginated(op: Operation) -> bool:
    return op.paginator is not None


@dataclass
class Walk:
    """The pages of one walk with page size ``k``."""

    k: int
    pages: list[Exchange] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)
    ended: bool = False
    broke: Exchange | None = None


def walk(env: CheckEnv, op: Operation, base: dict[str, Any], k: int | None) -> Walk:
    """Follow ``nextToken`` from the first page to the last (bounded)."""
    assert op.paginator is not None
    pg = op.paginator
    w = Walk(k or 0)
    token = None
    for _ in range(MAX_PAGES):
        params = dict(base)
        if k is not None:
            params[pg.limit_key] = k
        if token is not None:
            params[pg.input_token] = token
        ex = env.send(op.name, params)
        if not ex.ok or not isinstance(ex.json, dict):
            w.broke = ex
            return w
        w.pages.append(ex)
        w.items += list(ex.json.get(pg.result_key) or [])
        token = ex.json.get(pg.output_token)
        if not token:
            w.ended = True
            return w
    return w


def _key(op: Operation, item: Any) -> str:
    name = ITEM_IDENTITY.get(op.name)
    if isinstance(item, dict) and name in item:
        return f"{name}={item[name]}"
    return repr(item)


def _setup(env: CheckEnv, op: Operation) -> dict[str, Any]:
    """Base parameters of the walk; creates a few items first where the run may."""
    cached = env.cache.get(("pagination", op.name))
    if cached is not None:
        return dict(cached)
    base: dict[str, Any] = {}
    if op.name == "DescribeRepositories" and env.may_mutate():
        env.await_listed([env.create_repository(env.new_name("p")) for _ in range(3)])
    if op.name in ("DescribeImages", "DescribeImageTags"):
        if not env.may_mutate():
            raise Skip("walking images needs a repository the run creates")
        repo = env.create_repository(env.new_name("pi"))
        env.await_listed([repo])
        for i in range(3):
            env.push_image(repo, f"t{i}", f"{repo}-{i}".encode() * 8)
        base = {"repositoryName": repo}
    env.cache[("pagination", op.name)] = base
    return dict(base)


def _walks(env: CheckEnv, op: Operation) -> tuple[Walk, list[Walk]]:
    """The full walk and the small-page walks of ``op`` (walked once, shared by the checks)."""
    key = ("walks", op.name)
    if key not in env.cache:
        env.cache[key] = _walk_all(env, op)
    walks: tuple[Walk, list[Walk]] = env.cache[key]
    return walks


def _walk_all(env: CheckEnv, op: Operation) -> tuple[Walk, list[Walk]]:
    """Walk with one big page, then small pages, then one big page again.

    Another writer on a shared target can change the listing mid-walk; only a set of small-page
    walks bracketed by two identical full listings is judged. Otherwise retry, then skip.
    """
    base = _setup(env, op)
    for _ in range(STABLE_ATTEMPTS):
        before = walk(env, op, base, None)
        if before.broke is not None:
            raise Skip(
                f"the first page could not be read (HTTP {before.broke.status} "
                f"{before.broke.error_code})"
            )
        small = [walk(env, op, base, k) for k in PAGE_SIZES]
        after = walk(env, op, base, None)
        if _keys(op, before) == _keys(op, after):
            return before, small
    raise Skip(
        f"the listing changed during each of {STABLE_ATTEMPTS} walks (another writer on "
        "the target?), so pagination could not be judged"
    )


def _keys(op: Operation, w: Walk) -> list[str]:
    return sorted(_key(op, i) for i in w.items)


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
    _, walks = _walks(env, op)
    out = Outcome()
    for w in walks:
        for page in w.pages:
            out.examples += 1
            n = len(page.json.get(op.paginator.result_key) or [])
            if n > w.k:
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


@check("pagination", "MUST", "walking all pages yields every item exactly once", applies=_paginated)
def pages_cover_all_items_once(env: CheckEnv, op: Operation) -> Outcome:
    """The pages of a walk hold no duplicates, and together the same items as one big page."""
    full, walks = _walks(env, op)
    expected = {_key(op, i) for i in full.items}
    out = Outcome()
    for w in walks:
        out.examples += 1
        keys = [_key(op, i) for i in w.items]
        last = w.pages[-1] if w.pages else w.broke
        if w.broke is not None or not w.ended:
            why = "did not end" if not w.ended and w.broke is None else "broke off"
            out.failures.append(
                env.fail(
                    f"the walk with maxResults={w.k} {why}",
                    last,
                    _fact(env, op, "nextToken leads to the next page"),
                    "a walk that ends on a last page",
                    f"the walk {why}",
                )
            )
            return out
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        missing, extra = sorted(expected - set(keys)), sorted(set(keys) - expected)
        if dupes or missing or extra:
            out.failures.append(
                env.fail(
                    f"walk with maxResults={w.k}: duplicates {dupes[:3]}, missing {missing[:3]}, "
                    f"unexpected {extra[:3]}",
                    last,
                    _fact(env, op, "pages partition the results"),
                    "every item exactly once over the pages",
                    ", ".join(
                        what
                        for what, found in (
                            ("duplicates", dupes),
                            ("missing items", missing),
                            ("unexpected items", extra),
                        )
                        if found
                    ),
                )
            )
            return out
    return out


@check("pagination", "MUST", "the last page carries no nextToken", applies=_paginated)
def no_token_after_last_page(env: CheckEnv, op: Operation) -> Outcome:
    """A walk ends on the page holding the last item: no token leads to an empty page."""
    assert op.paginator is not None
    _, walks = _walks(env, op)
    out = Outcome()
    for w in walks:
        out.examples += 1
        for i, page in enumerate(w.pages):
            if i > 0 and not (page.json.get(op.paginator.result_key) or []):
                prev = w.pages[i - 1]
                out.failures.append(
                    env.fail(
                        f"with maxResults={w.k}, a nextToken led to an empty page",
                        prev,
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
    first = walk(env, op, base, 1)
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
        if ex.ok or ex.error_code not in VALIDATION_CODES:
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
