"""Named fault switches: small, documented deviations the reference endpoint can be told to make.

Each fault belongs to exactly one of the suite's check categories, so a conformance run against
the reference started with that fault should be caught by checks of that category.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..categories import CATEGORIES as CATEGORIES  # re-exported


@dataclass(frozen=True)
class Fault:
    """One fault switch: its name, the check category meant to catch it, and what it does."""

    name: str
    category: str
    description: str


_ENTRIES = (
    (
        "timestamp-as-string",
        "protocol",
        "createdAt/pushedAt/expiresAt are sent as ISO-8601 strings",
    ),
    (
        "bad-enum-value",
        "response",
        "enum-typed output values (layerAvailability, failureCode, "
        "alias status) are replaced by a value outside the enum",
    ),
    (
        "number-as-string",
        "response",
        "integer output members (sizes, byte offsets, partSize) are sent as JSON strings",
    ),
    ("null-members", "response", "absent optional output members are sent as JSON null"),
    (
        "undeclared-error-code",
        "errors",
        "RepositoryNotFoundException is answered as NoSuchRepositoryException",
    ),
    ("client-error-as-500", "errors", "client errors are answered with HTTP 500"),
    (
        "error-without-type",
        "errors",
        "error bodies carry no __type and responses no x-amzn-ErrorType header",
    ),
    ("error-without-message", "errors", "error bodies carry no message member"),
    ("wrong-content-type", "protocol", "responses carry Content-Type: application/json"),
    (
        "unknown-target-accepted",
        "protocol",
        "a request naming an unknown operation is answered with HTTP 200 and {}",
    ),
    (
        "malformed-json-accepted",
        "protocol",
        "a body that is not JSON is treated as an empty request",
    ),
    ("auth-not-required", "protocol", "requests without an Authorization header are served"),
    (
        "validation-error-code",
        "negative",
        "constraint violations are answered with LimitExceededException "
        "instead of InvalidParameterException",
    ),
    ("no-request-id", "protocol", "responses carry no x-amzn-RequestId header"),
    (
        "unknown-target-wrong-code",
        "protocol",
        "an unknown X-Amz-Target is answered HTTP 404 InvalidAction instead of "
        "UnknownOperationException",
    ),
    (
        "other-serialization-code",
        "protocol",
        "bodies that are not JSON (or have wrong JSON types) are answered InvalidRequestException "
        "instead of SerializationException",
    ),
    ("no-max-length", "negative", "maxLength is not enforced on any string"),
    ("no-pattern-check", "negative", "patterns are not enforced"),
    (
        "accept-missing-required",
        "negative",
        "missing required members are treated as empty values instead of rejected",
    ),
    (
        "half-created-repository",
        "negative",
        "CreateRepository with invalid tags creates the "
        "repository, then answers InvalidTagParameterException",
    ),
    (
        "reject-namespaced-names",
        "positive",
        "repository names containing '/' are rejected with InvalidParameterException",
    ),
    (
        "server-error-on-long-text",
        "positive",
        "catalog description/aboutText/usageText longer "
        "than 100 characters is answered with ServerException (500)",
    ),
    ("page-size-ignored", "pagination", "maxResults is ignored: every item comes in one page"),
    (
        "duplicate-across-pages",
        "pagination",
        "the last item of a page is repeated as the first item of the next page",
    ),
    (
        "token-after-last-page",
        "pagination",
        "the final page carries a nextToken that yields one more, empty page",
    ),
    (
        "tampered-token-accepted",
        "pagination",
        "an invalid or tampered nextToken restarts from the first page instead of failing",
    ),
    ("tags-not-stored", "stateful", "tags given to TagResource/CreateRepository are dropped"),
    (
        "tag-not-moved",
        "stateful",
        "a tag put on a new image also stays on the image that had it before",
    ),
    ("digest-not-checked", "stateful", "CompleteLayerUpload does not verify the sha256 digest"),
    ("parts-not-contiguous", "stateful", "UploadLayerPart accepts non-contiguous parts"),
    (
        "force-ignored",
        "stateful",
        "DeleteRepository with force=true still refuses a non-empty repository",
    ),
    (
        "eventual-consistency",
        "consistency",
        "a created repository is visible to DescribeRepositories only about 1.5 s after creation",
    ),
    (
        "lost-write",
        "consistency",
        "PutRepositoryCatalogData answers success but does not store the data",
    ),
    ("server-error", "errors", "every request is answered with ServerException (HTTP 500)"),
)

#: Every fault switch, by name.
FAULTS: dict[str, Fault] = {name: Fault(name, cat, desc) for name, cat, desc in _ENTRIES}


def check_faults(names: Iterable[str]) -> frozenset[str]:
    """Return the fault names as a set; ``ValueError`` lists the known ones if one is unknown."""
    out = frozenset(names)
    unknown = sorted(out - FAULTS.keys())
    if unknown:
        known = ", ".join(sorted(FAULTS))
        raise ValueError(f"unknown fault(s) {', '.join(unknown)}; known faults: {known}")
    return out
