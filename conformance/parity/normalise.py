"""Turn the exchanges of one scenario into records that another run can be compared with.

Requests become templates and responses normalised answers: every run-specific value (names
under the run's prefix, account ids, digests, upload ids, ARNs, tokens, timestamps) is replaced
by a typed placeholder, numbered within the scenario so that equalities survive. What is
run-specific is decided by walking each value along the operation's input or output shape
(shape kinds and names, see ``placeholders.toml``), and inside free strings by the patterns of
that file. Error answers keep their status, code and whether a message was present: messages
are free text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...specs import Operation, Service, Shape, load_service
from ...wire import Exchange

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = Path(__file__).with_name("placeholders.toml")
#: A placeholder: ``<kind>``, ``<kind:N>``, or either with a detail after a space: the offset of
#: a timestamp (``<timestamp:2 now>``), the size of a blob or the length and hash of a long text.
PLACEHOLDER = re.compile(r"^<(?P<kind>[a-z-]+)(?::(?P<n>[0-9]+))?(?: (?P<detail>[^>]+))?>$")
PREFIX = "<prefix>"
ACCOUNT = "<account>"
ALIAS = "<alias>"


@dataclass(frozen=True)
class Placeholders:
    """The data of ``placeholders.toml``: what the specs cannot say about recorded values."""

    shapes: Mapping[str, str]
    alias_shapes: frozenset[str]
    arn_resources: Mapping[str, str]
    patterns: Mapping[str, re.Pattern[str]]
    message_members: tuple[str, ...]
    identity: tuple[str, ...]
    owner: str
    long_text: int
    order_tolerance_s: float


@functools.cache
def load_placeholders(path: Path = DATA) -> Placeholders:
    """Read ``placeholders.toml``."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    shapes = dict(data["shapes"])
    return Placeholders(
        shapes={k: v for k, v in shapes.items() if isinstance(v, str)},
        alias_shapes=frozenset(shapes.get("alias_shapes", ())),
        arn_resources=dict(data["arn_resources"]),
        patterns={k: re.compile(v) for k, v in data["patterns"].items()},
        message_members=tuple(data["error"]["message_members"]),
        identity=tuple(data["items"]["identity"]),
        owner=str(data["items"]["owner"]),
        long_text=int(data["limits"]["long_text"]),
        order_tolerance_s=float(data["limits"]["order_tolerance_s"]),
    )


@dataclass
class RunValues:
    """What is particular to one run on one target: its name prefix, the scenario's own
    prefix (items of other scenarios or owners are left out of listings), the repositories
    the scenario created, and the target's account ids and registry aliases."""

    prefix: str
    scenario_prefix: str = ""
    created: frozenset[str] = frozenset()
    accounts: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)

    def owns(self, name: str) -> bool:
        """Whether a listed repository belongs to the scenario (else it is left out)."""
        return name.startswith(self.scenario_prefix or self.prefix) or name in self.created

    def learn(self, exchanges: Iterable[Exchange]) -> None:
        """Add the account ids the answers' ARNs name (before they are replaced)."""
        arn = load_placeholders().patterns["arn"]
        for ex in exchanges:
            for found in arn.findall(ex.text or ""):
                account = found.split(":")[4]
                if len(account) == 12 and account.isdigit():
                    self.accounts.add(account)


@dataclass(frozen=True)
class Normalised:
    """One exchange as a record holds it: the request template and the normalised answer."""

    operation: str
    request: Any
    response: dict[str, Any]


def offset_text(seconds: float) -> str:
    """A coarse distance from the request: ``now`` (within 15 minutes), ``now+30m``,
    ``now+12h``, ``now-3d``."""
    size = abs(seconds)
    sign = "+" if seconds >= 0 else "-"
    if size < 15 * 60:
        return "now"
    if size < 2 * 3600:
        return f"now{sign}{round(size / 900) * 15}m"
    if size < 2 * 86400:
        return f"now{sign}{round(size / 3600)}h"
    return f"now{sign}{round(size / 86400)}d"


class ScenarioNormaliser:
    """Normalises the exchanges of one scenario, numbering each kind of value as it appears."""

    def __init__(self, values: RunValues, service: Service | None = None) -> None:
        self.values = values
        self.service = service or load_service()
        self.data = load_placeholders()
        self._numbers: dict[str, dict[Any, int]] = {}
        self._dry = False
        self._sent_at = 0.0
        #: The value of each numbered timestamp (``<timestamp:N ...>``).
        self.stamps: dict[int, float] = {}
        self._accounts = sorted(values.accounts, key=len, reverse=True)

    # ------------------------------------------------------------------ numbering

    def number(self, kind: str, key: Any) -> int:
        """The number of ``key`` among this scenario's values of ``kind`` (1 for the first;
        0 for a value not numbered yet while list items are being ordered)."""
        seen = self._numbers.setdefault(kind, {})
        if key not in seen:
            if self._dry:
                return 0
            seen[key] = len(seen) + 1
        return seen[key]

    def _placeholder(self, kind: str, key: Any) -> str:
        return f"<{kind}:{self.number(kind, key)}>"

    # ------------------------------------------------------------------ strings

    def _arn(self, text: str) -> str:
        resource = text.split(":", 5)[-1].split("/", 1)[0]
        kind = self.data.arn_resources.get(resource, "arn")
        return self._placeholder(kind, text)

    def text(self, text: str) -> str:
        """A free string with every run-specific part replaced."""
        p = self.data.patterns
        out = p["arn"].sub(lambda m: self._arn(m.group(0)), text)
        out = p["digest"].sub(lambda m: self._placeholder("digest", m.group(0)), out)
        out = p["uuid"].sub(lambda m: self._placeholder("uuid", m.group(0).lower()), out)
        if self.values.prefix:
            out = out.replace(self.values.prefix, PREFIX)
        for account in self._accounts:
            out = re.sub(rf"(?<![0-9]){re.escape(account)}(?![0-9])", ACCOUNT, out)
        if len(out) > self.data.long_text:
            digest = hashlib.sha256(out.encode("utf-8", "surrogatepass")).hexdigest()[:12]
            return f"<text {len(out)}:{digest}>"
        return out

    def _typed(self, shape: Shape, value: str) -> str:
        kind = self.data.shapes.get(shape.name or "")
        p = self.data.patterns
        if kind == "token":
            return "<token>" if value else value
        if kind == "digest" and p["digest"].fullmatch(value):
            return self._placeholder("digest", value)
        if kind == "uuid" and p["uuid"].fullmatch(value):
            return self._placeholder("uuid", value.lower())
        if kind == "arn" and value.startswith("arn:"):
            return self._arn(value)
        out = self.text(value)
        if shape.name in self.data.alias_shapes:
            for alias in sorted(self.values.aliases, key=len, reverse=True):
                out = re.sub(
                    rf"(?<![A-Za-z0-9._-]){re.escape(alias)}(?![A-Za-z0-9._-])", ALIAS, out
                )
        return out

    # ------------------------------------------------------------------ values

    def generic(self, value: Any) -> Any:
        """A value no shape describes: strings are replaced part by part, containers walked."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.generic(value[k]) for k in sorted(value)}
        if isinstance(value, list):
            return [self.generic(v) for v in value]
        return value

    def value(
        self,
        shape: Shape | None,
        value: Any,
        response: bool,
        member: str = "",
        entity: str = "",
    ) -> Any:
        """``value`` of ``shape`` with its run-specific parts replaced (``response``: items
        that are not the scenario's are left out of lists, timestamps are placeholders)."""
        if shape is None:
            return self.generic(value)
        kind = shape.kind
        if kind == "structure" and isinstance(value, dict):
            return self._structure(shape, value, response)
        if kind == "list" and isinstance(value, list) and shape.item is not None:
            if not response:
                return [self.value(shape.item, v, response) for v in value]
            items = [v for v in value if not self._foreign(v)]
            return [self.value(shape.item, v, response) for v in self._ordered(shape.item, items)]
        if kind == "timestamp" and _number(value):
            offset = offset_text(float(value) - self._sent_at)
            if not entity:
                return f"<timestamp {offset}>"
            n = self.number("timestamp", (member, entity, value))
            if n and not self._dry:
                self.stamps.setdefault(n, float(value))
            return f"<timestamp:{n} {offset}>"
        if kind == "blob" and isinstance(value, str):
            return f"<blob {len(value)}>"
        if kind == "string" and isinstance(value, str):
            return self._typed(shape, value)
        return self.generic(value)

    def _structure(self, shape: Shape, value: dict[str, Any], response: bool) -> dict[str, Any]:
        members = {m.name: m.shape for m in shape.members}
        entity = ""
        for name in self.data.identity:
            if name in value and isinstance(value[name], str):
                entity = f"{name}={self.value(members.get(name), value[name], response)}"
                break
        return {
            k: self.value(members.get(k), value[k], response, member=k, entity=entity)
            for k in sorted(value)
        }

    def _ordered(self, item: Shape, items: list[Any]) -> list[Any]:
        """The items of a listed answer in a canonical order: by their normalised form, values
        not numbered yet left out. Listing order is a freedom, and a target that orders by a
        run-specific value (a digest of named content) would otherwise order differently on
        every run; numbering then follows this order, so it does not depend on the target's."""
        if len(items) < 2:
            return items
        dry, self._dry = self._dry, True
        try:
            keys = [json.dumps(self.value(item, v, True), sort_keys=True) for v in items]
        finally:
            self._dry = dry
        return [v for _, v in sorted(zip(keys, items, strict=True), key=lambda pair: pair[0])]

    def _foreign(self, item: Any) -> bool:
        if not isinstance(item, dict):
            return False
        owner = item.get(self.data.owner)
        return isinstance(owner, str) and not self.values.owns(owner)

    # ------------------------------------------------------------------ exchanges

    def request(self, ex: Exchange) -> Any:
        """The request of ``ex`` as a template."""
        body = ex.request_body
        if isinstance(body, str):
            return self.text(body)
        return self.value(self.service.operation(ex.operation).input, body, response=False)

    def response(self, ex: Exchange, sent_at: float) -> dict[str, Any]:
        """The answer of ``ex``: status, then the error code and whether a message came, or
        the normalised body."""
        out: dict[str, Any] = {"status": ex.status}
        if not ex.ok:
            body = ex.json if isinstance(ex.json, dict) else {}
            out["error"] = ex.error_code
            out["message"] = any(
                isinstance(body.get(m), str) and body.get(m) for m in self.data.message_members
            )
            return out
        if ex.json is None:
            out["body"] = f"<not json:{len(ex.text)}>" if ex.text else None
            return out
        self._sent_at = sent_at
        out["body"] = self.value(_output(self.service, ex.operation), ex.json, response=True)
        return out


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _output(service: Service, operation: str) -> Shape | None:
    try:
        op: Operation = service.operation(operation)
    except KeyError:
        return None
    return op.output


def normalise_scenario(
    exchanges: Sequence[Exchange],
    sent_at: Sequence[float],
    values: RunValues,
    stamps: dict[int, float] | None = None,
) -> list[Normalised]:
    """Normalise one scenario's exchanges: every request first (so templates do not depend on
    the answers), then every answer; numbered timestamps then say which one they do not come
    before (``stamps``, when given, receives each one's value)."""
    values.learn(exchanges)
    n = ScenarioNormaliser(values)
    requests = [n.request(ex) for ex in exchanges]
    out = [
        Normalised(ex.operation, request, n.response(ex, at))
        for ex, at, request in zip(exchanges, sent_at, requests, strict=True)
    ]
    if stamps is not None:
        stamps.update(n.stamps)
    after = order_facts(n.stamps, load_placeholders().order_tolerance_s)
    if not after:
        return out
    return [Normalised(x.operation, x.request, _with_order(x.response, after)) for x in out]


def order_facts(stamps: Mapping[int, float], tolerance: float) -> dict[int, int]:
    """For each numbered timestamp but the first, the one numbered before it, when it does not
    come more than ``tolerance`` seconds before that one: ``{2: 1}`` records that timestamp 2
    is not earlier than timestamp 1.

    The scenario makes its items in the same order on every target, so the order of their
    times is the same on any target that keeps time; the tolerance covers two times one
    request sets (a tag's createdAt and its image's imagePushedAt), which may fall either side
    of a millisecond, so that a recording does not depend on that.
    """
    return {n: n - 1 for n in stamps if n - 1 in stamps and stamps[n] >= stamps[n - 1] - tolerance}


_STAMP = re.compile(r"^<timestamp:([0-9]+) ([^>]+)>$")


def _with_order(value: Any, after: Mapping[int, int]) -> Any:
    if isinstance(value, str):
        m = _STAMP.match(value)
        if m and int(m.group(1)) in after:
            return f"<timestamp:{m.group(1)} {m.group(2)} after:{after[int(m.group(1))]}>"
        return value
    if isinstance(value, dict):
        return {k: _with_order(v, after) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_order(v, after) for v in value]
    return value


def parse_placeholder(value: Any) -> tuple[str, int | None, str | None] | None:
    """``(kind, number, detail)`` of a placeholder string, or None for any other value."""
    if not isinstance(value, str):
        return None
    m = PLACEHOLDER.match(value)
    if m is None:
        return None
    number = m.group("n")
    return m.group("kind"), (int(number) if number else None), m.group("detail")
