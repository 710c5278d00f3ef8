"""What the registry model remembers: repositories, their tags, catalog data, policies, layers
and images, and the few helpers that read a target's answers into those terms."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from ...specs import load_service
from ...wire import Exchange

__all__ = [
    "ImageModel",
    "RegistryModel",
    "RepositoryModel",
    "Target",
    "as_json",
    "catalog_view",
    "listed_names",
    "model_operations",
    "optional_echo",
    "tag_list",
    "value_at",
]


#: The operations the model calls and judges (GetAuthorizationToken holds no registry state).
@functools.cache
def model_operations() -> frozenset[str]:
    """The operations the registry model follows: the seed edition's, but the token."""
    return frozenset(load_service("seed").operations) - {"GetAuthorizationToken"}


class Target(Protocol):
    """Anything that sends one AWS JSON request and returns the wire exchange."""

    def call(self, operation: str, params: Any = None) -> Exchange:
        """Send ``params`` as ``operation``; return the exchange."""
        ...


@dataclass
class ImageModel:
    """An image in the model: its manifest and the tags pointing at it."""

    digest: str
    manifest: str
    media_type: str
    tags: set[str] = field(default_factory=set)


@dataclass
class RepositoryModel:
    """A repository in the model.

    ``catalogs`` holds every catalog view the spec allows after the writes so far (replace or
    merge, ``catalog-merge`` in the freedoms); a read narrows it to what the target chose.
    """

    name: str
    arn: str | None
    tags: dict[str, str] = field(default_factory=dict)
    catalogs: list[dict[str, Any]] | None = None
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
    arns: dict[str, str | None] = field(default_factory=dict)
    display_name: str | None = None


def optional_echo(operation: str, member: str) -> bool:
    """True for a member of a state-changing operation's answer that the model leaves optional.

    Such a member echoes what the write did, and nothing promises it: its absence is at most
    SHOULD. What a read returns is its purpose, as each read's document summary says
    (GetRepositoryPolicy "Retrieves the repository policy..."), so it is judged in full.
    """
    if operation.startswith(("Describe", "Get", "List", "BatchCheck")):
        return False
    found = load_service().operation(operation).output.member_at(member.split("."))
    return found is not None and not found.required


def listed_names(ex: Exchange) -> set[str]:
    """The repository names a DescribeRepositories answer lists."""
    listed = value_at(ex.json, "repositories") if ex.ok else None
    return {
        r["repositoryName"]
        for r in listed or []
        if isinstance(r, dict) and isinstance(r.get("repositoryName"), str)
    }


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    """Tags as the wire lists them (Key and Value pairs)."""
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def value_at(obj: Any, *path: str) -> Any:
    """The value at ``path`` of nested JSON objects, or None where a step is missing."""
    for step in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(step)
    return obj


def as_json(text: Any) -> Any:
    """A JSON text parsed (the text itself when it is not JSON; other values as they are)."""
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return text


def catalog_view(catalog: dict[str, Any]) -> dict[str, Any]:
    """The comparable part of catalog data: texts and (unordered) badge lists."""
    out: dict[str, Any] = {}
    for key in ("description", "aboutText", "usageText"):
        if catalog.get(key):
            out[key] = catalog[key]
    for key in ("architectures", "operatingSystems"):
        if catalog.get(key):
            out[key] = sorted(catalog[key])
    return out
