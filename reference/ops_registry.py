"""Handlers for the registry: DescribeRegistries, registry catalog data, authorization tokens."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from .context import Ctx
from .pagination import paginate

Params = dict[str, Any]

#: Lifetime of an authorization token, in seconds.
TOKEN_LIFETIME = 12 * 3600


def describe_registries(ctx: Ctx, p: Params) -> Params:
    """DescribeRegistries: the one registry of this endpoint, with its alias."""
    o = ctx.options
    registry = {
        "registryId": o.account_id,
        "registryArn": f"arn:aws:ecr-public::{o.account_id}:registry/{o.account_id}",
        "registryUri": f"public.ecr.aws/{o.registry_alias}",
        "verified": False,
        "aliases": [
            {
                "name": o.registry_alias,
                "status": "ACTIVE",
                "primaryRegistryAlias": True,
                "defaultRegistryAlias": True,
            }
        ],
    }
    page, token = paginate(ctx, p, [registry], lambda r: str(r["registryId"]))
    out: Params = {"registries": page}
    if token:
        out["nextToken"] = token
    return out


def get_registry_catalog_data(ctx: Ctx, p: Params) -> Params:
    """GetRegistryCatalogData."""
    name = ctx.endpoint.store.registry_display_name
    return {"registryCatalogData": {} if name is None else {"displayName": name}}


def put_registry_catalog_data(ctx: Ctx, p: Params) -> Params:
    """PutRegistryCatalogData (an absent displayName leaves the stored one unchanged)."""
    store = ctx.endpoint.store
    if "displayName" in p:
        store.registry_display_name = p["displayName"]
    return get_registry_catalog_data(ctx, p)


def get_authorization_token(ctx: Ctx, p: Params) -> Params:
    """GetAuthorizationToken: base64 of ``AWS:<random token>``, valid for 12 hours."""
    token = base64.b64encode(f"AWS:{secrets.token_urlsafe(48)}".encode()).decode()
    return {
        "authorizationData": {
            "authorizationToken": token,
            "expiresAt": ctx.now() + TOKEN_LIFETIME,
        }
    }
