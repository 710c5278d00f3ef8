"""Compare a replayed answer with the recorded one, modulo placeholders.

A divergence is one difference: the status, the error code, whether an error message came, a
member present on one side only, a value of another type, another value, a list of another
length, a broken equality (the recording repeats a value where the target answers a different
one, or the other way round), or a timestamp that comes clearly before one the recording has
it follow. Numbered placeholders are matched one to one within a scenario, so a target that
numbers differently but keeps every equality does not diverge.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .normalise import load_placeholders, parse_placeholder

#: Divergences kept per record (the record counts once whatever the number).
MAX_PER_RECORD = 8

#: status | error-code | message | absent | present | type | value | length | equality | order,
#: and for whole exchanges missing | extra
Kind = str


@dataclass(frozen=True)
class Divergence:
    """One difference between the recorded and the replayed answer."""

    kind: Kind
    path: str
    expected: str
    actual: str

    @property
    def message(self) -> str:
        """``repository.repositoryUri: expected present (recorded); got absent``."""
        where = f"{self.path}: " if self.path else ""
        return f"{where}expected {self.expected} (recorded); got {self.actual}"


@dataclass
class Matching:
    """The one-to-one correspondence of numbered placeholders within one scenario."""

    forward: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)
    backward: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)

    def pair(self, kind: str, recorded: int, replayed: int, where: str) -> str | None:
        """Match ``recorded`` with ``replayed``; the problem, if either is matched elsewhere."""
        known = self.forward.get((kind, recorded))
        if known is not None and known[0] != replayed:
            return f"the same value as at {known[1]}; got a different one"
        back = self.backward.get((kind, replayed))
        if back is not None and back[0] != recorded:
            return f"a value not seen before; got the value of {back[1]}"
        self.forward[(kind, recorded)] = (replayed, where)
        self.backward[(kind, replayed)] = (recorded, where)
        return None

    def learn(self, template: Any, where: str) -> None:
        """Match the placeholders of a request template (the same on both sides) with
        themselves."""
        for value in _strings(template):
            for kind, number in _numbered(value):
                self.pair(kind, number, number, where)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


_NUMBERED = re.compile(r"<([a-z-]+):([0-9]+)[ >]")


def _numbered(text: str) -> list[tuple[str, int]]:
    return [(m.group(1), int(m.group(2))) for m in _NUMBERED.finditer(text)]


def _unnumbered(text: str) -> str:
    return re.sub(r"<([a-z-]+):[0-9]+( [^>]*)?>", r"<\1\2>", text)


def describe(value: Any) -> str:
    """A short text for a normalised value (placeholder numbers left out, long values cut)."""
    if isinstance(value, str):
        placeholder = parse_placeholder(value)
        if placeholder is not None:
            kind, _, offset = placeholder
            return f"a {kind}" + (f" {offset}" if offset else "")
        text = _unnumbered(json.dumps(value))
    else:
        text = _unnumbered(json.dumps(value, sort_keys=True))
    return text if len(text) <= 80 else text[:79] + "…"


def type_name(value: Any) -> str:
    """The JSON type of a normalised value, placeholders named by their kind."""
    placeholder = parse_placeholder(value)
    if placeholder is not None:
        return placeholder[0]
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "object"


def _answer(response: Mapping[str, Any]) -> str:
    status = response.get("status")
    if "error" in response:
        return f"HTTP {status} {response.get('error') or 'without an error type'}"
    return f"HTTP {status}"


@dataclass
class Comparison:
    """Compares the records of one scenario with their replays, in order (``stamps``: the
    replayed value of each numbered timestamp, to check the recorded order)."""

    matching: Matching = field(default_factory=Matching)
    stamps: Mapping[int, float] = field(default_factory=dict)
    #: Seconds a timestamp may come before the one it is recorded not to precede.
    tolerance: float = field(default_factory=lambda: load_placeholders().order_tolerance_s)

    def answers(
        self, recorded: Mapping[str, Any], replayed: Mapping[str, Any], where: str
    ) -> list[Divergence]:
        """Every divergence of ``replayed`` from ``recorded`` (at most MAX_PER_RECORD)."""
        out: list[Divergence] = []
        if recorded.get("status") != replayed.get("status"):
            out.append(Divergence("status", "", _answer(recorded), _answer(replayed)))
        rec_error, rep_error = "error" in recorded, "error" in replayed
        if rec_error or rep_error:
            if rec_error and rep_error and recorded.get("error") != replayed.get("error"):
                out.append(
                    Divergence(
                        "error-code",
                        "",
                        str(recorded.get("error") or "no error type"),
                        str(replayed.get("error") or "no error type"),
                    )
                )
            elif rec_error and rep_error and recorded.get("message") != replayed.get("message"):
                out.append(
                    Divergence(
                        "message",
                        "",
                        "an error message" if recorded.get("message") else "no error message",
                        "an error message" if replayed.get("message") else "no error message",
                    )
                )
            elif rec_error != rep_error and not out:
                out.append(Divergence("status", "", _answer(recorded), _answer(replayed)))
            return out[:MAX_PER_RECORD]
        if out:
            return out
        self.value(recorded.get("body"), replayed.get("body"), "", where, out)
        return out[:MAX_PER_RECORD]

    def value(self, rec: Any, rep: Any, path: str, where: str, out: list[Divergence]) -> None:
        """Compare two normalised values at ``path``, appending what diverges to ``out``."""
        if len(out) >= MAX_PER_RECORD:
            return
        rec_p, rep_p = parse_placeholder(rec), parse_placeholder(rep)
        if rec_p is not None or rep_p is not None:
            self._placeholders(rec, rep, rec_p, rep_p, path, where, out)
            return
        if type_name(rec) != type_name(rep) and not (
            isinstance(rec, (int, float)) and isinstance(rep, (int, float))
        ):
            out.append(Divergence("type", path, f"a {type_name(rec)}", f"a {type_name(rep)}"))
            return
        if isinstance(rec, dict):
            for key in sorted(set(rec) | set(rep)):
                sub = f"{path}.{key}" if path else key
                if key not in rep:
                    out.append(Divergence("absent", sub, "present", "absent"))
                elif key not in rec:
                    shown = "present (null)" if rep[key] is None else "present"
                    out.append(Divergence("present", sub, "absent", shown))
                else:
                    self.value(rec[key], rep[key], sub, where, out)
            return
        if isinstance(rec, list):
            if len(rec) != len(rep):
                out.append(Divergence("length", path, f"{len(rec)} items", f"{len(rep)} items"))
            for i, (a, b) in enumerate(zip(rec, rep, strict=False)):
                self.value(a, b, f"{path}[{i}]", where, out)
            return
        if isinstance(rec, str) and isinstance(rep, str):
            self._text(rec, rep, path, where, out)
            return
        if rec != rep:
            out.append(Divergence("value", path, describe(rec), describe(rep)))

    def _text(self, rec: str, rep: str, path: str, where: str, out: list[Divergence]) -> None:
        """Strings with placeholders inside: equal modulo the numbering, and numbered alike."""
        if _unnumbered(rec) != _unnumbered(rep):
            out.append(Divergence("value", path, describe(rec), describe(rep)))
            return
        for (kind, a), (_, b) in zip(_numbered(rec), _numbered(rep), strict=True):
            problem = self.matching.pair(kind, a, b, f"{where} {path}")
            if problem is not None:
                expected, _, actual = problem.partition("; got ")
                out.append(Divergence("equality", path, f"<{kind}> {expected}", actual))
                return

    def _placeholders(
        self,
        rec: Any,
        rep: Any,
        rec_p: tuple[str, int | None, str | None] | None,
        rep_p: tuple[str, int | None, str | None] | None,
        path: str,
        where: str,
        out: list[Divergence],
    ) -> None:
        if rec_p is None or rep_p is None or rec_p[0] != rep_p[0]:
            out.append(Divergence("type", path, f"a {type_name(rec)}", f"a {type_name(rep)}"))
            return
        kind, a, rec_detail = rec_p
        _, b, rep_detail = rep_p
        rec_detail, after = _after(rec_detail)
        rep_detail, _ = _after(rep_detail)
        if rec_detail != rep_detail:
            out.append(Divergence("value", path, describe(rec), describe(rep)))
            return
        if a is not None and b is not None:
            problem = self.matching.pair(kind, a, b, f"{where} {path}")
            if problem is not None:
                expected, _, actual = problem.partition("; got ")
                out.append(Divergence("equality", path, expected, actual))
            elif after is not None:
                self._order(after, b, path, out)

    def _order(self, after: int, replayed: int, path: str, out: list[Divergence]) -> None:
        """The recording has this timestamp clearly after timestamp ``after``: the replayed
        one must not come before the value matched with it."""
        known = self.matching.forward.get(("timestamp", after))
        if known is None or replayed not in self.stamps or known[0] not in self.stamps:
            return
        if self.stamps[replayed] < self.stamps[known[0]] - self.tolerance:
            earlier = f"{self.stamps[known[0]] - self.stamps[replayed]:.3f} s"
            out.append(
                Divergence(
                    "order", path, f"not before the timestamp at {known[1]}", f"{earlier} before it"
                )
            )


def _after(detail: str | None) -> tuple[str | None, int | None]:
    """A timestamp's detail without its ``after:N`` part, and N."""
    if detail is None or " after:" not in detail:
        return detail, None
    offset, _, number = detail.partition(" after:")
    return offset, int(number)
