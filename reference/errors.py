"""The error the reference's handlers raise, rendered as an AWS JSON 1.1 error response."""

from __future__ import annotations

import functools
from typing import Any

from ..specs import load_service
from ..specs.editions import editions
from .variants import on


class ApiError(Exception):
    """An AWS error: its code (``__type``), message and HTTP status."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status if status is not None else default_status(code)


@functools.cache
def default_status(code: str) -> int:
    """Return the catalogue's first HTTP status for ``code``, from the first edition whose
    catalogue has it (400 for unknown client codes)."""
    for shipped in editions():
        spec = load_service(shipped.name).errors.get(code)
        if spec is not None:
            return spec.http_status[-1] if code in _PREFER_LAST else spec.http_status[0]
    return 400


#: Protocol errors whose catalogue lists (400, 4xx); the reference uses the specific status.
_PREFER_LAST = frozenset(
    {
        "MissingAuthenticationTokenException",
        "InvalidSignatureException",
        "UnrecognizedClientException",
        "IncompleteSignatureException",
        "AccessDeniedException",
        "RequestEntityTooLargeException",
    }
)


def invalid(message: str) -> ApiError:
    """Return an ``InvalidParameterException`` with ``message``."""
    return ApiError("InvalidParameterException", message)


def rule_error(ctx: Any, message: str) -> ApiError:
    """The error for a rule the document states without naming a code:
    ``InvalidParameterException``, or ``ValidationException`` where the operation documents it
    under the ``rule-errors-as-validation`` variant."""

    if on(ctx, "rule-errors-as-validation") and "ValidationException" in ctx.op.error_codes:
        return ApiError("ValidationException", message)
    return invalid(message)
