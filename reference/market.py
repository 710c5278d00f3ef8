"""What the API cannot create: the caller's Marketplace products and entitlements, publisher
reports and scan findings, read from the startup options (or made up for a default run).

Entitlements are premium repositories of other publishers the caller bought access to, with
their images, in the wire form ``DescribeEntitledRepositories`` and ``DescribeEntitledImages``
answer (``products`` lists the products that entitle the caller; ``images`` the images, each
with ``imageTags``, and a deletion time as ``scheduledDeletionAt`` or, relative to the start,
``scheduledDeletionInDays``). Data given as options is checked against the newest edition's output
schemas before the endpoint starts; ``ValueError`` says what is wrong.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .market_checks import check_entitlements, check_findings, check_reports
from .publisher_reports import Report, default_reports, report_from_wire

DAY_S = 86400.0
#: The Marketplace products the caller owns by default (each with a Premium delivery option).
DEFAULT_PRODUCTS = tuple(f"prod-reference-{c}" for c in "abcdef")
#: ``marketplace_products`` naming this owns every well-formed product id.
ANY_PRODUCT = "*"
FINDINGS_FILE = Path(__file__).with_name("findings.json")
ENTITLEMENTS_FILE = Path(__file__).with_name("entitlements.json")
DOCKER = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"


@dataclass(frozen=True)
class EntitledImage:
    """An image of an entitled repository (``tags``: tag -> when it was created)."""

    digest: str
    tags: tuple[tuple[str, float], ...]
    size: int
    pushed_at: float
    media_type: str
    artifact_media_type: str | None
    status: str
    deletion_at: float | None


@dataclass(frozen=True)
class EntitledRepository:
    """A premium repository of another publisher, the products that entitle the caller to it,
    and its images."""

    alias: str
    name: str
    state: str
    products: tuple[str, ...]
    display_name: str
    images: tuple[EntitledImage, ...]


@dataclass(frozen=True)
class Market:
    """The startup data of one endpoint."""

    entitled: tuple[EntitledRepository, ...] = ()
    reports: tuple[Report, ...] = ()
    findings: tuple[Mapping[str, Any], ...] = ()
    products: frozenset[str] = field(default_factory=frozenset)


def owns(market: Market, product: str) -> bool:
    """Whether the caller owns the Marketplace product."""
    return ANY_PRODUCT in market.products or product in market.products


@functools.cache
def default_findings() -> tuple[Mapping[str, Any], ...]:
    """The findings every successful scan reports in a default run (``findings.json``)."""
    return tuple(json.loads(FINDINGS_FILE.read_text(encoding="utf-8")))


def _image(alias: str, name: str, n: int, raw: Mapping[str, Any], now: float) -> EntitledImage:
    pushed = float(raw.get("imagePushedAt", now - (30 - n) * DAY_S))
    digest = raw.get("imageDigest") or (
        "sha256:" + hashlib.sha256(f"{alias}/{name}/{n}".encode()).hexdigest()
    )
    deletion = raw.get("scheduledDeletionAt")
    if "scheduledDeletionInDays" in raw:  # the data files' relative form
        deletion = now + float(raw["scheduledDeletionInDays"]) * DAY_S
    return EntitledImage(
        str(digest),
        tuple((str(t), pushed) for t in raw.get("imageTags", ())),
        int(raw.get("imageSizeInBytes", 0)),
        pushed,
        str(raw.get("imageManifestMediaType", DOCKER)),
        raw.get("artifactMediaType", DOCKER_CONFIG),
        str(raw.get("imageStatus", "ACTIVE")),
        None if deletion is None else float(deletion),
    )


def entitled_from_wire(raw: Mapping[str, Any], now: float) -> EntitledRepository:
    """An entitled repository from its data form (see the module's docstring)."""
    alias, name = str(raw["registryAlias"]), str(raw["repositoryName"])
    images = tuple(_image(alias, name, n, i, now) for n, i in enumerate(raw.get("images", ())))
    return EntitledRepository(
        alias,
        name,
        str(raw.get("state", "AVAILABLE")),
        tuple(str(p) for p in raw["products"]),
        str(raw.get("registryDisplayName", "")),
        images,
    )


@functools.cache
def _default_entitlements() -> tuple[Mapping[str, Any], ...]:
    return tuple(json.loads(ENTITLEMENTS_FILE.read_text(encoding="utf-8")))


def default_entitlements() -> list[Mapping[str, Any]]:
    """The entitlements of a default run (``entitlements.json``): two publishers, a repository
    reached through two products, a hidden one, one not available yet (DRAFT), a deprecated
    image."""
    return list(_default_entitlements())


def build_market(options: Any, now: float) -> Market:
    """The startup data an endpoint with these options serves (``ValueError`` if malformed)."""

    try:
        entitled = options.entitlements
        raw = default_entitlements() if entitled is None else check_entitlements(entitled)
        reports = options.publisher_reports
        findings = options.scans.findings
        return Market(
            tuple(entitled_from_wire(r, now) for r in raw),
            default_reports(now)
            if reports is None
            else tuple(report_from_wire(r) for r in check_reports(reports)),
            default_findings() if findings is None else check_findings(findings),
            frozenset(options.marketplace_products),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"startup data: {type(exc).__name__}: {exc}") from None


def load_json_list(path: str | Path, what: str) -> tuple[Mapping[str, Any], ...]:
    """Read a JSON file holding a list of objects (``ValueError`` says what is wrong)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{what} file {path}: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise ValueError(f"{what} file {path}: a JSON list of objects is expected")
    return tuple(data)
