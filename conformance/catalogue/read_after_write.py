"""The read-after-write pairs as data (``read_after_write.toml``): a write, the read that must
observe it, and what the read's answer shows, in the behaviour catalogue's own language
(templates and path predicates, evaluated by :mod:`.scenarios`)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...specs import load_service
from ..harness.env import CheckEnv
from ..harness.resources import World
from ..harness.semantics import policy_text
from .behaviours import Assertion, CatalogueError, assertions
from .scenarios import CONDITIONS, fill, found_at, holds

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PAIRS = Path(__file__).with_name("read_after_write.toml")
KEYS = frozenset({"request", "read", "read_request", "checks", "when"})


@dataclass(frozen=True)
class ReadAfterWrite:
    """A write, the read that must observe it, and how the read's answer shows it did."""

    write: str
    request: dict[str, Any]
    read: str
    read_request: dict[str, Any]
    checks: tuple[Assertion, ...]
    #: Catalogue conditions without which the write is not documented to be kept.
    when: tuple[str, ...] = ()

    def not_applicable(self, env: CheckEnv) -> str:
        """Why the pair does not apply to the target ("" when it does)."""
        return next((why for c in self.when if (why := CONDITIONS[c](env))), "")

    def observed(self, body: Any, lookup: Callable[[str], Any]) -> bool:
        """True when the read's answer shows the write (every check holds)."""
        return all(
            holds(a, found_at(body, a.path), fill(a.value, lookup), 0.0) for a in self.checks
        )


def _scratch(env: CheckEnv, write: str) -> World:
    """The scratch repository of one write's pair (made once per write operation)."""
    return env.resources.scratch(f"consistency-{write}")


#: How each value a pair's templates name is made, from the run's environment, the write
#: operation and the nonce (a fresh name under the run's prefix).
VALUES: dict[str, Callable[[CheckEnv, str, str], Any]] = {
    "nonce": lambda env, write, nonce: nonce,
    "display_name": lambda env, write, nonce: nonce[:100],
    "policy": lambda env, write, nonce: policy_text(nonce),
    "repository": lambda env, write, nonce: _scratch(env, write).repository,
    "repository_arn": lambda env, write, nonce: _scratch(env, write).repository_arn,
}


def values(env: CheckEnv, write: str, nonce: str) -> Callable[[str], Any]:
    """A lookup of the pair's values, each made the first time a template names it."""
    made: dict[str, Any] = {}

    def lookup(name: str) -> Any:
        if name not in made:
            made[name] = VALUES[name](env, write, nonce)
        return made[name]

    return lookup


@functools.cache
def load_pairs(path: Path = PAIRS) -> dict[str, ReadAfterWrite]:
    """Every pair of ``read_after_write.toml`` (or ``path``), by write operation (checked
    against the specs)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    operations = load_service("newest").operations
    out = {}
    for write, table in raw.items():
        where = f"{path.name}: [{write}]"
        if set(table) - KEYS or not {"request", "read", "read_request"} <= set(table):
            raise CatalogueError(f"{where} has {sorted(table)}; keys: {sorted(KEYS)}")
        unknown = {write, table["read"]} - set(operations)
        if unknown:
            raise CatalogueError(f"{where} names no operation {sorted(unknown)}")
        if set(table.get("when", ())) - CONDITIONS.keys():
            raise CatalogueError(f"{where}: unknown condition in {table['when']}")
        pair = ReadAfterWrite(
            write,
            table["request"],
            table["read"],
            table["read_request"],
            assertions(table.get("checks", []), where),
            tuple(table.get("when", ())),
        )
        named: set[str] = set()
        fill([pair.request, pair.read_request, [a.value for a in pair.checks]], named.add)
        if named - VALUES.keys():
            raise CatalogueError(f"{where} names no value {sorted(named - VALUES.keys())}")
        out[write] = pair
    return out
