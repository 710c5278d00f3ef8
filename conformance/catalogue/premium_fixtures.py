"""The fixtures, values and conditions of the premium repositories' scenarios (edition
botocore-1.44.18 and later).

A premium repository is made with a Marketplace product the target's account owns (the run
knows them, the API cannot list them); its images are pushed with ``repositoryType`` PREMIUM.
Conditions say why a scenario does not apply on a target: a registry that is not verified or
has no approved alias cannot have premium repositories, and a run that knows no owned product
cannot make one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ...strategies.semantic_values import digest_of, manifest_list_for
from ..harness.env import CheckEnv
from ..harness.registry_identity import described_registry
from ..harness.resources import setup_step
from .scenario_fixtures import FIRST_TAG, SECOND_TAG, push
from .scenario_state import Scenario

PREMIUM = "PREMIUM"
#: The deprecation period the ``deprecated`` fixture gives (the shortest the model allows).
DEPRECATION_DAYS = 90


def _premium(s: Scenario) -> None:
    """A premium repository (DRAFT) sold through the first owned product."""
    name = s.env.new_name("p")
    product = _product(0)(s)
    body = s.setup(
        "CreatePremiumRepository", {"repositoryName": name, "marketplaceProducts": [product]}
    )
    arn = (body.get("premiumRepository") or {}).get("repositoryArn")
    s.values.update(premium=name, premium_type=PREMIUM, premium_arn=arn or "")


def _state(state: str) -> Callable[[Scenario], None]:
    def build(s: Scenario) -> None:
        params = {"repositoryName": s.values["premium"], "repositoryType": PREMIUM}
        s.setup("SetRepositoryState", {**params, "state": state})

    return build


def _associated(s: Scenario) -> None:
    """The free repository (``repository``) associated with the premium one."""
    s.setup(
        "AssociateRepositories",
        {
            "repositoryName": s.values["repository"],
            "repositoryType": "FREE",
            "associatedRepositoryName": s.values["premium"],
            "associatedRepositoryType": PREMIUM,
        },
    )


def _deprecated(s: Scenario) -> None:
    """The premium repository's first image deprecated for the shortest period."""
    s.setup(
        "SetImageStatus",
        {
            "repositoryName": s.values["premium"],
            "repositoryType": PREMIUM,
            "imageId": {"imageDigest": s.values["pimage.digest"]},
            "status": "DEPRECATED",
            "deprecationPeriodDays": DEPRECATION_DAYS,
        },
    )


def _premium_index(s: Scenario) -> None:
    """A manifest list of the premium repository's first image, pushed with a tag."""
    text, media_type = manifest_list_for(
        [(s.values["pimage.manifest"], s.values["pimage.media_type"])]
    )
    ex = s.send(
        "PutImage",
        {
            "repositoryName": s.values["premium"],
            "repositoryType": PREMIUM,
            "imageManifest": text,
            "imageManifestMediaType": media_type,
            "imageTag": "scenario-index",
        },
    )
    setup_step("PutImage", ex)
    s.values.update({"pindex.digest": digest_of(text.encode()), "pindex.tag": "scenario-index"})


#: Fixture name -> what it builds (premium repositories).
PREMIUM_FIXTURES: dict[str, Callable[[Scenario], None]] = {
    "premium": _premium,
    "premium_image": lambda s: push(s, "pimage", FIRST_TAG, "one", "premium"),
    "premium_image2": lambda s: push(s, "pimage2", SECOND_TAG, "two", "premium"),
    "premium_index": _premium_index,
    "available": _state("AVAILABLE"),
    "hidden": _state("HIDDEN"),
    "associated": _associated,
    "deprecated": _deprecated,
}


def _product(n: int) -> Callable[[Scenario], str]:
    """The ``n``-th Marketplace product the account owns."""

    def build(s: Scenario) -> str:
        owned = s.env.marketplace_products
        if len(owned) <= n:
            raise KeyError(f"the run knows {len(owned)} owned products, {n + 1} needed")
        return owned[n]

    return build


def _unowned_product(s: Scenario) -> str:
    """A well-formed product id no account owns (it carries the run's token, and nothing
    random besides, so parity replays the same request)."""
    return f"prod-{s.env.new_name('unowned')}"


def _referrer_manifest(s: Scenario) -> str:
    """The first premium image's manifest again, naming that image as its subject (a referrer
    whose blobs are all in the repository)."""
    doc = json.loads(s.values["pimage.manifest"])
    doc["subject"] = {
        "mediaType": s.values["pimage.media_type"],
        "digest": s.values["pimage.digest"],
        "size": s.values["pimage.manifest_size"],
    }
    return json.dumps(doc)


#: Value name -> how to build it (premium repositories).
PREMIUM_VALUES: dict[str, Callable[[Scenario], Any]] = {
    **{f"product_{c}": _product(i) for i, c in enumerate("abcdef")},
    "products_6": lambda s: [_product(i)(s) for i in range(6)],
    "unowned_product": _unowned_product,
    "missing_premium": lambda s: s.env.new_name("never"),
    # no report is named so (ids are hex); a constant, so parity replays the same request
    "missing_report": lambda s: "ecrconfnosuchreport",
    "missing_alias": lambda s: s.env.new_name("alias"),  # the run's own: parity replays it
    "referrer_manifest": _referrer_manifest,
    "deprecation_days": lambda s: DEPRECATION_DAYS,
    "deprecation_s": lambda s: DEPRECATION_DAYS * 86400,
}


def _premium_registry(env: CheckEnv) -> str:
    """Why the registry cannot have premium repositories ("" when it can)."""
    registry = described_registry(env)
    aliases = registry.get("aliases") if isinstance(registry, dict) else None
    approved = isinstance(aliases, list) and any(
        isinstance(a, dict) and a.get("status") == "ACTIVE" for a in aliases
    )
    if registry.get("verified") is True and approved:
        return ""
    return (
        "the registry is not verified or has no approved alias, and the document allows "
        "premium repositories only in such a registry"
    )


def _owns_products(env: CheckEnv) -> str:
    """Why the run cannot make a premium repository for want of an owned product."""
    if len(env.marketplace_products) >= 2:
        return _premium_registry(env)
    return (
        "the run knows fewer than two Marketplace products the account owns (the API cannot "
        "list them), and a premium repository is sold through one"
    )


def _knows_products(env: CheckEnv) -> str:
    """Why the run cannot name an owned product (the registry aside)."""
    if env.marketplace_products:
        return ""
    return "the run knows no Marketplace product the account owns (the API cannot list them)"


def _unverified_registry(env: CheckEnv) -> str:
    """Why the registry is not one that refuses premium repositories ("" when it is)."""
    if _premium_registry(env):
        return ""
    return "the registry is verified with an approved alias: it cannot be made to refuse"


def _listed(env: CheckEnv, operation: str, params: dict[str, Any], member: str) -> bool:
    ex = env.send(operation, params)
    return ex.ok and isinstance(ex.json, dict) and bool(ex.json.get(member))


def _has_entitlements(env: CheckEnv) -> str:
    """Why there is no entitled repository to read ("" when there is one)."""
    if _listed(env, "DescribeEntitledRepositories", {"maxResults": 1000}, "repositories"):
        return ""
    return "the account is entitled to no premium repository (that takes a Marketplace purchase)"


def _has_two_reports(env: CheckEnv) -> str:
    """Why no listing of publisher reports has a second page ("" when one has)."""
    if _listed(
        env, "ListPublisherReports", {"reportType": "SUMMARY", "maxResults": 1}, "nextToken"
    ):
        return ""
    return "the registry has fewer than two summary reports, so no listing has a next token"


#: Condition name -> why a behaviour does not apply ("" when it does).
PREMIUM_CONDITIONS: dict[str, Callable[[CheckEnv], str]] = {
    "premium_registry": _premium_registry,
    "owns_products": _owns_products,
    "knows_products": _knows_products,
    "unverified_registry": _unverified_registry,
    "has_entitlements": _has_entitlements,
    "has_two_reports": _has_two_reports,
}
