"""Opaque, tamper-evident pagination tokens and page slicing for the paginated operations.

A token is ``base64url(JSON) + "." + HMAC``: the JSON names the operation, a hash of the
request's filter parameters and the sort key of the last item returned. A token that does not
verify, or that was issued for another operation or other filters, is rejected.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .context import Ctx
from .errors import invalid
from .variants import on

T = TypeVar("T")

#: Request members that are not filters (they may change from one page to the next).
_NOT_FILTERS = ("nextToken", "maxResults")


def _filters_hash(params: dict[str, Any]) -> str:
    filters = {k: v for k, v in params.items() if k not in _NOT_FILTERS}
    blob = json.dumps(filters, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _sign(ctx: Ctx, payload: bytes) -> str:
    return hmac.new(ctx.endpoint.secret, payload, hashlib.sha256).hexdigest()[:32]


def make_token(ctx: Ctx, params: dict[str, Any], last_key: str, repeat: bool = False) -> str:
    """Return a token resuming after ``last_key`` (or at it when ``repeat``)."""
    body = {"o": ctx.op.name, "f": _filters_hash(params), "k": last_key, "r": repeat}
    if on(ctx, "opaque-random-tokens"):  # a fresh server-side id on every call
        token = secrets.token_hex(12)
        with ctx.endpoint.store.lock:
            ctx.endpoint.store.tokens[token] = body
        return token
    payload = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _sign(ctx, payload)


def read_token(ctx: Ctx, params: dict[str, Any], token: str) -> dict[str, Any] | None:
    """Return the token's contents, or None (``tampered-token-accepted``) / raise if invalid."""
    body = _decode(ctx, params, token)
    if body is None and not ctx.fault("tampered-token-accepted"):
        raise invalid("Invalid parameter at 'nextToken': the pagination token is invalid")
    return body


def _decode(ctx: Ctx, params: dict[str, Any], token: str) -> dict[str, Any] | None:
    if on(ctx, "opaque-random-tokens"):
        kept = ctx.endpoint.store.tokens.get(token)
        if kept is None or kept.get("o") != ctx.op.name or kept.get("f") != _filters_hash(params):
            return None
        return kept
    encoded, _, sig = token.partition(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        body = json.loads(payload)
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(sig, _sign(ctx, payload)) or not isinstance(body, dict):
        return None
    if body.get("o") != ctx.op.name or body.get("f") != _filters_hash(params):
        return None
    return body


def paginate(
    ctx: Ctx,
    params: dict[str, Any],
    items: Sequence[T],
    key: Callable[[T], str],
    uneven: Uneven | None = None,
) -> tuple[list[T], str | None]:
    """Return one page of ``items`` (sorted by ``key``) and the next token, or None.

    ``uneven`` pages as the ``uneven-pages`` variant does, where the document allows it.
    """
    descending = on(ctx, "listing-order-reversed")
    items = sorted(items, key=key, reverse=descending)
    token = params.get("nextToken")
    body = read_token(ctx, params, token) if token is not None else None
    if uneven is not None and uneven.empty_first and body is None and items:
        return [], make_token(ctx, params, "\uffff" if descending else "")
    start = 0
    if body is not None:
        last = str(body.get("k"))
        start = _start(items, key, last, bool(body.get("r")), descending)
    limit = params.get("maxResults") or ctx.options.default_page_size
    size = max(1, limit - 1) if uneven is not None else limit
    if ctx.fault("page-size-ignored"):
        size = len(items) + 1
    extra = 1 if body is not None and body.get("r") else 0
    page = list(items[start : start + size + extra])
    # the repeated item comes on top of a short page, so it never makes a page over maxResults
    # (with maxResults 1 nothing is repeated: a page of the repeated item alone would not move on)
    repeat = uneven is not None and uneven.repeat and size + 1 <= limit
    return page, _next(ctx, params, items, key, page, start + len(page), repeat)


@dataclass(frozen=True)
class Uneven:
    """Pages shorter than ``maxResults`` ("A page can contain fewer than maxResults results"),
    an empty first page (``empty_first``: "or none, and still return a nextToken"), and the
    last item of a page again first on the next (``repeat``: "the same pair can appear on
    more than one page")."""

    empty_first: bool = False
    repeat: bool = False


def _start(
    items: Sequence[T], key: Callable[[T], str], last: str, repeat: bool, descending: bool
) -> int:
    """How many items come before the token's position (the sort order is ``items``')."""
    if descending:
        return sum(1 for it in items if (key(it) > last if repeat else key(it) >= last))
    if repeat:
        return sum(1 for it in items if key(it) < last)
    return sum(1 for it in items if key(it) <= last)


def _next(
    ctx: Ctx,
    params: dict[str, Any],
    items: Sequence[T],
    key: Callable[[T], str],
    page: list[T],
    end: int,
    repeat: bool = False,
) -> str | None:
    if end < len(items) and page:
        repeat = repeat or ctx.fault("duplicate-across-pages")
        return make_token(ctx, params, key(page[-1]), repeat)
    if ctx.fault("token-after-last-page") and page:
        return make_token(ctx, params, "" if on(ctx, "listing-order-reversed") else "\uffff")
    return None
