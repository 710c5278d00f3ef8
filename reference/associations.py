"""AssociateRepositories and DisassociateRepositories: one FREE with one PREMIUM repository.

"Associates a repository with another repository of a different type in the same public
registry [...] One repository must be FREE and the other must be PREMIUM. Both repositories
must already exist, and each repository can have at most one associated repository." An
association shows on both repositories; deleting either removes it (or is refused under the
``associated-delete-refused`` variant).
"""

from __future__ import annotations

from typing import Any

from .context import Ctx
from .errors import ApiError, invalid, rule_error
from .state import Repository
from .variants import on

Params = dict[str, Any]


def _pair(ctx: Ctx, p: Params) -> tuple[Repository, Repository | None]:
    """The two repositories a request names (the second is None when it does not exist and
    the ``association-target-not-checked`` fault is on)."""
    ctx.check_registry(p)
    kind, other_kind = p["repositoryType"], p["associatedRepositoryType"]
    if kind == other_kind and not ctx.fault("same-type-association-accepted"):
        raise rule_error(ctx, "One repository must be FREE and the other must be PREMIUM")
    first = ctx.repository_named(p["repositoryName"], kind)
    name = p["associatedRepositoryName"]
    store = ctx.endpoint.store.namespace(other_kind)
    if name not in store and ctx.fault("association-target-not-checked"):
        return first, None
    return first, ctx.repository_named(name, other_kind)


#: The members an association's answer echoes from the request.
_ECHOED = (
    "repositoryName",
    "repositoryType",
    "associatedRepositoryName",
    "associatedRepositoryType",
)


def _echo(ctx: Ctx, p: Params) -> Params:
    return {"registryId": ctx.options.account_id, **{k: p[k] for k in _ECHOED}}


def _linked(a: Repository, b: Repository) -> bool:
    return a.associated == (b.name, b.kind) or b.associated == (a.name, a.kind)


def associate_repositories(ctx: Ctx, p: Params) -> Params:
    """AssociateRepositories."""
    first, second = _pair(ctx, p)
    target = (p["associatedRepositoryName"], p["associatedRepositoryType"])
    if second is not None and _linked(first, second) and on(ctx, "reassociate-same-pair-succeeds"):
        return _echo(ctx, p)
    taken = first.associated is not None or (second is not None and second.associated is not None)
    if taken and not ctx.fault("second-association-accepted"):
        raise ApiError(
            "AssociationAlreadyExistsException",
            "One of the repositories is already associated with another repository",
        )
    first.associated = target
    if second is not None and not ctx.fault("association-one-sided"):
        second.associated = (first.name, first.kind)
    return _echo(ctx, p)


def disassociate_repositories(ctx: Ctx, p: Params) -> Params:
    """DisassociateRepositories (either side may be named first)."""
    first, second = _pair(ctx, p)
    if second is None or not _linked(first, second):
        if not ctx.fault("missing-association-removed"):
            raise ApiError(
                "AssociationNotFoundException", "The specified repositories aren't associated"
            )
        return _echo(ctx, p)
    if not ctx.fault("association-not-removed"):
        _unlink(first, second)
    return _echo(ctx, p)


def _unlink(a: Repository, b: Repository) -> None:
    if a.associated == (b.name, b.kind):
        a.associated = None
    if b.associated == (a.name, a.kind):
        b.associated = None


def release_association(ctx: Ctx, repo: Repository) -> None:
    """Before a repository is deleted: remove its association from the other repository (or
    refuse, under the ``associated-delete-refused`` variant)."""
    if repo.associated is None:
        return
    name, kind = repo.associated
    if on(ctx, "associated-delete-refused"):
        raise invalid(
            f"The repository '{repo.name}' is associated with the {kind} repository '{name}'; "
            "disassociate them first"
        )
    other = ctx.endpoint.store.namespace(kind).get(name)
    if other is not None and other.associated == (repo.name, repo.kind):
        other.associated = None
    repo.associated = None
