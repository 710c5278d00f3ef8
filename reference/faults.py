"""Named fault switches the reference endpoint can be told to run with (``faults.toml``).

Three kinds. A *deviation* is a small, documented departure from the specs; each belongs to
exactly one of the suite's check categories, so a conformance run against the reference started
with that fault should be caught by checks of that category. A *condition* is something a real
endpoint does within the specs (throttling, a flaky network); no check should fail because of
it, and it takes a value: ``NAME=RATE``, the fraction of requests it affects. An *outage* is a
target that goes away: ``NAME=N``, after N requests; it lets tests break a target at a
request count instead of on a timer.

The switches are data (``faults.toml``), read once at import; :func:`known_fault` and
:func:`known_faults` refuse a name the file does not list.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..records.categories import CATEGORIES as CATEGORIES  # re-exported
from ..specs.editions import editions
from ..specs.loader import load_service
from .names import check_edition, known, read_entries

FaultKind = Literal["deviation", "condition", "outage"]
FAULTS_FILE = Path(__file__).with_name("faults.toml")
#: The value of a switch that takes a documented error code (``misreport=CODE``).
ERROR_CODE = "error-code"
#: The value of a switch that takes a request count (``stop-answering=N``).
COUNT = "count"


@dataclass(frozen=True)
class Fault:
    """One fault switch: its name, the check category meant to catch it, and what it does.

    Conditions have no category (nothing should catch them) and a default rate; outages have
    neither, and take a request count. ``value`` is ``error-code`` for a switch named with a
    documented error code, ``count`` for an outage's; ``edition`` names the
    edition whose document states the rule it breaks, when earlier ones lack the operations.
    """

    name: str
    category: str | None
    description: str
    kind: FaultKind = "deviation"
    default: float | None = None
    value: str | None = None
    edition: str | None = None

    @property
    def usage(self) -> str:
        """How to name the fault on a command line, e.g. ``throttling[=RATE]``."""
        if self.value == ERROR_CODE:
            return f"{self.name}=ERROR_CODE"
        if self.kind == "outage":
            return f"{self.name}=N"
        return f"{self.name}[=RATE]" if self.kind == "condition" else self.name


def _fault(path: Path, raw: dict[str, Any]) -> Fault:
    kind = raw.get("kind", "deviation")
    category, default = raw.get("category"), raw.get("default")
    where = f"{path}: fault {raw['name']!r}"
    if kind == "deviation" and (category not in CATEGORIES or default is not None):
        raise ValueError(f"{where}: a deviation needs a check category and no default")
    if kind == "condition" and (category is not None or not isinstance(default, float)):
        raise ValueError(f"{where}: a condition needs a default rate and no category")
    if kind == "outage" and (category, default, raw.get("value")) != (None, None, COUNT):
        raise ValueError(f"{where}: an outage takes a count, and no category or default")
    values = (None, COUNT) if kind == "outage" else (None, ERROR_CODE)
    if kind not in ("deviation", "condition", "outage") or raw.get("value") not in values:
        raise ValueError(f"{where}: kind or value not understood")
    return Fault(
        raw["name"],
        category,
        raw["description"],
        kind,
        default,
        raw.get("value"),
        check_edition(path, raw),
    )


def load_faults(path: Path = FAULTS_FILE) -> dict[str, Fault]:
    """Read the fault switches, by name (``ValueError`` names a malformed entry)."""
    entries = read_entries(path, "fault", ("name", "description"))
    return {raw["name"]: _fault(path, raw) for raw in entries}


#: Every fault switch, by name.
FAULTS: dict[str, Fault] = load_faults()

#: Deviations that name the documented error they break: ``misreport=EmptyUploadException``
#: answers that error with another code (BadRequestException), everywhere it is raised.
CODE_FAULTS = {
    name: (f.category, f.description) for name, f in FAULTS.items() if f.value == ERROR_CODE
}
#: The code a misreported error is answered with (documented nowhere).
MISREPORTED_AS = "BadRequestException"

#: Default rate of a condition named without a value.
DEFAULT_RATE = 0.3


def known_fault(name: str) -> str:
    """Return ``name`` if it is a fault switch; :class:`~.names.UnknownName` otherwise."""
    return known(name, FAULTS, "fault")


def known_faults(names: Iterable[str]) -> frozenset[str]:
    """The names as a set, each checked by :func:`known_fault` (for the code's own sets)."""
    return frozenset(known_fault(n) for n in names)


def _known() -> str:
    return "known faults: " + ", ".join(FAULTS[n].usage for n in sorted(FAULTS))


def _code(name: str, raw: str) -> str:

    if not any(raw in load_service(e.name).errors for e in editions()):
        raise ValueError(f"fault {name}: {raw!r} is not an error code of the specs; {_known()}")
    return raw


def _rate(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:  # also false for nan
        raise ValueError(f"fault {name}: {raw!r} is not a rate between 0 and 1; {_known()}")
    return value


def _count(name: str, raw: str) -> float:
    if not raw.isdigit():
        raise ValueError(f"fault {name}: {raw!r} is not a request count (0 or more); {_known()}")
    return float(int(raw))


def _value(fault: Fault, spec: str, eq: str, raw: str) -> float | None:
    if fault.kind == "deviation":
        if eq:
            raise ValueError(f"fault {fault.name} takes no value (got {spec!r}); {_known()}")
        return None
    if not eq and fault.kind == "outage":
        raise ValueError(f"fault {fault.name} needs a request count ({fault.usage}); {_known()}")
    if not eq:
        return fault.default
    if not raw:
        raise ValueError(f"fault {fault.name}: missing value after '='; {_known()}")
    return _count(fault.name, raw) if fault.kind == "outage" else _rate(fault.name, raw)


def parse_faults(specs: Iterable[str]) -> dict[str, float | None]:
    """Parse ``NAME`` or ``NAME=VALUE`` specs into name -> value (None for a deviation).

    A condition named without a value gets its default rate; an outage needs its count.
    ``ValueError`` gives a one-line reason listing the known faults: an unknown name, a value
    for a deviation, a missing or invalid value, or one switch given two different values.
    """
    out: dict[str, float | None] = {}
    for spec in specs:
        name, eq, raw = spec.strip().partition("=")
        name, raw = name.strip(), raw.strip()
        fault = FAULTS.get(name)
        if fault is None:
            raise ValueError(f"unknown fault {name or spec!r}; {_known()}")
        if fault.value == ERROR_CODE:
            out[f"{name}={_code(name, raw)}"] = None
            continue
        value = _value(fault, spec.strip(), eq, raw)
        if name in out and out[name] != value:
            raise ValueError(f"fault {name} given twice with different values; {_known()}")
        out[name] = value
    return out


def check_faults(specs: Iterable[str]) -> frozenset[str]:
    """Validate fault specs (see :func:`parse_faults`) and return the names that are on."""
    return frozenset(parse_faults(specs))


def condition_rates(values: Mapping[str, float | None]) -> dict[str, float]:
    """The values among parsed fault values: conditions' rates and outages' request counts."""
    valued = ("condition", "outage")
    return {k: v for k, v in values.items() if v is not None and FAULTS[k].kind in valued}
