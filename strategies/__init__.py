"""Hypothesis strategies for ECR Public requests, boundary examples and semantic values.

* :func:`from_operation` -- valid request dicts (``mode="valid"``) or :class:`InvalidRequest`
  examples with exactly one labelled violation (``mode="invalid"``);
* :func:`from_shape` -- valid wire-form values of one :class:`~ecr_public_conformance.specs.Shape`;
* :func:`boundary_requests` -- explicit examples at and beyond every constraint;
* :mod:`.semantic_values` -- blobs, digests, parts, manifests, policies, catalog data;
* :mod:`.profiles` -- the ``quick``/``ci``/``nightly`` settings.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..specs import Operation
from .boundaries import boundary_requests, canonical_value, with_boundaries
from .core import BUILDERS, Context, from_shape, resolve_operation, valid_requests
from .invalid import invalid_requests, plans, skipped_violations
from .labelled import (
    VIOLATIONS,
    CaughtBy,
    InvalidRequest,
    LabelledRequest,
    allowed_errors,
    caught_by,
    without_constraint,
)
from .profiles import (
    PROFILES,
    Profile,
    apply_seed,
    describe_profiles,
    get_profile,
    settings_for,
    stateful_settings_for,
)

__all__ = [
    "BUILDERS",
    "PROFILES",
    "VIOLATIONS",
    "CaughtBy",
    "Context",
    "InvalidRequest",
    "LabelledRequest",
    "Profile",
    "allowed_errors",
    "apply_seed",
    "boundary_requests",
    "canonical_value",
    "caught_by",
    "describe_profiles",
    "from_operation",
    "from_shape",
    "get_profile",
    "invalid_requests",
    "plans",
    "resolve_operation",
    "settings_for",
    "skipped_violations",
    "stateful_settings_for",
    "valid_requests",
    "with_boundaries",
    "without_constraint",
]

MODES = ("valid", "invalid")


def from_operation(
    op: Operation | str, mode: str = "valid", context: Context | None = None
) -> st.SearchStrategy[Any]:
    """Strategy for requests of ``op``: request dicts (``valid``) or ``InvalidRequest``s.

    ``op`` is an :class:`~ecr_public_conformance.specs.Operation` or its name
    (``CreateRepository`` or ``create_repository``); ``context`` binds valid requests to
    resources that exist on a target. Unknown operations or modes raise ``InvalidArgument``.
    """
    if mode not in MODES:
        raise InvalidArgument(f"mode must be one of {MODES}, not {mode!r}")
    operation = resolve_operation(op)
    if mode == "valid":
        return valid_requests(operation, context)
    if context is not None:
        raise InvalidArgument("context binding applies to valid requests only")
    return invalid_requests(operation)
