"""Plain, serialisable records of a conformance run: what the checks produce, what reports read.

They are frozen dataclasses with ``to_dict``/``from_dict`` so that they cross pytest-xdist
workers and shards as JSON unchanged. The JSON form is ``results.json`` (schema:
``reports/results.schema.json``, ``schema_version`` 1).
"""

from __future__ import annotations

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
SCHEMA_VERSION = 1


def worst(statuses: list[Status]) -> Status:
    """Return the worst status of ``statuses`` (``disabled`` for none)."""
    return max(statuses, key=STATUS_ORDER.index, default="disabled")


@dataclass(frozen=True)
class SpecFact:
    """The spec fact a failure violates."""

    operation: str
    member: str | None
    constraint: str
    provenance: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return asdict(self)


@dataclass(frozen=True)
class Failure:
    """One observed deviation, with everything needed to understand and reproduce it."""

    message: str
    spec_fact: SpecFact
    request: dict[str, Any]
    response: dict[str, Any]
    reproduce: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "message": self.message,
            "spec_fact": self.spec_fact.to_dict(),
            "request": self.request,
            "response": self.response,
            "reproduce": dict(self.reproduce),
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
        )


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

    @property
    def id(self) -> str:
        """Stable identifier ``Operation::check``."""
        return f"{self.operation}::{self.check}"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        d = asdict(self)
        d["id"] = self.id
        d["failures"] = [f.to_dict() for f in self.failures]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckResult:
        """Rebuild from the JSON form."""
        fields = {k: v for k, v in d.items() if k not in ("id", "failures")}
        return cls(**fields, failures=tuple(Failure.from_dict(f) for f in d.get("failures", ())))
