"""Send AWS JSON 1.1 requests to any endpoint, exactly as given, and record the exchange.

This is the sender that really reaches the target: nothing is validated client-side, so an
invalid request arrives as written. Requests are SigV4-signed with botocore's signer; the
transport is ``requests`` (HTTP) or, for in-process targets, a WSGI application called
directly. Recorded exchanges never contain the ``Authorization`` header or any credential.

Throttling answers (HTTP 429 or 503, or a throttling error code) are retried with bounded
exponential backoff and full jitter, re-signed each time, and never handed back as exchanges:
after the last attempt the call raises :class:`TargetThrottled`. Transport errors (resets,
truncated bodies, timeouts) are retried only when asked to (``retry_transport``), as cleanup does.
"""

from __future__ import annotations

import email.utils
import io
import json
import random
import threading
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


#: Error codes that mean "slow down" (AWS services and the SDKs' retry handlers use these).
THROTTLING_CODES = frozenset(
    {
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "ServiceUnavailable",
        "SlowDown",
    }
)
#: HTTP statuses that mean "slow down", whatever the body says (503 needs a throttling type).
THROTTLING_STATUSES = frozenset({429})
#: After this many requests in a row were throttled through every retry, throttled requests
#: fail at once until the target answers something else: a target that answers 503 to
#: everything must not cost a full backoff per request.
GIVE_UPS_BEFORE_FAST_FAIL = 3


class TargetUnreachable(Exception):
    """The endpoint could not be reached or did not answer in time."""


class TargetThrottled(TargetUnreachable):
    """The endpoint kept throttling a request after every retry the policy allows."""


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with full jitter.

    Attempt n (1-based) that meets a retryable answer waits a uniform random time in
    [0, min(cap_s, base_s * 2 ** (n - 1))], or the answer's Retry-After (at most
    retry_after_cap_s) when it has one. At most max_attempts attempts are sent, and no wait
    starts that would take the call's total waiting beyond max_total_wait_s.
    """

    base_s: float = 0.2
    cap_s: float = 5.0
    max_attempts: int = 10
    max_total_wait_s: float = 30.0
    retry_after_cap_s: float = 10.0

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None = None) -> float:
        """The wait after failed attempt ``attempt`` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_cap_s)
        return rng.uniform(0.0, min(self.cap_s, self.base_s * 2 ** min(attempt - 1, 60)))


#: For remote endpoints, AWS itself included.
DEFAULT_RETRY = RetryPolicy()
#: For loopback endpoints (a local emulator or the reference): retries cost next to nothing,
#: so they start sooner and there are more of them before a verdict is spoiled by giving up.
LOOPBACK_RETRY = RetryPolicy(
    base_s=0.005, cap_s=0.25, max_attempts=20, max_total_wait_s=5.0, retry_after_cap_s=0.25
)


def is_loopback(url: str) -> bool:
    """True when ``url`` names this machine (localhost, 127.x, ::1)."""
    host = urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def is_throttling(status: int, error_code: str | None) -> bool:
    """True for an answer that asks the client to slow down: HTTP 429, or a throttling error
    type (at any status). A 503 without one is a server error, not throttling: a target that
    answers every unsigned request with an HTML 503 has failed, and is judged for it."""
    return status == 429 or (error_code or "") in THROTTLING_CODES


def retry_after_s(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (delay-seconds or an HTTP date), or None."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


@dataclass
class ClientStats:
    """What the client's retrying did: throttling answers retried, and retries of any cause."""

    throttled: int = 0
    retries: int = 0
    transport_retries: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counters as a plain dict."""
        return {
            "throttled": self.throttled,
            "retries": self.retries,
            "transport_retries": self.transport_retries,
        }


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
        retry: RetryPolicy | None = None,
        retry_transport: bool = False,
    ) -> None:
        self.endpoint_url = endpoint_url.rstrip("/") + "/"
        self.region = region
        self.credentials = credentials or DUMMY_CREDENTIALS
        self.timeout = timeout
        self.signing_name = signing_name
        self.session = requests.Session()
        # Proxy settings from the environment matter for remote endpoints only; reading them
        # on every request costs more than the request itself on loopback.
        local = is_loopback(self.endpoint_url) or wsgi_app is not None
        self.session.trust_env = not is_loopback(self.endpoint_url)
        if wsgi_app is not None:
            self.session.mount(self.endpoint_url, WSGIAdapter(wsgi_app))
        self.retry = retry or (LOOPBACK_RETRY if local else DEFAULT_RETRY)
        self.retry_transport = retry_transport
        self.sleep: Callable[[float], None] = time.sleep
        self._rng = random.Random()
        self._stats = ClientStats()
        self._give_ups = 0  # requests in a row that were still throttled after every retry
        self._stats_lock = threading.Lock()

    @property
    def stats(self) -> ClientStats:
        """A snapshot of the retry counters."""
        with self._stats_lock:
            return ClientStats(**self._stats.as_dict())

    @property
    def throttled(self) -> int:
        """Throttling answers retried so far."""
        return self._stats.throttled

    @property
    def retries(self) -> int:
        """Retries sent so far, whatever their cause."""
        return self._stats.retries

    def _count(self, throttled: bool) -> None:
        with self._stats_lock:
            self._stats.retries += 1
            if throttled:
                self._stats.throttled += 1
            else:
                self._stats.transport_retries += 1

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
        retry_transport: bool | None = None,
        give_up_at: float | None = None,
    ) -> Exchange:
        """Send ``params`` (or the raw ``body``) as ``operation``; return the exchange.

        Throttling answers are retried (re-signed) under the client's policy and raise
        TargetThrottled when they persist. Transport errors raise TargetUnreachable, unless
        ``retry_transport`` (default: the client's setting) asks for them to be retried too.
        ``give_up_at`` (a ``time.monotonic()`` instant) stops retrying once it has passed.
        """
        raw = body if body is not None else json.dumps({} if params is None else params).encode()
        hdrs = {
            "Content-Type": CONTENT_TYPE,
            "X-Amz-Target": target or f"{TARGET_PREFIX}.{operation}",
            "Host": urlsplit(self.endpoint_url).netloc,
        }
        hdrs.update(headers or {})
        hdrs = {k: v for k, v in hdrs.items() if v is not None}
        transport = self.retry_transport if retry_transport is None else retry_transport
        policy = self.retry
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            sent = self._sign(hdrs, raw) if sign else hdrs
            try:
                ex = self._send(operation, params, body, raw, sent)
            except TargetUnreachable:
                wait = policy.delay(attempt, self._rng)
                if not transport or not self._may_retry(attempt, waited, wait, give_up_at):
                    raise
                self._count(throttled=False)
            else:
                if not is_throttling(ex.status, ex.error_code):
                    self._give_ups = 0
                    return ex
                asked = retry_after_s(ex.headers.get("retry-after"))
                wait = policy.delay(attempt, self._rng, asked)
                stuck = self._give_ups >= GIVE_UPS_BEFORE_FAST_FAIL
                if stuck or not self._may_retry(attempt, waited, wait, give_up_at):
                    self._give_ups += 1
                    last = f"HTTP {ex.status} {ex.error_code or ''}".rstrip()
                    why = (
                        f"not retried: the last {GIVE_UPS_BEFORE_FAST_FAIL} requests were "
                        "throttled to the end"
                        if stuck
                        else f"after {attempt} attempts and {waited:.1f} s of backoff"
                    )
                    raise TargetThrottled(
                        f"{self.endpoint_url} kept throttling {operation} ({why}; "
                        f"last answer: {last})"
                    )
                self._count(throttled=True)
            self.sleep(wait)
            waited += wait

    def _may_retry(
        self, attempt: int, waited: float, wait: float, give_up_at: float | None
    ) -> bool:
        """True when the policy (and the caller's deadline) allow one more attempt."""
        if attempt >= self.retry.max_attempts or waited + wait > self.retry.max_total_wait_s:
            return False
        return give_up_at is None or time.monotonic() + wait < give_up_at

    def _send(
        self,
        operation: str,
        params: Any,
        body: bytes | None,
        raw: bytes,
        hdrs: dict[str, str],
    ) -> Exchange:
        """Send one signed attempt; transport errors become TargetUnreachable."""
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
