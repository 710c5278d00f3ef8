"""Plain, serialisable records of a conformance run: what the checks produce, what reports read.

They are frozen dataclasses with ``to_dict``/``from_dict`` so that they cross pytest-xdist
workers and shards as JSON unchanged. The JSON form is ``results.json`` (schema:
``reports/results.schema.json``, ``schema_version`` 2).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..categories import CATEGORIES as CATEGORIES  # re-exported

Status = Literal[
    "disabled", "skipped", "unsupported", "passed", "xfailed", "xpassed", "failed", "error"
]
Level = Literal["MUST", "SHOULD"]
#: Worst-of order used to roll statuses up (an operation's status is its worst check's).
STATUS_ORDER: tuple[Status, ...] = (
    "disabled",
    "skipped",
    "unsupported",
    "passed",
    "xfailed",
    "xpassed",
    "failed",
    "error",
)
SCHEMA_VERSION = 2
#: The pseudo-operation of checks about the endpoint as a whole (one result per run).
ENDPOINT = "endpoint"
Scope = Literal["operation", "endpoint"]


def worst(statuses: list[Status]) -> Status:
    """Return the worst status of ``statuses`` (``disabled`` for none)."""
    return max(statuses, key=STATUS_ORDER.index, default="disabled")


@dataclass(frozen=True)
class SpecFact:
    """The spec fact a failure violates, with the document line that states it (if any)."""

    operation: str
    member: str | None
    constraint: str
    provenance: str
    doc_line: int | None = None
    quote: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return asdict(self)


#: Run-specific values that must not split one cause into many (names, digests, ids, numbers
#: inside bodies): each pattern and the placeholder that replaces it.
_VARIABLE = (
    (re.compile(r"ecrconf-[a-z0-9][a-z0-9._/-]*"), "<name>"),
    (re.compile(r"sha256:[0-9a-f]{8,64}"), "<digest>"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"arn:aws:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:[^\s'\"]+"), "<arn>"),
    (re.compile(r"[A-Za-z0-9+/_=.-]{40,}"), "<token>"),
    (re.compile(r"\b\d+(\.\d+)?(?= ?(s|ms|bytes|items|characters|chars)\b)"), "<n>"),
)


def normalise_cause(text: str, operation: str = "") -> str:
    """One cause line: whitespace collapsed, run-specific values and the operation replaced."""
    flat = " ".join(text.split())
    for pattern, placeholder in _VARIABLE:
        flat = pattern.sub(placeholder, flat)
    if operation and operation != ENDPOINT:
        flat = re.sub(rf"\b{re.escape(operation)}\b", "<operation>", flat)
    return flat


@dataclass(frozen=True)
class Failure:
    """One observed deviation, with everything needed to understand and reproduce it.

    ``expected`` and ``actual`` are short texts (what the spec wants, what came back); with the
    check they make the failure's cause, which groups one behaviour seen on many operations.
    ``setup`` names the resources a reproduction needs; ``replay`` is what ``replay`` re-sends.
    """

    message: str
    spec_fact: SpecFact
    request: dict[str, Any]
    response: dict[str, Any]
    reproduce: dict[str, str] = field(default_factory=dict)
    expected: str = ""
    actual: str = ""
    setup: dict[str, Any] = field(default_factory=dict)
    replay: dict[str, Any] = field(default_factory=dict)
    #: The fact several failures share whatever check saw them ("timestamp members sent as
    #: strings"): they are then one cause, not one per check.
    root: str = ""

    @property
    def cause(self) -> str:
        """The normalised cause: the root fact, else ``expected ...; got ...`` (or the message),
        without run values."""
        if self.root:
            return normalise_cause(self.root)
        text = f"expected {self.expected}; got {self.actual}" if self.expected else self.message
        return normalise_cause(text, self.spec_fact.operation)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "message": self.message,
            "cause": self.cause,
            "expected": self.expected,
            "actual": self.actual,
            "spec_fact": self.spec_fact.to_dict(),
            "request": self.request,
            "response": self.response,
            "reproduce": dict(self.reproduce),
            "setup": dict(self.setup),
            "replay": dict(self.replay),
            "root": self.root,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Failure:
        """Rebuild from the JSON form."""
        return cls(
            message=d["message"],
            spec_fact=SpecFact(**d["spec_fact"]),
            request=d["request"],
            response=d["response"],
            reproduce=d.get("reproduce", {}),
            expected=d.get("expected", ""),
            actual=d.get("actual", ""),
            setup=d.get("setup", {}),
            replay=d.get("replay", {}),
            root=d.get("root", ""),
        )


@dataclass(frozen=True)
class EntryOutcome:
    """What a catalogue-driven check found for one catalogue entry (a documented behaviour)."""

    id: str
    status: Status
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return asdict(self)


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check on one operation."""

    operation: str
    check: str
    category: str
    level: Level
    description: str
    status: Status
    reason: str = ""
    examples: int = 0
    duration_s: float = 0.0
    failures: tuple[Failure, ...] = ()
    observed_window_s: float | None = None
    scope: Scope = "operation"
    setup_failure: dict[str, Any] | None = None
    entries: tuple[EntryOutcome, ...] = ()
    requests: int = 0

    @property
    def id(self) -> str:
        """Stable identifier ``Operation::check`` (``endpoint::check`` for endpoint checks)."""
        return f"{self.operation}::{self.check}"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        d = asdict(self)
        d["id"] = self.id
        d["failures"] = [f.to_dict() for f in self.failures]
        d["entries"] = [e.to_dict() for e in self.entries]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckResult:
        """Rebuild from the JSON form (members this version does not know are ignored)."""
        known = set(cls.__dataclass_fields__) - {"failures", "entries"}
        fields = {k: v for k, v in d.items() if k in known}
        return cls(
            **fields,
            failures=tuple(Failure.from_dict(f) for f in d.get("failures", ())),
            entries=tuple(EntryOutcome(**e) for e in d.get("entries", ())),
        )
