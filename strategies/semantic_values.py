"""Semantic knowledge the specs cannot express, in one place.

Everything here is registry domain knowledge rather than a consequence of a JSON Schema:

* how to build repository names of an exact length (segments joined by separators, so a name
  of any length in the 2..205 budget full-matches the ``RepositoryName`` pattern without
  filtering);
* layer blobs, their ``sha256:`` digests and their split into contiguous parts
  (``partFirstByte``/``partLastByte`` are inclusive byte offsets);
* Docker v2 schema 2 and OCI image manifests, manifest lists and indexes referencing uploaded
  blobs (config blob + layers, with correct sizes and digests), as JSON text;
* IAM-style repository policy documents;
* repository catalog data with a small PNG logo (base64);
* which request members name resources (``CONTEXT_FIELDS``), so generation can be bound to a
  :class:`~ecr_public_conformance.strategies.core.Context` of resources that exist on a target;
* value builders for a few shapes, by shape name (``SHAPE_BUILDERS``).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import random
import string
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "CANONICAL",
    "CONTEXT_FIELDS",
    "DOCKER_CONFIG",
    "DOCKER_LAYER",
    "DOCKER_MANIFEST",
    "DOCKER_MANIFEST_LIST",
    "OCI_CONFIG",
    "OCI_INDEX",
    "OCI_LAYER",
    "OCI_MANIFEST",
    "EXACT_LENGTH",
    "SHAPE_BUILDERS",
    "UNIQUE_ITEMS",
    "Blob",
    "account_ids",
    "Part",
    "blobs",
    "catalog_data",
    "digest_of",
    "extra_error_codes",
    "image_manifests",
    "logo_blobs",
    "logo_png",
    "manifest_for",
    "manifest_list_for",
    "parts_of",
    "policy_documents",
    "repository_name_of_length",
    "repository_names",
    "split_points",
    "upload_ids",
]

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"

#: Request member name -> the Context field whose values it names. For list members the
#: mapping applies to each item. This is per-member knowledge, not derivable from the schema.
CONTEXT_FIELDS: dict[str, str] = {
    "repositoryName": "repositories",
    "repositoryNames": "repositories",
    "layerDigests": "layer_digests",
    "uploadId": "upload_ids",
    "imageDigest": "image_digests",
    "imageTag": "image_tags",
    "resourceArn": "resource_arns",
}

_ALNUM = string.ascii_lowercase + string.digits
_SEPARATORS = "._-/"


# --------------------------------------------------------------------------- repository names


def _place_separators(chars: list[str], positions: list[int], seps: list[str]) -> str:
    """Put separators at non-adjacent inner positions of ``chars``; return the name."""
    last = -2
    for pos, sep in zip(sorted(set(positions)), seps, strict=False):
        if pos <= 0 or pos >= len(chars) - 1 or pos == last + 1:
            continue
        chars[pos] = sep
        last = pos
    return "".join(chars)


@functools.lru_cache(maxsize=4096)  # boundary requests ask for the same few names many times
def repository_name_of_length(length: int, seed: int = 0) -> str:
    """Return a deterministic repository name of exactly ``length`` characters (>= 1)."""
    if length < 1:
        raise ValueError(f"a repository name has at least 1 character, not {length}")
    rnd = random.Random(seed)
    chars = [rnd.choice(_ALNUM) for _ in range(length)]
    positions = [rnd.randrange(1, max(2, length - 1)) for _ in range(length // 5)]
    seps = [rnd.choice(_SEPARATORS) for _ in positions]
    return _place_separators(chars, positions, seps)


def repository_names(
    min_size: int = 2, max_size: int = 205, *, prefix: str = ""
) -> st.SearchStrategy[str]:
    """Strategy for repository names of ``min_size..max_size`` characters, built from segments.

    With ``prefix`` every name starts with ``prefix + "-"`` and the whole name stays inside the
    length budget; the prefix must itself be a valid name. A name is two draws (its length and
    a seed for :func:`repository_name_of_length`), not one per character: drawing up to 205
    characters one by one made names the slowest part of generating most requests.
    """
    lead = f"{prefix}-" if prefix else ""
    low = max(1, min_size - len(lead))
    high = max_size - len(lead)
    if high < low:
        raise ValueError(f"prefix {prefix!r} leaves no room in a {max_size}-character name")
    return st.builds(
        lambda length, seed: lead + repository_name_of_length(length, seed),
        st.integers(low, high),
        st.integers(0, 2**32 - 1),
    )


def account_ids() -> st.SearchStrategy[str]:
    """Strategy for 12-digit AWS account (registry) ids, one draw each (not 12)."""
    return st.integers(0, 10**12 - 1).map("{:012d}".format)


def upload_ids() -> st.SearchStrategy[str]:
    """Strategy for upload ids: UUIDs, in lower or upper case hex."""
    return st.builds(
        lambda u, upper: str(u).upper() if upper else str(u), st.uuids(), st.booleans()
    )


# --------------------------------------------------------------------------- blobs and parts


def digest_of(data: bytes) -> str:
    """Return the ``sha256:<hex>`` digest of ``data``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Part:
    """One part of a layer upload: inclusive byte offsets and the bytes."""

    first_byte: int
    last_byte: int
    data: bytes = b""

    def __repr__(self) -> str:
        return f"Part({self.first_byte}..{self.last_byte}, {len(self.data)} bytes)"

    @property
    def blob(self) -> str:
        """The part's bytes, base64-encoded for the wire."""
        return base64.b64encode(self.data).decode("ascii")


@dataclass(frozen=True)
class Blob:
    """A layer or config blob with its digest."""

    data: bytes
    media_type: str = DOCKER_LAYER

    def __repr__(self) -> str:
        return f"Blob({len(self.data)} bytes, {self.digest[:19]}...)"

    @property
    def digest(self) -> str:
        """The blob's ``sha256:`` digest."""
        return digest_of(self.data)

    @property
    def size(self) -> int:
        """The blob's size in bytes."""
        return len(self.data)

    def descriptor(self) -> dict[str, Any]:
        """The OCI/Docker descriptor of this blob."""
        return {"mediaType": self.media_type, "size": self.size, "digest": self.digest}


def blobs(
    min_size: int = 1, max_size: int = 256, media_type: str = DOCKER_LAYER
) -> st.SearchStrategy[Blob]:
    """Strategy for layer blobs of ``min_size..max_size`` bytes."""
    return st.binary(min_size=min_size, max_size=max_size).map(lambda b: Blob(b, media_type))


def split_points(size: int, parts: int) -> list[int]:
    """Return the sorted inner offsets that split ``size`` bytes into ``parts`` non-empty parts."""
    if size < 1 or parts < 1:
        raise ValueError("a split needs at least one byte and one part")
    parts = min(parts, size)
    step = size / parts
    return [round(step * i) for i in range(1, parts)]


def parts_of(data: bytes, cuts: list[int] | tuple[int, ...] = ()) -> list[Part]:
    """Split ``data`` at ``cuts`` into contiguous parts with inclusive byte offsets."""
    bounds = [0, *sorted({c for c in cuts if 0 < c < len(data)}), len(data)]
    return [
        Part(lo, hi - 1, data[lo:hi]) for lo, hi in zip(bounds, bounds[1:], strict=False) if hi > lo
    ]


# --------------------------------------------------------------------------- manifests


def _config_blob(layers: list[Blob], nonce: str, media_type: str) -> Blob:
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"Labels": {"conformance.nonce": nonce}},
        "rootfs": {"type": "layers", "diff_ids": [b.digest for b in layers]},
        "history": [{"created_by": "ecr-public-conformance"} for _ in layers],
    }
    return Blob(json.dumps(config, sort_keys=True).encode(), media_type)


def manifest_for(
    layers: list[Blob], *, oci: bool = False, nonce: str = ""
) -> tuple[str, Blob, str]:
    """Return ``(manifest_text, config_blob, media_type)`` for an image made of ``layers``.

    The config blob is part of the image and must be uploaded with the layers.
    """
    layer_type = OCI_LAYER if oci else DOCKER_LAYER
    layers = [Blob(b.data, layer_type) for b in layers]
    config = _config_blob(layers, nonce, OCI_CONFIG if oci else DOCKER_CONFIG)
    media_type = OCI_MANIFEST if oci else DOCKER_MANIFEST
    doc = {
        "schemaVersion": 2,
        "mediaType": media_type,
        "config": config.descriptor(),
        "layers": [b.descriptor() for b in layers],
    }
    return json.dumps(doc, indent=3), config, media_type


def manifest_list_for(manifests: list[tuple[str, str]], *, oci: bool = False) -> tuple[str, str]:
    """Return ``(index_text, media_type)`` for a list of ``(manifest_text, media_type)``."""
    media_type = OCI_INDEX if oci else DOCKER_MANIFEST_LIST
    entries = [
        {
            "mediaType": mt,
            "size": len(text.encode()),
            "digest": digest_of(text.encode()),
            "platform": {"architecture": arch, "os": "linux"},
        }
        for (text, mt), arch in zip(
            manifests, ["amd64", "arm64", "s390x", "ppc64le"] * 8, strict=False
        )
    ]
    return json.dumps({"schemaVersion": 2, "mediaType": media_type, "manifests": entries}), (
        media_type
    )


def image_manifests(max_layers: int = 3) -> st.SearchStrategy[str]:
    """Strategy for manifest texts (Docker v2 schema 2 or OCI) of small random layers."""
    return st.builds(
        lambda layers, oci, nonce: manifest_for(layers, oci=oci, nonce=nonce)[0],
        st.lists(blobs(1, 64), min_size=1, max_size=max_layers),
        st.booleans(),
        st.text(_ALNUM, max_size=8),
    )


# --------------------------------------------------------------------------- policies, catalog

_ACTIONS = (
    "ecr-public:BatchCheckLayerAvailability",
    "ecr-public:PutImage",
    "ecr-public:InitiateLayerUpload",
    "ecr-public:UploadLayerPart",
    "ecr-public:CompleteLayerUpload",
    "ecr-public:DescribeImages",
)


@st.composite
def _statement(draw: st.DrawFn) -> dict[str, Any]:
    account = draw(account_ids())
    actions = draw(st.lists(st.sampled_from(_ACTIONS), min_size=1, max_size=4, unique=True))
    return {
        "Sid": draw(st.text(string.ascii_letters + string.digits, min_size=1, max_size=16)),
        "Effect": draw(st.sampled_from(["Allow", "Deny"])),
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": actions if len(actions) > 1 else actions[0],
    }


def policy_documents(max_statements: int = 3) -> st.SearchStrategy[str]:
    """Strategy for IAM-style repository policy documents, as JSON text."""
    return st.lists(_statement(), min_size=1, max_size=max_statements).map(
        lambda stmts: json.dumps({"Version": "2012-10-17", "Statement": stmts})
    )


def logo_png(width: int = 1, height: int = 1, rgb: tuple[int, int, int] = (0, 0, 0)) -> bytes:
    """Return the bytes of a tiny, well-formed PNG image of one colour."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return len(body).to_bytes(4, "big") + kind + body + crc.to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def logo_blobs() -> st.SearchStrategy[str]:
    """Strategy for small PNG logos, base64-encoded (``logoImageBlob``)."""
    return _logos


_logos = st.builds(
    lambda w, h, r, g, b: base64.b64encode(logo_png(w, h, (r, g, b))).decode("ascii"),
    st.integers(1, 8),
    st.integers(1, 8),
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 255),
)

_words = st.text(string.ascii_letters + string.digits + " .-", min_size=1, max_size=24)


def catalog_data(with_logo: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Strategy for repository catalog data (``RepositoryCatalogDataInput``), logo optional."""
    optional: dict[str, st.SearchStrategy[Any]] = {
        "description": _words,
        "architectures": st.lists(
            st.sampled_from(["x86", "x86-64", "ARM", "ARM 64"]), max_size=3, unique=True
        ),
        "operatingSystems": st.lists(
            st.sampled_from(["Linux", "Windows"]), max_size=2, unique=True
        ),
        "aboutText": _words.map(lambda s: f"# About\n\n{s}"),
        "usageText": _words.map(lambda s: f"`docker pull {s}`"),
    }
    if with_logo:
        optional["logoImageBlob"] = _logos
    return st.fixed_dictionaries({}, optional=optional)


# --------------------------------------------------------------------------- shape builders


def _names(lo: int, hi: int) -> st.SearchStrategy[str]:
    return repository_names(lo, hi)


def _policies(lo: int, hi: int) -> st.SearchStrategy[str]:
    return policy_documents().filter(lambda s: lo <= len(s) <= hi)


def _manifests(lo: int, hi: int) -> st.SearchStrategy[str]:
    return image_manifests().filter(lambda s: lo <= len(s) <= hi)


def _digests(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.binary(max_size=16).map(digest_of).filter(lambda s: lo <= len(s) <= hi)


def _registry_ids(lo: int, hi: int) -> st.SearchStrategy[str]:
    return account_ids().filter(lambda s: lo <= len(s) <= hi)


def _upload_ids(lo: int, hi: int) -> st.SearchStrategy[str]:
    return upload_ids().filter(lambda s: lo <= len(s) <= hi)


#: Shape name -> builder of valid string values given (min_length, max_length). Each builder's
#: values full-match the shape's pattern, if any; the length bounds are the (capped) budget.
SHAPE_BUILDERS: dict[str, Callable[[int, int], st.SearchStrategy[str]]] = {
    "RepositoryName": _names,
    "RepositoryPolicyText": _policies,
    "ImageManifest": _manifests,
    "LayerDigest": _digests,
    "BatchedOperationLayerDigest": _digests,
    "RegistryId": _registry_ids,
    "UploadId": _upload_ids,
}

#: List shapes whose items must differ from each other, by the document ("each category can
#: only be specified once"): a valid value never repeats an item.
UNIQUE_ITEMS = frozenset({"CategoryList"})

#: Shape name -> deterministic valid value of an exact length (used by boundary examples).
EXACT_LENGTH: dict[str, Callable[..., str]] = {
    "RepositoryName": repository_name_of_length,
}


def _upload_id(variant: int) -> str:
    return f"{variant:08x}-0000-4000-8000-{variant:012x}"


def _policy_text(variant: int) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": f"s{variant}",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{variant:012d}:root"},
                    "Action": "ecr-public:DescribeImages",
                }
            ],
        }
    )


def _manifest_text(variant: int) -> str:
    return manifest_for([Blob(f"layer-{variant}".encode())], nonce=str(variant))[0]


#: Shape name -> deterministic valid value for a variant number (boundary requests use these
#: for members that are present but not under test).
CANONICAL: dict[str, Callable[[int], str]] = {
    "LayerDigest": lambda v: digest_of(f"layer-{v}".encode()),
    "BatchedOperationLayerDigest": lambda v: digest_of(f"layer-{v}".encode()),
    "ImageDigest": lambda v: digest_of(f"image-{v}".encode()),
    "UploadId": _upload_id,
    "RegistryId": lambda v: f"{v + 1:012d}",
    "RepositoryPolicyText": _policy_text,
    "ImageManifest": _manifest_text,
    "ImageTag": lambda v: f"tag-{v}",
    "TagKey": lambda v: f"key-{v}",
    "Arn": lambda v: f"arn:aws:ecr-public::123456789012:repository/repo-{v}",
}


def extra_error_codes(path: tuple[str | int, ...], violation: str) -> frozenset[str]:
    """Error codes a member's meaning adds to the generic ones (tags: tag errors)."""
    if path and path[0] in ("tags", "tagKeys"):
        extra = {"InvalidTagParameterException"}
        if violation == "too-many-items":
            extra.add("TooManyTagsException")
        return frozenset(extra)
    return frozenset()
