"""The run's sender: every request of a check or its setup goes through it.

It counts each request against the run's budget, refuses what the safety guard refuses, sends
a read again after a transport error, ledgers the repositories the target creates, and keeps
what later checks judge (successful answers and server errors, by operation) and what it did
not send (withheld requests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...records.status import UNSUPPORTED_CODES
from ...wire import Exchange, WireClient
from .config import RunConfig
from .guard import Guard
from .ledger import Ledger
from .registry import BudgetSpent, Unsupported
from .semantics import changes_state, creates_repository, deletes_repository
from .worker import worker_count

#: Successful exchanges kept per operation (from any check or setup), for response checks.
MAX_KEPT_SUCCESSES = 20
#: Answer text those may hold in all, per operation (the first is always kept): long listings
#: of a user's registry are judged by one page, not kept by the dozen (a run's memory must not
#: grow with what the registry holds).
MAX_KEPT_TEXT = 256 * 1024


@dataclass
class Sender:
    """The target's client with the run's budget, guard and ledger around it."""

    client: WireClient
    config: RunConfig
    guard: Guard
    ledger: Ledger
    requests_sent: int = 0
    #: Requests sent, by operation; whether the request budget was reached.
    by_operation: dict[str, int] = field(default_factory=dict)
    budget_hit: bool = False
    successes: dict[str, list[Exchange]] = field(default_factory=dict)
    #: Answers with a 5xx status, by operation, from any check or setup (the first few).
    server_errors: dict[str, list[Exchange]] = field(default_factory=dict)
    #: Requests not sent because they could touch what the run does not own, by operation.
    withheld: dict[str, list[str]] = field(default_factory=dict)
    #: Repositories the run created and has not deleted since (what it knows to exist).
    live: set[str] = field(default_factory=set)

    @property
    def request_cap(self) -> int:
        """This process's share of the run's request budget (xdist workers split it)."""
        workers = worker_count()
        cap = self.config.request_cap
        return max(1, cap // workers) if cap > 0 else 0

    def count(self, operation: str) -> None:
        """Count one request to ``operation`` against the budget (``BudgetSpent`` past it)."""
        cap = self.request_cap
        if self.requests_sent >= cap:
            self.budget_hit = True
            raise BudgetSpent(
                f"the run's request budget was reached ({cap} requests"
                f"{' for this worker' if cap != self.config.request_cap else ''}; "
                "raise it with --max-requests, or --ecr-max-requests in the plug-in)"
            )
        self.requests_sent += 1
        self.by_operation[operation] = self.by_operation.get(operation, 0) + 1

    def send(self, operation: str, params: Any = None, **kw: Any) -> Exchange:
        """Send a request (counted against the budget); ledger created repositories.

        A read that meets a transport error (a reset, a truncated answer) is sent again: it
        changes nothing, so the retry cannot change what is judged. Writes are not retried.
        An answer that says the operation is not implemented (UnsupportedCommandException, or
        UnknownOperationException for the operation's own target) raises ``Unsupported``.
        """
        ex = self.exchange(operation, params, **kw)
        if ex.error_code in UNSUPPORTED_CODES and "target" not in kw:
            raise Unsupported(operation, ex.error_code)
        return ex

    def exchange(self, operation: str, params: Any = None, **kw: Any) -> Exchange:
        """Send as :meth:`send` does, handing back an UnsupportedCommandException answer too.

        A state-changing request that names a resource the run does not own is never sent
        (``UnsafeRequest``: a defect of the suite).
        """
        self.guard.refuse_unsafe(operation, params, kw.get("body"))
        self.count(operation)
        if not changes_state(operation) and "retry_transport" not in kw:
            kw["retry_transport"] = True
        ex = self.client.call(operation, params, **kw)
        self.keep(ex)
        failed = self.server_errors.setdefault(operation, [])
        if ex.status >= 500 and len(failed) < MAX_KEPT_SUCCESSES:
            failed.append(ex)
        if ex.ok and isinstance(params, dict):
            self._note_write(operation, params)
        return ex

    def keep(self, ex: Exchange) -> None:
        """Keep a successful answer for the response checks (within the per-operation limits);
        the session hands over the answer it described the target by, sent before the run's
        environment existed."""
        kept = self.successes.setdefault(ex.operation, [])
        if ex.ok and len(kept) < MAX_KEPT_SUCCESSES and _fits(kept, ex):
            kept.append(ex)

    def _note_write(self, operation: str, params: dict[str, Any]) -> None:
        """Ledger a repository the target created; forget one it deleted."""
        created = creates_repository(operation)
        if created and isinstance(params.get(created), str):
            self.ledger.record("repository", name=params[created])
            self.live.add(params[created])
        deleted = deletes_repository(operation)
        if deleted and isinstance(params.get(deleted), str):
            self.live.discard(params[deleted])

    def withhold(self, operation: str, label: Any) -> None:
        """Note a request not sent because it could touch what the run does not own."""
        self.withheld.setdefault(operation, []).append(repr(label))


def _fits(kept: list[Exchange], ex: Exchange) -> bool:
    """Whether ``ex`` may join the kept answers of its operation (see ``MAX_KEPT_TEXT``)."""
    return not kept or sum(len(k.text) for k in kept) + len(ex.text) <= MAX_KEPT_TEXT
