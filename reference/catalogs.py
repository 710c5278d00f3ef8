"""Repository catalog data, free and premium: what is stored, and what is answered.

Stored catalog data is the ``RepositoryCatalogDataInput`` as given, its logo turned into a URL.
Answered catalog data adds what the service sets itself: ``marketplaceCertified``, the
``artifactTypes`` the repository's images have ("The types of artifacts that the repository
contains, such as IMAGE or HELM") and, under a variant, ``badges``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..specs.validation import decode_base64
from .context import Ctx
from .errors import ApiError, rule_error
from .state import FREE, Repository
from .variants import on

Params = dict[str, Any]

#: Catalog members that the ``server-error-on-long-text`` fault looks at.
_TEXT_MEMBERS = ("description", "aboutText", "usageText")
#: Architecture and operating system tags the Gallery shows as badges.
SUPPORTED_CATALOG_TAGS = frozenset({"Linux", "Windows", "ARM", "ARM 64", "x86", "x86-64"})
#: The badges reported under the ``catalog-badges-reported`` variant.
VARIANT_BADGES = ["SBOM"]


def catalog_view(ctx: Ctx, name: str, data: Params, kind: str = FREE) -> Params:
    """Turn ``RepositoryCatalogDataInput`` into stored ``RepositoryCatalogData`` (logo -> URL)."""
    if ctx.fault("server-error-on-long-text") and any(
        len(data.get(k) or "") > 100 for k in _TEXT_MEMBERS
    ):
        raise ApiError("ServerException", "Internal error while storing catalog text")
    categories = data.get("categories") or []
    if len(set(categories)) < len(categories) and not ctx.fault("duplicate-categories-accepted"):
        raise rule_error(
            ctx,
            "Invalid parameter at 'catalogData.categories': each category can "
            "only be specified once",
        )
    out = {k: v for k, v in data.items() if k != "logoImageBlob"}
    if ctx.fault("unsupported-catalog-tags-dropped"):
        for key in ("architectures", "operatingSystems"):
            if key in out:
                out[key] = [t for t in out[key] if t in SUPPORTED_CATALOG_TAGS]
    logo = decode_base64(data.get("logoImageBlob") or "") or b""
    if logo and not ctx.fault("logo-url-dropped"):
        digest = hashlib.sha256(logo).hexdigest()[:32]
        out["logoUrl"] = f"https://{ctx.repository_uri(name, kind)}/logo/{digest}.png"
    out["marketplaceCertified"] = False
    return out


def artifact_types(repo: Repository) -> list[str]:
    """The types of artifacts the repository's images are: ``HELM`` for Helm charts, ``IMAGE``
    for the rest."""
    media = (i.artifact_media_type or "" for i in repo.images.values())
    return sorted({"HELM" if "helm" in m else "IMAGE" for m in media})


def answered(ctx: Ctx, repo: Repository, catalog: Params | None) -> Params:
    """Catalog data as answered: the stored data and what the service sets itself."""
    if catalog is None:
        return {}
    out = dict(catalog)
    kinds = artifact_types(repo)
    if kinds and not ctx.fault("artifact-types-not-derived"):
        out["artifactTypes"] = kinds
    if on(ctx, "catalog-badges-reported"):
        out["badges"] = list(VARIANT_BADGES)
    return out


def merged(ctx: Ctx, old: Params | None, new: Params, given: Params) -> Params:
    """PutPremiumRepositoryCatalogData: "Fields that you include replace the stored values, and
    fields that you leave out aren't changed"; "To remove the logo, specify an empty
    ``logoImageBlob``." (``given`` is the request's catalog data)."""
    if ctx.fault("premium-catalog-replaced") or not old:
        out = dict(new)
    else:
        out = {**old, **new}
    if given.get("logoImageBlob") == "" and not ctx.fault("empty-logo-kept"):
        out.pop("logoUrl", None)
    return out
