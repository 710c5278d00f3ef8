"""The environment checks run in: the target, the run's prefix, budgets and the resource world.

Safety lives here. Every repository the run creates is named ``<prefix>...`` (unique per run and
per xdist worker) and recorded in the ledger before anything else happens; cleanup deletes only
those and restores registry-level writes. Requests are counted against a cap, and against AWS
itself a mutating check refuses to run without the explicit opt-in.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..records import Cleanup, Failure, SpecFact, Target
from ..records.status import UNSUPPORTED_CODES
from ..specs import Service, load_service
from ..strategies.push import Pusher, PushError
from ..strategies.semantic_values import Blob
from ..wire import Exchange, TargetUnreachable, WireClient
from .config import RunConfig
from .explain import Where, failure
from .ledger import RESTORED, Ledger, clean_up
from .namespace import Namespace, UnsafeRequest
from .patience import Patience
from .registry import BudgetSpent, SetupFailed, Skip, Unsupported
from .semantics import (
    changes_state,
    creates_repository,
    deletes_repository,
    paid_content_write,
    policy_text,
    publishes,
    unrestorable,
)
from .worker import worker_count, worker_id

#: Successful exchanges kept per operation (from any check or setup), for response checks.
MAX_KEPT_SUCCESSES = 20


def run_prefix(worker: str | None = None) -> str:
    """Return a run- and worker-unique repository name prefix, e.g. ``ecrconf-1a2b3c4d-gw0``."""
    worker = worker or worker_id()
    run = os.environ.get("ECR_CONFORMANCE_RUN_ID") or uuid.uuid4().hex[:8]
    return f"ecrconf-{run}-{worker}".lower()


@dataclass
class World:
    """Resources created for checks to bind requests to: a repository with one pushed image."""

    repository: str
    repository_arn: str
    layer_digests: list[str]
    image_digest: str
    image_tag: str
    upload_id: str | None = None


@dataclass
class CheckEnv:
    """What every check receives: target client, spec, config, prefix, ledger and budgets."""

    client: WireClient
    config: RunConfig
    prefix: str
    ledger: Ledger
    service: Service = field(default_factory=load_service)
    requests_sent: int = 0
    target_info: Target | None = None
    cache: dict[Any, Any] = field(default_factory=dict)
    successes: dict[str, list[Exchange]] = field(default_factory=dict)
    _world: World | None = None
    _scratch: dict[str, World] = field(default_factory=dict)
    #: The setup failure that made a check lose its resources, by operation (and "world").
    setup_failures: dict[str, SetupFailed] = field(default_factory=dict)
    #: Requests sent, by operation; whether the request budget was reached; shrink time spent.
    by_operation: dict[str, int] = field(default_factory=dict)
    budget_hit: bool = False
    shrink_spent_s: float = 0.0
    shrink_hit: bool = False
    _samples: dict[str, list[Any]] = field(default_factory=dict)
    _samples_broken: dict[str, Exception] = field(default_factory=dict)
    _sample_lock: threading.RLock = field(default_factory=threading.RLock)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _counter: int = 0
    cleanup_report: Cleanup | None = None
    _patience: Patience | None = None
    #: Repositories the run created and has not deleted since (what it knows to exist).
    _live: set[str] = field(default_factory=set)
    #: Requests not sent because they could touch what the run does not own, by operation.
    withheld: dict[str, list[str]] = field(default_factory=dict)
    #: Answers with a 5xx status, by operation, from any check or setup (the first few).
    server_errors: dict[str, list[Exchange]] = field(default_factory=dict)
    #: Marketplace products the target's account owns, as far as the run knows (the API has no
    #: way to list them): premium repositories are made with these, and without any, the
    #: scenarios that need one do not apply.
    marketplace_products: tuple[str, ...] = ()
    #: The longest wait for a process the document says completes (a scan), when shorter than
    #: what the catalogue entry allows (None: the entry's own, e.g. its waiter's limit).
    process_wait_s: float | None = None

    @property
    def namespace(self) -> Namespace:
        """The run's namespace: what every state-changing request may name."""
        return Namespace.of_prefix(self.prefix)

    @property
    def patience(self) -> Patience:
        """How long reads wait for writes to show (shared by this process's checks)."""
        with self._lock:
            if self._patience is None:
                self._patience = Patience(self.config.consistency_window_s)
            return self._patience

    @property
    def endpoint_url(self) -> str:
        """The endpoint URL requests go to."""
        return self.client.endpoint_url

    def new_name(self, hint: str = "r") -> str:
        """Return a fresh repository name under the run's prefix."""
        with self._lock:
            self._counter += 1
            return f"{self.prefix}-{hint}{self._counter}"

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
        self._guard(operation, params, kw.get("body"))
        self.count(operation)
        if not changes_state(operation) and "retry_transport" not in kw:
            kw["retry_transport"] = True
        ex = self.client.call(operation, params, **kw)
        kept = self.successes.setdefault(operation, [])
        if ex.ok and len(kept) < MAX_KEPT_SUCCESSES:
            kept.append(ex)
        failed = self.server_errors.setdefault(operation, [])
        if ex.status >= 500 and len(failed) < MAX_KEPT_SUCCESSES:
            failed.append(ex)
        if ex.ok and isinstance(params, dict):
            self._note_write(operation, params)
        return ex

    def _guard(self, operation: str, params: Any, body: Any) -> None:
        if self.config.targets_aws:
            self._guard_paid_content(operation, params)
        why = unrestorable(operation, params)
        if why:
            raise UnsafeRequest(
                f"the suite refused to send {operation}: {why} (a defect of the suite)"
            )
        op = self.service.operations.get(operation)
        foreign = self.namespace.foreign(op, params, body) if op is not None else []
        if foreign:
            raise UnsafeRequest(
                f"the suite refused to send {operation} naming {foreign[0]!r}, which the run "
                f"did not create (outside {self.namespace.token}*): a defect of the suite"
            )

    def _guard_paid_content(self, operation: str, params: Any) -> None:
        """Against AWS: nothing is made AVAILABLE in the gallery, and premium writes need
        their own opt-in (``--allow-aws-premium``) besides the mutation one."""
        if publishes(params):
            raise Skip(f"never sent to AWS: {operation} would list content in the public gallery")
        if paid_content_write(operation) and not self.config.allow_aws_premium:
            raise Skip(
                f"refusing to change paid content in an AWS account: {operation} writes premium "
                "repositories, products, associations or image status; pass --allow-aws-premium "
                "(with --allow-aws-mutations and --sandbox-accounts) to allow it"
            )

    def _note_write(self, operation: str, params: dict[str, Any]) -> None:
        """Ledger a repository the target created; forget one it deleted."""
        created = creates_repository(operation)
        if created and isinstance(params.get(created), str):
            self.ledger.record("repository", name=params[created])
            self._live.add(params[created])
        deleted = deletes_repository(operation)
        if deleted and isinstance(params.get(deleted), str):
            self._live.discard(params[deleted])

    def withhold(self, operation: str, label: Any) -> None:
        """Note a request not sent because it could touch what the run does not own."""
        self.withheld.setdefault(operation, []).append(repr(label))

    def guard_mutation(self, what: str) -> None:
        """Refuse (skip) a mutating check against AWS without the opt-in, naming what it creates."""
        if self.config.read_only:
            raise Skip(f"read-only run: this check would {what}")
        if self.config.targets_aws and not self.config.allow_aws_mutations:
            raise Skip(
                f"refusing to modify an AWS account: this check would {what} (public "
                f"repositories named {self.prefix}-*); pass --ecr-allow-aws-mutations with "
                "--ecr-sandbox-accounts to allow it"
            )

    def fact(
        self, operation: str, member: str | None, constraint: str, provenance: str
    ) -> SpecFact:
        """Build the spec fact a failure violates."""
        return SpecFact(operation, member, constraint, provenance)

    def fail(
        self,
        message: str,
        exchange: Exchange | None,
        fact: SpecFact,
        expected: str = "",
        actual: str = "",
    ) -> Failure:
        """Build a self-explaining failure for ``exchange``: ``expected`` is what the spec
        wants and ``actual`` what came back (by default the answer's status and code or body)."""
        where = Where.of(self.endpoint_url, self.config.region, self.target_info)
        return failure(message, exchange, fact, where, expected, actual, self.setup_of(exchange))

    def setup_of(self, exchange: Exchange | None) -> dict[str, Any]:
        """What a reproduction of ``exchange`` needs: the run's resources its request names."""
        if exchange is None:
            return {}
        text = json.dumps(exchange.request_body, default=str)
        names = sorted(set(re.findall(re.escape(self.prefix) + r"[a-z0-9._/-]*", text)))
        if not names:
            return {}
        needs = []
        for world in [self._world, *self._scratch.values()]:
            if world is not None and world.repository in names:
                needs.append(
                    f"repository {world.repository} with one pushed image (tag "
                    f"{world.image_tag}), a policy, catalog data and a tag"
                )
        return {
            "names": names,
            "needs": needs or [f"repositories the check created: {', '.join(names)}"],
            "replay": "ecr-public-conformance replay recreates them under a fresh prefix",
        }

    # ------------------------------------------------------------------ the resource world

    def setup_step(self, step: str, ex: Exchange) -> dict[str, Any]:
        """Return the body of a setup exchange the target accepted; ``SetupFailed`` otherwise."""
        if ex.ok:
            return ex.json if isinstance(ex.json, dict) else {}
        body = ex.json if isinstance(ex.json, dict) else {}
        message = body.get("message", body.get("Message", ""))
        raise SetupFailed(step, ex.status, ex.error_code, str(message)[:200])

    def create_repository(self, name: str | None = None) -> str:
        """Create a repository under the prefix and return its name."""
        self.guard_mutation("create repositories")
        name = name or self.new_name()
        self.setup_step("CreateRepository", self.send("CreateRepository", {"repositoryName": name}))
        return name

    @property
    def pusher(self) -> Pusher:
        """The push driver, sending through this environment (counted, ledgered)."""
        return Pusher(lambda operation, params: self.send(operation, params))

    def push_image(
        self, repository: str, tag: str, data: bytes, *, multipart: bool = False
    ) -> tuple[str, list[str]]:
        """Push a one-layer image; return its digest and the blob digests it references."""
        try:
            pushed = self.pusher.push(
                repository, [Blob(data)], tag, nonce=f"{repository}:{tag}", multipart=multipart
            )
        except PushError as exc:
            raise self._push_failed(exc) from None
        return pushed.digest, [pushed.blobs[1], pushed.blobs[0]]

    def _push_failed(self, exc: PushError) -> SetupFailed:
        """The setup failure of a refused (or unusable) push step."""
        try:
            self.setup_step(exc.step, exc.exchange)
        except SetupFailed as failed:
            return failed
        ex = exc.exchange  # accepted, but the answer lacked what the next step needs
        return SetupFailed(exc.step, ex.status, None, "the answer had no usable uploadId")

    def upload_blob(self, repository: str, data: bytes) -> None:
        """Upload ``data`` as one layer (one part when it fits in one, as the spec wants)."""
        try:
            self.pusher.upload(repository, data)
        except PushError as exc:
            raise self._push_failed(exc) from None

    def world(self) -> World:
        """Return (creating once) a repository with a pushed image to bind requests to.

        A world the target refused to set up fails every later caller the same way, without
        sending the setup again."""
        failed = self.setup_failures.get("world")
        if failed is not None:
            raise failed
        if self._world is None:
            try:
                self._world = self._new_world("world")
            except SetupFailed as exc:
                self.setup_failures["world"] = exc
                raise
        return self._world

    def may_mutate(self) -> bool:
        """True when this run may create resources on the target."""
        if self.config.read_only:
            return False
        return not self.config.targets_aws or self.config.allow_aws_mutations

    def scratch(self, purpose: str) -> World:
        """Return (creating once per purpose) a disposable repository with a pushed image."""
        failed = self.setup_failures.get(f"scratch:{purpose}")
        if failed is not None:
            raise failed
        if purpose not in self._scratch:
            try:
                self._scratch[purpose] = self._new_world("s")
            except SetupFailed as exc:
                self.setup_failures[f"scratch:{purpose}"] = exc
                raise
        return self._scratch[purpose]

    def _new_world(self, hint: str) -> World:
        """Create a repository with one pushed image, a policy, catalog data and a tag."""
        repo = self.create_repository(self.new_name(hint))
        digest, layers = self.push_image(repo, "v1", os.urandom(64))
        world = World(repo, self._arn(repo), layers, digest, "v1")
        self.send("SetRepositoryPolicy", {"repositoryName": repo, "policyText": policy_text(repo)})
        self.send(
            "PutRepositoryCatalogData",
            {"repositoryName": repo, "catalogData": {"description": "conformance"}},
        )
        if world.repository_arn:
            self.send(
                "TagResource",
                {
                    "resourceArn": world.repository_arn,
                    "tags": [{"Key": "conformance", "Value": "yes"}],
                },
            )
        return world

    def known_names(self) -> frozenset[str]:
        """Names, ARNs, digests, tags and upload ids of resources the run knows to exist: what
        it created and has not deleted since."""
        names = set(self._live)
        for world in [self._world, *self._scratch.values()]:
            if world is None or world.repository not in self._live:
                continue
            names |= {world.repository, world.repository_arn, world.image_digest, world.image_tag}
            names |= set(world.layer_digests)
        return frozenset(n for n in names if n)

    def registry_id(self) -> str:
        """The id of the registry the run works in (DescribeRegistries' first; "" if none)."""
        if "registry" not in self.cache:
            ex = self.send("DescribeRegistries", {})
            registries = (ex.json or {}).get("registries") if isinstance(ex.json, dict) else None
            first = registries[0] if isinstance(registries, list) and registries else {}
            self.cache["registry"] = first if isinstance(first, dict) else {}
        return str(self.cache["registry"].get("registryId") or "")

    def registry_verified(self) -> bool:
        """Whether DescribeRegistries says the registry is verified (only a verified registry
        is documented to keep a display name). Asked once; unknown counts as not verified."""
        self.registry_id()
        return self.cache["registry"].get("verified") is True

    def remember_registry(self) -> None:
        """Record the registry's display name and description once, before the run first
        changes them."""
        if any(e["kind"] == "registry-catalog" for e in self.ledger.entries):
            return
        ex = self.send("GetRegistryCatalogData", {})
        if not ex.ok or not isinstance(ex.json, dict):
            raise SetupFailed(
                "GetRegistryCatalogData", ex.status, ex.error_code, "the display name to restore"
            )
        data = ex.json.get("registryCatalogData") or {}
        data = data if isinstance(data, dict) else {}
        # None: never set (or a member the target's edition does not have)
        self.ledger.record(
            "registry-catalog",
            **{field: data.get(member) for member, field in RESTORED.items()},
        )

    def _arn(self, repo: str) -> str:
        listed = self.await_listed([repo])
        return str(listed[0].get("repositoryArn", "")) if listed else ""

    def await_listed(self, names: list[str]) -> list[dict[str, Any]]:
        """DescribeRepositories of ``names`` once they are all listed (a write may take a moment
        to become visible: as long as the run's patience allows); [] if they never are."""
        read = "DescribeRepositories"
        wait = self.patience.wait_s(read)
        start = time.monotonic()
        while True:
            ex = self.send(read, {"repositoryNames": names})
            listed = (
                (ex.json or {}).get("repositories") if ex.ok and isinstance(ex.json, dict) else None
            )
            waited = time.monotonic() - start
            if isinstance(listed, list) and len(listed) >= len(names):
                self.patience.showed(waited)
                return [r for r in listed if isinstance(r, dict)]
            if waited >= wait:
                self.patience.missed_write(read, wait)
                return []
            time.sleep(0.1)

    def samples(self, op: Any) -> list[Any]:
        """The operation's sent requests and their exchanges (built once, then cached)."""
        from .samples import build_samples

        with self._sample_lock:
            broken = self._samples_broken.get(op.name)
            if broken is not None:  # the connection broke while sending them: say so again
                raise TargetUnreachable(str(broken))
            if op.name not in self._samples:
                try:
                    self._samples[op.name] = build_samples(self, op)
                except TargetUnreachable as exc:
                    self._samples_broken[op.name] = exc
                    raise
            return self._samples[op.name]

    def cleanup(self) -> list[str]:
        """Delete everything the run created (ledger and prefix); restore registry data.

        Faults are retried and the prefix is listed again afterwards; the outcome is kept as
        ``cleanup_report``. Returns the names left behind.
        """
        report = clean_up(
            self.client,
            self.prefix,
            self.ledger.repositories(),
            self.ledger.entries,
            within_s=self.config.cleanup_s,
        )
        self.cleanup_report = report
        return list(report.left)
