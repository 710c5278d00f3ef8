"""Named fault switches the reference endpoint can be told to run with.

Two kinds. A *deviation* is a small, documented departure from the specs; each belongs to
exactly one of the suite's check categories, so a conformance run against the reference started
with that fault should be caught by checks of that category. A *condition* is something a real
endpoint does within the specs (throttling, a flaky network); no check should fail because of
it, and it takes a value: ``NAME=RATE``, the fraction of requests it affects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from ..categories import CATEGORIES as CATEGORIES  # re-exported

FaultKind = Literal["deviation", "condition"]


@dataclass(frozen=True)
class Fault:
    """One fault switch: its name, the check category meant to catch it, and what it does.

    Conditions have no category (nothing should catch them) and a default rate.
    """

    name: str
    category: str | None
    description: str
    kind: FaultKind = "deviation"
    default: float | None = None

    @property
    def usage(self) -> str:
        """How to name the fault on a command line, e.g. ``throttling[=RATE]``."""
        if self.name in CODE_FAULTS:
            return f"{self.name}=ERROR_CODE"
        return f"{self.name}[=RATE]" if self.kind == "condition" else self.name


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
        "unsigned-answered-503",
        "protocol",
        "requests without an Authorization header are answered HTTP 503 with an XML body",
    ),
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
    (
        "names-not-validated",
        "negative",
        "repository names and ARNs are not validated at all: any value names the repository "
        "spelled by its text (an ARN's part after 'repository/'), as a lenient emulator does",
    ),
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
        "media-type-required",
        "positive",
        "PutImage without imageManifestMediaType is refused with InvalidParameterException, "
        "even for a manifest that carries its mediaType",
    ),
    (
        "policy-refused-as-validation-error",
        "positive",
        "SetRepositoryPolicy is refused with ValidationError (an AWS common error code), "
        "valid or not",
    ),
    (
        "default-registry-not-assumed",
        "positive",
        "a request without registryId is answered with registryId 000000000000 (another "
        "registry than the caller's default one)",
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
    (
        "layer-digest-omitted",
        "stateful",
        "CompleteLayerUpload answers without the layerDigest of the layer it completed",
    ),
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
    # documented behaviours (the behaviour checks)
    (
        "empty-upload-accepted",
        "behaviour",
        "CompleteLayerUpload of an upload without parts succeeds",
    ),
    (
        "existing-layer-accepted",
        "behaviour",
        "completing a layer the repository already has succeeds (no LayerAlreadyExistsException)",
    ),
    ("tag-limit-ignored", "behaviour", "more than 50 tags on a repository are accepted"),
    (
        "non-empty-deleted",
        "behaviour",
        "DeleteRepository without force deletes a repository that holds images",
    ),
    (
        "missing-policy-deleted",
        "behaviour",
        "DeleteRepositoryPolicy of a repository without a policy succeeds",
    ),
    ("image-filter-ignored", "behaviour", "DescribeImages ignores its imageIds filter"),
    (
        "image-digest-not-checked",
        "behaviour",
        "PutImage accepts an imageDigest that is not the manifest's digest",
    ),
    (
        "missing-layers-accepted",
        "behaviour",
        "PutImage accepts a manifest whose layers were never uploaded",
    ),
    (
        "missing-references-accepted",
        "behaviour",
        "PutImage accepts a manifest list that references images that do not exist",
    ),
    ("policy-not-validated", "behaviour", "SetRepositoryPolicy accepts a policy that is not JSON"),
    (
        "last-tag-keeps-image",
        "behaviour",
        "removing an image's last tag leaves the image, untagged",
    ),
    ("failure-without-code", "behaviour", "BatchDeleteImage failures carry no failureCode"),
    (
        "any-layer-available",
        "behaviour",
        "BatchCheckLayerAvailability reports every well-formed digest AVAILABLE",
    ),
    (
        "last-byte-as-count",
        "behaviour",
        "UploadLayerPart's lastByteReceived is the number of bytes received, not the last index",
    ),
    ("token-expiry-short", "behaviour", "authorization tokens expire after one hour"),
    (
        "image-tag-created-at-omitted",
        "behaviour",
        "DescribeImageTags answers its image tags without their createdAt",
    ),
    (
        "last-byte-per-part",
        "behaviour",
        "UploadLayerPart's lastByteReceived is the last byte's index within the part, not "
        "within the layer",
    ),
    (
        "media-type-not-read-from-manifest",
        "behaviour",
        "PutImage without imageManifestMediaType stores a manifest list as a plain Docker "
        "manifest (its own mediaType is not read)",
    ),
    (
        "small-body-limit",
        "behaviour",
        "request bodies over 8 MiB are refused (413), so parts of 5 MiB and more cannot be sent",
    ),
    (
        "digest-delete-untags-only",
        "behaviour",
        "BatchDeleteImage by digest removes the image's tags but keeps the image",
    ),
    (
        "tag-delete-deletes-image",
        "behaviour",
        "BatchDeleteImage by tag deletes the whole image, even one with other tags",
    ),
    (
        "deleted-ids-omitted",
        "behaviour",
        "BatchDeleteImage answers no imageIds for the images it deleted",
    ),
    (
        "image-failures-not-found",
        "behaviour",
        "every BatchDeleteImage failure is reported as ImageNotFound",
    ),
    (
        "layer-size-omitted",
        "behaviour",
        "BatchCheckLayerAvailability reports available layers without their layerSize",
    ),
    (
        "layer-failure-codes-swapped",
        "behaviour",
        "BatchCheckLayerAvailability swaps MissingLayerDigest and InvalidLayerDigest",
    ),
    (
        "layer-digest-without-algorithm",
        "behaviour",
        "CompleteLayerUpload answers the layer digest without its 'sha256:' prefix",
    ),
    (
        "create-extras-dropped",
        "behaviour",
        "CreateRepository does not store the catalogData and tags it is given",
    ),
    (
        "repository-names-ignored",
        "behaviour",
        "DescribeRepositories ignores repositoryNames and lists every repository "
        "(an unknown name is still refused)",
    ),
    (
        "deleted-repository-not-echoed",
        "behaviour",
        "DeleteRepository answers {} instead of the repository it deleted",
    ),
    (
        "state-outlives-repository",
        "behaviour",
        "a repository created again under a deleted one's name gets back its images and tags",
    ),
    (
        "policy-not-deleted",
        "behaviour",
        "DeleteRepositoryPolicy answers success but keeps the policy",
    ),
    (
        "deleted-policy-not-echoed",
        "behaviour",
        "DeleteRepositoryPolicy answers without the policy text it deleted",
    ),
    ("size-of-manifest", "behaviour", "an image's imageSizeInBytes is its manifest's length"),
    (
        "index-size-summed",
        "behaviour",
        "a manifest list's imageSizeInBytes is the sum of its manifests' sizes, not the max",
    ),
    (
        "timestamps-in-milliseconds",
        "behaviour",
        "repository createdAt, imagePushedAt and image tag createdAt are epoch milliseconds",
    ),
    ("one-tag-per-image", "behaviour", "DescribeImageTags lists one tag per image (the first)"),
    ("no-default-alias", "behaviour", "DescribeRegistries marks no alias as the default one"),
    (
        "token-not-user-password",
        "behaviour",
        "the authorization token decodes to a bare password, without 'user:'",
    ),
    (
        "display-name-dropped",
        "behaviour",
        "PutRegistryCatalogData answers the display name but does not store it",
    ),
    (
        "policy-double-encoded",
        "behaviour",
        "GetRepositoryPolicy answers the policy text JSON-encoded once more (a JSON string)",
    ),
    ("logo-url-dropped", "behaviour", "catalog data given a logo has no logoUrl"),
    (
        "unsupported-catalog-tags-dropped",
        "behaviour",
        "catalog architectures and operating systems the Gallery does not support are dropped",
    ),
    (
        "put-image-answers-other-digest",
        "behaviour",
        "PutImage answers the digest of the manifest re-serialized without whitespace "
        "(the image is stored under its true digest)",
    ),
    (
        "retag-replaces-tags",
        "behaviour",
        "PutImage of an existing image with a new tag replaces the image's tags",
    ),
    (
        "tag-resource-replaces",
        "behaviour",
        "TagResource replaces the resource's tags instead of adding to them",
    ),
    (
        "untag-removes-all",
        "behaviour",
        "UntagResource removes every tag, not only the keys given",
    ),
    (
        "tag-limit-per-request",
        "behaviour",
        "the 50-tag limit counts only the tags of one request, not those the repository has",
    ),
    ("tag-limit-off-by-one", "behaviour", "a repository may hold 49 tags: a 50th is refused"),
)

#: Deviations that name the documented error they break: ``misreport=EmptyUploadException``
#: answers that error with another code (BadRequestException), everywhere it is raised.
CODE_FAULTS = {
    "misreport": (
        "behaviour",
        "the documented error given as value is answered BadRequestException instead",
    ),
}
#: The code a misreported error is answered with (documented nowhere).
MISREPORTED_AS = "BadRequestException"

#: Default rate of a condition named without a value.
DEFAULT_RATE = 0.3

_CONDITIONS = (
    (
        "throttling",
        "that fraction of requests is answered, before any processing, with HTTP 400 "
        "ThrottlingException, HTTP 429 or HTTP 503 ServiceUnavailable, sometimes with "
        "a Retry-After header",
    ),
    (
        "flaky-transport",
        "that fraction of requests meets a connection reset (before or after processing), "
        "a truncated body, an HTML 503 page, a JSON 500 InternalFailure, or a delay of "
        "0.1-0.5 s; resets and truncation over HTTP only",
    ),
)

#: Every fault switch, by name.
FAULTS: dict[str, Fault] = {
    **{name: Fault(name, cat, desc) for name, cat, desc in _ENTRIES},
    **{name: Fault(name, cat, desc) for name, (cat, desc) in CODE_FAULTS.items()},
    **{name: Fault(name, None, desc, "condition", DEFAULT_RATE) for name, desc in _CONDITIONS},
}


def _known() -> str:
    return "known faults: " + ", ".join(FAULTS[n].usage for n in sorted(FAULTS))


def _code(name: str, raw: str) -> str:
    from ..specs import load_service

    if raw not in load_service().errors:
        raise ValueError(f"fault {name}: {raw!r} is not an error code of the specs; {_known()}")
    return raw


def _rate(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:  # also false for nan
        raise ValueError(f"fault {name}: {raw!r} is not a rate between 0 and 1; {_known()}")
    return value


def parse_faults(specs: Iterable[str]) -> dict[str, float | None]:
    """Parse ``NAME`` or ``NAME=VALUE`` specs into name -> value (None for a deviation).

    A condition named without a value gets its default rate. ``ValueError`` gives a one-line
    reason listing the known faults: an unknown name, a value for a deviation, a missing or
    invalid value, or one condition given two different values.
    """
    out: dict[str, float | None] = {}
    for spec in specs:
        name, eq, raw = spec.strip().partition("=")
        name, raw = name.strip(), raw.strip()
        fault = FAULTS.get(name)
        if fault is None:
            raise ValueError(f"unknown fault {name or spec!r}; {_known()}")
        if name in CODE_FAULTS:
            out[f"{name}={_code(name, raw)}"] = None
            continue
        if fault.kind == "deviation":
            if eq:
                raise ValueError(f"fault {name} takes no value (got {spec.strip()!r}); {_known()}")
            value = None
        elif not eq:
            value = fault.default
        elif not raw:
            raise ValueError(f"fault {name}: missing value after '='; {_known()}")
        else:
            value = _rate(name, raw)
        if name in out and out[name] != value:
            raise ValueError(f"fault {name} given twice with different values; {_known()}")
        out[name] = value
    return out


def check_faults(specs: Iterable[str]) -> frozenset[str]:
    """Validate fault specs (see :func:`parse_faults`) and return the names that are on."""
    return frozenset(parse_faults(specs))


def condition_rates(values: Mapping[str, float | None]) -> dict[str, float]:
    """The rates of the conditions among parsed fault values."""
    return {k: v for k, v in values.items() if v is not None and FAULTS[k].kind == "condition"}
