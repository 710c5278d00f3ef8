"""Many threads creating, moving, associating and deprecating premium repositories at once:
nothing is lost, and a race for one association has exactly one winner."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ecr_public_conformance.reference import ReferenceServer

from .conftest import NO_PREMIUM_CLIENT, PREMIUM_EDITION, botocore_knows_premium, make_client
from .premium import P, available, create, deprecate, push

WORKERS = 8

pytestmark = pytest.mark.skipif(not botocore_knows_premium(), reason=NO_PREMIUM_CLIENT)


def _worker(url: str, n: int) -> tuple[dict[str, Any], bool]:
    """Build one premium repository's state; return what it should be, and whether this worker
    won the shared association."""
    c = make_client(url, PREMIUM_EDITION)
    prem, free = f"p{n}", f"f{n}"
    create(c, prem, "prod-reference-a")
    c.create_repository(repositoryName=free)
    digest = push(c, prem, tag="v1", seed=f"s{n}")
    available(c, prem)
    c.put_premium_repository_products(
        repositoryName=prem, marketplaceProducts=["prod-reference-a", "prod-reference-b"]
    )
    c.put_premium_repository_catalog_data(repositoryName=prem, catalogData={"description": prem})
    deprecate(c, prem, {"imageDigest": digest}, 90 + n)
    won = True
    try:
        c.associate_repositories(
            repositoryName="shared",
            repositoryType="FREE",
            associatedRepositoryName=prem,
            associatedRepositoryType="PREMIUM",
        )
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "AssociationAlreadyExistsException"
        won = False
    if not won:
        c.associate_repositories(
            repositoryName=free,
            repositoryType="FREE",
            associatedRepositoryName=prem,
            associatedRepositoryType="PREMIUM",
        )
    partner = "shared" if won else free
    return {prem: (partner, digest, ["prod-reference-a", "prod-reference-b"])}, won


def test_premium_state_survives_many_threads(premium_server: ReferenceServer) -> None:
    premium_server.reset()
    c = make_client(premium_server.url, PREMIUM_EDITION)
    c.create_repository(repositoryName="shared")
    expected: dict[str, Any] = {}
    winners = 0
    with ThreadPoolExecutor(WORKERS) as pool:
        for part, won in pool.map(lambda n: _worker(premium_server.url, n), range(WORKERS)):
            expected.update(part)
            winners += won
    assert winners == 1
    actual = {}
    for repo in c.describe_premium_repositories()["repositories"]:
        name = repo["repositoryName"]
        assert repo["state"] == "AVAILABLE"
        image = c.describe_images(repositoryName=name, **P)["imageDetails"][0]
        assert image["imageStatus"] == "DEPRECATED"
        catalog = c.get_premium_repository_catalog_data(repositoryName=name)["catalogData"]
        assert catalog["description"] == name
        partner = repo["associatedRepositories"][0]["repositoryName"]
        actual[name] = (partner, image["imageDigest"], repo["marketplaceProducts"])
    assert actual == expected
