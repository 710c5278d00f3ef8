"""Known gaps of a target, as data: each becomes a strict xfail until it expires.

The file is TOML, one ``[[expected]]`` table per gap::

    [[expected]]
    operation = "CreateRepository"          # an operation name, "endpoint", or "*"
    # or: operations = ["CreateRepository", "DeleteRepository"]
    check = "invalid_request_rejected"      # a check id, or "*"
    reason = "maxLength of repositoryName not enforced yet"
    link = "https://example.org/issues/42"  # optional
    expires = 2027-03-31                    # optional; afterwards the case counts as failed again
    cause = "expected ...; got ..."         # optional: the cause the entry was written for

A listed case that fails is reported ``xfailed``; one that passes is ``xpassed`` and fails the
run (strict), so a fixed gap is noticed and its entry removed. Entries naming an unknown
operation or check are an error, so the file cannot silently rot.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


from ...records import ENDPOINT


class ExpectedFailuresError(Exception):
    """The expected-failures file is unreadable or names something that does not exist."""


@dataclass(frozen=True)
class Expected:
    """One known gap."""

    operation: str
    check: str
    reason: str
    link: str = ""
    expires: date | None = None
    operations: tuple[str, ...] = ()
    cause: str = ""

    def matches(self, operation: str, check: str) -> bool:
        """True when this entry covers the (operation, check) case."""
        ops_match = (
            operation in self.operations
            if self.operations
            else (self.operation in ("*", operation))
        )
        return ops_match and self.check in ("*", check)

    def expired(self, today: date | None = None) -> bool:
        """True once the expiry date has passed."""
        return self.expires is not None and (today or date.today()) > self.expires


def load_expected(path: Path, operations: set[str], checks: set[str]) -> list[Expected]:
    """Read and validate an expected-failures file."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ExpectedFailuresError(f"{path}: {exc}") from exc
    out = []
    for n, entry in enumerate(data.get("expected", []), start=1):
        where = f"{path}: entry {n}"
        many = entry.get("operations")
        if many is not None:
            if not isinstance(many, list) or not many or not all(isinstance(o, str) for o in many):
                raise ExpectedFailuresError(f"{where}: 'operations' must be a list of names")
            if "operation" in entry:
                raise ExpectedFailuresError(f"{where}: give 'operation' or 'operations', not both")
            entry = {**entry, "operation": many[0]}
        for key in ("operation", "check", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise ExpectedFailuresError(f"{where}: '{key}' (a non-empty string) is required")
        for name in many or [entry["operation"]]:
            if name not in operations | {"*", ENDPOINT}:
                raise ExpectedFailuresError(f"{where}: unknown operation {name!r}")
        if entry["check"] not in checks | {"*"}:
            raise ExpectedFailuresError(f"{where}: unknown check {entry['check']!r}")
        expires = entry.get("expires")
        if expires is not None and not isinstance(expires, date):
            raise ExpectedFailuresError(f"{where}: 'expires' must be a TOML date (2027-03-31)")
        out.append(
            Expected(
                entry["operation"],
                entry["check"],
                entry["reason"],
                entry.get("link", ""),
                expires,
                tuple(many or ()),
                entry.get("cause", ""),
            )
        )
    return out


@dataclass(frozen=True)
class Gap:
    """One cause a run saw failing: the check, its operations, and the cause text."""

    check: str
    operations: tuple[str, ...]
    cause: str


def _toml(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def render_expected(gaps: list[Gap], previous: list[Expected], header: str) -> str:
    """The expected-failures file for ``gaps``: one entry per cause, reasons, links and expiry
    dates kept from the ``previous`` entry that covered the same check and operations."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()] + [""]
    for gap in gaps:
        kept = next(
            (
                e
                for e in previous
                if e.check in (gap.check, "*")
                and all(e.matches(o, gap.check) for o in gap.operations)
            ),
            None,
        )
        lines.append("[[expected]]")
        if len(gap.operations) == 1:
            lines.append(f"operation = {_toml(gap.operations[0])}")
        else:
            lines.append("operations = [" + ", ".join(_toml(o) for o in gap.operations) + "]")
        lines.append(f"check = {_toml(gap.check)}")
        lines.append(f"reason = {_toml(kept.reason if kept else gap.cause)}")
        lines.append(f"cause = {_toml(gap.cause)}")
        if kept and kept.link:
            lines.append(f"link = {_toml(kept.link)}")
        if kept and kept.expires:
            lines.append(f"expires = {kept.expires.isoformat()}")
        lines.append("")
    return "\n".join(lines)
