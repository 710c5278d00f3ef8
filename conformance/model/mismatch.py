"""How the registry model says a target disagrees with it, or that it cannot go on."""

from __future__ import annotations

from typing import Any

from ...wire import Exchange
from .facts import model_fact

__all__ = ["NOTHING", "Diverged", "ModelMismatch", "ModelStopped", "OperationUnsupported"]


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: No value was compared: the mismatch is about the answer itself.
NOTHING = object()


class ModelMismatch(AssertionError):
    """A target's answer disagrees with the registry model.

    ``expected`` is what the model wanted, ``actual`` what the target said (the member's value,
    or for an unexpected answer its status and code), ``trace`` the exchanges that led there.
    ``fact_id`` names the entry of ``facts.toml`` the answer breaks (``FactsError`` when no entry
    has it); ``fact`` is that entry's statement about ``operation``.
    """

    def __init__(
        self,
        operation: str,
        member: str | None,
        expected: Any,
        fact: str,
        exchange: Exchange | None,
        actual: Any = NOTHING,
        trace: tuple[Exchange, ...] = (),
        level: str = "MUST",
    ) -> None:
        self.operation = operation
        self.member = member
        self.expected = expected
        self.fact_id = fact
        self.fact = model_fact(fact).statement(operation)
        self.exchange = exchange
        self.actual = actual
        self.trace = trace
        #: SHOULD for an absent member the model leaves optional (see ``optional_echo``).
        self.level = level
        super().__init__(self._message())

    @property
    def got(self) -> str:
        """What came back, shortly: the value the model compared, or the answer."""
        if self.actual is None and self.level == "SHOULD":
            return "absent"
        if self.actual is not NOTHING:
            return _short(self.actual)
        if self.exchange is None:
            return "no exchange"
        ex = self.exchange
        head = f"HTTP {ex.status}"
        if ex.error_code:
            return f"{head} {ex.error_code}"
        return f"{head} {_short(ex.json if ex.json is not None else ex.text, 160)}"

    @property
    def key(self) -> tuple[str, str | None, str]:
        """What makes two mismatches the same deviation: operation, member and fact."""
        return (self.operation, self.member, self.fact_id)

    def _message(self) -> str:
        where = f" at {self.member}" if self.member else ""
        expected = _short(self.expected)
        return f"{self.operation}{where}: {self.fact} -- expected {expected}, got {self.got}"


class OperationUnsupported(Exception):
    """The target answered that it does not implement the operation (UnsupportedCommandException
    or UnknownOperationException): the operation is not offered."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(f"the target does not support {operation}")


class ModelStopped(BaseException):
    """Keep-going mode: the run cannot go on (an operation unsupported, a budget spent).

    It is a ``BaseException`` on purpose: Hypothesis lets it through at once instead of
    treating it as a failure to shrink, so stopping costs no time.
    """

    def __init__(self, reason: str, unsupported: str | None = None) -> None:
        self.reason = reason
        self.unsupported = unsupported
        super().__init__(reason)


class Diverged(Exception):
    """Keep-going mode: a mismatch was recorded; the rule stops, the machine goes on."""

    def __init__(self, repository: str | None) -> None:
        self.repository = repository
