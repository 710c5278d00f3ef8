"""Send AWS JSON 1.1 requests to any endpoint, exactly as given, and record the exchange.

This is the sender that really reaches the target: nothing is validated client-side, so an
invalid request arrives as written. Requests are SigV4-signed with botocore's signer; the
transport is ``requests`` (HTTP) or, for in-process targets, a WSGI application called
directly. Recorded exchanges never contain the ``Authorization`` header or any credential.
"""

from __future__ import annotations

import io
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "SpencerFrontendService"
SECRET_HEADERS = frozenset({"authorization", "x-amz-security-token"})
DEFAULT_TIMEOUT = 15.0


class TargetUnreachable(Exception):
    """The endpoint could not be reached or did not answer in time."""


@dataclass(frozen=True)
class Credentials:
    """AWS credentials used to sign requests (never printed)."""

    access_key: str
    secret_key: str = field(repr=False)
    token: str | None = field(default=None, repr=False)


DUMMY_CREDENTIALS = Credentials("AKIDEXAMPLECONFORMANCE", "conformance-secret-not-real")


def sanitize_error_code(raw: str | None) -> str | None:
    """Strip a namespace or URI from an error type the way AWS clients do."""
    if not raw:
        return None
    code = raw.split(":", 1)[0]
    return code.rsplit("#", 1)[-1] or None


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Return headers with every credential-bearing value replaced."""
    return {k: ("<redacted>" if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


@dataclass(frozen=True)
class Exchange:
    """One request and its response as seen on the wire."""

    operation: str
    request_body: Any
    request_headers: Mapping[str, str]
    status: int
    headers: Mapping[str, str]
    text: str
    json: Any
    elapsed_s: float

    @property
    def ok(self) -> bool:
        """True for a 2xx answer."""
        return 200 <= self.status < 300

    @property
    def error_code(self) -> str | None:
        """The sanitised error code (body ``__type``/``code``, else ``x-amzn-ErrorType``)."""
        if self.ok:
            return None
        body = self.json if isinstance(self.json, dict) else {}
        raw = body.get("__type") or body.get("code") or self.headers.get("x-amzn-errortype")
        return sanitize_error_code(raw if isinstance(raw, str) else None)

    def request_dict(self) -> dict[str, Any]:
        """The request as a JSON-serialisable dict (credentials redacted)."""
        return {
            "operation": self.operation,
            "headers": redact_headers(self.request_headers),
            "body": self.request_body,
        }

    def response_dict(self, limit: int = 20000) -> dict[str, Any]:
        """The response as a JSON-serialisable dict, body cut to ``limit`` characters."""
        body: Any = self.json if self.json is not None else self.text[:limit]
        return {"status": self.status, "headers": dict(self.headers), "body": body}


class WSGIAdapter(BaseAdapter):
    """A ``requests`` transport that calls a WSGI application in-process."""

    def __init__(self, app: Callable[..., Any]) -> None:
        super().__init__()
        self.app = app

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        """Call the application with a WSGI environ built from ``request``."""
        url = urlsplit(request.url or "/")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        environ = {
            "REQUEST_METHOD": request.method or "POST",
            "PATH_INFO": url.path or "/",
            "QUERY_STRING": url.query,
            "SERVER_NAME": url.hostname or "localhost",
            "SERVER_PORT": str(url.port or 80),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": url.scheme or "http",
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for k, v in request.headers.items():
            key = k.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = v
            elif key != "CONTENT_LENGTH":
                environ[f"HTTP_{key}"] = v
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        chunks = self.app(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        resp = requests.Response()
        resp.status_code = int(captured["status"].split()[0])
        resp.headers = requests.structures.CaseInsensitiveDict(captured["headers"])
        resp._content = content
        resp.url = request.url or ""
        resp.request = request
        return resp

    def close(self) -> None:
        """Nothing to release."""


class WireClient:
    """Signs and sends AWS JSON 1.1 requests to one endpoint; never validates them."""

    def __init__(
        self,
        endpoint_url: str,
        region: str = "us-east-1",
        credentials: Credentials | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        wsgi_app: Callable[..., Any] | None = None,
        signing_name: str = "ecr-public",
    ) -> None:
        self.endpoint_url = endpoint_url.rstrip("/") + "/"
        self.region = region
        self.credentials = credentials or DUMMY_CREDENTIALS
        self.timeout = timeout
        self.signing_name = signing_name
        self.session = requests.Session()
        # Proxy settings from the environment matter for remote endpoints only; reading them
        # on every request costs more than the request itself on loopback.
        host = urlsplit(self.endpoint_url).hostname or ""
        self.session.trust_env = not (host in ("localhost", "::1") or host.startswith("127."))
        if wsgi_app is not None:
            self.session.mount(self.endpoint_url, WSGIAdapter(wsgi_app))

    def _sign(self, headers: dict[str, str], body: bytes) -> dict[str, str]:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials as BotoCredentials

        c = self.credentials
        req = AWSRequest("POST", self.endpoint_url, data=body, headers=headers)
        SigV4Auth(
            BotoCredentials(c.access_key, c.secret_key, c.token), self.signing_name, self.region
        ).add_auth(req)
        return dict(req.headers.items())

    def call(
        self,
        operation: str,
        params: Any = None,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        sign: bool = True,
        target: str | None = None,
    ) -> Exchange:
        """Send ``params`` (or the raw ``body``) as ``operation``; return the exchange."""
        raw = body if body is not None else json.dumps({} if params is None else params).encode()
        hdrs = {
            "Content-Type": CONTENT_TYPE,
            "X-Amz-Target": target or f"{TARGET_PREFIX}.{operation}",
            "Host": urlsplit(self.endpoint_url).netloc,
        }
        hdrs.update(headers or {})
        hdrs = {k: v for k, v in hdrs.items() if v is not None}
        if sign:
            hdrs = self._sign(hdrs, raw)
        start = time.perf_counter()
        try:
            resp = self.session.post(
                self.endpoint_url, data=raw, headers=hdrs, timeout=self.timeout
            )
        except requests.Timeout as exc:
            raise TargetUnreachable(
                f"{self.endpoint_url} did not answer {operation} within {self.timeout:g} s"
            ) from exc
        except requests.RequestException as exc:
            raise TargetUnreachable(f"cannot reach {self.endpoint_url}: {exc}") from exc
        elapsed = time.perf_counter() - start
        return Exchange(
            operation=operation,
            request_body=params if body is None else raw.decode("utf-8", "replace"),
            request_headers=redact_headers(hdrs),
            status=resp.status_code,
            headers={k.lower(): v for k, v in resp.headers.items()},
            text=resp.content.decode("utf-8", "replace"),
            json=_parse_json(resp.content),
            elapsed_s=elapsed,
        )

    def close(self) -> None:
        """Close the underlying connection pool."""
        self.session.close()


def _parse_json(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None


def unique_suffix() -> str:
    """Return a short random suffix for names of resources a run creates."""
    return uuid.uuid4().hex[:8]
