"""Handlers for the registry: DescribeRegistries, registry catalog data, authorization tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any

from ..specs.validation import decode_base64
from .context import Ctx
from .errors import ApiError
from .pagination import paginate
from .variants import on

Params = dict[str, Any]

#: Lifetime of an authorization token, in seconds.
TOKEN_LIFETIME = 12 * 3600


def describe_registries(ctx: Ctx, p: Params) -> Params:
    """DescribeRegistries: the one registry of this endpoint, with its alias."""
    o = ctx.options
    other = on(ctx, "other-identifier-formats")
    alias = f"{o.registry_alias}-{o.account_id[-4:]}" if other else o.registry_alias
    region = o.region if other else ""
    aliases = [
        {
            "name": alias,
            "status": o.alias_status,
            "primaryRegistryAlias": True,
            "defaultRegistryAlias": not ctx.fault("no-default-alias"),
        }
    ]
    if on(ctx, "new-enum-values"):
        aliases.append(
            {
                "name": f"{alias}-old",
                "status": "SUSPENDED",
                "primaryRegistryAlias": False,
                "defaultRegistryAlias": False,
            }
        )
    registry = {
        "registryId": o.account_id,
        "registryArn": f"arn:aws:ecr-public:{region}:{o.account_id}:registry/{o.account_id}",
        "registryUri": f"{o.account_id}.registry.example" if other else f"public.ecr.aws/{alias}",
        "verified": verified(ctx),
        "aliases": aliases,
        "premiumStatus": "DISABLED",
    }
    if premium_enabled(ctx):
        registry["premiumStatus"] = "ENABLED"
        registry["premiumRegistryUri"] = ctx.premium_registry_uri()
    page, token = paginate(ctx, p, [registry], lambda r: str(r["registryId"]))
    out: Params = {"registries": page}
    if token:
        out["nextToken"] = token
    return out


def get_registry_catalog_data(ctx: Ctx, p: Params) -> Params:
    """GetRegistryCatalogData."""
    store = ctx.endpoint.store
    name = store.registry_display_name
    data = {} if name is None else {"displayName": name}
    return {"registryCatalogData": {**data, **store.registry_extras}}


def verified(ctx: Ctx) -> bool:
    """Whether the registry is verified (the ``registry_verified`` option, and not under the
    unverified-registry variants)."""
    return ctx.options.registry_verified and not (
        on(ctx, "unverified-registry-rejects-name") or on(ctx, "unverified-registry-ignores-name")
    )


def premium_enabled(ctx: Ctx) -> bool:
    """Whether the registry may have premium repositories: "Your registry must be verified and
    have an approved custom registry alias" (create_premium_repository)."""
    return verified(ctx) and ctx.options.alias_status == "ACTIVE"


def _store_extras(ctx: Ctx, p: Params) -> None:
    """The registry's description and logo (later editions): absent ones stay as they are, an
    empty logo removes it."""
    extras = ctx.endpoint.store.registry_extras
    if "description" in p and not ctx.fault("registry-description-dropped"):
        extras["description"] = p["description"]
    if "logoImageBlob" in p:
        logo = decode_base64(p["logoImageBlob"]) or b""
        digest = hashlib.sha256(logo).hexdigest()[:32]
        alias = ctx.options.registry_alias
        extras["logoUrl"] = f"https://public.ecr.aws/{alias}/registry-logo/{digest}.png"
        if not logo:
            extras.pop("logoUrl")


def put_registry_catalog_data(ctx: Ctx, p: Params) -> Params:
    """PutRegistryCatalogData (an absent displayName leaves the stored one unchanged).

    Only verified registries keep a display name: an unverified one refuses it or ignores it,
    as its variant says.
    """
    store = ctx.endpoint.store
    name = p.get("displayName")
    if name and on(ctx, "unverified-registry-rejects-name"):
        raise ApiError(
            "InvalidParameterException",
            "Only accounts that have the verified account badge can have a registry display name",
        )
    _store_extras(ctx, p)
    if ctx.fault("display-name-dropped") and name:
        return {"registryCatalogData": {"displayName": name}}
    if "displayName" in p and (verified(ctx) or not name):
        store.registry_display_name = p["displayName"]
    return get_registry_catalog_data(ctx, p)


def get_authorization_token(ctx: Ctx, p: Params) -> Params:
    """GetAuthorizationToken: base64 of ``user:password`` (``AWS:<random token>``; another
    user name and a hex password under ``other-identifier-formats``), valid for 12 hours."""
    user, password = "AWS", secrets.token_urlsafe(48)
    if on(ctx, "other-identifier-formats"):
        user, password = "ecr-public-user", secrets.token_hex(64)
    credentials = password if ctx.fault("token-not-user-password") else f"{user}:{password}"
    token = base64.b64encode(credentials.encode()).decode()
    return {
        "authorizationData": {
            "authorizationToken": token,
            "expiresAt": ctx.now() + (3600 if ctx.fault("token-expiry-short") else TOKEN_LIFETIME),
        }
    }
