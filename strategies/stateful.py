"""A stateful model of a registry, checked against any target through its responses.

:func:`registry_machine` returns a Hypothesis ``RuleBasedStateMachine`` whose rules send
requests through a :class:`Target` (a :class:`~ecr_public_conformance.wire.WireClient`
qualifies) and compare every answer with a plain-Python model of the registry: repositories,
their tags, catalog data, policies, layers and images with their tags. Invariants walk
``DescribeRepositories``, ``DescribeImages`` and ``DescribeImageTags`` page by page with a
small ``maxResults`` and compare the union with the model.

Only resources whose name starts with the run's ``prefix`` count, so resources that already
exist on the target are ignored. Nothing is assumed about ordering, token formats, message
texts, id formats, part sizes, or the absence of extra members. A disagreement raises
:class:`ModelMismatch`; an ``UnsupportedCommandException`` raises :class:`Unsupported`.
Teardown deletes (with ``force``) every repository the run created and restores the registry
catalog data if the run changed it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from ..specs import load_service
from ..wire import Exchange
from . import semantic
from .semantic import Blob, digest_of, parts_of, split_points

__all__ = [
    "ImageModel",
    "ModelMismatch",
    "RegistryMachine",
    "RegistryModel",
    "RepositoryModel",
    "Target",
    "Unsupported",
    "registry_machine",
]


class Target(Protocol):
    """Anything that sends one AWS JSON request and returns the wire exchange."""

    def call(self, operation: str, params: Any = None) -> Exchange:
        """Send ``params`` as ``operation``; return the exchange."""
        ...


class ModelMismatch(AssertionError):
    """A target's answer disagrees with the registry model."""

    def __init__(
        self,
        operation: str,
        member: str | None,
        expected: Any,
        fact: str,
        exchange: Exchange | None,
    ) -> None:
        self.operation = operation
        self.member = member
        self.expected = expected
        self.fact = fact
        self.exchange = exchange
        super().__init__(self._message())

    def _message(self) -> str:
        where = f" at {self.member}" if self.member else ""
        got = "no exchange"
        if self.exchange is not None:
            ex = self.exchange
            got = f"HTTP {ex.status}" + (f" {ex.error_code}" if ex.error_code else "")
        return (
            f"{self.operation}{where}: {self.fact} -- expected {_short(self.expected)}, got {got}"
        )


class Unsupported(Exception):
    """The target answered ``UnsupportedCommandException``: the operation is not offered."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(f"the target does not support {operation}")


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------- the model


@dataclass
class ImageModel:
    """An image in the model: its manifest and the tags pointing at it."""

    digest: str
    manifest: str
    media_type: str
    tags: set[str] = field(default_factory=set)


@dataclass
class RepositoryModel:
    """A repository in the model."""

    name: str
    arn: str
    tags: dict[str, str] = field(default_factory=dict)
    catalog: dict[str, Any] | None = None
    policy: str | None = None
    layers: set[str] = field(default_factory=set)
    images: dict[str, ImageModel] = field(default_factory=dict)

    def holder_of(self, tag: str) -> ImageModel | None:
        """Return the image carrying ``tag``, or None."""
        return next((i for i in self.images.values() if tag in i.tags), None)


@dataclass
class RegistryModel:
    """The whole model: repositories by name plus the registry display name."""

    repositories: dict[str, RepositoryModel] = field(default_factory=dict)
    arns: dict[str, str] = field(default_factory=dict)
    display_name: str | None = None


# --------------------------------------------------------------------------- strategies

_TAG_KEYS = st.sampled_from(["team", "env", "owner", "cost-centre", "app"])
_TAG_VALUES = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", max_size=12)
_RESOURCE_TAGS = st.dictionaries(_TAG_KEYS, _TAG_VALUES, max_size=3)
_IMAGE_TAGS = st.sampled_from(["latest", "v1", "v2", "stable"])
_LAYERS = st.lists(semantic.blobs(1, 48), min_size=1, max_size=3)
_DISPLAY_NAMES = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -", min_size=1, max_size=40
)

_FACT_UNIQUE = "repository names are unique within a registry"
_FACT_NOT_FOUND = "operations on a repository that does not exist fail"
_FACT_DIGEST = "CompleteLayerUpload verifies the layer's sha256 digest"
_FACT_CONTIGUOUS = "layer parts must be contiguous (partFirstByte follows the last byte sent)"
_FACT_NOT_EMPTY = "DeleteRepository without force refuses a repository that contains images"
_FACT_FORCE = "DeleteRepository with force deletes a repository and its images"
_FACT_TAGS = "tags given to TagResource/CreateRepository are listed by ListTagsForResource"
_FACT_TAG_MOVE = "a tag names one image; putting it on a new image moves it"
_FACT_LIST = "Describe* lists exactly the resources that exist (over all pages)"


_RUNS = itertools.count(1)


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _get(obj: Any, *path: str) -> Any:
    for step in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(step)
    return obj


# --------------------------------------------------------------------------- the machine


class RegistryMachine(RuleBasedStateMachine):
    """Rules and invariants of the registry model; bind a target with :func:`registry_machine`."""

    target: Target
    prefix: str = ""
    page_size: int = 2
    max_repositories: int = 4

    repos = Bundle("repos")

    def __init__(self) -> None:
        super().__init__()
        self.model = RegistryModel()
        self.created: set[str] = set()
        self.original_display_name: str | None = None
        self.display_name_changed = False
        self.nonce = 0
        self.last_exchange: Exchange | None = None
        # fixed width: a longer prefix would change the name budget and so the draws on replay
        self.run_prefix = f"{self.prefix}-{next(_RUNS) % 0x1000000:06x}"

    # ------------------------------------------------------------------ plumbing

    def call(self, operation: str, params: dict[str, Any]) -> Exchange:
        """Send one request through the target; ``Unsupported`` if the target refuses it."""
        ex = self.target.call(operation, params)
        if ex.error_code == "UnsupportedCommandException":
            raise Unsupported(operation)
        return ex

    def expect_ok(self, ex: Exchange, fact: str) -> Any:
        """Raise ``ModelMismatch`` unless the exchange succeeded; return its JSON body."""
        if not ex.ok:
            raise ModelMismatch(ex.operation, None, "success", fact, ex)
        return ex.json if isinstance(ex.json, dict) else {}

    def expect_error(self, ex: Exchange, codes: Iterable[str], fact: str) -> None:
        """Raise ``ModelMismatch`` unless the exchange failed with one of ``codes``."""
        allowed = sorted(codes)
        if ex.ok or ex.error_code not in allowed:
            raise ModelMismatch(ex.operation, None, " or ".join(allowed), fact, ex)

    def expect_equal(
        self, ex: Exchange, member: str, expected: Any, actual: Any, fact: str
    ) -> None:
        """Raise ``ModelMismatch`` when ``actual`` differs from the model's ``expected``."""
        if expected != actual:
            raise ModelMismatch(ex.operation, member, expected, fact, ex)

    def repo(self, name: str) -> RepositoryModel | None:
        """The model of repository ``name`` (None when it does not exist)."""
        return self.model.repositories.get(name)

    def missing(self, ex: Exchange) -> None:
        """Expect RepositoryNotFoundException."""
        self.expect_error(ex, {"RepositoryNotFoundException"}, _FACT_NOT_FOUND)

    # ------------------------------------------------------------------ setup / teardown

    @initialize()
    def read_registry_catalog(self) -> None:
        """Remember the registry display name, to restore it at teardown."""
        ex = self.call("GetRegistryCatalogData", {})
        body = self.expect_ok(ex, "GetRegistryCatalogData answers for every registry")
        self.original_display_name = _get(body, "registryCatalogData", "displayName")
        self.model.display_name = self.original_display_name

    def teardown(self) -> None:
        """Delete every repository this run created and restore the registry catalog data."""
        for name in sorted(self.created):
            ex = self.target.call("DeleteRepository", {"repositoryName": name, "force": True})
            if ex.error_code == "RepositoryNotEmptyException":
                self.empty_and_delete(name)
        if self.display_name_changed:
            self.target.call(
                "PutRegistryCatalogData", {"displayName": self.original_display_name or ""}
            )

    def empty_and_delete(self, name: str) -> None:
        """Delete every image of a repository, then the repository (best effort, no checks)."""
        ex = self.target.call("DescribeImages", {"repositoryName": name})
        details = _get(ex.json, "imageDetails") if ex.ok else None
        ids = [{"imageDigest": d.get("imageDigest")} for d in details or []]
        for start in range(0, len(ids), 100):
            self.target.call(
                "BatchDeleteImage", {"repositoryName": name, "imageIds": ids[start : start + 100]}
            )
        self.target.call("DeleteRepository", {"repositoryName": name})

    # ------------------------------------------------------------------ repositories

    @initialize(
        target=repos,
        data=st.data(),
        tags=_RESOURCE_TAGS.filter(bool),
        catalog=semantic.catalog_data(),
    )
    def baseline(self, data: st.DataObject, tags: dict[str, str], catalog: dict[str, Any]) -> str:
        """Every run starts with the core scenario, so each fact is checked at least once.

        Create a tagged repository, push two images with the same tag (the tag moves), try a
        wrong digest and a part gap, store catalog data, then refuse an unforced delete of a
        second, non-empty repository and force-delete it.
        """
        name = self.create(data, tags, None)
        for layers in (data.draw(_LAYERS, label="layers"), data.draw(_LAYERS, label="more")):
            self.push_image(
                name,
                layers,
                data.draw(st.integers(1, 2), label="parts"),
                data.draw(st.booleans(), label="oci"),
                "latest",
            )
        self.check_images(name)
        self.complete_with_wrong_digest(name, data.draw(semantic.blobs(1, 64), label="blob"), b"x")
        self.upload_part_with_gap(name, data.draw(semantic.blobs(3, 64), label="gapped"), 1)
        self.put_catalog(name, catalog)
        other = self.create(data, {}, None)
        if other != name:
            self.push_image(other, data.draw(_LAYERS, label="layers"), 1, False, None)
            self.delete_repository(other, False)
            self.delete_repository(other, True)
        return name

    @rule(
        target=repos,
        name=st.data(),
        tags=_RESOURCE_TAGS,
        catalog=st.none() | semantic.catalog_data(),
    )
    def create_repository(
        self, name: st.DataObject, tags: dict[str, str], catalog: dict[str, Any] | None
    ) -> str:
        """CreateRepository: a new name succeeds, an existing one fails."""
        return self.create(name, tags, catalog)

    def create(
        self, name: st.DataObject, tags: dict[str, str], catalog: dict[str, Any] | None
    ) -> str:
        """Create a repository with a drawn name; return the name."""
        full = name.draw(semantic.repository_names(2, 120, prefix=self.run_prefix), label="name")
        if len(self.model.repositories) >= self.max_repositories and full not in self.created:
            full = sorted(self.created)[0]
        params: dict[str, Any] = {"repositoryName": full}
        if tags:
            params["tags"] = _tag_list(tags)
        if catalog is not None:
            params["catalogData"] = catalog
        ex = self.call("CreateRepository", params)
        if full in self.model.repositories:
            self.expect_error(ex, {"RepositoryAlreadyExistsException"}, _FACT_UNIQUE)
            return full
        body = self.expect_ok(ex, "CreateRepository creates a repository with a new name")
        arn = _get(body, "repository", "repositoryArn")
        self.expect_equal(
            ex,
            "repository.repositoryName",
            full,
            _get(body, "repository", "repositoryName"),
            "CreateRepository returns the repository it created",
        )
        if not isinstance(arn, str):
            raise ModelMismatch(
                ex.operation,
                "repository.repositoryArn",
                "an ARN",
                "CreateRepository returns the repository ARN",
                ex,
            )
        self.created.add(full)
        self.model.arns[full] = arn
        self.model.repositories[full] = RepositoryModel(full, arn, dict(tags), catalog)
        if tags:
            self.check_tags(full)
        return full

    @rule(name=repos, force=st.booleans())
    def delete_repository(self, name: str, force: bool) -> None:
        """DeleteRepository: unforced refuses images; forced deletes everything."""
        repo = self.repo(name)
        ex = self.call("DeleteRepository", {"repositoryName": name, "force": force})
        if repo is None:
            self.missing(ex)
        elif repo.images and not force:
            self.expect_error(ex, {"RepositoryNotEmptyException"}, _FACT_NOT_EMPTY)
        elif repo.layers and not force and not ex.ok:
            # layers without images: the specs leave it open whether that is "not empty"
            self.expect_error(ex, {"RepositoryNotEmptyException"}, _FACT_NOT_EMPTY)
        else:
            self.expect_ok(ex, _FACT_FORCE if force else "an empty repository can be deleted")
            del self.model.repositories[name]

    # ------------------------------------------------------------------ tags

    @rule(name=repos, tags=_RESOURCE_TAGS.filter(bool))
    def tag_repository(self, name: str, tags: dict[str, str]) -> None:
        """TagResource then ListTagsForResource: the tags are stored."""
        repo = self.repo(name)
        arn = self.model.arns[name]
        ex = self.call("TagResource", {"resourceArn": arn, "tags": _tag_list(tags)})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "TagResource tags an existing repository")
        repo.tags.update(tags)
        self.check_tags(name)

    @rule(name=repos, keys=st.lists(_TAG_KEYS, max_size=2, unique=True))
    def untag_repository(self, name: str, keys: list[str]) -> None:
        """UntagResource then ListTagsForResource: the keys are gone."""
        repo = self.repo(name)
        ex = self.call("UntagResource", {"resourceArn": self.model.arns[name], "tagKeys": keys})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "UntagResource untags an existing repository")
        for key in keys:
            repo.tags.pop(key, None)
        self.check_tags(name)

    @rule(name=repos)
    def check_tags(self, name: str) -> None:
        """ListTagsForResource lists exactly the model's tags."""
        repo = self.repo(name)
        ex = self.call("ListTagsForResource", {"resourceArn": self.model.arns[name]})
        if repo is None:
            self.missing(ex)
            return
        body = self.expect_ok(ex, "ListTagsForResource answers for an existing repository")
        listed = {t.get("Key"): t.get("Value") for t in body.get("tags") or []}
        self.expect_equal(ex, "tags", repo.tags, listed, _FACT_TAGS)

    # ------------------------------------------------------------------ layers

    def upload(self, name: str, blob: Blob, parts: int) -> bool:
        """Push one blob in ``parts`` contiguous parts; return True once the layer exists."""
        repo = self.repo(name)
        ex = self.call("InitiateLayerUpload", {"repositoryName": name})
        if repo is None:
            self.missing(ex)
            return False
        upload_id = _get(self.expect_ok(ex, "InitiateLayerUpload starts an upload"), "uploadId")
        for part in parts_of(blob.data, split_points(blob.size, parts)):
            ex = self.call(
                "UploadLayerPart",
                {
                    "repositoryName": name,
                    "uploadId": upload_id,
                    "partFirstByte": part.first_byte,
                    "partLastByte": part.last_byte,
                    "layerPartBlob": part.blob,
                },
            )
            self.expect_ok(ex, "contiguous parts are accepted")
        ex = self.call(
            "CompleteLayerUpload",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "layerDigests": [blob.digest],
            },
        )
        if not ex.ok and ex.error_code == "LayerPartTooSmallException" and parts > 1:
            return self.upload(name, blob, 1)
        if blob.digest in repo.layers and not ex.ok:
            self.expect_error(
                ex,
                {"LayerAlreadyExistsException"},
                "a layer that exists may be reported as existing",
            )
            return True
        body = self.expect_ok(ex, "CompleteLayerUpload completes an upload of correct parts")
        self.expect_equal(
            ex,
            "layerDigest",
            blob.digest,
            body.get("layerDigest"),
            "CompleteLayerUpload returns the digest of the uploaded layer",
        )
        repo.layers.add(blob.digest)
        return True

    @rule(name=repos, blob=semantic.blobs(1, 64), parts=st.integers(1, 3))
    def push_layer(self, name: str, blob: Blob, parts: int) -> None:
        """Initiate, upload parts and complete one layer."""
        self.upload(name, blob, parts)

    @rule(name=repos, blob=semantic.blobs(1, 64), other=st.binary(min_size=1, max_size=8))
    def complete_with_wrong_digest(self, name: str, blob: Blob, other: bytes) -> None:
        """CompleteLayerUpload with a digest of other bytes fails with InvalidLayerException."""
        wrong = digest_of(blob.data + other)
        ex = self.call("InitiateLayerUpload", {"repositoryName": name})
        if self.repo(name) is None:
            self.missing(ex)
            return
        upload_id = _get(self.expect_ok(ex, "InitiateLayerUpload starts an upload"), "uploadId")
        part = parts_of(blob.data)[0]
        ex = self.call(
            "UploadLayerPart",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "partFirstByte": 0,
                "partLastByte": part.last_byte,
                "layerPartBlob": part.blob,
            },
        )
        self.expect_ok(ex, "a first part starting at byte 0 is accepted")
        ex = self.call(
            "CompleteLayerUpload",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "layerDigests": [wrong],
            },
        )
        self.expect_error(ex, {"InvalidLayerException"}, _FACT_DIGEST)

    @rule(name=repos, blob=semantic.blobs(3, 64), gap=st.integers(1, 4))
    def upload_part_with_gap(self, name: str, blob: Blob, gap: int) -> None:
        """A part that does not start right after the previous one fails."""
        ex = self.call("InitiateLayerUpload", {"repositoryName": name})
        if self.repo(name) is None:
            self.missing(ex)
            return
        upload_id = _get(self.expect_ok(ex, "InitiateLayerUpload starts an upload"), "uploadId")
        cut = blob.size // 2
        first, second = parts_of(blob.data, [cut])
        ex = self.call(
            "UploadLayerPart",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "partFirstByte": 0,
                "partLastByte": first.last_byte,
                "layerPartBlob": first.blob,
            },
        )
        self.expect_ok(ex, "a first part starting at byte 0 is accepted")
        start = second.first_byte + gap
        ex = self.call(
            "UploadLayerPart",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "partFirstByte": start,
                "partLastByte": start + len(second.data) - 1,
                "layerPartBlob": second.blob,
            },
        )
        self.expect_error(ex, {"InvalidLayerPartException"}, _FACT_CONTIGUOUS)

    # ------------------------------------------------------------------ images

    @rule(
        name=repos,
        layers=_LAYERS,
        parts=st.integers(1, 2),
        oci=st.booleans(),
        tag=st.none() | _IMAGE_TAGS,
    )
    def push_image(
        self, name: str, layers: list[Blob], parts: int, oci: bool, tag: str | None
    ) -> None:
        """Full push: upload config and layers, then PutImage (optionally tagged)."""
        self.nonce += 1
        text, config, media_type = semantic.manifest_for(
            layers, oci=oci, nonce=f"{self.prefix}-{self.nonce}"
        )
        for blob in [config, *layers]:
            if not self.upload(name, blob, parts):
                return
        self.put_image(name, text, media_type, tag)

    def put_image(self, name: str, text: str, media_type: str, tag: str | None) -> None:
        """PutImage and update the model (new image, tag moved from its previous holder)."""
        repo = self.repo(name)
        assert repo is not None
        digest = digest_of(text.encode())
        params: dict[str, Any] = {
            "repositoryName": name,
            "imageManifest": text,
            "imageManifestMediaType": media_type,
        }
        if tag is not None:
            params["imageTag"] = tag
        ex = self.call("PutImage", params)
        existing = repo.images.get(digest)
        if existing is not None and (tag is None or tag in existing.tags):
            self.expect_error(
                ex,
                {"ImageAlreadyExistsException"},
                "putting an image that exists with the same tags fails",
            )
            return
        body = self.expect_ok(ex, "PutImage stores a manifest whose blobs were uploaded")
        self.expect_equal(
            ex,
            "image.imageId.imageDigest",
            digest,
            _get(body, "image", "imageId", "imageDigest"),
            "an image digest is the sha256 of the manifest bytes",
        )
        image = existing or ImageModel(digest, text, media_type)
        repo.images[digest] = image
        if tag is not None:
            holder = repo.holder_of(tag)
            if holder is not None:
                holder.tags.discard(tag)
            image.tags.add(tag)

    @rule(name=repos, data=st.data(), tag=_IMAGE_TAGS)
    def retag_image(self, name: str, data: st.DataObject, tag: str) -> None:
        """PutImage of an existing manifest with a tag: the tag moves to it."""
        repo = self.repo(name)
        if repo is None or not repo.images:
            return
        digest = data.draw(st.sampled_from(sorted(repo.images)), label="image")
        image = repo.images[digest]
        self.put_image(name, image.manifest, image.media_type, tag)
        self.check_images(name)

    @rule(name=repos, data=st.data(), by_tag=st.booleans())
    def batch_delete_image(self, name: str, data: st.DataObject, by_tag: bool) -> None:
        """BatchDeleteImage by digest (image gone) or by tag (tag gone; image if last tag)."""
        repo = self.repo(name)
        if repo is None or not repo.images:
            return
        digest = data.draw(st.sampled_from(sorted(repo.images)), label="image")
        image = repo.images[digest]
        tag = sorted(image.tags)[0] if by_tag and image.tags else None
        image_id = {"imageTag": tag} if tag else {"imageDigest": digest}
        ex = self.call("BatchDeleteImage", {"repositoryName": name, "imageIds": [image_id]})
        body = self.expect_ok(ex, "BatchDeleteImage deletes an image that exists")
        self.expect_equal(
            ex,
            "failures",
            [],
            body.get("failures") or [],
            "deleting an image that exists reports no failure",
        )
        if tag is not None:
            image.tags.discard(tag)
        if tag is None or not image.tags:
            del repo.images[digest]

    # ------------------------------------------------------------------ policies and catalog

    @rule(name=repos, policy=semantic.policy_documents())
    def set_policy(self, name: str, policy: str) -> None:
        """SetRepositoryPolicy then GetRepositoryPolicy returns the same document."""
        repo = self.repo(name)
        ex = self.call("SetRepositoryPolicy", {"repositoryName": name, "policyText": policy})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "SetRepositoryPolicy stores a valid policy")
        repo.policy = policy
        self.get_policy(name)

    @rule(name=repos)
    def get_policy(self, name: str) -> None:
        """GetRepositoryPolicy returns the stored policy (as the same JSON document)."""
        repo = self.repo(name)
        ex = self.call("GetRepositoryPolicy", {"repositoryName": name})
        if repo is None:
            self.missing(ex)
        elif repo.policy is None:
            self.expect_error(
                ex,
                {"RepositoryPolicyNotFoundException"},
                "a repository without a policy has none to get",
            )
        else:
            text = self.expect_ok(ex, "GetRepositoryPolicy returns a stored policy").get(
                "policyText"
            )
            self.expect_equal(
                ex,
                "policyText",
                json.loads(repo.policy),
                _json(text),
                "GetRepositoryPolicy returns the policy that was set",
            )

    @rule(name=repos)
    def delete_policy(self, name: str) -> None:
        """DeleteRepositoryPolicy removes the policy, or fails when there is none."""
        repo = self.repo(name)
        ex = self.call("DeleteRepositoryPolicy", {"repositoryName": name})
        if repo is None:
            self.missing(ex)
        elif repo.policy is None:
            self.expect_error(
                ex,
                {"RepositoryPolicyNotFoundException"},
                "a repository without a policy has none to delete",
            )
        else:
            self.expect_ok(ex, "DeleteRepositoryPolicy deletes a stored policy")
            repo.policy = None

    @rule(name=repos, catalog=semantic.catalog_data())
    def put_catalog(self, name: str, catalog: dict[str, Any]) -> None:
        """PutRepositoryCatalogData then GetRepositoryCatalogData returns the same texts."""
        repo = self.repo(name)
        ex = self.call("PutRepositoryCatalogData", {"repositoryName": name, "catalogData": catalog})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "PutRepositoryCatalogData stores catalog data")
        repo.catalog = catalog
        self.get_catalog(name)

    @rule(name=repos)
    def get_catalog(self, name: str) -> None:
        """GetRepositoryCatalogData matches the last catalog data stored."""
        repo = self.repo(name)
        ex = self.call("GetRepositoryCatalogData", {"repositoryName": name})
        if repo is None:
            self.missing(ex)
            return
        if repo.catalog is None and not ex.ok:
            self.expect_error(
                ex,
                {"RepositoryCatalogDataNotFoundException"},
                "a repository without catalog data has none to get",
            )
            return
        fact = "catalog data reads back as it was written"
        body = self.expect_ok(ex, fact)
        got = body.get("catalogData") or {}
        self.expect_equal(
            ex, "catalogData", _catalog_view(repo.catalog or {}), _catalog_view(got), fact
        )

    @rule(display_name=_DISPLAY_NAMES)
    def put_registry_catalog(self, display_name: str) -> None:
        """PutRegistryCatalogData then GetRegistryCatalogData returns the display name."""
        ex = self.call("PutRegistryCatalogData", {"displayName": display_name})
        self.display_name_changed = True
        self.expect_ok(ex, "PutRegistryCatalogData stores a display name")
        self.model.display_name = display_name
        ex = self.call("GetRegistryCatalogData", {})
        body = self.expect_ok(ex, "GetRegistryCatalogData answers")
        self.expect_equal(
            ex,
            "registryCatalogData.displayName",
            display_name,
            _get(body, "registryCatalogData", "displayName"),
            "the registry display name reads back as it was written",
        )

    # ------------------------------------------------------------------ invariants

    def pages(self, operation: str, params: dict[str, Any], key: str) -> list[Any]:
        """Walk every page of a paginated operation with a small ``maxResults``."""
        items: list[Any] = []
        token: str | None = None
        self.last_exchange = None
        for _ in range(1000):
            request = dict(params, maxResults=self.page_size)
            if token is not None:
                request["nextToken"] = token
            ex = self.last_exchange = self.call(operation, request)
            body = self.expect_ok(ex, f"{operation} pages through what exists")
            items.extend(body.get(key) or [])
            token = body.get("nextToken")
            if not token:
                return items
        raise ModelMismatch(
            operation, "nextToken", "a last page", "pagination ends", self.last_exchange
        )

    @invariant()
    def repositories_match(self) -> None:
        """DescribeRepositories over all pages lists exactly the model's repositories."""
        if not hasattr(self, "model"):
            return
        listed = self.pages("DescribeRepositories", {}, "repositories")
        names = {r.get("repositoryName") for r in listed}
        mine = self.run_prefix + "-"
        ours = {n for n in names if isinstance(n, str) and n.startswith(mine)}
        if ours != set(self.model.repositories):
            raise ModelMismatch(
                "DescribeRepositories",
                "repositories",
                sorted(self.model.repositories),
                _FACT_LIST,
                self.last_exchange,
            )

    @invariant()
    def images_match(self) -> None:
        """DescribeImages and DescribeImageTags over all pages match each repository's model."""
        if not hasattr(self, "model"):
            return
        for name in sorted(self.model.repositories):
            self.check_images(name)

    def check_images(self, name: str) -> None:
        """Compare the images and image tags of one repository with the model."""
        repo = self.model.repositories[name]
        details = self.pages("DescribeImages", {"repositoryName": name}, "imageDetails")
        listed = {d.get("imageDigest"): set(d.get("imageTags") or []) for d in details}
        expected = {d: set(i.tags) for d, i in repo.images.items()}
        if listed != expected:
            raise ModelMismatch(
                "DescribeImages",
                "imageDetails",
                {d: sorted(t) for d, t in expected.items()},
                _FACT_TAG_MOVE if set(listed) == set(expected) else _FACT_LIST,
                self.last_exchange,
            )
        tags = self.pages("DescribeImageTags", {"repositoryName": name}, "imageTagDetails")
        pairs = {(t.get("imageTag"), _get(t, "imageDetail", "imageDigest")) for t in tags}
        want = {(tag, d) for d, i in repo.images.items() for tag in i.tags}
        if pairs != want:
            raise ModelMismatch(
                "DescribeImageTags",
                "imageTagDetails",
                sorted(want),
                _FACT_TAG_MOVE,
                self.last_exchange,
            )


def _json(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return text


def _catalog_view(catalog: dict[str, Any]) -> dict[str, Any]:
    """The comparable part of catalog data: texts and (unordered) badge lists."""
    out: dict[str, Any] = {}
    for key in ("description", "aboutText", "usageText"):
        if catalog.get(key):
            out[key] = catalog[key]
    for key in ("architectures", "operatingSystems"):
        if catalog.get(key):
            out[key] = sorted(catalog[key])
    return out


def _name_pattern() -> str:
    shape = load_service().operation("CreateRepository").input.member("repositoryName").shape
    c = shape.constraint("pattern")
    assert c is not None
    return str(c.value)


def registry_machine(
    target: Target,
    prefix: str,
    *,
    page_size: int = 2,
    max_repositories: int = 4,
) -> type[RegistryMachine]:
    """Return a state machine class bound to ``target``; every name starts with ``prefix``.

    ``prefix`` must be a valid repository name of at most 100 characters (use a unique one per
    run, e.g. ``f"conf-{unique_suffix()}"``), ``page_size`` the ``maxResults`` used to walk
    listings, ``max_repositories`` the most repositories the run keeps at once.
    """
    if not callable(getattr(target, "call", None)):
        raise InvalidArgument(f"target must have a call(operation, params) method: {target!r}")
    if not isinstance(prefix, str) or not re.fullmatch(_name_pattern(), prefix):
        raise InvalidArgument(f"prefix {prefix!r} is not a valid repository name")
    if len(prefix) > 100:
        raise InvalidArgument(f"prefix {prefix!r} is longer than 100 characters")
    if page_size < 1 or max_repositories < 1:
        raise InvalidArgument("page_size and max_repositories must be at least 1")
    attrs = {
        "target": target,
        "prefix": prefix,
        "page_size": page_size,
        "max_repositories": max_repositories,
    }
    return type(
        f"RegistryMachine_{re.sub(r'[^A-Za-z0-9]', '_', prefix)}", (RegistryMachine,), attrs
    )
