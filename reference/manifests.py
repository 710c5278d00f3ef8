"""Image manifest parsing and digests: Docker v2 schema 2, OCI, manifest lists and indexes."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from .errors import invalid

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
IMAGE_TYPES = frozenset({DOCKER_MANIFEST, OCI_MANIFEST})
INDEX_TYPES = frozenset({DOCKER_LIST, OCI_INDEX})

#: A sha256 digest as registries write it.
DIGEST_RE = re.compile(r"sha256:[a-f0-9]{64}")


@dataclass(frozen=True)
class Manifest:
    """What PutImage needs from a manifest: its kind, media types and referenced digests."""

    media_type: str
    is_index: bool
    blobs: tuple[str, ...]
    children: tuple[str, ...]
    artifact_media_type: str | None
    #: The digest of the manifest this one names as its ``subject`` (OCI referrers), if any.
    subject: str | None = None


def digest_of(data: bytes | str) -> str:
    """Return ``sha256:<hex>`` of ``data`` (a string is digested as its UTF-8 bytes)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def is_digest(value: str) -> bool:
    """Return True when ``value`` is a well-formed sha256 digest."""
    return DIGEST_RE.fullmatch(value) is not None


def parse_manifest(text: str, declared: str | None) -> Manifest:
    """Parse a manifest string; ``InvalidParameterException`` says what is wrong with it."""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise invalid(f"Invalid parameter at 'imageManifest': not valid JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise invalid("Invalid parameter at 'imageManifest': the manifest is not a JSON object")
    media_type = _media_type(doc, declared)
    subject = _subject(doc)
    if media_type in INDEX_TYPES:
        children = _digests(doc.get("manifests"), "manifests", allow_empty=True)
        return Manifest(media_type, True, (), children, None, subject)
    config = doc.get("config")
    blobs = _digests([config] if config is not None else None, "config")
    layers = _digests(doc.get("layers"), "layers", allow_empty=True)
    artifact = config.get("mediaType") if isinstance(config, dict) else None
    return Manifest(media_type, False, blobs + layers, (), _str_or_none(artifact), subject)


def _subject(doc: dict[str, Any]) -> str | None:
    """The well-formed digest of the manifest's ``subject`` descriptor, or None."""
    subject = doc.get("subject")
    digest = subject.get("digest") if isinstance(subject, dict) else None
    return digest if isinstance(digest, str) and is_digest(digest) else None


def _media_type(doc: dict[str, Any], declared: str | None) -> str:
    inner = doc.get("mediaType")
    if inner is not None and declared is not None and inner != declared:
        raise invalid(
            f"Invalid parameter at 'imageManifestMediaType': '{declared}' differs from the "
            f"manifest's mediaType '{inner}'"
        )
    media_type = inner or declared or _guess(doc)
    if doc.get("schemaVersion") != 2 or media_type not in IMAGE_TYPES | INDEX_TYPES:
        raise invalid(
            f"Invalid parameter at 'imageManifest': unsupported manifest (schemaVersion "
            f"{doc.get('schemaVersion')!r}, media type {media_type!r})"
        )
    return str(media_type)


def _guess(doc: dict[str, Any]) -> str | None:
    if "manifests" in doc:
        return OCI_INDEX
    if "layers" in doc:
        return OCI_MANIFEST
    return None


def _digests(entries: Any, where: str, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(entries, list) or (not entries and not allow_empty):
        raise invalid(f"Invalid parameter at 'imageManifest': '{where}' is missing or not a list")
    out = []
    for entry in entries:
        digest = entry.get("digest") if isinstance(entry, dict) else None
        if not isinstance(digest, str) or not is_digest(digest):
            raise invalid(f"Invalid parameter at 'imageManifest': bad digest in '{where}'")
        out.append(digest)
    return tuple(out)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def layer_sizes(manifest: Manifest, sizes: dict[str, int]) -> int:
    """Return the image size: the sum of the stored sizes of its layers (not its config)."""
    return sum(sizes.get(d, 0) for d in manifest.blobs[1:])
