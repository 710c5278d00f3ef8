"""Handlers for repositories, repository policies and repository catalog data."""

from __future__ import annotations

import json
import operator
from typing import Any

from .associations import release_association
from .catalogs import answered, catalog_view
from .context import Ctx
from .errors import ApiError, invalid
from .pagination import paginate
from .state import FREE, Repository
from .tagging import apply_tags, check_tags
from .variants import on

Params = dict[str, Any]

#: Seconds before a created repository is listed under the ``delayed-visibility`` variant.
DELAYED_VISIBILITY_S = 0.15


def repository_view(ctx: Ctx, repo: Repository) -> Params:
    """The wire form of a ``Repository`` structure (a premium one's under its own ARN/URI)."""
    out = {
        "repositoryArn": ctx.repository_arn(repo.name, repo.kind),
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "repositoryUri": ctx.repository_uri(repo.name, repo.kind),
        "createdAt": repo.created_at * (1000 if ctx.fault("timestamps-in-milliseconds") else 1),
    }
    if repo.associated is not None:
        name, kind = repo.associated
        out["associatedRepositories"] = [{"repositoryName": name, "repositoryType": kind}]
    return out


def create_repository(ctx: Ctx, p: Params) -> Params:
    """CreateRepository."""
    store = ctx.endpoint.store
    name = p["repositoryName"]
    if name in store.repositories:
        raise ApiError(
            "RepositoryAlreadyExistsException", f"The repository '{name}' already exists"
        )
    if len(store.repositories) >= ctx.options.max_repositories:
        raise ApiError("LimitExceededException", "The maximum number of repositories is reached")
    tags = p.get("tags", [])
    catalog = catalog_view(ctx, name, p["catalogData"]) if "catalogData" in p else None
    if not ctx.fault("half-created-repository"):
        check_tags(ctx, {}, tags)
    now = ctx.now()
    delay = ctx.options.consistency_delay if ctx.fault("eventual-consistency") else 0.0
    if on(ctx, "delayed-visibility"):
        delay = max(delay, DELAYED_VISIBILITY_S)
    if ctx.fault("create-extras-dropped"):
        catalog, tags = None, []
    repo = Repository(name=name, created_at=now, visible_at=now + delay, catalog=catalog)
    ghost = store.deleted.pop(name, None)
    if ghost is not None and ctx.fault("state-outlives-repository"):
        repo.images, repo.layers, repo.tags = ghost.images, ghost.layers, ghost.tags
    store.repositories[name] = repo
    apply_tags(ctx, repo, tags)
    return {"repository": repository_view(ctx, repo), "catalogData": answered(ctx, repo, catalog)}


def describe_repositories(ctx: Ctx, p: Params) -> Params:
    """DescribeRepositories."""
    ctx.check_registry(p)
    now = ctx.now()
    names = p.get("repositoryNames")
    visible = {n: r for n, r in ctx.endpoint.store.repositories.items() if r.visible_at <= now}
    if names is None or ctx.fault("repository-names-ignored"):
        if names is not None and any(n not in visible for n in names):
            raise ctx.not_found(next(n for n in names if n not in visible))
        repos = list(visible.values())
        if names is None and on(ctx, "premium-in-describe-repositories"):
            repos += list(ctx.endpoint.store.premium.values())
    else:
        missing = [n for n in names if n not in visible]
        if missing:
            raise ctx.not_found(missing[0])
        repos = [visible[n] for n in dict.fromkeys(names)]
    key = _listing_key if on(ctx, "premium-in-describe-repositories") else _NAME
    page, token = paginate(ctx, p, repos, key)
    out: Params = {"repositories": [repository_view(ctx, r) for r in page]}
    if token:
        out["nextToken"] = token
    return out


#: The listing key of free repositories: the name (``_listing_key`` when premium ones may mix in).
_NAME = operator.attrgetter("name")


def _listing_key(repo: Repository) -> str:
    return repo.name if repo.kind == FREE else f"{repo.name}\0{repo.kind}"


def holds_images(ctx: Ctx, repo: Repository) -> bool:
    """Whether the repository is not empty (layers count unless ``layers-do-not-block-delete``)."""
    return bool(repo.images or (repo.layers and not on(ctx, "layers-do-not-block-delete")))


def delete_repository(ctx: Ctx, p: Params) -> Params:
    """DeleteRepository."""
    repo = ctx.repository(p)
    busy = holds_images(ctx, repo)
    if ctx.fault("non-empty-deleted") and not ctx.fault("force-ignored"):
        busy = False
    if busy and (not p.get("force") or ctx.fault("force-ignored")):
        raise ApiError(
            "RepositoryNotEmptyException",
            f"The repository '{repo.name}' contains images; use force to delete it",
        )
    view = repository_view(ctx, repo)  # as it was, associations included
    release_association(ctx, repo)
    del ctx.endpoint.store.repositories[repo.name]
    if ctx.fault("state-outlives-repository"):
        ctx.endpoint.store.deleted[repo.name] = repo
    if ctx.fault("deleted-repository-not-echoed"):
        return {}
    return {"repository": view}


def set_policy(ctx: Ctx, repo: Repository, text: str) -> Params:
    """Set a repository's policy (it must be a JSON object); answer the policy view."""
    if ctx.fault("policy-refused-as-validation-error"):
        raise ApiError("ValidationError", "The policy could not be validated")
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        if not ctx.fault("policy-not-validated"):
            raise invalid(
                "Invalid parameter at 'policyText': the policy is not valid JSON"
            ) from exc
        doc = {}
    if not isinstance(doc, dict):
        raise invalid("Invalid parameter at 'policyText': the policy must be a JSON object")
    if ctx.fault("lost-write"):  # answered as stored, but not kept
        return {**policy_view(ctx, repo), "policyText": text}
    repo.policy = text
    return policy_view(ctx, repo)


def set_repository_policy(ctx: Ctx, p: Params) -> Params:
    """SetRepositoryPolicy."""
    return set_policy(ctx, ctx.repository(p), p["policyText"])


def policy_view(ctx: Ctx, repo: Repository) -> Params:
    """The registry id, repository name and policy text of a repository."""
    return {
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "policyText": repo.policy,
    }


def existing_policy(repo: Repository) -> Repository:
    """The repository, if it has a policy; ``RepositoryPolicyNotFoundException`` otherwise."""
    if repo.policy is None:
        raise ApiError(
            "RepositoryPolicyNotFoundException",
            f"Repository policy does not exist for the repository '{repo.name}'",
        )
    return repo


def get_policy(ctx: Ctx, repo: Repository) -> Params:
    """A repository's policy (``RepositoryPolicyNotFoundException`` when it has none)."""
    out = policy_view(ctx, existing_policy(repo))
    if ctx.fault("policy-double-encoded"):
        out["policyText"] = json.dumps(out["policyText"])
    return out


def get_repository_policy(ctx: Ctx, p: Params) -> Params:
    """GetRepositoryPolicy."""
    return get_policy(ctx, ctx.repository(p))


def delete_policy(ctx: Ctx, repo: Repository) -> Params:
    """Delete a repository's policy; answer the policy it deleted."""
    if not ctx.fault("missing-policy-deleted"):
        existing_policy(repo)
    out = policy_view(ctx, repo)
    if not ctx.fault("policy-not-deleted"):
        repo.policy = None
    if ctx.fault("deleted-policy-not-echoed"):
        out.pop("policyText")
    return out


def delete_repository_policy(ctx: Ctx, p: Params) -> Params:
    """DeleteRepositoryPolicy: answers the policy it deleted."""
    return delete_policy(ctx, ctx.repository(p))


def put_repository_catalog_data(ctx: Ctx, p: Params) -> Params:
    """PutRepositoryCatalogData (replaces the stored catalog data as a whole)."""
    repo = ctx.repository(p)
    catalog = catalog_view(ctx, repo.name, p["catalogData"])
    if on(ctx, "catalog-merge") and repo.catalog:
        catalog = {**repo.catalog, **catalog}
    if not ctx.fault("lost-write"):
        repo.catalog = catalog
    return {"catalogData": answered(ctx, repo, catalog)}


def get_repository_catalog_data(ctx: Ctx, p: Params) -> Params:
    """GetRepositoryCatalogData."""
    repo = ctx.repository(p)
    return {"catalogData": stored_catalog(ctx, repo)}


def stored_catalog(ctx: Ctx, repo: Repository) -> Params:
    """A repository's catalog data as answered (``RepositoryCatalogDataNotFoundException``
    when it has none, or ``{}`` under the ``empty-catalog-data`` variant)."""
    if repo.catalog is None and on(ctx, "empty-catalog-data"):
        return {}
    if repo.catalog is None:
        raise ApiError(
            "RepositoryCatalogDataNotFoundException",
            f"No catalog data has been set for the repository '{repo.name}'",
        )
    return answered(ctx, repo, repo.catalog)
