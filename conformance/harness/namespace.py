"""The run's namespace: which resources a request may touch, whatever the target executes.

A target that validates nothing executes whatever arrives, deliberately invalid requests
included: a ``DeleteRepository`` of the one-letter name ``y`` deletes a user's repository
``y``. So the rule is about the request, not about what a conforming target would do with it:
no request that can change state names a resource the run did not create. Every value of a
resource-naming member (a repository name, an ARN) in such a request carries the run's token
(``ecrconf-<run>-``), or is absent. A violation that cannot carry the token (a one-letter or
empty name, a number where a name belongs) is sent only with operations that cannot change
state: a lenient target would take even the empty string as a name.

:meth:`Namespace.harmless` is the rule; the sample builder asks it before it sends, and the
check environment refuses (as a defect of the suite) anything that would break it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...specs import Operation, Shape
from .semantics import RESOURCE_SHAPES, changes_state


class UnsafeRequest(Exception):
    """The suite was about to send a state-changing request naming a resource it does not own.

    It is a defect of the suite, never of the target: the request is not sent.
    """


def resource_values(shape: Shape, value: Any) -> Iterator[Any]:
    """Every value in ``value`` at a member whose shape names a resource (see RESOURCE_SHAPES).

    The walk follows the input shape, so a wrong-typed value where a name belongs (a number,
    a list) is yielded as it is.
    """
    if shape.name in RESOURCE_SHAPES:
        yield value
        return
    if shape.kind == "structure" and isinstance(value, dict):
        for member in shape.members:
            if member.name in value:
                yield from resource_values(member.shape, value[member.name])
    elif shape.kind == "list" and shape.item is not None:
        if shape.item.name in RESOURCE_SHAPES and not isinstance(value, list):
            yield value
        elif isinstance(value, list):
            for item in value:
                yield from resource_values(shape.item, item)


def request_object(params: Any, body: bytes | str | None) -> Any:
    """The JSON object a request carries: ``params``, or a raw body parsed (None if it is not
    a JSON object, which no target can take as naming anything)."""
    if body is None:
        return params if params is not None else {}
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return parsed if isinstance(parsed, dict) else None


@dataclass(frozen=True)
class Namespace:
    """The run's token: what every resource the run may touch has in its name."""

    token: str

    @classmethod
    def of_prefix(cls, prefix: str) -> Namespace:
        """The namespace of a run prefix ``ecrconf-<run>-<worker>...``: its first two parts."""
        head = prefix.split("-")
        return cls("-".join(head[:2]) + "-" if len(head) >= 2 else prefix)

    def owns(self, value: Any) -> bool:
        """True for a name or ARN carrying the token."""
        return isinstance(value, str) and self.token in value

    def foreign(self, op: Operation, params: Any, body: bytes | str | None = None) -> list[Any]:
        """The resource values of a state-changing request that the run does not own."""
        if not changes_state(op.name):
            return []
        request = request_object(params, body)
        if request is None:
            return []
        return [v for v in resource_values(op.input, request) if not self.owns(v)]

    def harmless(self, op: Operation, params: Any, body: bytes | str | None = None) -> bool:
        """True when sending the request cannot touch a resource the run did not create."""
        return not self.foreign(op, params, body)

    def stretch(self, owned: str, length: int) -> str:
        """An owned name or ARN padded to ``length`` characters (a too-long value that still
        carries the token; an ``x`` after a name's last character keeps its pattern)."""
        return owned + "x" * max(0, length - len(owned))
