"""The environment checks run in: the run's configuration and spec, and the objects that act.

Safety lives in its parts. Every repository the run creates is named ``<prefix>...`` (unique
per run and per xdist worker) and recorded in the ledger before anything else happens; cleanup
deletes only those and restores registry-level writes. Requests are counted against a cap, and
against AWS itself a mutating check refuses to run without the explicit opt-in.

The parts, each owning one concern: the :class:`~.sender.Sender` (client, budget, guard,
ledger notes, what it kept and withheld), the :class:`~.resources.Resources` (names, world and
scratch repositories, pushes, the registry's catalog data to restore), the
:class:`~.failure_factory.FailureFactory` (facts and self-explaining failures) and the
:class:`~.once.OnceResults` of the run's once-per-run jobs.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from ...records import Cleanup, Failure, SpecFact, Target
from ...specs import Service, load_service
from ...wire import Exchange, WireClient
from .config import RunConfig
from .failure_factory import FailureFactory
from .guard import Guard
from .ledger import Ledger, clean_up
from .namespace import Namespace
from .once import OnceResults
from .patience import Patience
from .resources import Resources
from .sender import Sender
from .shrink import ShrinkBudget
from .worker import worker_id


def run_prefix(worker: str | None = None) -> str:
    """Return a run- and worker-unique repository name prefix, e.g. ``ecrconf-1a2b3c4d-gw0``."""
    worker = worker or worker_id()
    run = os.environ.get("ECR_CONFORMANCE_RUN_ID") or uuid.uuid4().hex[:8]
    return f"ecrconf-{run}-{worker}".lower()


class CheckEnv:
    """What every check receives: the run's config, spec and prefix, and the parts that act.

    ``send``, ``exchange``, ``fact``, ``fail``, ``new_name``, ``may_mutate``,
    ``guard_mutation`` and ``remember_registry`` hand on to the part that owns them (they are
    what most checks call); everything else is asked of the part by name
    (``env.resources.world()``, ``env.sender.requests_sent``).
    """

    config: RunConfig
    service: Service
    prefix: str
    ledger: Ledger
    sender: Sender
    resources: Resources
    failures: FailureFactory
    once: OnceResults
    #: How long reads wait for writes to show (shared by this environment's checks).
    patience: Patience
    #: Marketplace products the target's account owns, as far as the run knows (the API has no
    #: way to list them): premium repositories are made with these, and without any, the
    #: scenarios that need one do not apply.
    marketplace_products: tuple[str, ...]
    #: The longest wait for a process the document says completes (a scan), when shorter than
    #: what the catalogue entry allows (None: the entry's own, e.g. its waiter's limit).
    process_wait_s: float | None
    shrink: ShrinkBudget
    cleanup_report: Cleanup | None

    def __init__(
        self,
        client: WireClient,
        config: RunConfig,
        prefix: str,
        ledger: Ledger,
        service: Service | None = None,
        *,
        target: Target | None = None,
        sender: type[Sender] = Sender,
        patience: Patience | None = None,
    ) -> None:
        self.config, self.prefix, self.ledger = config, prefix, ledger
        self.service = service if service is not None else load_service()
        self.sender = sender(client, config, Guard(config, self.service, prefix), ledger)
        self.patience = patience or Patience(config.consistency_window_s)
        self.resources = Resources(self.sender, ledger, prefix, self.patience)
        self.failures = FailureFactory(
            client.endpoint_url, config.region, prefix, self.resources, target
        )
        self.once = OnceResults()
        self.marketplace_products = ()
        self.process_wait_s = None
        self.shrink = ShrinkBudget()
        self.cleanup_report = None

    @property
    def namespace(self) -> Namespace:
        """The run's namespace: what every state-changing request may name."""
        return Namespace.of_prefix(self.prefix)

    def send(self, operation: str, params: Any = None, **kw: Any) -> Exchange:
        """Send through the run's sender (see :meth:`.Sender.send`)."""
        return self.sender.send(operation, params, **kw)

    def exchange(self, operation: str, params: Any = None, **kw: Any) -> Exchange:
        """Send through the run's sender, handing back an unsupported answer too."""
        return self.sender.exchange(operation, params, **kw)

    def fact(
        self, operation: str, member: str | None, constraint: str, provenance: str
    ) -> SpecFact:
        """Build the spec fact a failure violates."""
        return self.failures.fact(operation, member, constraint, provenance)

    def fail(
        self,
        message: str,
        exchange: Exchange | None,
        fact: SpecFact,
        expected: str = "",
        actual: str = "",
    ) -> Failure:
        """Build a self-explaining failure (see :meth:`.FailureFactory.fail`)."""
        return self.failures.fail(message, exchange, fact, expected, actual)

    def new_name(self, hint: str = "r") -> str:
        """Return a fresh repository name under the run's prefix."""
        return self.resources.new_name(hint)

    def may_mutate(self) -> bool:
        """True when this run may create resources on the target."""
        return self.sender.guard.may_mutate()

    def guard_mutation(self, what: str) -> None:
        """Refuse (skip) a mutating check against AWS without the opt-in, naming what it creates."""
        self.sender.guard.mutation(what)

    def remember_registry(self) -> None:
        """Record the registry's display name and description once, before the run first
        changes them."""
        self.resources.remember_registry()

    def cleanup(self) -> list[str]:
        """Delete everything the run created (ledger and prefix); restore registry data.

        Faults are retried and the prefix is listed again afterwards; the outcome is kept as
        ``cleanup_report``. Returns the names left behind.
        """
        report = clean_up(
            self.sender.client,
            self.prefix,
            self.ledger.repositories(),
            self.ledger.entries,
            within_s=self.config.cleanup_s,
        )
        self.cleanup_report = report
        return list(report.left)
