"""The registry model's core: its state, how it calls the target, and how it reports.

Every rule group (:mod:`.repositories`, :mod:`.images`, :mod:`.catalog`, :mod:`.listings`)
builds on :class:`MachineCore`: one call helper that keeps a trace per repository, the
``expect_*`` helpers that compare an answer with the model and name the fact it rests on (an
id of ``facts.toml``), quarantine after a mismatch, the settle loop for listings, and the
clean-up that deletes what the run created.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from hypothesis.stateful import Bundle, RuleBasedStateMachine

from ...records.status import UNSUPPORTED_CODES
from ...strategies.push import Pusher
from ...wire import Exchange
from .mismatch import NOTHING, Diverged, ModelMismatch, ModelStopped, OperationUnsupported
from .state import RegistryModel, RepositoryModel, Target, optional_echo, value_at

__all__ = ["TRACE_LENGTH", "MachineCore", "resilient"]

#: Exchanges kept per repository, to show what led to a mismatch.
TRACE_LENGTH = 40

_RUNS = itertools.count(1)

F = TypeVar("F", bound=Callable[..., Any])


def resilient(fn: F) -> F:
    """Let a rule or invariant end early on a recorded mismatch (keep-going mode), and skip it
    when the repository it is drawn for was set aside after an earlier one."""

    @functools.wraps(fn)
    def wrapper(self: MachineCore, *args: Any, **kwargs: Any) -> Any:
        name = kwargs.get("name")
        if isinstance(name, str) and name in self.quarantined:
            return None
        try:
            return fn(self, *args, **kwargs)
        except Diverged as exc:
            if exc.repository is not None:
                self.quarantine(exc.repository)
            return None

    return wrapper  # type: ignore[return-value]


class MachineCore(RuleBasedStateMachine):
    """State, plumbing and clean-up shared by every rule group of the registry model."""

    target: Target
    prefix: str = ""
    page_size: int = 2
    #: The page size of the one walk over the whole listing (the largest the specs allow).
    max_repositories: int = 4
    #: Keep-going mode when a list: mismatches are appended here instead of raised.
    mismatches: list[ModelMismatch] | None = None
    #: Seconds a listing may take to show a new repository (the freedom ``visibility-delay``).
    settle_s: float = 0.0
    #: The run's patience (``wait_s``, ``showed``, ``missed_write``), or None: ``settle_s``.
    patience: Any = None
    #: Whether this machine may write registry-level data (PutRegistryCatalogData).
    registry_writes: bool = True

    repos = Bundle("repos")

    def __init__(self) -> None:
        super().__init__()
        self.model = RegistryModel()
        self.created: set[str] = set()
        #: Repositories the model deleted since the listing was last compared.
        self.gone: set[str] = set()
        #: Set once a strict run has raised (a mismatch, an unsupported operation).
        self.failed = False
        self.quarantined: set[str] = set()
        self.original_display_name: str | None = None
        self.display_name_changed = False
        self.keeps_display_name = True
        self.nonce = 0
        self.last_exchange: Exchange | None = None
        self.traces: dict[str, list[Exchange]] = {}
        self.pusher = Pusher(self.call)
        # fixed width: a longer prefix would change the name budget and so the draws on replay
        self.run_prefix = f"{self.prefix}-{next(_RUNS) % 0x1000000:06x}"

    def call(self, operation: str, params: dict[str, Any]) -> Exchange:
        """Send one request through the target (``OperationUnsupported`` if it is refused)."""
        ex = self.target.call(operation, params)
        if ex.error_code in UNSUPPORTED_CODES:
            self.failed = True
            if self.mismatches is not None:
                raise ModelStopped(f"the target does not support {operation}", operation)
            raise OperationUnsupported(operation)
        name = params.get("repositoryName") if isinstance(params, dict) else None
        if not isinstance(name, str) and isinstance(params, dict):
            arn = params.get("resourceArn")
            name = next((n for n, a in self.model.arns.items() if a and a == arn), None)
        if isinstance(name, str):
            trace = self.traces.setdefault(name, [])
            trace.append(ex)
            del trace[:-TRACE_LENGTH]
        return ex

    def mismatch(
        self,
        ex: Exchange | None,
        member: str | None,
        expected: Any,
        fact: str,
        actual: Any = NOTHING,
        repository: str | None = None,
        operation: str | None = None,
    ) -> None:
        """Report a disagreement with ``fact`` (an id of ``facts.toml``): raise it (strict) or
        record it once and stop the rule."""
        trace = tuple(self.traces.get(repository, ())) if repository else ()
        op = operation or (ex.operation if ex is not None else "?")
        found = ModelMismatch(op, member, expected, fact, ex, actual, trace)
        if self.mismatches is None:
            self.failed = True
            raise found
        if all(m.key != found.key for m in self.mismatches):
            self.mismatches.append(found)
        raise Diverged(repository)

    def quarantine(self, name: str) -> None:
        """Set a repository aside after a mismatch: the model forgets it, teardown deletes it."""
        self.quarantined.add(name)
        self.model.repositories.pop(name, None)

    def expect_ok(self, ex: Exchange, fact: str, repository: str | None = None) -> Any:
        """Mismatch unless the exchange succeeded; return its JSON body."""
        if not ex.ok:
            self.mismatch(ex, None, "success", fact, repository=repository)
        return ex.json if isinstance(ex.json, dict) else {}

    def expect_error(
        self, ex: Exchange, codes: Iterable[str], fact: str, repository: str | None = None
    ) -> None:
        """Mismatch unless the exchange failed with one of ``codes``."""
        allowed = sorted(codes)
        if ex.ok or ex.error_code not in allowed:
            self.mismatch(ex, None, " or ".join(allowed), fact, repository=repository)

    def expect_equal(
        self,
        ex: Exchange,
        member: str,
        expected: Any,
        actual: Any,
        fact: str,
        repository: str | None = None,
    ) -> None:
        """Mismatch when ``actual`` differs from the model's ``expected``.

        An absent member that the model leaves optional in a write's answer is a SHOULD
        mismatch: noted, and the run goes on as if the answer had it (the write happened).
        """
        if expected == actual:
            return
        if actual is None and optional_echo(ex.operation, member):
            self.note_absent(ex, member, expected, fact, repository)
            return
        self.mismatch(ex, member, expected, fact, actual, repository)

    def note_absent(
        self, ex: Exchange, member: str, expected: Any, fact: str, repository: str | None
    ) -> None:
        """Record (or, strict, raise) that an optional member was absent; never set aside."""
        trace = tuple(self.traces.get(repository, ())) if repository else ()
        found = ModelMismatch(ex.operation, member, expected, fact, ex, None, trace, "SHOULD")
        if self.mismatches is None:
            self.failed = True
            raise found
        if all(m.key != found.key for m in self.mismatches):
            self.mismatches.append(found)

    def repo(self, name: str) -> RepositoryModel | None:
        """The model of repository ``name`` (None when it does not exist)."""
        return self.model.repositories.get(name)

    def missing(self, ex: Exchange) -> None:
        """Expect RepositoryNotFoundException."""
        self.expect_error(ex, {"RepositoryNotFoundException"}, "repository-not-found")

    def settled(self, read: Callable[[], Any], agrees: Callable[[Any], bool]) -> Any:
        """Read until ``agrees`` or the settle time has passed; return the last reading.

        With a ``patience`` (the run's), the settle time is what it allows a listing, and what
        the reading showed is told back to it (a delay seen, or a write missed).
        """
        listing = "DescribeRepositories"
        limit = self.patience.wait_s(listing) if self.patience is not None else self.settle_s
        start = time.monotonic()
        while True:
            value = read()
            waited = time.monotonic() - start
            if agrees(value):
                if self.patience is not None:
                    self.patience.showed(waited)
                return value
            if waited >= limit:
                if self.patience is not None:
                    self.patience.missed_write(listing, limit)
                return value
            time.sleep(0.1)

    def clean_up(self) -> None:
        """Delete every repository this run created and restore the registry catalog data."""
        for name in sorted(self.created):
            ex = self.target.call("DeleteRepository", {"repositoryName": name, "force": True})
            if ex.error_code == "RepositoryNotEmptyException":
                self.empty_and_delete(name)
        if self.display_name_changed:
            self.target.call(
                "PutRegistryCatalogData", {"displayName": self.original_display_name or ""}
            )

    def empty_and_delete(self, name: str) -> None:
        """Delete every image of a repository, then the repository (best effort, no checks)."""
        ex = self.target.call("DescribeImages", {"repositoryName": name})
        details = value_at(ex.json, "imageDetails") if ex.ok else None
        ids = [{"imageDigest": d.get("imageDigest")} for d in details or []]
        for start in range(0, len(ids), 100):
            self.target.call(
                "BatchDeleteImage", {"repositoryName": name, "imageIds": ids[start : start + 100]}
            )
        self.target.call("DeleteRepository", {"repositoryName": name})
