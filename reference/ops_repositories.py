"""Handlers for repositories, repository policies and repository catalog data."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..specs.validation import decode_base64
from .context import Ctx
from .errors import ApiError, invalid
from .pagination import paginate
from .state import Repository
from .tagging import apply_tags, check_tags
from .variants import on

Params = dict[str, Any]

#: Seconds before a created repository is listed under the ``delayed-visibility`` variant.
DELAYED_VISIBILITY_S = 0.15
#: Catalog members that the ``server-error-on-long-text`` fault looks at.
_TEXT_MEMBERS = ("description", "aboutText", "usageText")
#: Architecture and operating system tags the Gallery shows as badges.
SUPPORTED_CATALOG_TAGS = frozenset({"Linux", "Windows", "ARM", "ARM 64", "x86", "x86-64"})


def repository_view(ctx: Ctx, repo: Repository) -> Params:
    """The wire form of a ``Repository`` structure."""
    return {
        "repositoryArn": ctx.repository_arn(repo.name),
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "repositoryUri": ctx.repository_uri(repo.name),
        "createdAt": repo.created_at * (1000 if ctx.fault("timestamps-in-milliseconds") else 1),
    }


def catalog_view(ctx: Ctx, name: str, data: Params) -> Params:
    """Turn ``RepositoryCatalogDataInput`` into stored ``RepositoryCatalogData`` (logo -> URL)."""
    if ctx.fault("server-error-on-long-text") and any(
        len(data.get(k) or "") > 100 for k in _TEXT_MEMBERS
    ):
        raise ApiError("ServerException", "Internal error while storing catalog text")
    out = {k: v for k, v in data.items() if k != "logoImageBlob"}
    if ctx.fault("unsupported-catalog-tags-dropped"):
        for key in ("architectures", "operatingSystems"):
            if key in out:
                out[key] = [t for t in out[key] if t in SUPPORTED_CATALOG_TAGS]
    logo = decode_base64(data.get("logoImageBlob") or "") or b""
    if logo and not ctx.fault("logo-url-dropped"):
        digest = hashlib.sha256(logo).hexdigest()[:32]
        out["logoUrl"] = f"https://{ctx.repository_uri(name)}/logo/{digest}.png"
    out["marketplaceCertified"] = False
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
    return {"repository": repository_view(ctx, repo), "catalogData": catalog or {}}


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
    else:
        missing = [n for n in names if n not in visible]
        if missing:
            raise ctx.not_found(missing[0])
        repos = [visible[n] for n in dict.fromkeys(names)]
    page, token = paginate(ctx, p, repos, lambda r: r.name)
    out: Params = {"repositories": [repository_view(ctx, r) for r in page]}
    if token:
        out["nextToken"] = token
    return out


def delete_repository(ctx: Ctx, p: Params) -> Params:
    """DeleteRepository."""
    repo = ctx.repository(p)
    busy = bool(repo.images or (repo.layers and not on(ctx, "layers-do-not-block-delete")))
    if ctx.fault("non-empty-deleted") and not ctx.fault("force-ignored"):
        busy = False
    if busy and (not p.get("force") or ctx.fault("force-ignored")):
        raise ApiError(
            "RepositoryNotEmptyException",
            f"The repository '{repo.name}' contains images; use force to delete it",
        )
    del ctx.endpoint.store.repositories[repo.name]
    if ctx.fault("state-outlives-repository"):
        ctx.endpoint.store.deleted[repo.name] = repo
    if ctx.fault("deleted-repository-not-echoed"):
        return {}
    return {"repository": repository_view(ctx, repo)}


def set_repository_policy(ctx: Ctx, p: Params) -> Params:
    """SetRepositoryPolicy."""
    if ctx.fault("policy-refused-as-validation-error"):
        raise ApiError("ValidationError", "The policy could not be validated")
    repo = ctx.repository(p)
    try:
        doc = json.loads(p["policyText"])
    except (ValueError, RecursionError) as exc:
        if not ctx.fault("policy-not-validated"):
            raise invalid(
                "Invalid parameter at 'policyText': the policy is not valid JSON"
            ) from exc
        doc = {}
    if not isinstance(doc, dict):
        raise invalid("Invalid parameter at 'policyText': the policy must be a JSON object")
    repo.policy = p["policyText"]
    return _policy_view(ctx, repo)


def _policy_view(ctx: Ctx, repo: Repository) -> Params:
    return {
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "policyText": repo.policy,
    }


def _existing_policy(ctx: Ctx, p: Params) -> Repository:
    repo = ctx.repository(p)
    if repo.policy is None:
        raise ApiError(
            "RepositoryPolicyNotFoundException",
            f"Repository policy does not exist for the repository '{repo.name}'",
        )
    return repo


def get_repository_policy(ctx: Ctx, p: Params) -> Params:
    """GetRepositoryPolicy."""
    out = _policy_view(ctx, _existing_policy(ctx, p))
    if ctx.fault("policy-double-encoded"):
        out["policyText"] = json.dumps(out["policyText"])
    return out


def delete_repository_policy(ctx: Ctx, p: Params) -> Params:
    """DeleteRepositoryPolicy: answers the policy it deleted."""
    if ctx.fault("missing-policy-deleted"):
        repo = ctx.repository(p)
    else:
        repo = _existing_policy(ctx, p)
    out = _policy_view(ctx, repo)
    if not ctx.fault("policy-not-deleted"):
        repo.policy = None
    if ctx.fault("deleted-policy-not-echoed"):
        out.pop("policyText")
    return out


def put_repository_catalog_data(ctx: Ctx, p: Params) -> Params:
    """PutRepositoryCatalogData (replaces the stored catalog data as a whole)."""
    repo = ctx.repository(p)
    catalog = catalog_view(ctx, repo.name, p["catalogData"])
    if on(ctx, "catalog-merge") and repo.catalog:
        catalog = {**repo.catalog, **catalog}
    if not ctx.fault("lost-write"):
        repo.catalog = catalog
    return {"catalogData": catalog}


def get_repository_catalog_data(ctx: Ctx, p: Params) -> Params:
    """GetRepositoryCatalogData."""
    repo = ctx.repository(p)
    if repo.catalog is None and on(ctx, "empty-catalog-data"):
        return {"catalogData": {}}
    if repo.catalog is None:
        raise ApiError(
            "RepositoryCatalogDataNotFoundException",
            f"No catalog data has been set for the repository '{repo.name}'",
        )
    return {"catalogData": repo.catalog}
