"""Server options of the reference endpoint (everything but the fault switches)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Default limit on a request body, in bytes (32 MiB); larger bodies get HTTP 413.
MAX_BODY_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Options:
    """Tunable behaviour of the reference endpoint; every field has a spec-neutral default."""

    account_id: str = "123456789012"
    region: str = "us-east-1"
    registry_alias: str = "reference"
    max_repositories: int = 10_000
    max_images_per_repository: int | None = None
    max_layer_parts: int | None = None
    min_part_size: int = 0
    max_tags: int = 50
    immutable_tags: bool = False
    unsupported: frozenset[str] = frozenset()
    max_body_bytes: int = MAX_BODY_BYTES
    default_page_size: int = 100
    consistency_delay: float = 1.5
    verify_sigv4: bool = False
    credentials: Mapping[str, str] = field(default_factory=lambda: {"test": "test"})
    #: The registry display name the endpoint starts with (None: never set).
    display_name: str | None = None
    #: The variants on (reference/variants.py): other valid choices where the spec leaves one.
    variants: frozenset[str] = frozenset()


def make_options(**kwargs: Any) -> Options:
    """Build :class:`Options`; ``TypeError`` names an unknown option."""
    known = {f.name for f in dataclasses.fields(Options)}
    unknown = sorted(set(kwargs) - known)
    if unknown:
        raise TypeError(f"unknown option(s) {unknown}; known options: {sorted(known)}")
    if kwargs.get("credentials") is None:
        kwargs.pop("credentials", None)
    if "unsupported" in kwargs:
        kwargs["unsupported"] = _operations(kwargs["unsupported"])
    if "variants" in kwargs:
        from .variants import check_variants

        kwargs["variants"] = check_variants(kwargs["variants"] or ())
    return Options(**kwargs)


def _operations(names: Iterable[str]) -> frozenset[str]:
    from ..specs import load_service

    out = frozenset(names)
    unknown = sorted(out - load_service().operations.keys())
    if unknown:
        raise ValueError(f"unknown operation(s) {unknown} in 'unsupported'")
    return out
