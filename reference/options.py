"""Server options of the reference endpoint (everything but the fault switches)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..specs import load_service
from ..specs.editions import DEFAULT_EDITION, EditionError
from ..specs.editions import edition as find_edition
from .market import DEFAULT_PRODUCTS
from .scans import DEFAULT_OUTCOMES, FINAL_STATUSES, SCAN_SECONDS
from .variants import check_variants

#: The longest scan the ImageScanComplete waiter waits for (30 attempts x 10 s).
LONGEST_SCAN_S = 300.0
ALIAS_STATUSES = ("ACTIVE", "PENDING", "REJECTED")

#: Default limit on a request body, in bytes (32 MiB); larger bodies get HTTP 413.
MAX_BODY_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Scans:
    """How the reference's image scans go: what they find, how long they take, how they end."""

    #: The findings a successful scan reports, in their wire form (None: a built-in sample).
    findings: tuple[Mapping[str, Any], ...] | None = None
    #: How long a scan takes, in seconds.
    seconds: float = SCAN_SECONDS
    #: The status a scan ends in for an image pushed with a given tag (tag -> status).
    outcomes: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_OUTCOMES))


#: make_options' keywords for the fields of :class:`Scans`.
SCAN_OPTIONS = {"scan_findings": "findings", "scan_seconds": "seconds", "scan_outcomes": "outcomes"}


@dataclass(frozen=True)
class Options:
    """Tunable behaviour of the reference endpoint; every field has a spec-neutral default."""

    #: The spec edition served (a shipped edition's name; see specs/editions.py).
    edition: str = DEFAULT_EDITION
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
    # What the API cannot create (premium repositories, later editions; see market.py):
    #: Whether the registry is verified (premium repositories need it).
    registry_verified: bool = True
    #: The status of the registry's custom alias: ACTIVE (approved), PENDING or REJECTED.
    alias_status: str = "ACTIVE"
    #: The Marketplace products the caller owns ("*": every well-formed id).
    marketplace_products: tuple[str, ...] = DEFAULT_PRODUCTS
    #: Entitled repositories of other publishers, in their data form (None: a built-in sample).
    entitlements: tuple[Mapping[str, Any], ...] | None = None
    #: Publisher reports in their wire form (None: weekly and monthly ones made up at start).
    publisher_reports: tuple[Mapping[str, Any], ...] | None = None
    #: How image scans go (make_options' ``scan_findings``, ``scan_seconds``, ``scan_outcomes``).
    scans: Scans = field(default_factory=Scans)


def make_options(**kwargs: Any) -> Options:
    """Build :class:`Options`; ``TypeError`` names an unknown option."""
    known = {f.name for f in dataclasses.fields(Options)} - {"scans"} | SCAN_OPTIONS.keys()
    unknown = sorted(set(kwargs) - known)
    if unknown:
        raise TypeError(f"unknown option(s) {unknown}; known options: {sorted(known)}")
    if kwargs.get("credentials") is None:
        kwargs.pop("credentials", None)
    kwargs["edition"] = _edition(kwargs.get("edition"))
    if "unsupported" in kwargs:
        kwargs["unsupported"] = _operations(kwargs["unsupported"], kwargs["edition"])
    if "variants" in kwargs:
        kwargs["variants"] = check_variants(kwargs["variants"] or ())
    _check_premium(kwargs)
    scans = {SCAN_OPTIONS[k]: kwargs.pop(k) for k in list(kwargs) if k in SCAN_OPTIONS}
    return Options(**kwargs, scans=Scans(**scans))


def _check_premium(kwargs: dict[str, Any]) -> None:
    """Check and normalise the options about what the API cannot create."""
    if kwargs.get("alias_status", "ACTIVE") not in ALIAS_STATUSES:
        raise ValueError(f"alias_status must be one of {', '.join(ALIAS_STATUSES)}")
    seconds = kwargs.get("scan_seconds", SCAN_SECONDS)
    if not 0 <= float(seconds) < LONGEST_SCAN_S:
        raise ValueError(f"scan_seconds must be at least 0 and below {LONGEST_SCAN_S:.0f}")
    outcomes = dict(kwargs.get("scan_outcomes") or {})
    bad = sorted(s for s in outcomes.values() if s not in FINAL_STATUSES)
    if bad:
        raise ValueError(f"scan outcome(s) {bad}: one of {', '.join(FINAL_STATUSES)} expected")
    if "scan_outcomes" in kwargs:
        kwargs["scan_outcomes"] = outcomes
    for key in ("marketplace_products", "entitlements", "publisher_reports", "scan_findings"):
        if kwargs.get(key) is not None:
            kwargs[key] = tuple(kwargs[key])


def _edition(name: str | None) -> str:
    """The shipped edition ``name`` stands for (None: the default); ``ValueError`` if none."""
    try:
        return find_edition(name).name
    except EditionError as exc:
        raise ValueError(str(exc)) from None


def _operations(names: Iterable[str], edition: str) -> frozenset[str]:

    out = frozenset(names)
    unknown = sorted(out - load_service(edition).operations.keys())
    if unknown:
        raise ValueError(f"unknown operation(s) {unknown} in 'unsupported' (edition {edition})")
    return out
