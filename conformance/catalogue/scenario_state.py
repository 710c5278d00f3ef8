"""What one run of a catalogue entry holds: its values, its exchanges, and what broke.

Shared by the fixtures (:mod:`.scenario_fixtures`, :mod:`.premium_fixtures`) and the
interpreter (:mod:`.scenarios`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...wire import Exchange
from ..harness.env import CheckEnv
from ..harness.registry import SetupFailed
from ..harness.resources import setup_step
from ..harness.semantics import registry_write
from .behaviours import Behaviour


@dataclass
class Scenario:
    """One run of a behaviour: the values fixtures and saved answers bound, and the exchanges."""

    env: CheckEnv
    behaviour: Behaviour
    values: dict[str, Any] = field(default_factory=dict)
    exchanges: list[Exchange] = field(default_factory=list)
    #: Optional members found absent so far (see ScenarioRun.absences).
    absences: list[Problem] = field(default_factory=list)

    def send(self, operation: str, params: Any = None, **kw: Any) -> Exchange:
        """Send through the environment and keep the exchange (registry data is remembered
        first, to be restored)."""
        if registry_write(self.env.service.operation(operation)):
            self.env.remember_registry()
        ex = self.env.send(operation, params, **kw)
        self.exchanges.append(ex)
        return ex

    def setup(self, step: str, params: dict[str, Any]) -> dict[str, Any]:
        """Send a fixture request; ``SetupFailed`` unless the target accepts it."""
        return setup_step(step, self.send(step, params))


@dataclass(frozen=True)
class Problem:
    """Where a scenario's answer broke what the catalogue expects.

    ``converges`` is False for an answer no later read can mend (a value of the wrong JSON
    type: a string where a timestamp belongs), so a read that settles stops at once; ``root``
    names the fact several such problems share (one wire-format defect seen on many members).
    """

    step: int
    exchange: Exchange
    expected: str
    actual: str
    message: str
    converges: bool = True
    root: str = ""


@dataclass
class ScenarioRun:
    """What running one behaviour gave: its exchanges, the first problem, a setup failure.

    ``absences`` are the members a step read that were not there and that the model leaves
    optional (the document does not say they are returned): judged at SHOULD, apart.
    """

    behaviour: Behaviour
    exchanges: list[Exchange]
    problem: Problem | None = None
    setup_failure: SetupFailed | None = None
    #: Why the behaviour does not apply on this target (a freedom it took), or "".
    not_applicable: str = ""
    absences: list[Problem] = field(default_factory=list)

    @property
    def final(self) -> Exchange | None:
        """The answer to the last step (the provoking request of an error scenario)."""
        return self.exchanges[-1] if self.exchanges else None


def numbers(values: list[Any]) -> list[float]:
    """The values that are JSON numbers (booleans are not)."""
    return [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
