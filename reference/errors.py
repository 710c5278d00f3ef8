"""The error the reference's handlers raise, rendered as an AWS JSON 1.1 error response."""

from __future__ import annotations

from ..specs import load_service


class ApiError(Exception):
    """An AWS error: its code (``__type``), message and HTTP status."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status if status is not None else default_status(code)


def default_status(code: str) -> int:
    """Return the catalogue's first HTTP status for ``code`` (400 for unknown client codes)."""
    spec = load_service().errors.get(code)
    if spec is None:
        return 400
    return spec.http_status[-1] if code in _PREFER_LAST else spec.http_status[0]


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
