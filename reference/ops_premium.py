"""Premium repositories: create, describe, delete, their state and their Marketplace products.

The rules are those of the document's pages create_premium_repository, set_repository_state,
put_premium_repository_products, delete_premium_repository and describe_premium_repositories.
"""

from __future__ import annotations

from typing import Any

from .associations import release_association
from .catalogs import answered, catalog_view
from .context import Ctx
from .errors import ApiError, invalid, rule_error
from .market import owns
from .ops_registry import premium_enabled
from .pagination import paginate
from .state import AVAILABLE, DRAFT, FREE, HIDDEN, PREMIUM, PremiumRepository
from .tagging import apply_tags, check_tags
from .variants import on

Params = dict[str, Any]

#: "A repository can move from DRAFT to AVAILABLE, and between AVAILABLE and HIDDEN."
MOVES = frozenset({(DRAFT, AVAILABLE), (AVAILABLE, HIDDEN), (HIDDEN, AVAILABLE)})


def premium_view(ctx: Ctx, repo: PremiumRepository) -> Params:
    """The wire form of a ``PremiumRepository`` structure."""
    products = sorted(repo.products, reverse=True)
    out: Params = {
        "repositoryArn": ctx.repository_arn(repo.name, PREMIUM),
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "repositoryUri": ctx.repository_uri(repo.name, PREMIUM),
        "createdAt": repo.created_at,
        "marketplaceProducts": products if on(ctx, "listing-order-reversed") else repo.products,
        "state": repo.state,
    }
    if repo.associated is not None:
        name, kind = repo.associated
        out["associatedRepositories"] = [{"repositoryName": name, "repositoryType": kind}]
    return out


def check_products(ctx: Ctx, products: list[str]) -> list[str]:
    """The products, each once and each owned by the caller ("Your account must own each
    product [...] You can't specify the same product ID more than once.")."""
    if len(set(products)) < len(products) and not ctx.fault("duplicate-products-accepted"):
        raise rule_error(ctx, "You can't specify the same product ID more than once")
    unowned = [x for x in products if not owns(ctx.endpoint.market, x)]
    if unowned and not ctx.fault("unowned-product-accepted"):
        raise rule_error(ctx, f"Your account doesn't own the product '{unowned[0]}'")
    return list(products)


def _allowed(ctx: Ctx) -> None:
    if not premium_enabled(ctx) and not ctx.fault("unverified-premium-accepted"):
        raise ApiError(
            "ValidationException",
            "Your registry must be verified and have an approved custom registry alias",
        )


def create_premium_repository(ctx: Ctx, p: Params) -> Params:
    """CreatePremiumRepository: starts in the DRAFT state."""
    _allowed(ctx)
    store, name = ctx.endpoint.store, p["repositoryName"]
    clash = ctx.fault("premium-name-shared-refused") and name in store.repositories
    if name in store.premium or clash:
        raise ApiError(
            "RepositoryAlreadyExistsException", f"The premium repository '{name}' already exists"
        )
    if len(store.premium) >= ctx.options.max_repositories:
        raise ApiError("LimitExceededException", "The maximum number of repositories is reached")
    products = check_products(ctx, p["marketplaceProducts"])
    catalog = catalog_view(ctx, name, p["catalogData"], PREMIUM) if "catalogData" in p else None
    tags = p.get("tags", [])
    check_tags(ctx, {}, tags)
    now = ctx.now()
    repo = PremiumRepository(name, now, now, catalog=catalog, products=products)
    if ctx.fault("premium-starts-available"):
        repo.state = AVAILABLE
    store.premium[name] = repo
    apply_tags(ctx, repo, tags)
    return {
        "premiumRepository": premium_view(ctx, repo),
        "catalogData": answered(ctx, repo, catalog),
    }


def describe_premium_repositories(ctx: Ctx, p: Params) -> Params:
    """DescribePremiumRepositories: repositories in every state."""
    ctx.check_registry(p)
    premium = ctx.endpoint.store.premium
    names = p.get("repositoryNames")
    if names is not None:
        missing = [n for n in names if n not in premium]
        if missing:
            raise ctx.not_found(missing[0], PREMIUM)
        repos = [premium[n] for n in dict.fromkeys(names)]
    else:
        repos = list(premium.values())
    if ctx.fault("draft-premium-unlisted"):
        repos = [r for r in repos if r.state != DRAFT]
    page, token = paginate(ctx, p, repos, lambda r: r.name)
    out: Params = {"repositories": [premium_view(ctx, r) for r in page]}
    if token:
        out["nextToken"] = token
    return out


def delete_premium_repository(ctx: Ctx, p: Params) -> Params:
    """DeletePremiumRepository: the repository must be empty (no force). Only images count:
    once a repository has left DRAFT its images go by deprecation, and nothing removes the
    layers they leave, so layers cannot keep it from ever being deleted."""
    repo = ctx.premium_repository(p)
    if repo.images and not ctx.fault("non-empty-premium-deleted"):
        raise ApiError(
            "RepositoryNotEmptyException",
            f"The premium repository '{repo.name}' contains images; remove them first",
        )
    release_association(ctx, repo)
    del ctx.endpoint.store.premium[repo.name]
    view = premium_view(ctx, repo)
    if not ctx.fault("deleted-premium-echoes-all"):
        keep = ("registryId", "repositoryName", "repositoryArn", "repositoryUri", "createdAt")
        view = {k: view[k] for k in keep}
    return {"premiumRepository": view}


def set_repository_state(ctx: Ctx, p: Params) -> Params:
    """SetRepositoryState: DRAFT -> AVAILABLE <-> HIDDEN; the current state is a no-op."""
    if p["repositoryType"] == FREE and not ctx.fault("state-on-free-accepted"):
        raise invalid("The state can be set only for a PREMIUM repository")
    repo = ctx.premium_repository(p)
    state = p["state"]
    if state == repo.state and ctx.fault("same-state-refused"):
        raise invalid(f"The premium repository '{repo.name}' is already {state}")
    if state != repo.state and (repo.state, state) not in MOVES:
        if not ctx.fault("any-state-change-accepted"):
            raise invalid(f"A premium repository can't move from {repo.state} to {state}")
    repo.state = state
    return {
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "repositoryType": PREMIUM,
        "state": repo.state,
    }


def put_premium_repository_products(ctx: Ctx, p: Params) -> Params:
    """PutPremiumRepositoryProducts: the full list replaces the stored one; after DRAFT, no
    product may be left out."""
    repo = ctx.premium_repository(p)
    products = check_products(ctx, p["marketplaceProducts"])
    dropped = [x for x in repo.products if x not in products]
    if dropped and repo.state != DRAFT and not ctx.fault("product-removed-after-draft"):
        raise invalid(
            f"The product '{dropped[0]}' can't be removed: the repository is no longer DRAFT"
        )
    if ctx.fault("products-appended"):
        products = repo.products + [x for x in products if x not in repo.products]
    repo.products = products
    return {
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "marketplaceProducts": premium_view(ctx, repo)["marketplaceProducts"],
    }
