"""The reference endpoint as a WSGI application (same core as the HTTP server)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .app import body_length_error, make_endpoint
from .disruptions import draw
from .protocol import Request, handle

StartResponse = Callable[..., Any]


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    out = {
        k[5:].replace("_", "-").lower(): str(v) for k, v in environ.items() if k.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            out[key.replace("_", "-").lower()] = str(environ[key])
    return out


class WsgiApp:
    """A WSGI callable serving one reference endpoint; ``reset()`` clears its state."""

    def __init__(
        self, faults: Iterable[str] = (), edition: str | None = None, **options: Any
    ) -> None:
        self.endpoint = make_endpoint(faults, edition=edition, **options)

    @property
    def faults(self) -> frozenset[str]:
        """The fault switches this app runs with."""
        return self.endpoint.faults

    def reset(self) -> None:
        """Clear all state."""
        self.endpoint.store.reset()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        """Serve one WSGI request."""
        headers = _headers(environ)
        response = body_length_error(self.endpoint, headers)
        if response is None:
            length = int(headers.get("content-length", "0").strip() or "0")
            body = environ["wsgi.input"].read(length) if length else b""
            path = environ.get("PATH_INFO", "/") or "/"
            if environ.get("QUERY_STRING"):
                path += "?" + environ["QUERY_STRING"]
            request = Request(environ.get("REQUEST_METHOD", "GET"), path, headers, body)
            response = handle(self.endpoint, request, draw(self.endpoint, transport=False))
        reason = {
            200: "OK",
            400: "Bad Request",
            403: "Forbidden",
            411: "Length Required",
            413: "Payload Too Large",
            429: "Too Many Requests",
            500: "Internal Server Error",
            503: "Service Unavailable",
        }
        start_response(
            f"{response.status} {reason.get(response.status, 'Error')}", response.headers
        )
        return [response.body]


def make_wsgi_app(
    faults: Iterable[str] = (), edition: str | None = None, **options: Any
) -> WsgiApp:
    """Return a WSGI application behaving like :func:`start_server`'s HTTP endpoint, serving
    ``edition`` (None: the default one)."""
    return WsgiApp(faults, edition, **options)
