"""Resource tags: the checks shared with CreateRepository and the three tag operations."""

from __future__ import annotations

import re
from typing import Any

from .context import Ctx
from .errors import ApiError, invalid
from .state import FREE, PREMIUM, Repository
from .variants import on

Params = dict[str, Any]

_ARN_RE = re.compile(
    r"arn:aws:ecr-public:(?P<region>[a-z0-9-]*):(?P<account>\d{12}):"
    r"(?P<resource>repository|premium-repository)/(?P<name>.+)"
)


def _reserved(key: str) -> bool:
    return key.lower().startswith("aws:")


def check_tags(ctx: Ctx, existing: dict[str, str], tags: list[Params]) -> None:
    """Raise ``InvalidTagParameterException``/``TooManyTagsException`` for bad ``tags``."""
    for tag in tags:
        if "Key" not in tag or "Value" not in tag:
            raise ApiError("InvalidTagParameterException", "Every tag needs a Key and a Value")
        if _reserved(tag["Key"]):
            raise ApiError(
                "InvalidTagParameterException",
                f"Tag key '{tag['Key']}' is invalid: keys starting with 'aws:' are reserved",
            )
    total = {t["Key"] for t in tags}
    if not ctx.fault("tag-limit-per-request"):
        total |= set(existing)
    limit = ctx.options.max_tags - (1 if ctx.fault("tag-limit-off-by-one") else 0)
    if len(total) > limit and not ctx.fault("tag-limit-ignored"):
        raise ApiError(
            "TooManyTagsException",
            f"A resource can have at most {ctx.options.max_tags} tags ({len(total)} requested)",
        )


def apply_tags(ctx: Ctx, repo: Repository, tags: list[Params]) -> None:
    """Check ``tags`` against the repository's tags, then store them (last value wins)."""
    check_tags(ctx, repo.tags, tags)
    if not ctx.fault("tags-not-stored"):
        repo.tags.update({t["Key"]: t["Value"] for t in tags})


def tagged_repository(ctx: Ctx, arn: str) -> Repository:
    """Return the repository ``arn`` names; a malformed ARN is ``InvalidParameterException``."""
    match = _ARN_RE.fullmatch(arn)
    if match is None and ctx.fault("names-not-validated"):
        return ctx.repository_named(arn.rsplit("repository/", 1)[-1])
    if match is None or match["region"] not in ("", ctx.options.region):
        raise invalid(f"Invalid parameter at 'resourceArn': '{arn}' is not a repository ARN")
    kind = PREMIUM if match["resource"] == "premium-repository" else FREE
    if kind == PREMIUM and (not _premium_arns(ctx) or on(ctx, "premium-tags-refused")):
        raise invalid(f"Invalid parameter at 'resourceArn': '{arn}' can't be tagged")
    if match["account"] != ctx.options.account_id:
        raise ctx.not_found(match["name"], kind)
    return ctx.repository_named(match["name"], kind)


def _premium_arns(ctx: Ctx) -> bool:
    """Whether the served edition has premium repositories (whose ARNs may be tagged)."""
    return "CreatePremiumRepository" in ctx.endpoint.service.operations


def tag_resource(ctx: Ctx, p: Params) -> Params:
    """TagResource (tags the request does not name are left as they are)."""
    repo = tagged_repository(ctx, p["resourceArn"])
    apply_tags(ctx, repo, p["tags"])
    if ctx.fault("tag-resource-replaces"):
        named = {t["Key"] for t in p["tags"]}
        repo.tags = {k: v for k, v in repo.tags.items() if k in named}
    return {}


def untag_resource(ctx: Ctx, p: Params) -> Params:
    """UntagResource (more keys than the tag limit is ``TooManyTagsException``)."""
    repo = tagged_repository(ctx, p["resourceArn"])
    keys = p["tagKeys"]
    bad = [k for k in keys if _reserved(k)]
    if bad:
        raise ApiError("InvalidTagParameterException", f"Tag key '{bad[0]}' is reserved")
    if len(set(keys)) > ctx.options.max_tags:
        raise ApiError("TooManyTagsException", f"At most {ctx.options.max_tags} tag keys")
    for key in keys:
        repo.tags.pop(key, None)
    if ctx.fault("untag-removes-all"):
        repo.tags.clear()
    return {}


def list_tags_for_resource(ctx: Ctx, p: Params) -> Params:
    """ListTagsForResource."""
    repo = tagged_repository(ctx, p["resourceArn"])
    ordered = sorted(repo.tags.items(), reverse=on(ctx, "listing-order-reversed"))
    return {"tags": [{"Key": k, "Value": v} for k, v in ordered]}
