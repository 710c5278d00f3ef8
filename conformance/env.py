"""The environment checks run in: the target, the run's prefix, budgets and the resource world.

Safety lives here. Every repository the run creates is named ``<prefix>...`` (unique per run and
per xdist worker) and recorded in the ledger before anything else happens; cleanup deletes only
those and restores registry-level writes. Requests are counted against a cap, and against AWS
itself a mutating check refuses to run without the explicit opt-in.
"""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..specs import Service, load_service
from ..strategies.semantic import Blob, manifest_for, parts_of
from ..wire import Exchange, WireClient
from .config import RunConfig
from .explain import failure
from .ledger import CleanupReport, Ledger, clean_up
from .records import Failure, SpecFact
from .registry import Skip, Unsupported
from .semantics import policy_text

UNSUPPORTED = "UnsupportedCommandException"
#: Successful exchanges kept per operation (from any check or setup), for response checks.
MAX_KEPT_SUCCESSES = 20


def run_prefix(worker: str | None = None) -> str:
    """Return a run- and worker-unique repository name prefix, e.g. ``ecrconf-1a2b3c4d-gw0``."""
    worker = worker or os.environ.get("PYTEST_XDIST_WORKER", "main")
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
    target_info: dict[str, Any] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict)
    successes: dict[str, list[Exchange]] = field(default_factory=dict)
    _world: World | None = None
    _scratch: dict[str, World] = field(default_factory=dict)
    _samples: dict[str, list[Any]] = field(default_factory=dict)
    _sample_lock: threading.RLock = field(default_factory=threading.RLock)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _counter: int = 0
    cleanup_report: CleanupReport | None = None

    @property
    def endpoint_url(self) -> str:
        """The endpoint URL requests go to."""
        return self.client.endpoint_url

    def new_name(self, hint: str = "r") -> str:
        """Return a fresh repository name under the run's prefix."""
        with self._lock:
            self._counter += 1
            return f"{self.prefix}-{hint}{self._counter}"

    def send(self, operation: str, params: Any = None, **kw: Any) -> Exchange:
        """Send a request (counted, capped); record created repositories in the ledger."""
        cap = self.config.request_cap
        if cap is not None and self.requests_sent >= cap:
            raise Skip(f"request cap of {cap} reached (--ecr-max-requests)")
        self.requests_sent += 1
        ex = self.client.call(operation, params, **kw)
        if ex.error_code == UNSUPPORTED:
            raise Unsupported(operation)
        kept = self.successes.setdefault(operation, [])
        if ex.ok and len(kept) < MAX_KEPT_SUCCESSES:
            kept.append(ex)
        if operation == "CreateRepository" and ex.ok and isinstance(params, dict):
            self.ledger.record("repository", name=params.get("repositoryName"))
        return ex

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

    def fail(self, message: str, exchange: Exchange | None, fact: SpecFact) -> Failure:
        """Build a self-explaining failure for ``exchange``."""
        return failure(message, exchange, fact, self.endpoint_url, self.config.region)

    # ------------------------------------------------------------------ the resource world

    def create_repository(self, name: str | None = None) -> str:
        """Create a repository under the prefix and return its name."""
        self.guard_mutation("create repositories")
        name = name or self.new_name()
        ex = self.send("CreateRepository", {"repositoryName": name})
        if not ex.ok:
            raise Skip(f"cannot create a repository on the target ({ex.status} {ex.error_code})")
        return name

    def push_image(self, repository: str, tag: str, data: bytes) -> tuple[str, list[str]]:
        """Push a one-layer image; return its digest and the blob digests it references."""
        layer = Blob(data)
        manifest, config, media_type = manifest_for([layer], nonce=f"{repository}:{tag}")
        for blob in (layer, config):
            self.upload_blob(repository, blob.data)
        ex = self.send(
            "PutImage",
            {
                "repositoryName": repository,
                "imageManifest": manifest,
                "imageTag": tag,
                "imageManifestMediaType": media_type,
            },
        )
        if not ex.ok or not isinstance(ex.json, dict):
            raise Skip(f"cannot push an image to the target ({ex.status} {ex.error_code})")
        digest = ex.json.get("image", {}).get("imageId", {}).get("imageDigest", "")
        return digest, [layer.digest, config.digest]

    def upload_blob(self, repository: str, data: bytes) -> None:
        """Upload ``data`` as one layer through initiate, parts and complete."""
        ex = self.send("InitiateLayerUpload", {"repositoryName": repository})
        if not ex.ok or not isinstance(ex.json, dict):
            raise Skip(f"cannot start a layer upload ({ex.status} {ex.error_code})")
        upload_id = ex.json.get("uploadId")
        for part in parts_of(data, [len(data) // 2]):
            self.send(
                "UploadLayerPart",
                {
                    "repositoryName": repository,
                    "uploadId": upload_id,
                    "partFirstByte": part.first_byte,
                    "partLastByte": part.last_byte,
                    "layerPartBlob": part.blob,
                },
            )
        done = self.send(
            "CompleteLayerUpload",
            {
                "repositoryName": repository,
                "uploadId": upload_id,
                "layerDigests": [Blob(data).digest],
            },
        )
        if not done.ok and done.error_code != "LayerAlreadyExistsException":
            raise Skip(f"cannot complete a layer upload ({done.status} {done.error_code})")

    def world(self) -> World:
        """Return (creating once) a repository with a pushed image to bind requests to."""
        if self._world is None:
            self._world = self._new_world("world")
        return self._world

    def may_mutate(self) -> bool:
        """True when this run may create resources on the target."""
        if self.config.read_only:
            return False
        return not self.config.targets_aws or self.config.allow_aws_mutations

    def scratch(self, purpose: str) -> World:
        """Return (creating once per purpose) a disposable repository with a pushed image."""
        if purpose not in self._scratch:
            self._scratch[purpose] = self._new_world("s")
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

    def remember_registry(self) -> None:
        """Record the registry's display name once, before the run first changes it."""
        if any(e["kind"] == "registry-catalog" for e in self.ledger.entries):
            return
        ex = self.send("GetRegistryCatalogData", {})
        body = ex.json if ex.ok and isinstance(ex.json, dict) else {}
        previous = body.get("registryCatalogData", {}).get("displayName", "")
        self.ledger.record("registry-catalog", previous=previous)

    def _arn(self, repo: str) -> str:
        ex = self.send("DescribeRepositories", {"repositoryNames": [repo]})
        if ex.ok and isinstance(ex.json, dict) and ex.json.get("repositories"):
            return str(ex.json["repositories"][0].get("repositoryArn", ""))
        return ""

    def samples(self, op: Any) -> list[Any]:
        """The operation's sent requests and their exchanges (built once, then cached)."""
        from .samples import build_samples

        with self._sample_lock:
            if op.name not in self._samples:
                self._samples[op.name] = build_samples(self, op)
            return self._samples[op.name]

    def cleanup(self) -> list[str]:
        """Delete everything the run created (ledger and prefix); restore registry data.

        Faults are retried and the prefix is listed again afterwards; the outcome is kept as
        ``cleanup_report``. Returns the names left behind.
        """
        report = clean_up(self.client, self.prefix, self.ledger.repositories(), self.ledger.entries)
        self.cleanup_report = report
        return list(report.left)
