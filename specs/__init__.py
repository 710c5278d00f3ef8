"""Machine-readable ECR Public operation specs and the one loader that reads them."""

from .loader import SpecError, load_service, spec_hash
from .model import (
    Constraint,
    ErrorRef,
    ErrorSpec,
    Member,
    Operation,
    Paginator,
    Service,
    Shape,
)

__all__ = [
    "Constraint",
    "ErrorRef",
    "ErrorSpec",
    "Member",
    "Operation",
    "Paginator",
    "Service",
    "Shape",
    "SpecError",
    "load_service",
    "spec_hash",
]
