"""One client-side driver for layer uploads, image pushes and deletes, as docker and crane do them.

The check environment's setup, the registry state machine and the documented-behaviour
scenarios all push images; they share this driver so that every push the suite sends obeys the
spec (a client is a client, whoever it prepares for): a blob that fits in one part goes in one
part, and a blob split in several parts uses parts of at least 5 MiB but the last ("Layer parts
must be at least 5 MiB in size", LayerPartTooSmallException), sized after the ``partSize``
InitiateLayerUpload advertises when that is a size a client can follow.

Each request goes through ``call`` (the caller's counted, ledgered sender) and, when given, an
``observe(step, exchange)`` hook that may raise to assert on it. A step the target refuses
raises :class:`PushError` naming the step and the exchange; callers turn it into what they
report (a setup failure, a model mismatch).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..wire import Exchange
from .semantic_values import Blob, digest_of, manifest_for, parts_of

__all__ = [
    "MAX_PART",
    "MIN_PART",
    "PushError",
    "PushResult",
    "Pusher",
    "UploadResult",
    "part_plan",
    "realistic_layer_size",
]

MiB = 1024 * 1024
#: Smallest part but the last (LayerPartTooSmallException), and the largest part (LayerPartBlob).
MIN_PART = 5 * MiB
MAX_PART = 20 * MiB

Call = Callable[[str, dict[str, Any]], Exchange]
Observe = Callable[[str, Exchange], None]


class PushError(Exception):
    """The target refused a step of an upload or push."""

    def __init__(self, step: str, exchange: Exchange) -> None:
        self.step = step
        self.exchange = exchange
        answer = f"HTTP {exchange.status}" + (
            f" {exchange.error_code}" if exchange.error_code else ""
        )
        super().__init__(f"{step} was refused: {answer}")


@dataclass(frozen=True)
class UploadResult:
    """A completed (or already present) layer: its digest and the exchanges it took."""

    digest: str
    upload_id: str | None
    parts: int
    exchanges: tuple[Exchange, ...]
    existed: bool = False


@dataclass(frozen=True)
class PushResult:
    """A pushed image: the digest the target returned, the manifest, and its blobs."""

    digest: str
    manifest: str
    media_type: str
    blobs: tuple[str, ...]
    exchange: Exchange
    uploads: tuple[UploadResult, ...] = field(default=())

    @property
    def manifest_digest(self) -> str:
        """The sha256 of the manifest bytes (what the image digest must be)."""
        return digest_of(self.manifest.encode())


def advised_part_size(advertised: Any) -> int:
    """The part size to use: the advertised partSize when a client can follow it, else 5 MiB."""
    if isinstance(advertised, int) and not isinstance(advertised, bool):
        if MIN_PART <= advertised <= MAX_PART:
            return advertised
    return MIN_PART


def part_plan(size: int, part_size: int) -> list[int]:
    """Inner cut offsets for ``size`` bytes: none when one part holds it, else parts of
    ``part_size`` (at least 5 MiB) and a shorter last part."""
    step = max(part_size, MIN_PART)
    return list(range(step, size, step)) if size > step else []


def realistic_layer_size(part_size: int) -> int:
    """A layer that takes several parts of ``part_size`` and is at least 10 MiB in total."""
    return max(2 * MIN_PART, max(part_size, MIN_PART)) + MiB


@dataclass
class Pusher:
    """Drives uploads and pushes through ``call``; ``observe`` sees every exchange."""

    call: Call
    observe: Observe | None = None

    def _send(self, step: str, params: dict[str, Any]) -> Exchange:
        ex = self.call(step, params)
        if self.observe is not None:
            self.observe(step, ex)
        return ex

    def _ok(self, step: str, ex: Exchange) -> dict[str, Any]:
        if not ex.ok:
            raise PushError(step, ex)
        return ex.json if isinstance(ex.json, dict) else {}

    def initiate(self, repository: str) -> tuple[str, int, Exchange]:
        """InitiateLayerUpload: the upload id and the part size to use."""
        ex = self._send("InitiateLayerUpload", {"repositoryName": repository})
        body = self._ok("InitiateLayerUpload", ex)
        upload_id = body.get("uploadId")
        if not isinstance(upload_id, str):
            raise PushError("InitiateLayerUpload", ex)
        return upload_id, advised_part_size(body.get("partSize")), ex

    def upload(self, repository: str, data: bytes, *, multipart: bool = False) -> UploadResult:
        """Upload ``data`` as one layer; in several parts only when it needs them (or
        ``multipart`` and it is large enough to split by the spec's rule)."""
        upload_id, part_size, started = self.initiate(repository)
        return self._parts(repository, upload_id, part_size, started, data, multipart)

    def upload_realistic(
        self, repository: str, make: Callable[[int], bytes] | None = None
    ) -> tuple[UploadResult, bytes]:
        """Upload a layer as docker and crane do: at least 10 MiB, in several parts of the
        partSize the target advertises (5 to 20 MiB); ``make(size)`` gives the bytes."""
        upload_id, part_size, started = self.initiate(repository)
        size = realistic_layer_size(part_size)
        data = make(size) if make is not None else bytes(size)
        done = self._parts(repository, upload_id, part_size, started, data, True)
        return done, data

    def _parts(
        self,
        repository: str,
        upload_id: str,
        part_size: int,
        started: Exchange,
        data: bytes,
        multipart: bool,
    ) -> UploadResult:
        cuts = part_plan(len(data), part_size) if multipart or len(data) > MAX_PART else []
        exchanges = [started]
        for part in parts_of(data, cuts):
            ex = self._send(
                "UploadLayerPart",
                {
                    "repositoryName": repository,
                    "uploadId": upload_id,
                    "partFirstByte": part.first_byte,
                    "partLastByte": part.last_byte,
                    "layerPartBlob": part.blob,
                },
            )
            self._ok("UploadLayerPart", ex)
            exchanges.append(ex)
        digest = digest_of(data)
        done = self._send(
            "CompleteLayerUpload",
            {"repositoryName": repository, "uploadId": upload_id, "layerDigests": [digest]},
        )
        exchanges.append(done)
        if done.error_code == "LayerAlreadyExistsException":
            return UploadResult(digest, upload_id, len(cuts) + 1, tuple(exchanges), existed=True)
        self._ok("CompleteLayerUpload", done)
        return UploadResult(digest, upload_id, len(cuts) + 1, tuple(exchanges))

    def put_image(
        self,
        repository: str,
        manifest: str,
        media_type: str,
        tag: str | None = None,
        digest: str | None = None,
    ) -> Exchange:
        """PutImage of ``manifest`` (optionally tagged, optionally naming its digest)."""
        params: dict[str, Any] = {
            "repositoryName": repository,
            "imageManifest": manifest,
            "imageManifestMediaType": media_type,
        }
        if tag is not None:
            params["imageTag"] = tag
        if digest is not None:
            params["imageDigest"] = digest
        return self._send("PutImage", params)

    def push(
        self,
        repository: str,
        layers: Sequence[Blob],
        tag: str | None = None,
        *,
        oci: bool = False,
        nonce: str = "",
        multipart: bool = False,
    ) -> PushResult:
        """Upload the config and every layer, then PutImage; return what was pushed."""
        text, config, media_type = manifest_for(list(layers), oci=oci, nonce=nonce)
        uploads = [self.upload(repository, b.data, multipart=multipart) for b in [config, *layers]]
        ex = self.put_image(repository, text, media_type, tag)
        body = self._ok("PutImage", ex)
        returned = body.get("image", {}).get("imageId", {}).get("imageDigest")
        digest = returned if isinstance(returned, str) else digest_of(text.encode())
        return PushResult(
            digest,
            text,
            media_type,
            tuple(u.digest for u in uploads),
            ex,
            tuple(uploads),
        )

    def delete_repository(self, repository: str, force: bool = True) -> Exchange:
        """DeleteRepository (forced by default)."""
        return self._send("DeleteRepository", {"repositoryName": repository, "force": force})
