"""Named variants: the other valid choice for each freedom the specification leaves.

A fault switch makes the reference deviate, to prove a check can fail; a variant makes it choose
differently where the spec allows either, to prove no check fails on a valid choice. Each variant
names the freedoms (``specs/freedoms.toml``) it exercises; the suite must give zero failures on
the reference with every variant, alone and all together.

The variants are data (``variants.toml``), read once at import. The output-shaping variants are
applied generically over the output shape here (:func:`shape_output`); the others are read by
the handlers through :func:`on`, which refuses a name the file does not list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..specs.model import Operation, Shape
from .names import check_edition, known, read_entries

MiB = 1024 * 1024
VARIANTS_FILE = Path(__file__).with_name("variants.toml")


@dataclass(frozen=True)
class Variant:
    """One variant: its name, the freedoms it exercises, and what the reference then does.

    ``edition`` names the edition whose document leaves the choice open, when earlier editions
    lack the operations concerned.
    """

    name: str
    freedoms: tuple[str, ...]
    description: str
    edition: str | None = None


def load_variants(path: Path = VARIANTS_FILE) -> dict[str, Variant]:
    """Read the variants, by name (``ValueError`` names a malformed entry)."""
    out = {}
    for raw in read_entries(path, "variant", ("name", "description")):
        freedoms = raw.get("freedoms")
        if not isinstance(freedoms, list) or not freedoms:
            raise ValueError(f"{path}: variant {raw['name']!r}: 'freedoms' (a list) is required")
        out[raw["name"]] = Variant(
            raw["name"], tuple(freedoms), raw["description"], check_edition(path, raw)
        )
    return out


#: Every variant, by name.
VARIANTS: dict[str, Variant] = load_variants()
ALL = "all"


def known_variant(name: str) -> str:
    """Return ``name`` if it is a variant; :class:`~.names.UnknownName` otherwise."""
    return known(name, VARIANTS, "variant")


def known_variants(names: Iterable[str]) -> frozenset[str]:
    """The names as a set, each checked by :func:`known_variant` (for the code's own sets)."""
    return frozenset(known_variant(n) for n in names)


def check_variants(names: Iterable[str]) -> frozenset[str]:
    """Return the variant names as a set (``all`` means every variant); ``ValueError`` lists the
    known ones if a name is unknown."""
    out = set(names)
    if ALL in out:
        out = (out - {ALL}) | set(VARIANTS)
    unknown = sorted(out - VARIANTS.keys())
    if unknown:
        known_names = ", ".join(sorted(VARIANTS))
        raise ValueError(f"unknown variant(s) {', '.join(unknown)}; known variants: {known_names}")
    return frozenset(out)


def on(holder: Any, name: str) -> bool:
    """True when variant ``name`` is on (``holder`` is an endpoint's Options or a Ctx); an
    unknown name raises :class:`~.names.UnknownName`."""
    if name not in VARIANTS:
        known_variant(name)
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
        "premiumRegistryUri",
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


SHAPING = known_variants(
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
