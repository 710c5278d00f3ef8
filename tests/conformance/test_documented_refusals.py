"""The documented refusals: each quote is in its edition's document, and each rule matches
exactly the requests it describes."""

from __future__ import annotations

import re

import pytest

from ecr_public_conformance.conformance.harness.semantics import (
    DOCUMENTED_REFUSALS,
    documented_refusal,
)
from ecr_public_conformance.specs.loader import edition_dir


def _document_text() -> str:
    folder = edition_dir("newest") / "source" / "document"
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.rst")))
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("refusal", DOCUMENTED_REFUSALS, ids=lambda r: r.operation)
def test_quote_is_in_the_document(refusal) -> None:
    assert re.sub(r"\s+", " ", refusal.quote) in _document_text()


@pytest.mark.parametrize(
    ("operation", "params", "refused"),
    [
        ("SetRepositoryState", {"repositoryType": "FREE", "state": "DRAFT"}, True),
        ("SetRepositoryState", {"repositoryType": "PREMIUM", "state": "DRAFT"}, False),
        ("DescribeImageScanFindings", {"repositoryName": "r"}, True),
        ("DescribeImageScanFindings", {"repositoryType": "FREE"}, True),
        ("DescribeImageScanFindings", {"repositoryType": "PREMIUM"}, False),
        ("SetImageStatus", {"repositoryType": "PREMIUM", "status": "DEPRECATED"}, True),
        (
            "SetImageStatus",
            {"repositoryType": "PREMIUM", "status": "DEPRECATED", "deprecationPeriodDays": 90},
            False,
        ),
        (
            "SetImageStatus",
            {"repositoryType": "PREMIUM", "status": "ACTIVE", "deprecationPeriodDays": 90},
            True,
        ),
        ("SetImageStatus", {"repositoryType": "PREMIUM", "status": "ACTIVE"}, False),
        (
            "AssociateRepositories",
            {"repositoryType": "FREE", "associatedRepositoryType": "FREE"},
            True,
        ),
        (
            "AssociateRepositories",
            {"repositoryType": "FREE", "associatedRepositoryType": "PREMIUM"},
            False,
        ),
        ("CreatePremiumRepository", {"repositoryName": "r", "marketplaceProducts": ["p"]}, True),
        ("CreateRepository", {"repositoryName": "r"}, False),
        ("SetRepositoryState", "not a structure", False),
    ],
)
def test_rules_match_what_they_describe(operation, params, refused) -> None:
    assert (documented_refusal(operation, params) is not None) is refused
