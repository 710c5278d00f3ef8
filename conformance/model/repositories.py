"""Rules about repositories and their tags: create, delete (with and without force), tag,
untag and list tags, each answer compared with the model."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import rule

from ...strategies import semantic_values as semantic
from .core import MachineCore, resilient
from .draws import RESOURCE_TAGS, TAG_KEYS
from .mismatch import Diverged
from .state import RepositoryModel, tag_list, value_at

__all__ = ["RepositoryRules"]


class RepositoryRules(MachineCore):
    """Create and delete repositories; tag, untag and list their tags."""

    @rule(
        target=MachineCore.repos,
        name=st.data(),
        tags=RESOURCE_TAGS,
        catalog=st.none() | semantic.catalog_data(),
    )
    def create_repository(
        self, name: st.DataObject, tags: dict[str, str], catalog: dict[str, Any] | None
    ) -> str:
        """CreateRepository: a new name succeeds, an existing one fails."""
        return self.create_or_set_aside(name, tags, catalog)

    def create_or_set_aside(
        self, name: st.DataObject, tags: dict[str, str], catalog: dict[str, Any] | None
    ) -> str:
        """Create a repository; after a mismatch the name comes back set aside."""
        try:
            return self.create(name, tags, catalog)
        except Diverged as exc:  # every mismatch in create concerns the repository it names
            assert exc.repository is not None
            self.quarantine(exc.repository)
            return exc.repository

    def create(
        self, name: st.DataObject, tags: dict[str, str], catalog: dict[str, Any] | None
    ) -> str:
        """Create a repository with a drawn name; return the name."""
        full = name.draw(semantic.repository_names(2, 120, prefix=self.run_prefix), label="name")
        if len(self.model.repositories) >= self.max_repositories and full not in self.created:
            full = sorted(self.model.repositories)[0]
        if full in self.quarantined:  # set aside: the model no longer knows what the target has
            return full
        params: dict[str, Any] = {"repositoryName": full}
        if tags:
            params["tags"] = tag_list(tags)
        if catalog is not None:
            params["catalogData"] = catalog
        ex = self.call("CreateRepository", params)
        if full in self.model.repositories:
            self.expect_error(ex, {"RepositoryAlreadyExistsException"}, "name-unique", full)
            return full
        if ex.ok:
            self.created.add(full)
        body = self.expect_ok(ex, "create-new-name", full)
        self.expect_equal(
            ex,
            "repository.repositoryName",
            full,
            value_at(body, "repository", "repositoryName"),
            "create-returns-repository",
            full,
        )
        arn = value_at(body, "repository", "repositoryArn")
        if not isinstance(arn, str):  # optional in the answer: look it up
            arn = self.listed_arn(full)
        self.model.arns[full] = arn
        self.model.repositories[full] = RepositoryModel(
            full, arn, dict(tags), [catalog] if catalog is not None else None
        )
        if tags:
            self.check_tags(name=full)
        return full

    def listed_arn(self, name: str) -> str | None:
        """The ARN DescribeRepositories gives a repository (None when it gives none)."""
        ex = self.settled(
            lambda: self.call("DescribeRepositories", {"repositoryNames": [name]}),
            lambda ex: ex.ok,
        )
        listed = value_at(ex.json, "repositories") if ex.ok else None
        arn = listed[0].get("repositoryArn") if isinstance(listed, list) and listed else None
        return arn if isinstance(arn, str) else None

    @rule(name=MachineCore.repos, force=st.booleans())
    @resilient
    def delete_repository(self, name: str, force: bool) -> None:
        """DeleteRepository: unforced refuses images; forced deletes everything."""
        self.delete(name, force)

    def delete(self, name: str, force: bool) -> None:
        """Delete ``name`` and check the answer against the model."""
        repo = self.repo(name)
        ex = self.call("DeleteRepository", {"repositoryName": name, "force": force})
        if repo is None:
            self.missing(ex)
        elif repo.images and not force:
            self.expect_error(ex, {"RepositoryNotEmptyException"}, "delete-refuses-images", name)
        elif repo.layers and not force and not ex.ok:
            # layers without images: the specs leave it open whether that is "not empty"
            self.expect_error(ex, {"RepositoryNotEmptyException"}, "delete-refuses-images", name)
        else:
            self.expect_ok(ex, "delete-forced" if force else "delete-empty", name)
            del self.model.repositories[name]
            self.gone.add(name)

    @rule(name=MachineCore.repos, tags=RESOURCE_TAGS.filter(bool))
    @resilient
    def tag_repository(self, name: str, tags: dict[str, str]) -> None:
        """TagResource then ListTagsForResource: the tags are stored."""
        repo = self.repo(name)
        arn = self.model.arns.get(name)
        if arn is None:
            return  # the target gave this repository no ARN to tag it by
        ex = self.call("TagResource", {"resourceArn": arn, "tags": tag_list(tags)})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "tag-existing", name)
        repo.tags.update(tags)
        self.check_tags(name=name)

    @rule(name=MachineCore.repos, keys=st.lists(TAG_KEYS, max_size=2, unique=True))
    @resilient
    def untag_repository(self, name: str, keys: list[str]) -> None:
        """UntagResource then ListTagsForResource: the keys are gone."""
        repo = self.repo(name)
        arn = self.model.arns.get(name)
        if arn is None:
            return
        ex = self.call("UntagResource", {"resourceArn": arn, "tagKeys": keys})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "untag-existing", name)
        for key in keys:
            repo.tags.pop(key, None)
        self.check_tags(name=name)

    @rule(name=MachineCore.repos)
    @resilient
    def check_tags(self, name: str) -> None:
        """ListTagsForResource lists exactly the model's tags."""
        repo = self.repo(name)
        arn = self.model.arns.get(name)
        if arn is None:
            return
        ex = self.call("ListTagsForResource", {"resourceArn": arn})
        if repo is None:
            self.missing(ex)
            return
        body = self.expect_ok(ex, "list-tags-existing", name)
        listed = {t.get("Key"): t.get("Value") for t in body.get("tags") or []}
        self.expect_equal(ex, "tags", repo.tags, listed, "tags-listed", name)
