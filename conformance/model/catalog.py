"""Rules about policies and catalog data: repository policies set, read and deleted;
repository catalog data (replaced or merged, as the freedoms allow); the registry's display
name, written only where the run may write registry-level data."""

from __future__ import annotations

import json
from typing import Any

from hypothesis.stateful import rule

from ...strategies import semantic_values as semantic
from .core import MachineCore, resilient
from .draws import DISPLAY_NAMES
from .state import as_json, catalog_view, value_at

__all__ = ["CatalogRules"]


class CatalogRules(MachineCore):
    """Repository policies, repository catalog data and the registry catalog data."""

    def read_registry_catalog(self) -> None:
        """Remember the registry display name (to restore it) and whether it keeps one."""
        ex = self.call("GetRegistryCatalogData", {})
        body = self.expect_ok(ex, "registry-catalog-readable")
        self.original_display_name = value_at(body, "registryCatalogData", "displayName")
        self.model.display_name = self.original_display_name
        described = self.call("DescribeRegistries", {})
        registries = value_at(described.json, "registries") if described.ok else None
        first = registries[0] if isinstance(registries, list) and registries else {}
        # "Only accounts that have the verified account badge can have a registry display name"
        self.keeps_display_name = isinstance(first, dict) and first.get("verified") is True

    @rule(name=MachineCore.repos, policy=semantic.policy_documents())
    @resilient
    def set_policy(self, name: str, policy: str) -> None:
        """SetRepositoryPolicy then GetRepositoryPolicy returns the same document."""
        repo = self.repo(name)
        ex = self.call("SetRepositoryPolicy", {"repositoryName": name, "policyText": policy})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "set-policy-stores", name)
        repo.policy = policy
        self.get_policy(name=name)

    @rule(name=MachineCore.repos)
    @resilient
    def get_policy(self, name: str) -> None:
        """GetRepositoryPolicy returns the stored policy (as the same JSON document)."""
        repo = self.repo(name)
        ex = self.call("GetRepositoryPolicy", {"repositoryName": name})
        if repo is None:
            self.missing(ex)
        elif repo.policy is None:
            self.expect_error(ex, {"RepositoryPolicyNotFoundException"}, "no-policy-to-get", name)
        else:
            body = self.expect_ok(ex, "get-policy-answers", name)
            self.expect_equal(
                ex,
                "policyText",
                json.loads(repo.policy),
                as_json(body.get("policyText")),
                "get-policy-same",
                name,
            )

    @rule(name=MachineCore.repos)
    @resilient
    def delete_policy(self, name: str) -> None:
        """DeleteRepositoryPolicy removes the policy, or fails when there is none."""
        repo = self.repo(name)
        ex = self.call("DeleteRepositoryPolicy", {"repositoryName": name})
        if repo is None:
            self.missing(ex)
        elif repo.policy is None:
            self.expect_error(
                ex, {"RepositoryPolicyNotFoundException"}, "no-policy-to-delete", name
            )
        else:
            self.expect_ok(ex, "delete-policy", name)
            repo.policy = None

    @rule(name=MachineCore.repos, catalog=semantic.catalog_data())
    @resilient
    def put_catalog(self, name: str, catalog: dict[str, Any]) -> None:
        """PutRepositoryCatalogData then GetRepositoryCatalogData returns the same texts."""
        self.put_catalog_data(name, catalog)

    def put_catalog_data(self, name: str, catalog: dict[str, Any]) -> None:
        """Store catalog data; the model keeps both readings the spec allows (replace, merge)."""
        repo = self.repo(name)
        ex = self.call("PutRepositoryCatalogData", {"repositoryName": name, "catalogData": catalog})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "put-catalog-stores", name)
        before = repo.catalogs or [{}]
        views = [catalog] + [{**old, **catalog} for old in before]
        unique: list[dict[str, Any]] = []
        for view in views:
            if all(catalog_view(view) != catalog_view(u) for u in unique):
                unique.append(view)
        repo.catalogs = unique
        self.get_catalog(name=name)

    @rule(name=MachineCore.repos)
    @resilient
    def get_catalog(self, name: str) -> None:
        """GetRepositoryCatalogData matches the catalog data stored (replaced or merged)."""
        repo = self.repo(name)
        ex = self.call("GetRepositoryCatalogData", {"repositoryName": name})
        if repo is None:
            self.missing(ex)
            return
        if repo.catalogs is None and not ex.ok:
            self.expect_error(
                ex, {"RepositoryCatalogDataNotFoundException"}, "no-catalog-to-get", name
            )
            return
        body = self.expect_ok(ex, "catalog-reads-back", name)
        got = catalog_view(body.get("catalogData") or {})
        candidates = [catalog_view(c) for c in repo.catalogs or [{}]]
        if got not in candidates:
            expected = candidates[0] if len(candidates) == 1 else {"one of": candidates}
            self.mismatch(ex, "catalogData", expected, "catalog-reads-back", got, name)
        repo.catalogs = [c for c in repo.catalogs or [{}] if catalog_view(c) == got]

    @rule(display_name=DISPLAY_NAMES)
    @resilient
    def put_registry_catalog(self, display_name: str) -> None:
        """PutRegistryCatalogData then GetRegistryCatalogData returns the display name (for a
        verified registry; an unverified one may refuse it or not keep it)."""
        if not self.registry_writes:
            return
        ex = self.call("PutRegistryCatalogData", {"displayName": display_name})
        self.display_name_changed = True
        if not self.keeps_display_name:
            if not ex.ok:
                self.expect_error(ex, {"InvalidParameterException"}, "unverified-may-refuse")
            return
        self.expect_ok(ex, "put-registry-catalog-stores")
        self.model.display_name = display_name
        ex = self.call("GetRegistryCatalogData", {})
        body = self.expect_ok(ex, "get-registry-catalog-answers")
        got = value_at(body, "registryCatalogData", "displayName")
        if got != display_name:
            self.model.display_name = got  # adopt what the target says, report it once
            self.mismatch(
                ex,
                "registryCatalogData.displayName",
                display_name,
                "display-name-reads-back",
                got,
            )
