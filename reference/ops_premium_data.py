"""A premium repository's catalog data and policy (the document's pages
put/get_premium_repository_catalog_data and set/get/delete_premium_repository_policy)."""

from __future__ import annotations

from typing import Any

from .catalogs import answered, catalog_view, merged
from .context import Ctx
from .ops_repositories import delete_policy, get_policy, set_policy, stored_catalog
from .state import PREMIUM

Params = dict[str, Any]


def _named(ctx: Ctx, name: str) -> Params:
    return {"registryId": ctx.options.account_id, "repositoryName": name}


def put_premium_repository_catalog_data(ctx: Ctx, p: Params) -> Params:
    """PutPremiumRepositoryCatalogData: the fields given replace the stored ones, the others
    stay; answers the full catalog data after the update."""
    repo = ctx.premium_repository(p)
    given = p["catalogData"]
    update = catalog_view(ctx, repo.name, given, PREMIUM)
    catalog = merged(ctx, repo.catalog, update, given)
    if not ctx.fault("lost-write"):
        repo.catalog = catalog
    shown = update if ctx.fault("premium-catalog-partial-answer") else catalog
    return {**_named(ctx, repo.name), "catalogData": answered(ctx, repo, shown)}


def get_premium_repository_catalog_data(ctx: Ctx, p: Params) -> Params:
    """GetPremiumRepositoryCatalogData."""
    repo = ctx.premium_repository(p)
    return {**_named(ctx, repo.name), "catalogData": stored_catalog(ctx, repo)}


def set_premium_repository_policy(ctx: Ctx, p: Params) -> Params:
    """SetPremiumRepositoryPolicy."""
    return set_policy(ctx, ctx.premium_repository(p), p["policyText"])


def get_premium_repository_policy(ctx: Ctx, p: Params) -> Params:
    """GetPremiumRepositoryPolicy."""
    return get_policy(ctx, ctx.premium_repository(p))


def delete_premium_repository_policy(ctx: Ctx, p: Params) -> Params:
    """DeletePremiumRepositoryPolicy: answers the policy it deleted."""
    return delete_policy(ctx, ctx.premium_repository(p))
