"""Named variants: the other valid choice for each freedom the specification leaves.

A fault switch makes the reference deviate, to prove a check can fail; a variant makes it choose
differently where the spec allows either, to prove no check fails on a valid choice. Each variant
names the freedoms (``specs/freedoms.toml``) it exercises; the suite must give zero failures on
the reference with every variant, alone and all together.

The output-shaping variants are applied generically over the output shape here
(:func:`shape_output`); the others are read by the handlers through :func:`on`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..specs.model import Operation, Shape

MiB = 1024 * 1024


@dataclass(frozen=True)
class Variant:
    """One variant: its name, the freedoms it exercises, and what the reference then does."""

    name: str
    freedoms: tuple[str, ...]
    description: str


_ENTRIES = (
    (
        "listing-order-reversed",
        ("listing-order",),
        "listings, tags and image tags come in descending order",
    ),
    (
        "opaque-random-tokens",
        ("token-format",),
        "nextTokens are random ids kept by the server, new on every call",
    ),
    (
        "minimal-output",
        ("optional-members",),
        "optional members are left out: registryId echoes, URIs, media types, partSize, "
        "empty catalog data, and the ARN in CreateRepository's answer",
    ),
    (
        "empty-lists-present",
        ("empty-lists", "output-constraints"),
        "every absent list member is sent as []",
    ),
    ("empty-lists-omitted", ("empty-lists",), "every empty list member is left out"),
    (
        "extra-output-members",
        ("extra-members",),
        "every response structure carries a member the model does not define",
    ),
    (
        "other-identifier-formats",
        ("identifier-formats",),
        "upload ids in upper case, ARNs with a region, other URIs, alias and token formats",
    ),
    (
        "catalog-merge",
        ("catalog-merge",),
        "PutRepositoryCatalogData merges into the stored catalog data",
    ),
    (
        "state-before-validation",
        ("error-precedence",),
        "a request naming a repository that does not exist gets RepositoryNotFoundException "
        "before validation",
    ),
    (
        "unknown-target-invalid-action",
        ("unknown-target-code",),
        "an unknown X-Amz-Target is answered HTTP 400 InvalidAction",
    ),
    (
        "unsigned-access-denied",
        ("unsigned-request-code",),
        "an unsigned request is answered HTTP 403 AccessDeniedException",
    ),
    (
        "other-messages",
        ("message-texts",),
        "error bodies carry 'Message' (capital M) with other texts",
    ),
    (
        "enforce-min-part-size",
        ("part-size",),
        "parts but the last below 5 MiB are refused (LayerPartTooSmallException)",
    ),
    ("part-size-20mib", ("part-size",), "InitiateLayerUpload advertises a partSize of 20 MiB"),
    ("image-size-with-config", ("image-size",), "imageSizeInBytes counts the config blob too"),
    (
        "unverified-registry-rejects-name",
        ("registry-verified",),
        "the registry is not verified and refuses a display name (InvalidParameterException)",
    ),
    (
        "unverified-registry-ignores-name",
        ("registry-verified",),
        "the registry is not verified and accepts a display name without keeping it",
    ),
    ("not-found-404", ("not-found-status",), "not-found errors come with HTTP 404"),
    (
        "new-enum-values",
        ("open-enums", "output-constraints"),
        "DescribeRegistries lists an alias whose status is not in the model",
    ),
    (
        "layers-do-not-block-delete",
        ("layers-only-repository",),
        "a repository with layers but no images counts as empty",
    ),
    (
        "delayed-visibility",
        ("visibility-delay",),
        "a created repository is listed only 0.15 s after creation",
    ),
    (
        "reject-unknown-members",
        ("unknown-request-members",),
        "request members the model does not define are refused",
    ),
    (
        "empty-catalog-data",
        ("catalog-data-absent",),
        "a repository never given catalog data answers empty catalog data, not an error",
    ),
    (
        "missing-layer-unavailable",
        ("missing-layer-report",),
        "BatchCheckLayerAvailability lists a layer never uploaded as UNAVAILABLE, not as a "
        "MissingLayerDigest failure",
    ),
)

#: Every variant, by name.
VARIANTS: dict[str, Variant] = {name: Variant(name, f, d) for name, f, d in _ENTRIES}
ALL = "all"


def check_variants(names: Iterable[str]) -> frozenset[str]:
    """Return the variant names as a set (``all`` means every variant); ``ValueError`` lists the
    known ones if a name is unknown."""
    out = set(names)
    if ALL in out:
        out = (out - {ALL}) | set(VARIANTS)
    unknown = sorted(out - VARIANTS.keys())
    if unknown:
        known = ", ".join(sorted(VARIANTS))
        raise ValueError(f"unknown variant(s) {', '.join(unknown)}; known variants: {known}")
    return frozenset(out)


def on(holder: Any, name: str) -> bool:
    """True when variant ``name`` is on (``holder`` is an endpoint's Options or a Ctx)."""
    options = getattr(holder, "options", holder)
    return name in options.variants


# --------------------------------------------------------------------------- output shaping

#: Members ``minimal-output`` leaves out wherever the model does not require them.
MINIMAL_DROPPED = frozenset(
    {
        "registryId",
        "repositoryUri",
        "registryUri",
        "imageManifestMediaType",
        "artifactMediaType",
        "partSize",
    }
)
EXTRA_MEMBER = "vendorExtension"


def _structure(shape: Shape, value: dict[str, Any], variants: frozenset[str], op: str) -> Any:
    members = {m.name: m for m in shape.members}
    out = {
        k: (shape_value(members[k].shape, v, variants, op) if k in members else v)
        for k, v in value.items()
    }
    for m in shape.members:
        present = m.name in out
        if m.shape.kind == "list":
            if (
                "empty-lists-omitted" in variants
                and present
                and out[m.name] == []
                and not m.required
            ):
                del out[m.name]
            elif "empty-lists-present" in variants and not present:
                out[m.name] = []
        if "minimal-output" in variants and m.name in out and not m.required:
            empty_catalog = m.name == "catalogData" and out[m.name] == {}
            if m.name in MINIMAL_DROPPED or empty_catalog:
                del out[m.name]
    if "minimal-output" in variants and op == "CreateRepository" and shape.name == "Repository":
        out.pop("repositoryArn", None)
    if "extra-output-members" in variants:
        out[EXTRA_MEMBER] = {"note": "a member this model version does not define"}
    return out


def shape_value(shape: Shape, value: Any, variants: frozenset[str], op: str = "") -> Any:
    """Apply the output-shaping variants to one value of ``shape``."""
    if shape.kind == "structure" and isinstance(value, dict):
        return _structure(shape, value, variants, op)
    if shape.kind == "list" and isinstance(value, list) and shape.item is not None:
        return [shape_value(shape.item, v, variants, op) for v in value]
    return value


SHAPING = frozenset(
    {"minimal-output", "empty-lists-present", "empty-lists-omitted", "extra-output-members"}
)


def shape_output(op: Operation, result: dict[str, Any], variants: frozenset[str]) -> Any:
    """Return the output as the active variants shape it (``result`` itself when none does)."""
    if not SHAPING & variants:
        return result
    return shape_value(op.output, result, variants, op.name)


def min_part_size(options: Any) -> int:
    """The smallest part (but the last) the endpoint accepts."""
    return 5 * MiB if on(options, "enforce-min-part-size") else int(options.min_part_size)
