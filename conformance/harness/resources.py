"""The run's resource library: what checks, scenarios and parity bind their requests to.

Every name it hands out is under the run's prefix; every resource it makes goes through the
sender (counted, guarded, ledgered). A world or scratch repository the target refused to set
up is remembered in ``setup_failures``, so every later caller fails the same way without
sending the setup again, and a check that lost its resources says why.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ...strategies.push import Pusher, PushError
from ...strategies.semantic_values import Blob
from ...wire import Exchange
from .ledger import RESTORED, Ledger
from .patience import Patience
from .registry import SetupFailed
from .semantics import policy_text
from .sender import Sender


@dataclass
class World:
    """Resources created for checks to bind requests to: a repository with one pushed image."""

    repository: str
    repository_arn: str
    layer_digests: list[str]
    image_digest: str
    image_tag: str
    upload_id: str | None = None


def setup_step(step: str, ex: Exchange) -> dict[str, Any]:
    """Return the body of a setup exchange the target accepted; ``SetupFailed`` otherwise."""
    if ex.ok:
        return ex.json if isinstance(ex.json, dict) else {}
    body = ex.json if isinstance(ex.json, dict) else {}
    message = body.get("message", body.get("Message", ""))
    raise SetupFailed(step, ex.status, ex.error_code, str(message)[:200])


def push_failed(exc: PushError) -> SetupFailed:
    """The setup failure of a refused (or unusable) push step."""
    try:
        setup_step(exc.step, exc.exchange)
    except SetupFailed as failed:
        return failed
    ex = exc.exchange  # accepted, but the answer lacked what the next step needs
    return SetupFailed(exc.step, ex.status, None, "the answer had no usable uploadId")


@dataclass
class Resources:
    """Names, repositories with pushed images, and what the run knows to exist."""

    sender: Sender
    ledger: Ledger
    prefix: str
    patience: Patience
    #: The setup failure that made a check lose its resources, by operation (and "world").
    setup_failures: dict[str, SetupFailed] = field(default_factory=dict)
    _world: World | None = None
    _scratch: dict[str, World] = field(default_factory=dict)
    _counter: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def new_name(self, hint: str = "r") -> str:
        """Return a fresh repository name under the run's prefix."""
        with self._lock:
            self._counter += 1
            return f"{self.prefix}-{hint}{self._counter}"

    def create_repository(self, name: str | None = None) -> str:
        """Create a repository under the prefix and return its name."""
        self.sender.guard.mutation("create repositories")
        name = name or self.new_name()
        setup_step(
            "CreateRepository", self.sender.send("CreateRepository", {"repositoryName": name})
        )
        return name

    @property
    def pusher(self) -> Pusher:
        """The push driver, sending through the run's sender (counted, ledgered)."""
        return Pusher(lambda operation, params: self.sender.send(operation, params))

    def push_image(
        self, repository: str, tag: str, data: bytes, *, multipart: bool = False, nonce: str = ""
    ) -> tuple[str, list[str]]:
        """Push a one-layer image; return its digest and the blob digests it references.
        ``nonce`` makes its config unique (default: the repository and tag)."""
        try:
            pushed = self.pusher.push(
                repository,
                [Blob(data)],
                tag,
                nonce=nonce or f"{repository}:{tag}",
                multipart=multipart,
            )
        except PushError as exc:
            raise push_failed(exc) from None
        return pushed.digest, [pushed.blobs[1], pushed.blobs[0]]

    def upload_blob(self, repository: str, data: bytes) -> None:
        """Upload ``data`` as one layer (one part when it fits in one, as the spec wants)."""
        try:
            self.pusher.upload(repository, data)
        except PushError as exc:
            raise push_failed(exc) from None

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
        send = self.sender.send
        repo = self.create_repository(self.new_name(hint))
        digest, layers = self.push_image(repo, "v1", os.urandom(64))
        listed = self.await_listed([repo])
        arn = str(listed[0].get("repositoryArn", "")) if listed else ""
        world = World(repo, arn, layers, digest, "v1")
        send("SetRepositoryPolicy", {"repositoryName": repo, "policyText": policy_text(repo)})
        send(
            "PutRepositoryCatalogData",
            {"repositoryName": repo, "catalogData": {"description": "conformance"}},
        )
        if world.repository_arn:
            send(
                "TagResource",
                {
                    "resourceArn": world.repository_arn,
                    "tags": [{"Key": "conformance", "Value": "yes"}],
                },
            )
        return world

    def worlds(self) -> list[World]:
        """The world and scratch repositories made so far."""
        made = [self._world] if self._world is not None else []
        return made + list(self._scratch.values())

    def known_names(self) -> frozenset[str]:
        """Names, ARNs, digests, tags and upload ids of resources the run knows to exist: what
        it created and has not deleted since."""
        live = self.sender.live
        names = set(live)
        for world in self.worlds():
            if world.repository not in live:
                continue
            names |= {world.repository, world.repository_arn, world.image_digest, world.image_tag}
            names |= set(world.layer_digests)
        return frozenset(n for n in names if n)

    def remember_registry(self) -> None:
        """Record the registry's display name and description once, before the run first
        changes them."""
        if any(e["kind"] == "registry-catalog" for e in self.ledger.entries):
            return
        ex = self.sender.send("GetRegistryCatalogData", {})
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

    def await_listed(self, names: list[str]) -> list[dict[str, Any]]:
        """DescribeRepositories of ``names`` once they are all listed (a write may take a moment
        to become visible: as long as the run's patience allows); [] if they never are."""
        read = "DescribeRepositories"
        wait = self.patience.wait_s(read)
        start = time.monotonic()
        while True:
            ex = self.sender.send(read, {"repositoryNames": names})
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
