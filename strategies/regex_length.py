"""A string of an exact length that fully matches a regular expression, built from its syntax.

Boundary requests need a value of a given length (a model's ``minLength`` or ``maxLength``)
that matches the member's pattern, or the knowledge that none exists. Searching for one by
random generation is slow and, when no such value exists, can only give up after its whole
budget. Here the pattern's parse tree gives, for every node, the set of lengths it can match
(a bit set: bit ``n`` set when a match of length ``n`` exists), and a value is then assembled
node by node. Lookarounds, back references and flags are not handled: :class:`NotAnalysable`
is raised and the caller falls back to a search.
"""

from __future__ import annotations

import importlib
import re
import string
from typing import Any

try:  # the parser of the standard re module (re._parser since Python 3.11)
    sre_parse: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python 3.10
    sre_parse = importlib.import_module("sre_parse")

__all__ = ["NotAnalysable", "string_of_length"]

#: Characters tried, in order, for a one-character node (the first one its class accepts).
_CANDIDATES = "a0Az_-." + string.ascii_letters + string.digits + string.punctuation + " "


class NotAnalysable(Exception):
    """The pattern uses a construct this builder does not handle."""


def _conv(a: int, b: int, limit: int) -> int:
    """Lengths of a match of ``a`` followed by one of ``b`` (both bit sets), up to ``limit``."""
    mask = (1 << (limit + 1)) - 1
    out = 0
    if a.bit_count() > b.bit_count():
        a, b = b, a
    while a:
        low = a & -a
        out |= (b << (low.bit_length() - 1)) & mask
        a ^= low
    return out


def _power(s: int, k: int, limit: int) -> int:
    """Lengths of ``k`` matches of ``s`` in a row."""
    result, base = 1, s
    while k:
        if k & 1:
            result = _conv(result, base, limit)
        k >>= 1
        if k:
            square = _conv(base, base, limit)
            if square == base:  # a fixed point (s holds 0): every further power is base
                return _conv(result, base, limit)
            base = square
    return result


class _Builder:
    """Length sets and values for the nodes of one parsed pattern, up to one length."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._memo: dict[int, int] = {}
        self._rests: dict[tuple[int, int, int], int] = {}

    # ------------------------------------------------------------------ length sets

    def seq(self, items: list[tuple[Any, Any]]) -> int:
        """The lengths a sequence of nodes can match."""
        out = 1
        for item in items:
            out = _conv(out, self.node(item), self.limit)
            if not out:
                return 0
        return out

    def node(self, item: tuple[Any, Any]) -> int:
        """The lengths one node can match."""
        key = id(item)
        if key not in self._memo:
            self._memo[key] = self._node(item)
        return self._memo[key]

    def _node(self, item: tuple[Any, Any]) -> int:
        op, av = item
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            return 0b10 if self.char(item) is not None else 0
        if name == "AT":
            if str(av) not in ("AT_BEGINNING", "AT_BEGINNING_STRING", "AT_END", "AT_END_STRING"):
                raise NotAnalysable(str(av))
            return 1
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise NotAnalysable("inline flags")
            return self.seq(list(sub))
        if name == "BRANCH":
            out = 0
            for alt in av[1]:
                out |= self.seq(list(alt))
            return out
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            one = self.seq(list(sub))
            hi = min(hi, lo + self.limit)  # beyond that only empty matches are added
            least = _power(one, lo, self.limit)
            return _conv(least, _power(one | 1, hi - lo, self.limit), self.limit)
        raise NotAnalysable(name)

    # ------------------------------------------------------------------ values

    def char(self, item: tuple[Any, Any]) -> str | None:
        """The first candidate character a one-character node accepts."""
        return next((c for c in _CANDIDATES if _accepts(item, c)), None)

    def build_seq(self, items: list[tuple[Any, Any]], n: int) -> str:
        """A value of length ``n`` for a sequence (``n`` must be one of its lengths)."""
        parts = []
        for i, item in enumerate(items):
            rest = self.seq(items[i + 1 :])
            own = self.node(item)
            take = next(k for k in _bits_down(own, n) if rest >> (n - k) & 1)
            parts.append(self.build(item, take))
            n -= take
        return "".join(parts)

    def build(self, item: tuple[Any, Any], n: int) -> str:
        """A value of length ``n`` for one node (``n`` must be one of its lengths)."""
        op, av = item
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            return self.char(item) or ""
        if name == "AT":
            return ""
        if name == "SUBPATTERN":
            return self.build_seq(list(av[3]), n)
        if name == "BRANCH":
            alt = next(a for a in av[1] if self.seq(list(a)) >> n & 1)
            return self.build_seq(list(alt), n)
        lo, hi, sub = av  # a repeat: as few items as reach n, the longest first
        one = self.seq(list(sub))
        unbounded = hi >= lo + self.limit  # more items than characters: only empty ones added
        parts, count = [], 0
        while count < lo or n:
            need = max(lo - count - 1, 0)
            spare = self.limit if unbounded else hi - count - 1 - need
            rest = self._rest(one, need, spare)
            take = next(k for k in _bits_down(one, n) if rest >> (n - k) & 1 and (k or count < lo))
            parts.append(self.build_seq(list(sub), take))
            n -= take
            count += 1
        return "".join(parts)

    def _rest(self, one: int, need: int, spare: int) -> int:
        """Lengths of ``need`` items then up to ``spare`` more (memoised: a repeat asks often)."""
        key = (one, need, spare)
        if key not in self._rests:
            self._rests[key] = _conv(
                _power(one, need, self.limit), _power(one | 1, spare, self.limit), self.limit
            )
        return self._rests[key]


def _bits_down(s: int, top: int) -> list[int]:
    """The members of the bit set ``s`` up to ``top``, largest first."""
    s &= (1 << (top + 1)) - 1
    out = []
    while s:
        high = s.bit_length() - 1
        out.append(high)
        s ^= 1 << high
    return out


def _accepts(item: tuple[Any, Any], ch: str) -> bool:
    """True when the one-character node ``item`` matches ``ch``."""
    op, av = item
    name, code = str(op), ord(ch)
    if name == "LITERAL":
        return bool(code == av)
    if name == "NOT_LITERAL":
        return bool(code != av)
    if name == "ANY":
        return ch != "\n"
    negate, hit = False, False
    for sub_op, sub_av in av:
        sub = str(sub_op)
        if sub == "NEGATE":
            negate = True
        elif sub == "LITERAL":
            hit = hit or code == sub_av
        elif sub == "RANGE":
            hit = hit or sub_av[0] <= code <= sub_av[1]
        elif sub == "CATEGORY":
            hit = hit or _category(str(sub_av), ch)
        else:
            raise NotAnalysable(sub)
    return hit != negate


def _category(name: str, ch: str) -> bool:
    tests = {
        "CATEGORY_DIGIT": ch.isdigit(),
        "CATEGORY_SPACE": ch.isspace(),
        "CATEGORY_WORD": ch.isalnum() or ch == "_",
    }
    if name in tests:
        return tests[name]
    if name.startswith("CATEGORY_NOT_") and "CATEGORY_" + name[13:] in tests:
        return not tests["CATEGORY_" + name[13:]]
    raise NotAnalysable(name)


def string_of_length(pattern: str, length: int) -> str | None:
    """A string of ``length`` characters that fully matches ``pattern``, or None when no
    such string exists; raises :class:`NotAnalysable` for constructs not handled."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise NotAnalysable(str(exc)) from None
    if parsed.state.flags & ~(re.UNICODE | getattr(re, "TEMPLATE", 0)):
        raise NotAnalysable("flags")
    builder = _Builder(length)
    items = list(parsed)
    if not builder.seq(items) >> length & 1:
        return None
    value = builder.build_seq(items, length)
    if len(value) != length or re.fullmatch(pattern, value) is None:
        raise NotAnalysable("built value does not match")  # e.g. an anchor inside the pattern
    return value
