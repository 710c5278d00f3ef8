"""What the checks need to know that the specs cannot express, as data, in one place.

* which write is observed through which read (read-after-write pairs);
* which members carry meaning beyond their schema (a schema-valid manifest may still be
  rejected as invalid), so that "valid request accepted" is only asserted where acceptance is
  guaranteed;
* which member of a creating operation must be a fresh name under the run's prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Error codes that mean "your request is invalid" rather than "the state says no".
VALIDATION_CODES = frozenset(
    {"InvalidParameterException", "SerializationException", "ValidationException"}
)

#: Members whose schema-valid values may still be rejected with a validation error.
SEMANTIC_MEMBERS = frozenset(
    {
        "imageManifest",
        "imageManifestMediaType",
        "imageDigest",
        "policyText",
        "partFirstByte",
        "partLastByte",
        "layerPartBlob",
        "layerDigests",
        "uploadId",
        "resourceArn",
        "registryId",
        "nextToken",
        "imageIds",
        "logoImageBlob",
        "tags",
        "tagKeys",
    }
)

#: Request members that name existing resources (a request naming one the run does not know
#: may be answered with a not-found error, whatever else is wrong with it).
NAMING_MEMBERS = (
    "repositoryName",
    "repositoryNames",
    "resourceArn",
    "uploadId",
    "layerDigests",
    "imageDigest",
    "imageIds",
    "imageManifest",
)

#: Operations that create a repository, and the member naming it.
CREATES_REPOSITORY = {"CreateRepository": "repositoryName"}

#: Operations that may only be sent to a repository the run owns (they change or delete it).
MUTATES_REPOSITORY = frozenset(
    {
        "BatchDeleteImage",
        "CompleteLayerUpload",
        "CreateRepository",
        "DeleteRepository",
        "DeleteRepositoryPolicy",
        "InitiateLayerUpload",
        "PutImage",
        "PutRepositoryCatalogData",
        "SetRepositoryPolicy",
        "TagResource",
        "UntagResource",
        "UploadLayerPart",
    }
)
#: Operations that change registry-level data (restored at the end of the run).
MUTATES_REGISTRY = frozenset({"PutRegistryCatalogData"})


def policy_text(nonce: str) -> str:
    """A small, valid repository policy document (JSON text) naming ``nonce``."""
    import json

    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Conformance",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["ecr-public:DescribeImages"],
                    "Condition": {"StringEquals": {"aws:PrincipalTag/nonce": nonce}},
                }
            ],
        }
    )


def mutates(operation: str) -> bool:
    """True for an operation that changes the target's state."""
    return operation in MUTATES_REPOSITORY or operation in MUTATES_REGISTRY


#: The member that identifies an item of each paginated result list.
ITEM_IDENTITY = {
    "DescribeRepositories": "repositoryName",
    "DescribeImages": "imageDigest",
    "DescribeImageTags": "imageTag",
    "DescribeRegistries": "registryId",
}


@dataclass(frozen=True)
class ReadAfterWrite:
    """A write, the read that must observe it, and how to tell it did."""

    write: str
    read: str
    read_params: Callable[[dict[str, Any]], dict[str, Any]]
    observed: Callable[[dict[str, Any], Any], bool]


def _repo(p: dict[str, Any]) -> dict[str, Any]:
    return {"repositoryName": p["repositoryName"]}


def _listed_repo(p: dict[str, Any], body: Any) -> bool:
    repos = body.get("repositories", []) if isinstance(body, dict) else []
    return any(r.get("repositoryName") == p["repositoryName"] for r in repos)


def _catalog(p: dict[str, Any], body: Any) -> bool:
    got = body.get("catalogData", {}) if isinstance(body, dict) else {}
    return got.get("description") == p["catalogData"].get("description")


def _tags(p: dict[str, Any], body: Any) -> bool:
    got = {t.get("Key"): t.get("Value", "") for t in (body or {}).get("tags", [])}
    return all(got.get(t["Key"]) == t.get("Value", "") for t in p["tags"])


def _policy(p: dict[str, Any], body: Any) -> bool:
    import json

    try:
        return json.loads((body or {}).get("policyText", "")) == json.loads(p["policyText"])
    except ValueError:
        return False


def _registry(p: dict[str, Any], body: Any) -> bool:
    got = (body or {}).get("registryCatalogData", {})
    return got.get("displayName") == p["displayName"]


READ_AFTER_WRITE = {
    "CreateRepository": ReadAfterWrite(
        "CreateRepository",
        "DescribeRepositories",
        lambda p: {"repositoryNames": [p["repositoryName"]]},
        _listed_repo,
    ),
    "PutRepositoryCatalogData": ReadAfterWrite(
        "PutRepositoryCatalogData", "GetRepositoryCatalogData", _repo, _catalog
    ),
    "TagResource": ReadAfterWrite(
        "TagResource", "ListTagsForResource", lambda p: {"resourceArn": p["resourceArn"]}, _tags
    ),
    "SetRepositoryPolicy": ReadAfterWrite(
        "SetRepositoryPolicy", "GetRepositoryPolicy", _repo, _policy
    ),
    "PutRegistryCatalogData": ReadAfterWrite(
        "PutRegistryCatalogData", "GetRegistryCatalogData", lambda p: {}, _registry
    ),
}
