"""What the checks need to know that the specs cannot express, as data, in one place.

* which members carry meaning beyond their schema (a schema-valid manifest may still be
  rejected as invalid), so that "valid request accepted" is only asserted where acceptance is
  guaranteed;
* which member of a creating operation must be a fresh name under the run's prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...specs import load_service

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

#: Shapes whose values name a resource a request acts on: a state-changing request may name
#: only resources the run created (see :mod:`.namespace`).
RESOURCE_SHAPES = frozenset({"RepositoryName", "Arn"})
#: Verbs of operations that only read. The API names its operations verb first; every other
#: operation is taken to change state (the safe side for an operation added later).
READ_VERBS = ("Describe", "Get", "List", "BatchCheck")


def changes_state(operation: str) -> bool:
    """True for an operation that may change the target's state (anything but a read)."""
    return not operation.startswith(READ_VERBS)


#: A request value that would list something in the public gallery (a premium repository's
#: state): never sent to AWS, whatever the opt-ins.
PUBLISHING_VALUES = frozenset({"AVAILABLE"})


def paid_content_write(operation: str) -> bool:
    """True for a state-changing operation added after the seed edition (premium repositories,
    their products and state, associations, image status): against AWS these make paid-content
    listings, so they need their own opt-in."""
    return changes_state(operation) and operation not in load_service("seed").operations


def publishes(params: Any) -> bool:
    """True when a request carries a value that would list something in the public gallery."""
    if isinstance(params, dict):
        return any(publishes(v) for v in params.values())
    if isinstance(params, list):
        return any(publishes(v) for v in params)
    return isinstance(params, str) and params in PUBLISHING_VALUES


def names_resource(op: Any) -> bool:
    """True when the operation's input has a member naming a repository or resource."""
    return any(m.shape.name in RESOURCE_SHAPES for m in op.input.members)


def registry_write(op: Any) -> bool:
    """True for a state-changing operation that names no resource: it writes registry-level
    data (restored at the end of the run)."""
    return changes_state(op.name) and not names_resource(op)


#: Registry-level members the run could not put back, by operation, with the reason: a
#: request carrying one (valid or not: a lenient target may store an invalid value) is never
#: sent, so registry-level writes stay restorable.
UNRESTORABLE: dict[str, dict[str, str]] = {
    "PutRegistryCatalogData": {
        "logoImageBlob": "GetRegistryCatalogData gives the registry's logo as a URL, not the "
        "image, so the run could not put the logo back",
    },
}


def unrestorable(operation: str, params: Any) -> str:
    """Why a registry-level request cannot be undone ("" when it can)."""
    members = UNRESTORABLE.get(operation, {})
    if not isinstance(params, dict):
        return ""
    return next((why for member, why in members.items() if member in params), "")


def creates_repository(operation: str) -> str | None:
    """The member naming the repository an operation creates (``Create...Repository``)."""
    if operation.startswith("Create") and operation.endswith("Repository"):
        return "repositoryName"
    return None


def deletes_repository(operation: str) -> str | None:
    """The member naming the repository an operation deletes (``Delete...Repository``)."""
    if operation.startswith("Delete") and operation.endswith("Repository"):
        return "repositoryName"
    return None


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


def largest_page(op: Any) -> int | None:
    """The largest page size a paginated operation accepts (its limit member's maximum)."""
    if op.paginator is None:
        return None
    try:
        bound = op.input.member(op.paginator.limit_key).shape.constraint("maximum")
    except KeyError:
        return None
    return int(bound.value) if bound is not None else None


@dataclass(frozen=True)
class DocumentedDefault:
    """What the document says happens when a request leaves ``member`` out.

    ``rule`` is how an answer shows it: ``default-registry`` (every registryId in the answer is
    the caller's default registry), ``page-size`` (a page holds at most ``value`` items).
    """

    member: str
    quote: str
    rule: str
    value: Any = None


#: Request members whose default the document states (each quote found in the document).
DOCUMENTED_DEFAULTS = (
    DocumentedDefault(
        "registryId",
        "If you do not specify a registry, the default public registry is assumed.",
        "default-registry",
    ),
    DocumentedDefault(
        "maxResults",
        "returns up to 100 results and a ``nextToken`` value, if applicable.",
        "page-size",
        100,
    ),
)


#: Condition on a member: left out of the request.
MISSING = "<left out>"
#: Condition on a member: present, with any value.
ANY = "<any value>"


@dataclass(frozen=True)
class DocumentedRefusal:
    """Schema-valid requests an operation's document says may be refused with a validation
    error: every member of ``when`` has one of its values (or ``MISSING``, or ``ANY``)."""

    operation: str
    when: dict[str, tuple[Any, ...]]
    quote: str

    def covers(self, operation: str, params: Any) -> bool:
        """True when a request of ``operation`` with ``params`` meets every condition."""
        if operation != self.operation or not isinstance(params, dict):
            return False
        return all(_meets(params, member, values) for member, values in self.when.items())


def _meets(params: dict[str, Any], member: str, values: tuple[Any, ...]) -> bool:
    if member not in params:
        return MISSING in values
    return ANY in values or params[member] in values


#: What the document says some schema-valid values get (each quote found in the document of
#: the edition that defines the operation): a request like these is not "valid" for the
#: check that valid requests are accepted.
DOCUMENTED_REFUSALS = (
    DocumentedRefusal(
        "SetRepositoryState",
        {"repositoryType": ("FREE",)},
        "``FREE`` isn't supported, and the request fails with ``InvalidParameterException``.",
    ),
    DocumentedRefusal(
        "DescribeImageScanFindings",
        {"repositoryType": ("FREE", MISSING)},
        "If you don't specify a type, Amazon ECR uses ``FREE``, and the request fails with "
        "``ValidationException``.",
    ),
    DocumentedRefusal(
        "SetImageStatus",
        {"repositoryType": ("FREE",)},
        "You can set the image status only in a ``PREMIUM`` repository.",
    ),
    DocumentedRefusal(
        "SetImageStatus",
        {"status": ("DEPRECATED",), "deprecationPeriodDays": (MISSING,)},
        "This parameter is required when you set ``status`` to ``DEPRECATED``.",
    ),
    DocumentedRefusal(
        "SetImageStatus",
        {"status": ("ACTIVE",), "deprecationPeriodDays": (ANY,)},
        "Don't specify it when you set ``status`` to ``ACTIVE``.",
    ),
    DocumentedRefusal(
        "AssociateRepositories",
        {"repositoryType": ("FREE",), "associatedRepositoryType": ("FREE",)},
        "This must be different from the type of the source repository.",
    ),
    DocumentedRefusal(
        "AssociateRepositories",
        {"repositoryType": ("PREMIUM",), "associatedRepositoryType": ("PREMIUM",)},
        "This must be different from the type of the source repository.",
    ),
    *(
        DocumentedRefusal(
            operation,
            {"marketplaceProducts": (ANY,)},
            "Your account must own each product, and each product must have an Amazon ECR "
            "Public Premium delivery option.",
        )
        for operation in ("CreatePremiumRepository", "PutPremiumRepositoryProducts")
    ),
)


def documented_refusal(operation: str, params: Any) -> DocumentedRefusal | None:
    """The documented refusal a schema-valid request of ``operation`` meets, if any."""
    return next((r for r in DOCUMENTED_REFUSALS if r.covers(operation, params)), None)
