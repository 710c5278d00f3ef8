"""Checks of the startup data given as options, against the newest edition's output schemas:
each entitlement, image, report and finding must be something the API could answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..specs import load_service
from ..specs.validation import violations


def item_schema(operation: str, *path: str) -> Mapping[str, Any]:
    """The schema of one item of the list at ``path`` in ``operation``'s output (newest)."""
    schema = load_service("newest").operation(operation).output_schema
    for member in path:
        schema = schema["properties"][member]
    return schema["items"]


def _check(schema: Mapping[str, Any], value: Any, what: str) -> None:
    found = violations(schema, value)
    if found:
        first = found[0]
        raise ValueError(f"{what}: at {first.member}: {first.message}")


def _entitled_wire(raw: Mapping[str, Any], product: Any) -> dict[str, Any]:
    keys = ("registryAlias", "repositoryName", "state", "registryDisplayName")
    out = {k: raw[k] for k in keys if k in raw}
    return {**out, "entitledViaProductId": product}


def check_entitlements(entries: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The entitlements, each checked: registry alias, repository name, products, state, and
    every image as ``DescribeEntitledImages`` would answer it."""
    repo_schema = item_schema("DescribeEntitledRepositories", "repositories")
    image_schema = item_schema("DescribeEntitledImages", "imageDetails")
    out = list(entries)
    for n, raw in enumerate(out, 1):
        what = f"entitlement {n}"
        if not raw.get("registryAlias") or not raw.get("repositoryName"):
            raise ValueError(f"{what}: registryAlias and repositoryName are required")
        products = raw.get("products")
        if not isinstance(products, list) or not products:
            raise ValueError(f"{what}: 'products' (a non-empty list of product ids) is required")
        for product in products:
            _check(repo_schema, _entitled_wire(raw, product), what)
        for i, image in enumerate(raw.get("images", ()), 1):
            relative = {"imageTags", "scheduledDeletionInDays"}
            detail = {k: v for k, v in image.items() if k not in relative}
            detail["imageTags"] = image.get("imageTags", [])
            _check(image_schema, detail, f"{what}, image {i}")
    return out


def check_reports(entries: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The publisher reports, each a ``PublisherReport`` as ``ListPublisherReports`` answers."""
    schema = item_schema("ListPublisherReports", "reports")
    out = list(entries)
    for n, raw in enumerate(out, 1):
        _check(schema, raw, f"publisher report {n}")
    return out


def check_findings(entries: Iterable[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    """The scan findings, each an ``ImageScanFinding`` with a ``findingId``."""
    schema = item_schema("DescribeImageScanFindings", "imageScanFindings", "findings")
    out = tuple(entries)
    for n, raw in enumerate(out, 1):
        if not raw.get("findingId"):
            raise ValueError(f"scan finding {n}: 'findingId' is required")
        _check(schema, raw, f"scan finding {n}")
    return out
