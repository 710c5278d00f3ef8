"""Known gaps of a target, as data: each becomes a strict xfail until it expires.

The file is TOML, one ``[[expected]]`` table per gap::

    [[expected]]
    operation = "CreateRepository"          # an operation name, "endpoint", or "*"
    check = "invalid_request_rejected"      # a check id, or "*"
    reason = "maxLength of repositoryName not enforced yet"
    link = "https://example.org/issues/42"  # optional
    expires = 2027-03-31                    # optional; afterwards the case counts as failed again

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


from .records import ENDPOINT


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

    def matches(self, operation: str, check: str) -> bool:
        """True when this entry covers the (operation, check) case."""
        return self.operation in ("*", operation) and self.check in ("*", check)

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
        for key in ("operation", "check", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise ExpectedFailuresError(f"{where}: '{key}' (a non-empty string) is required")
        if entry["operation"] not in operations | {"*", ENDPOINT}:
            raise ExpectedFailuresError(f"{where}: unknown operation {entry['operation']!r}")
        if entry["check"] not in checks | {"*"}:
            raise ExpectedFailuresError(f"{where}: unknown check {entry['check']!r}")
        expires = entry.get("expires")
        if expires is not None and not isinstance(expires, date):
            raise ExpectedFailuresError(f"{where}: 'expires' must be a TOML date (2027-03-31)")
        out.append(
            Expected(
                entry["operation"], entry["check"], entry["reason"], entry.get("link", ""), expires
            )
        )
    return out
