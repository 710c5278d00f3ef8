"""Premium repositories: each documented rule as a request and its expected answer.

Each row: a starting state, one request, and the answer the document gives it (``None`` for
success), with the page of the document (edition botocore-1.44.18) that states the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ecr_public_conformance.reference import ReferenceServer

from .helpers import raw_call
from .premium import PRODUCT, P, available, code, create, push

OTHER = "prod-reference-b"


def draft(c: Any) -> None:
    create(c, "prem", PRODUCT, OTHER)


def draft_image(c: Any) -> None:
    draft(c)
    push(c)


def avail(c: Any) -> None:
    draft_image(c)
    available(c)


def hidden(c: Any) -> None:
    avail(c)
    c.set_repository_state(repositoryName="prem", state="HIDDEN", **P)


def pair(c: Any) -> None:
    draft(c)
    c.create_repository(repositoryName="free")


def associated(c: Any) -> None:
    pair(c)
    c.associate_repositories(
        repositoryName="free",
        repositoryType="FREE",
        associatedRepositoryName="prem",
        associatedRepositoryType="PREMIUM",
    )


def nothing(c: Any) -> None:
    pass


def _state(state: str, kind: str = "PREMIUM", name: str = "prem") -> tuple[str, dict[str, Any]]:
    return "set_repository_state", {"repositoryName": name, "repositoryType": kind, "state": state}


def _products(*products: str) -> tuple[str, dict[str, Any]]:
    return "put_premium_repository_products", {
        "repositoryName": "prem",
        "marketplaceProducts": list(products),
    }


def _create(name: str = "prem", products: tuple[str, ...] = (PRODUCT,), **kw: Any) -> Any:
    return "create_premium_repository", {
        "repositoryName": name,
        "marketplaceProducts": list(products),
        **kw,
    }


def _status(status: str, days: int | None = None, **kw: Any) -> tuple[str, dict[str, Any]]:
    args = {"repositoryName": "prem", "imageId": {"imageTag": "v1"}, "status": status, **P}
    if days is not None:
        args["deprecationPeriodDays"] = days
    return "set_image_status", {**args, **kw}


def _associate(first: tuple[str, str], second: tuple[str, str], op: str = "associate") -> Any:
    return f"{op}_repositories", {
        "repositoryName": first[0],
        "repositoryType": first[1],
        "associatedRepositoryName": second[0],
        "associatedRepositoryType": second[1],
    }


FREE_ONE, PREMIUM_ONE = ("free", "FREE"), ("prem", "PREMIUM")
SCAN = {"repositoryName": "prem", "imageId": {"imageTag": "v1"}}
IPE, RNF = "InvalidParameterException", "RepositoryNotFoundException"

#: (id, starting state, (method, arguments), expected error code or None, document page)
ROWS: list[tuple[str, Callable[[Any], None], tuple[str, dict[str, Any]], str | None, str]] = [
    ("draft-to-available", draft, _state("AVAILABLE"), None, "set_repository_state"),
    ("draft-to-hidden", draft, _state("HIDDEN"), IPE, "set_repository_state"),
    ("draft-to-draft", draft, _state("DRAFT"), None, "set_repository_state"),
    ("available-to-hidden", avail, _state("HIDDEN"), None, "set_repository_state"),
    ("available-to-available", avail, _state("AVAILABLE"), None, "set_repository_state"),
    ("available-to-draft", avail, _state("DRAFT"), IPE, "set_repository_state"),
    ("hidden-to-available", hidden, _state("AVAILABLE"), None, "set_repository_state"),
    ("hidden-to-draft", hidden, _state("DRAFT"), IPE, "set_repository_state"),
    ("state-of-free", pair, _state("AVAILABLE", "FREE", "free"), IPE, "set_repository_state"),
    ("state-of-missing", nothing, _state("AVAILABLE"), RNF, "set_repository_state"),
    ("create", nothing, _create(), None, "create_premium_repository"),
    ("create-twice", draft, _create(), "RepositoryAlreadyExistsException", "create"),
    ("create-free-name", pair, _create("free"), None, "create_premium_repository"),
    ("unowned-product", nothing, _create(products=("prod-x",)), IPE, "create_premium"),
    ("product-twice", nothing, _create(products=(PRODUCT, PRODUCT)), IPE, "create_premium"),
    ("six-products", nothing, _create(products=tuple(f"p{i}" for i in range(6))), IPE, "model"),
    (
        "category-twice",
        nothing,
        _create(catalogData={"categories": ["AI_ML", "AI_ML"]}),
        IPE,
        "create_premium_repository",
    ),
    ("drop-product-in-draft", draft, _products(PRODUCT), None, "put_premium_repository_products"),
    ("drop-product-after-draft", avail, _products(PRODUCT), IPE, "put_premium_repository_products"),
    ("add-product-after-draft", avail, _products(PRODUCT, OTHER, "prod-reference-c"), None, "put"),
    ("unowned-product-put", draft, _products("prod-x"), IPE, "put_premium_repository_products"),
    (
        "delete-non-empty",
        draft_image,
        ("delete_premium_repository", {"repositoryName": "prem"}),
        "RepositoryNotEmptyException",
        "delete_premium_repository",
    ),
    (
        "delete-empty",
        draft,
        ("delete_premium_repository", {"repositoryName": "prem"}),
        None,
        "delete_premium_repository",
    ),
    (
        "delete-missing",
        nothing,
        ("delete_premium_repository", {"repositoryName": "prem"}),
        RNF,
        "delete_premium_repository",
    ),
    (
        "batch-delete-in-draft",
        draft_image,
        ("batch_delete_image", {"repositoryName": "prem", "imageIds": [{"imageTag": "v1"}], **P}),
        None,
        "delete_premium_repository",
    ),
    (
        "batch-delete-after-draft",
        avail,
        ("batch_delete_image", {"repositoryName": "prem", "imageIds": [{"imageTag": "v1"}], **P}),
        "DeletionNotAllowedException",
        "delete_premium_repository (DeletionNotAllowedException)",
    ),
    ("status-in-draft", draft_image, _status("DEPRECATED", 90), IPE, "set_image_status"),
    (
        "status-of-free",
        avail,
        _status("DEPRECATED", 90, repositoryType="FREE"),
        IPE,
        "set_image_status",
    ),
    ("deprecate", avail, _status("DEPRECATED", 90), None, "set_image_status"),
    ("deprecate-without-period", avail, _status("DEPRECATED"), IPE, "set_image_status"),
    ("deprecate-366-days", avail, _status("DEPRECATED", 366), IPE, "set_image_status (model)"),
    ("activate-with-period", avail, _status("ACTIVE", 90), IPE, "set_image_status"),
    ("activate", avail, _status("ACTIVE"), None, "set_image_status"),
    (
        "status-of-missing-image",
        avail,
        _status("ACTIVE", imageId={"imageTag": "nope"}),
        "ImageNotFoundException",
        "set_image_status",
    ),
    (
        "scan-without-type",
        draft_image,
        ("describe_image_scan_findings", SCAN),
        "ValidationException",
        "describe_image_scan_findings",
    ),
    (
        "scan-of-free",
        draft_image,
        ("describe_image_scan_findings", {**SCAN, "repositoryType": "FREE"}),
        "ValidationException",
        "describe_image_scan_findings",
    ),
    (
        "scan-of-missing-image",
        draft_image,
        ("describe_image_scan_findings", {**SCAN, **P, "imageId": {"imageTag": "nope"}}),
        "ImageNotFoundException",
        "describe_image_scan_findings",
    ),
    ("associate", pair, _associate(FREE_ONE, PREMIUM_ONE), None, "associate_repositories"),
    ("associate-reversed", pair, _associate(PREMIUM_ONE, FREE_ONE), None, "associate_repositories"),
    ("associate-same-type", pair, _associate(FREE_ONE, ("prem", "FREE")), IPE, "associate"),
    ("associate-missing", draft, _associate(FREE_ONE, PREMIUM_ONE), RNF, "associate_repositories"),
    (
        "associate-again",
        associated,
        _associate(FREE_ONE, PREMIUM_ONE),
        "AssociationAlreadyExistsException",
        "associate_repositories",
    ),
    (
        "disassociate",
        associated,
        _associate(PREMIUM_ONE, FREE_ONE, "disassociate"),
        None,
        "disassociate_repositories",
    ),
    (
        "disassociate-unlinked",
        pair,
        _associate(FREE_ONE, PREMIUM_ONE, "disassociate"),
        "AssociationNotFoundException",
        "disassociate_repositories",
    ),
    (
        "entitled-draft",
        nothing,
        ("describe_entitled_images", {"registryAlias": "globex", "repositoryName": "next"}),
        "EntitlementNotFoundException",
        "describe_entitled_images",
    ),
    (
        "entitled-unknown",
        nothing,
        ("describe_entitled_image_tags", {"registryAlias": "acme", "repositoryName": "nope"}),
        "EntitlementNotFoundException",
        "describe_entitled_image_tags",
    ),
    (
        "entitled-hidden",
        nothing,
        ("describe_entitled_images", {"registryAlias": "acme", "repositoryName": "acme/tools"}),
        None,
        "describe_entitled_repositories (HIDDEN)",
    ),
    (
        "entitled-missing-image",
        nothing,
        (
            "describe_entitled_images",
            {
                "registryAlias": "acme",
                "repositoryName": "acme/base",
                "imageIds": [{"imageTag": "9"}],
            },
        ),
        "ImageNotFoundException",
        "describe_entitled_images",
    ),
    (
        "report-missing",
        nothing,
        ("get_download_url_for_publisher_report", {"reportId": "abc"}),
        "PublisherReportNotFoundException",
        "get_download_url_for_publisher_report",
    ),
    (
        "premium-names-and-max",
        draft,
        ("describe_premium_repositories", {"repositoryNames": ["prem"], "maxResults": 5}),
        IPE,
        "describe_premium_repositories",
    ),
    (
        "premium-missing-name",
        draft,
        ("describe_premium_repositories", {"repositoryNames": ["nope"]}),
        RNF,
        "describe_premium_repositories",
    ),
    (
        "premium-without-type",
        draft_image,
        ("describe_images", {"repositoryName": "prem"}),
        RNF,
        "describe_images (FREE by default)",
    ),
    (
        "premium-with-type",
        draft_image,
        ("describe_images", {"repositoryName": "prem", **P}),
        None,
        "describe_images",
    ),
]


@pytest.mark.parametrize(
    ("setup", "request_", "expected"),
    [pytest.param(s, r, e, id=i) for i, s, r, e, _ in ROWS],
)
def test_rule(
    pc: Any,
    setup: Callable[[Any], None],
    request_: tuple[str, dict[str, Any]],
    expected: str | None,
) -> None:
    setup(pc)
    method, kwargs = request_
    call = getattr(pc, method)
    if expected is None:
        call(**kwargs)
    else:
        assert code(lambda: call(**kwargs)) == expected


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("CreatePremiumRepository", {"repositoryName": "prem", "marketplaceProducts": []}),
        (
            "SetImageStatus",
            {
                "repositoryName": "prem",
                "repositoryType": "PREMIUM",
                "imageId": {"imageTag": "v1"},
                "status": "DEPRECATED",
                "deprecationPeriodDays": 89,
            },
        ),
    ],
)
def test_model_bounds_botocore_checks_first(
    premium_server: ReferenceServer, operation: str, body: dict[str, Any]
) -> None:
    # "from one to five" products; "a value between 90 and 365" days
    premium_server.reset()
    answer = raw_call(premium_server.url, operation, body)
    assert answer.status_code == 400 and answer.json()["__type"] == IPE
