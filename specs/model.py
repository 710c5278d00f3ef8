"""Typed, immutable objects for the ECR Public specs.

These are what every later stage (strategies, checks, the reference endpoint, reports) works
with. They are built only by :mod:`ecr_public_conformance.specs.loader` from the JSON files in
``specs/``; nothing else reads those files. Each fact carries its provenance: ``document`` (the
boto3 reference), ``service-model`` (botocore's model), ``both`` (the two agree), or
``overlay`` (hand-written data in ``specs/overlays/``, for facts neither source states).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Provenance = Literal["document", "service-model", "both", "overlay"]
ShapeKind = Literal[
    "structure",
    "list",
    "map",
    "string",
    "integer",
    "long",
    "boolean",
    "blob",
    "timestamp",
    "float",
    "double",
]
Fault = Literal["client", "server"]

#: JSON Schema keywords (and the two ``x-`` byte-length keywords for blobs) that constrain a value.
CONSTRAINT_KEYWORDS = (
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "pattern",
    "enum",
    "x-minBytes",
    "x-maxBytes",
)


@dataclass(frozen=True)
class Constraint:
    """One constraint on a value: a JSON Schema keyword, its value and where it came from."""

    keyword: str
    value: Any
    provenance: str


@dataclass(frozen=True)
class Member:
    """A named member of a structure."""

    name: str
    shape: Shape
    required: bool
    required_provenance: str | None = None


@dataclass(frozen=True)
class Shape:
    """A value's type and constraints, read from one JSON Schema node of a spec."""

    kind: ShapeKind
    name: str | None
    schema: Mapping[str, Any] = field(repr=False)
    members: tuple[Member, ...] = ()
    item: Shape | None = None
    constraints: tuple[Constraint, ...] = ()
    provenance: Mapping[str, str] = field(default_factory=dict, repr=False)
    description: str = field(default="", repr=False)
    #: A map's key and value shapes (maps only; a list's items are ``item``).
    key: Shape | None = None
    value: Shape | None = None

    def member(self, name: str) -> Member:
        """Return the member called ``name``; ``KeyError`` names the structure if absent."""
        for m in self.members:
            if m.name == name:
                return m
        raise KeyError(f"{self.name or self.kind} has no member {name!r}")

    def member_at(self, names: Sequence[str]) -> Member | None:
        """The member at a path of member names (list items are stepped through), or None."""
        shape: Shape | None = self
        found: Member | None = None
        for name in names:
            while shape is not None and shape.kind == "list":
                shape = shape.item
            if shape is None or shape.kind != "structure":
                return None
            try:
                found = shape.member(name)
            except KeyError:
                return None
            shape = found.shape
        return found

    def constraint(self, keyword: str) -> Constraint | None:
        """Return the constraint with this JSON Schema keyword, or None."""
        for c in self.constraints:
            if c.keyword == keyword:
                return c
        return None

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required members (structures only)."""
        return tuple(m.name for m in self.members if m.required)


@dataclass(frozen=True)
class Paginator:
    """How an operation pages: the member names botocore's paginator uses."""

    input_token: str
    output_token: str
    limit_key: str
    result_key: str
    provenance: str


@dataclass(frozen=True)
class Acceptor:
    """One rule of a waiter: when ``matcher`` at ``argument`` sees ``expected``, go to ``state``."""

    state: Literal["success", "failure", "retry"]
    matcher: str
    expected: Any
    argument: str | None = None


@dataclass(frozen=True)
class Waiter:
    """A botocore waiter: which operation it polls, how often, how long, and its acceptors."""

    name: str
    operation: str
    delay: int
    max_attempts: int
    acceptors: tuple[Acceptor, ...]
    description: str = ""
    provenance: str = "service-model"


@dataclass(frozen=True)
class ErrorRef:
    """An error code an operation documents, with the sources that list it."""

    code: str
    provenance: str


@dataclass(frozen=True)
class ErrorSpec:
    """One entry of the error catalogue."""

    code: str
    fault: Fault
    http_status: tuple[int, ...]
    level: Literal["operation", "protocol"]
    description: str
    operations: tuple[str, ...] = ()
    provenance: str = "service-model"
    #: What the error means to a client: validation, auth, throttling, server, request, state.
    error_class: str = "state"


@dataclass(frozen=True)
class Operation:
    """One API operation: wire target, input/output schemas, errors, paginator."""

    name: str
    python_name: str
    target: str
    summary: str
    input: Shape
    output: Shape
    input_schema: Mapping[str, Any] = field(repr=False)
    output_schema: Mapping[str, Any] = field(repr=False)
    errors: tuple[ErrorRef, ...] = ()
    paginator: Paginator | None = None
    documentation_url: str = ""
    exclusive: tuple[frozenset[str], ...] = ()
    #: The edition the operation was loaded from ("" for specs outside the editions).
    edition: str = field(default="", compare=False)

    @property
    def error_codes(self) -> frozenset[str]:
        """Every error code this operation documents (either source)."""
        return frozenset(e.code for e in self.errors)


@dataclass(frozen=True)
class Service:
    """The whole service: metadata, operations, error catalogue, waiters."""

    service_id: str
    api_version: str
    protocol: str
    json_version: str
    target_prefix: str
    signing_name: str
    endpoint_prefix: str
    operations: Mapping[str, Operation]
    errors: Mapping[str, ErrorSpec]
    spec_hash: str
    raw_index: Mapping[str, Any] = field(repr=False, default_factory=dict)
    waiters: Mapping[str, Waiter] = field(default_factory=dict)
    #: The edition these specs belong to ("" when loaded from a folder outside the editions).
    edition: str = ""

    def operation(self, name: str) -> Operation:
        """Return an operation by its API name (``CreateRepository``) or Python name."""
        if name in self.operations:
            return self.operations[name]
        for op in self.operations.values():
            if op.python_name == name:
                return op
        known = ", ".join(sorted(self.operations))
        raise KeyError(f"unknown ECR Public operation {name!r}; known operations: {known}")

    @property
    def paginated(self) -> tuple[Operation, ...]:
        """Operations that have a paginator, by name."""
        return tuple(op for op in self.operations.values() if op.paginator is not None)

    def protocol_errors(self) -> tuple[ErrorSpec, ...]:
        """Errors any AWS JSON endpoint may return whatever the operation."""
        return tuple(e for e in self.errors.values() if e.level == "protocol")

    def codes_of_class(self, error_class: str) -> frozenset[str]:
        """Every error code of one class (``validation``: the request itself is invalid)."""
        return frozenset(e.code for e in self.errors.values() if e.error_class == error_class)

    def allowed_error_codes(self, operation: str) -> frozenset[str]:
        """Codes a conforming endpoint may answer ``operation`` with: documented + protocol."""
        op = self.operation(operation)
        return op.error_codes | frozenset(e.code for e in self.protocol_errors())
