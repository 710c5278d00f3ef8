"""Valid requests bound to resources the run made (``bound_requests.toml``), so every
operation's valid requests can be judged.

A drawn valid request of an operation such as UploadLayerPart is valid by the schema and still
refused by any implementation: its upload id names no upload. The catalogue here says, per
operation, which fixtures to make (with the behaviour interpreter's ``FIXTURES``) and which
values the members whose meaning the schema cannot check take. :func:`bound_request` lays them
over a drawn request: required members always, optional ones only where the drawn request has
them (so they are also left out), and any other such member is left out.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...specs import Operation
from ..harness.env import CheckEnv
from ..harness.semantics import SEMANTIC_MEMBERS
from .behaviours import Behaviour
from .scenarios import FIXTURES, Scenario, render

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CATALOGUE = Path(__file__).with_name("bound_requests.toml")


class BindingError(ValueError):
    """The bound-requests catalogue is malformed or names something unknown."""


@dataclass(frozen=True)
class Binding:
    """How to bind one operation's valid requests: fixtures and member templates."""

    operation: str
    setup: tuple[str, ...]
    each: tuple[str, ...]
    request: dict[str, Any]


@dataclass(frozen=True)
class Bindings:
    """Every binding, and the templates of members common to many operations."""

    entries: dict[str, Binding]
    defaults: dict[str, Any]


@functools.cache
def load_bindings(path: Path = CATALOGUE) -> Bindings:
    """Read and validate the catalogue (known fixtures, one entry per operation)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BindingError(f"{path}: {exc}") from exc
    entries: dict[str, Binding] = {}
    for n, raw in enumerate(data.get("bound", []), 1):
        where = f"{path.name}: entry {n} ({raw.get('operation', '?')})"
        fixtures = [*raw.get("setup", ()), *raw.get("each", ())]
        unknown = sorted(set(fixtures) - FIXTURES.keys())
        if unknown or not isinstance(raw.get("request"), dict):
            raise BindingError(f"{where}: unknown fixtures {unknown} or no request template")
        if raw["operation"] in entries:
            raise BindingError(f"{where}: the operation is bound twice")
        entries[raw["operation"]] = Binding(
            raw["operation"],
            tuple(raw.get("setup", ())),
            tuple(raw.get("each", ())),
            raw["request"],
        )
    return Bindings(entries, dict(data.get("defaults", {})))


def unbound_semantic(op: Operation) -> list[str]:
    """The required members of ``op`` whose meaning the schema cannot check and that nothing
    binds: a valid request of ``op`` cannot be judged while there is one."""
    b = load_bindings()
    templated = set(b.entries[op.name].request) if op.name in b.entries else set()
    return [
        m.name
        for m in op.input.members
        if m.required and m.name in SEMANTIC_MEMBERS and m.name not in templated | set(b.defaults)
    ]


class Binder:
    """Makes one operation's fixtures (once, and again per request) and binds requests."""

    def __init__(self, env: CheckEnv, op: Operation) -> None:
        self.op = op
        self.binding = load_bindings().entries.get(op.name)
        self.scenario = Scenario(env, _PSEUDO.get(op.name) or _behaviour(op.name))
        for fixture in self.binding.setup if self.binding else ():
            FIXTURES[fixture](self.scenario)

    def bind(self, drawn: dict[str, Any]) -> dict[str, Any]:
        """``drawn`` with its semantic members bound (fixtures of ``each`` made anew)."""
        for fixture in self.binding.each if self.binding else ():
            FIXTURES[fixture](self.scenario)
        templates = {**load_bindings().defaults, **(self.binding.request if self.binding else {})}
        out = dict(drawn)
        for m in self.op.input.members:
            if m.name in templates and (m.required or m.name in drawn):
                out[m.name] = render(self.scenario, templates[m.name])
            elif m.name in SEMANTIC_MEMBERS and not m.required:
                out.pop(m.name, None)
        return out


_PSEUDO: dict[str, Behaviour] = {}


def _behaviour(operation: str) -> Behaviour:
    """A stand-in behaviour for the interpreter's messages (no steps, no fault)."""
    _PSEUDO[operation] = Behaviour(
        id=f"{operation}/bound-requests",
        kind="effect",
        operation=operation,
        source="overlay",
        quote="",
        setup=(),
        steps=(),
        fault="",
    )
    return _PSEUDO[operation]
