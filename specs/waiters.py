"""Waiters as data: what a waiter reads in its operation's answers, and the states it knows there.

A botocore waiter polls one operation and matches each answer with its acceptors: ``path``,
``pathAll`` and ``pathAny`` read a JMESPath expression of the output, ``error`` the error code.
The states a waiter knows at one expression are the acceptors' ``expected`` values for it,
together with the enum values the model declares for the member it names (a state no acceptor
names keeps the waiter polling, as ``PENDING`` does). A value outside them matches no acceptor
and belongs to no declared state. Only expressions that name members (``a.b``, with ``[]`` or
``[*]`` to step into a list) are read, with scalar expected values; an acceptor with any other
expression is left unjudged and listed as such.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .derive.service_model import WAITERS_FILE
from .editions import SOURCE_DIR
from .model import Service, Waiter

#: The matchers that read a value of the output.
PATH_MATCHERS = ("path", "pathAll", "pathAny")
_STEP = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\[\*?\])?$")
_SCALARS = (str, int, float, bool)

#: One step of a member path: the member's name, and whether it steps into a list.
Step = tuple[str, bool]


@dataclass(frozen=True)
class WaiterPath:
    """One expression a waiter reads in its operation's answers, and the states it knows there."""

    waiter: str
    operation: str
    argument: str
    steps: tuple[Step, ...]
    #: The acceptors' expected values at this expression, in the waiter's order.
    expected: tuple[Any, ...]
    #: The enum values the model declares for the member the expression names.
    enum: tuple[str, ...]
    #: Where the acceptors are written: the edition's waiters-2.json and the waiter.
    source: str

    @property
    def known(self) -> tuple[Any, ...]:
        """The acceptors' values, then the enum values no acceptor names."""
        return self.expected + tuple(v for v in self.enum if not _among(v, self.expected))

    def knows(self, value: Any) -> bool:
        """Whether ``value`` is one of the states the waiter knows here."""
        return _among(value, self.known)


def _among(value: Any, values: Sequence[Any]) -> bool:
    """JMESPath equality: true and 1 are different values."""
    return any(isinstance(value, bool) == isinstance(v, bool) and value == v for v in values)


def steps_of(argument: str) -> tuple[Step, ...] | None:
    """The member path an expression names (``a[].b`` -> (a, list), (b, not)), or None for any
    other JMESPath expression (functions, filters, indexes, literals, quoted names)."""
    steps = []
    for part in argument.split("."):
        m = _STEP.match(part.strip())
        if m is None:
            return None
        steps.append((m.group(1), m.group(2) is not None))
    return tuple(steps)


def source_of(service: Service, waiter: Waiter) -> str:
    """Where a waiter's acceptors are written (``<edition> source/waiters-2.json, waiter X``)."""
    where = f"{SOURCE_DIR}/{WAITERS_FILE}, waiter {waiter.name}"
    return f"{service.edition} {where}" if service.edition else where


def waiters_of(service: Service, operation: str) -> tuple[Waiter, ...]:
    """The edition's waiters that poll ``operation``, by name."""
    return tuple(w for _, w in sorted(service.waiters.items()) if w.operation == operation)


def _arguments(waiter: Waiter) -> list[str]:
    out: list[str] = []
    for a in waiter.acceptors:
        if a.matcher in PATH_MATCHERS and a.argument is not None and a.argument not in out:
            out.append(a.argument)
    return out


def _expected(waiter: Waiter, argument: str) -> tuple[Any, ...]:
    out: list[Any] = []
    for a in waiter.acceptors:
        if a.matcher in PATH_MATCHERS and a.argument == argument and not _among(a.expected, out):
            out.append(a.expected)
    return tuple(out)


def _readable(argument: str, expected: tuple[Any, ...]) -> bool:
    return steps_of(argument) is not None and all(isinstance(v, _SCALARS) for v in expected)


def waiter_paths(service: Service, operation: str) -> tuple[WaiterPath, ...]:
    """Every member path a waiter of ``operation`` reads, with the states it knows there."""
    op = service.operations.get(operation)
    if op is None:
        return ()
    out = []
    for waiter in waiters_of(service, operation):
        for argument in _arguments(waiter):
            expected = _expected(waiter, argument)
            steps = steps_of(argument)
            if steps is None or not _readable(argument, expected):
                continue
            member = op.output.member_at([name for name, _ in steps])
            shape = member.shape if member is not None else None
            while shape is not None and shape.kind == "list":
                shape = shape.item
            enum = shape.constraint("enum") if shape is not None else None
            out.append(
                WaiterPath(
                    waiter.name,
                    operation,
                    argument,
                    steps,
                    expected,
                    tuple(enum.value) if enum is not None else (),
                    source_of(service, waiter),
                )
            )
    return tuple(out)


def unread_arguments(service: Service, operation: str) -> tuple[str, ...]:
    """The expressions of ``operation``'s waiters that are not member paths (left unjudged)."""
    out = []
    for waiter in waiters_of(service, operation):
        for argument in _arguments(waiter):
            if not _readable(argument, _expected(waiter, argument)):
                out.append(f"{waiter.name}: {argument}")
    return tuple(out)


def values_at(body: Any, path: WaiterPath) -> list[Any]:
    """The scalar values found at ``path`` in a JSON body (a list at its end is looked into)."""
    current = [body]
    for name, into in path.steps:
        found = []
        for value in current:
            if not isinstance(value, dict) or value.get(name) is None:
                continue
            member = value[name]
            if into:
                found.extend(member if isinstance(member, list) else [])
            else:
                found.append(member)
        current = found
    flat = [v for value in current for v in (value if isinstance(value, list) else [value])]
    return [v for v in flat if isinstance(v, _SCALARS)]
