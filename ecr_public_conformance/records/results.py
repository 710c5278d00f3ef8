"""What the checks produce: the spec fact a failure violates, the failure, and the verdict of
one check on one operation.

Plain frozen records (see :mod:`.codec` for their JSON form), so they cross pytest-xdist
workers and shards unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from .codec import bounded
from .status import Level, Scope, Status

#: The pseudo-operation of checks about the endpoint as a whole (one result per run).
ENDPOINT = "endpoint"


@dataclass(frozen=True)
class SpecFact:
    """The spec fact a failure violates, with the document line that states it (if any)."""

    operation: str
    member: str | None
    constraint: str
    provenance: str
    doc_line: int | None = None
    quote: str = ""


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

    __json_extra__ = ("cause",)
    #: Readers accept further members (a newer writer's), so the object is open.
    __json_open__ = True

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


@dataclass(frozen=True)
class EntryOutcome:
    """What a catalogue-driven check found for one catalogue entry (a documented behaviour)."""

    id: str
    status: Status
    reason: str = ""


#: Which side of a constraint a value was on: inside the bounds, or breaking the constraint.
Side = Literal["valid", "invalid"]


@dataclass(frozen=True)
class Tried:
    """Values a check sent for one constraint of one input member and judged, on one side.

    ``member`` is the member's path with list items as ``[]`` (``tags[].Key``), ``constraint``
    the JSON Schema keyword (``required``, ``maxLength``, ``pattern``...), ``values`` how many.
    """

    member: str
    constraint: str
    side: Side
    values: int = bounded(1, minimum=1)


@dataclass(frozen=True)
class SetupFailure:
    """The valid preparatory request a target refused, which kept a check from running."""

    step: str
    status: int | None
    code: str | None
    message: str


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check on one operation."""

    __json_extra__ = ("id",)
    #: Readers accept further members (a newer writer's), so the object is open.
    __json_open__ = True

    operation: str
    check: str
    category: str
    level: Level
    description: str
    status: Status
    reason: str = ""
    examples: int = bounded(0, minimum=0)
    duration_s: float = bounded(0.0, minimum=0)
    failures: tuple[Failure, ...] = ()
    observed_window_s: float | None = None
    scope: Scope = "operation"
    setup_failure: SetupFailure | None = None
    entries: tuple[EntryOutcome, ...] = ()
    requests: int = bounded(0, minimum=0)
    #: The constraints whose valid or invalid values this check judged (see ``constraints``).
    tried: tuple[Tried, ...] = ()

    @property
    def id(self) -> str:
        """Stable identifier ``Operation::check`` (``endpoint::check`` for endpoint checks)."""
        return f"{self.operation}::{self.check}"
