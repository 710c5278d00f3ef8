"""Send AWS JSON 1.1 requests to any endpoint, exactly as given, and record the exchange.

This is the sender that really reaches the target: nothing is validated client-side, so an
invalid request arrives as written. Requests are SigV4-signed here (byte for byte as botocore's
signer does, with the signing key cached per day); the transport is a persistent HTTP/1.1
connection per thread (``http.client``; HTTPS, and the environment's proxies for endpoints
that are not on this machine) or, for in-process targets, a WSGI application called directly.
Recorded exchanges never contain the ``Authorization`` header or any credential.

Throttling answers (HTTP 429 or 503, or a throttling error code) are retried with bounded
exponential backoff and full jitter, re-signed each time, and never handed back as exchanges:
after the last attempt the call raises :class:`TargetThrottled`. Transport errors (resets,
truncated bodies, timeouts) are retried only when asked to (``retry_transport``), as cleanup does.
"""

from __future__ import annotations

import base64
import calendar
import email.utils
import errno
import hashlib
import hmac
import http.client
import io
import json
import os
import random
import select
import socket
import ssl
import threading
import time
import urllib.request
import uuid
import weakref
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

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


# ------------------------------------------------------------------ SigV4


#: botocore's timestamp format and the headers it leaves out of a signature.
SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"
UNSIGNED_HEADERS = frozenset(
    {
        "baggage",
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "traceparent",
        "tracestate",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
    }
)


def remove_dot_segments(path: str) -> str:
    """RFC 3986 dot-segment removal, empty segments dropped too (as AWS signers do)."""
    if not path:
        return "/"
    out: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if out:
                out.pop()
        elif segment and segment != ".":
            out.append(segment)
    first = "/" if path[0] == "/" else ""
    last = "/" if path[-1] == "/" and out else ""
    return first + "/".join(out) + last


def host_header(url: str) -> str:
    """The Host value a signer derives from ``url``: lower case, default port left out."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host if parts.port is None or parts.port == default else f"{host}:{parts.port}"


def _canonical_query(query: str) -> str:
    """The query of the URL in canonical order (its pairs sorted, as they are written)."""
    pairs = sorted(pair.partition("=")[::2] for pair in query.split("&")) if query else []
    return "&".join(f"{key}={value}" for key, value in pairs)


def _without(pairs: list[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    """``pairs`` without any header called ``name`` (in any case)."""
    return [(k, v) for k, v in pairs if k.lower() != name]


def _sign_date(pairs: list[tuple[str, str]], stamp: str) -> list[tuple[str, str]]:
    """Date the request: a Date header is rewritten (and X-Amz-Date dropped), else X-Amz-Date."""
    if any(k.lower() == "date" for k, _ in pairs):
        instant = calendar.timegm(time.strptime(stamp, SIGV4_TIMESTAMP))
        return _without(
            _without(pairs, "date") + [("Date", email.utils.formatdate(instant))], "x-amz-date"
        )
    return _without(pairs, "x-amz-date") + [("X-Amz-Date", stamp)]


class SigV4Signer:
    """Signs requests to one endpoint for one service and region (AWS4-HMAC-SHA256).

    The result is what botocore's ``SigV4Auth.add_auth`` makes of the same request at the same
    clock (``tests/test_wire.py`` compares the two over generated requests); the signing key
    is derived once per secret and day.
    """

    def __init__(self, url: str, region: str, service: str) -> None:
        parts = urlsplit(url)
        self.region = region
        self.service = service
        self._path = quote(remove_dot_segments(parts.path), safe="/~")
        self._query = _canonical_query(parts.query)
        self._host = host_header(url)
        self._keys: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def key(self, secret: str, day: str) -> bytes:
        """The signing key of ``secret`` for ``day`` (YYYYMMDD), derived once."""
        with self._lock:
            found = self._keys.get((secret, day))
        if found is not None:
            return found
        k = f"AWS4{secret}".encode()
        for part in (day, self.region, self.service, "aws4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        with self._lock:
            if len(self._keys) > 8:
                self._keys.clear()
            self._keys[(secret, day)] = k
        return k

    def sign(
        self,
        headers: Mapping[str, str],
        body: bytes,
        credentials: Credentials,
        now: float | None = None,
    ) -> dict[str, str]:
        """Return ``headers`` dated and signed for a POST of ``body`` at ``now`` (epoch s)."""
        stamp = time.strftime(SIGV4_TIMESTAMP, time.gmtime(time.time() if now is None else now))
        pairs = _sign_date(_without(list(headers.items()), "authorization"), stamp)
        if credentials.token:
            pairs = _without(pairs, "x-amz-security-token")
            pairs.append(("X-Amz-Security-Token", credentials.token))
        names, canonical = self._canonical_headers(pairs)
        given = [v for k, v in pairs if k.lower() == "x-amz-content-sha256"]
        payload = given[0] if given else hashlib.sha256(body).hexdigest()
        request = f"POST\n{self._path}\n{self._query}\n{canonical}\n{names}\n{payload}"
        scope = f"{stamp[:8]}/{self.region}/{self.service}/aws4_request"
        digest = hashlib.sha256(request.encode()).hexdigest()
        to_sign = f"AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{digest}"
        key = self.key(credentials.secret_key, stamp[:8])
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        pairs.append(
            (
                "Authorization",
                f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
                f"SignedHeaders={names}, Signature={signature}",
            )
        )
        return dict(pairs)

    def _canonical_headers(self, pairs: list[tuple[str, str]]) -> tuple[str, str]:
        """(signed header names, canonical header lines) of the headers a signature covers."""
        signed: dict[str, list[str]] = {}
        for name, value in pairs:
            lname = name.lower()
            if lname not in UNSIGNED_HEADERS:
                signed.setdefault(lname, []).append(" ".join(value.split()))
        if "host" not in signed:
            signed["host"] = [self._host]
        names = sorted(signed)
        lines = "".join(f"{n}:{','.join(signed[n])}\n" for n in names)
        return ";".join(names), lines


# ------------------------------------------------------------------ transports


@dataclass(frozen=True)
class Answer:
    """What came back: status, headers (lower-cased names, repeats joined by ", "), body."""

    status: int
    headers: dict[str, str]
    body: bytes


class TransportError(Exception):
    """The transport met a failure instead of an answer; ``reason`` says which, in one line."""

    def __init__(self, reason: str, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


class Transport(Protocol):
    """Sends one request body with its headers to the endpoint and returns the answer."""

    def send(self, body: bytes, headers: Mapping[str, str]) -> Answer:
        """Send a POST; raise :class:`TransportError` when no complete answer comes back."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def merged_headers(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers by lower-cased name; a repeated header's values joined by ", " in order."""
    out: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _decoded(body: bytes, encoding: str | None) -> bytes:
    """The body without a gzip or deflate content coding (left as it is if it is not valid)."""
    if encoding not in ("gzip", "deflate", "x-gzip") or not body:
        return body
    try:
        return zlib.decompress(body, 47 if encoding != "deflate" else zlib.MAX_WBITS)
    except zlib.error:
        try:
            return zlib.decompress(body, -zlib.MAX_WBITS)
        except zlib.error:
            return body


def _readable(sock: socket.socket) -> bool:
    """True when an idle connection's socket has something to read (the peer closed it)."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([sock], [], [], 0)[0])


def environment_proxy(url: str) -> str | None:
    """The proxy the environment names for ``url`` (``HTTPS_PROXY``, ``HTTP_PROXY``,
    ``ALL_PROXY``, minus ``NO_PROXY``), or None."""
    parts = urlsplit(url)
    if urllib.request.proxy_bypass(parts.netloc or ""):
        return None
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def ca_bundle() -> str | None:
    """The CA bundle to verify HTTPS endpoints with: ``REQUESTS_CA_BUNDLE`` or
    ``CURL_CA_BUNDLE`` when set, else certifi's when installed, else the system's (None)."""
    for var in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        import certifi
    except ImportError:
        return None
    return str(certifi.where())


class _OneWrite(http.client.HTTPConnection):
    """An HTTP connection that sends the request line, headers and body in one write.

    ``http.client`` writes the headers and then the body: two segments, so a local server
    wakes up twice per request (about a tenth of a millisecond each on loopback).
    """

    def _send_output(self, message_body: Any = None, encode_chunked: bool = False) -> None:
        if not isinstance(message_body, bytes) or encode_chunked:
            super()._send_output(message_body, encode_chunked)  # type: ignore[misc]
            return
        self._buffer.extend((b"", b""))  # type: ignore[attr-defined]
        head = b"\r\n".join(self._buffer)  # type: ignore[attr-defined]
        del self._buffer[:]  # type: ignore[attr-defined]
        self.send(head + message_body)


class _OneWriteTLS(_OneWrite, http.client.HTTPSConnection):
    """:class:`_OneWrite` over TLS."""


class HTTPTransport:
    """Persistent HTTP/1.1 connections to one endpoint, one per thread, through ``proxy`` if
    given (an ``http://`` proxy: CONNECT for HTTPS endpoints, absolute URLs for HTTP ones)."""

    def __init__(self, url: str, timeout: float, proxy: str | None = None) -> None:
        self.parts = urlsplit(url)
        self.timeout = timeout
        self.proxy = urlsplit(proxy) if proxy else None
        self.https = self.parts.scheme == "https"
        path = self.parts.path or "/"
        self.target = path + (f"?{self.parts.query}" if self.parts.query else "")
        if self.proxy is not None and not self.https:
            self.target = f"http://{self.parts.netloc}{self.target}"
        self._context: ssl.SSLContext | None = None
        self._local = threading.local()
        self._open: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        # a transport dropped without close() closes its sockets (no ResourceWarning)
        weakref.finalize(self, _close_all, self._open, self._lock)

    def _proxy_auth(self) -> dict[str, str]:
        """The Proxy-Authorization header the proxy URL's user and password call for."""
        if self.proxy is None or self.proxy.username is None:
            return {}
        pair = f"{unquote(self.proxy.username)}:{unquote(self.proxy.password or '')}"
        return {"Proxy-Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}

    def _new_connection(self) -> http.client.HTTPConnection:
        """A connection object (not yet connected) to the endpoint or the proxy."""
        host, port = self.parts.hostname or "", self.parts.port
        if self.proxy is not None:
            if self.proxy.scheme != "http":
                raise TransportError(
                    f"cannot use the proxy {self.proxy.scheme}://{self.proxy.hostname}: only "
                    "http:// proxies are supported"
                )
            host, port = self.proxy.hostname or "", self.proxy.port or 80
        if not self.https:
            return _OneWrite(host, port, timeout=self.timeout)
        if self._context is None:
            self._context = ssl.create_default_context(cafile=ca_bundle())
        conn = _OneWriteTLS(host, port, timeout=self.timeout, context=self._context)
        if self.proxy is not None:
            conn.set_tunnel(self.parts.hostname or "", self.parts.port, self._proxy_auth())
        return conn

    def _connection(self) -> http.client.HTTPConnection:
        """This thread's connection, connected (again, if the peer closed it while idle)."""
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._new_connection()
            self._local.conn = conn
            with self._lock:
                self._open.append(conn)
        elif conn.sock is not None and _readable(conn.sock):
            conn.close()
        if conn.sock is None:
            try:
                conn.connect()
            except TimeoutError as exc:
                conn.close()
                raise TransportError(f"no connection within {self.timeout:g} s", True) from exc
            except OSError as exc:
                conn.close()
                raise TransportError(self._connect_failure(exc)) from exc
        return conn

    def _connect_failure(self, exc: OSError) -> str:
        """One line on a connection that could not be opened."""
        via = f" through the proxy {self.proxy.hostname}:{self.proxy.port}" if self.proxy else ""
        if isinstance(exc, socket.gaierror):
            return f"Failed to resolve '{self.parts.hostname}' ({exc}){via}"
        return f"Failed to establish a new connection{via}: {exc}"

    def send(self, body: bytes, headers: Mapping[str, str]) -> Answer:
        """POST ``body``; a broken or cut connection is closed and raises TransportError."""
        conn = self._connection()
        sent = {**headers, **self._proxy_auth()} if self.proxy and not self.https else headers
        try:
            _send_request(conn, self.target, body, sent)
            resp = conn.getresponse()
            content = resp.read()
        except TimeoutError as exc:
            conn.close()
            raise TransportError(f"no answer within {self.timeout:g} s", True) from exc
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise TransportError(_broken(exc)) from exc
        answer = merged_headers(resp.getheaders())
        return Answer(resp.status, answer, _decoded(content, answer.get("content-encoding")))

    def close(self) -> None:
        """Close every connection this transport opened (they reopen on the next send)."""
        _close_all(self._open, self._lock)


def _send_request(
    conn: http.client.HTTPConnection, target: str, body: bytes, headers: Mapping[str, str]
) -> None:
    """Send the request; a server that answered and closed before reading it all (an early
    413) breaks the send, but its answer can still be read, so that error is let go."""
    try:
        conn.request("POST", target, body, dict(headers))
    except (BrokenPipeError, ConnectionResetError):
        pass
    except OSError as exc:
        if exc.errno != errno.EPROTOTYPE:  # macOS's way of saying the same
            raise


def _close_all(connections: list[http.client.HTTPConnection], lock: threading.Lock) -> None:
    """Close ``connections``."""
    with lock:
        for conn in connections:
            conn.close()


def _broken(exc: BaseException) -> str:
    """One line on a connection that broke after it was opened."""
    if isinstance(exc, http.client.IncompleteRead):
        return f"the answer was cut short ({exc!r})"
    if isinstance(exc, http.client.RemoteDisconnected):
        return f"the connection closed before the answer ({exc})"
    text = " ".join(str(exc).split())  # on one line, whatever the peer sent
    return f"the connection broke ({type(exc).__name__}: {text})"


def wsgi_environ(url: str, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """The WSGI environ of a POST of ``body`` with ``headers`` to ``url``."""
    parts = urlsplit(url)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": parts.path or "/",
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or 80),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":
            environ[f"HTTP_{key}"] = value
    return environ


def call_wsgi(app: Callable[..., Any], url: str, body: bytes, headers: Mapping[str, str]) -> Answer:
    """Call the WSGI application ``app`` with a POST of ``body`` to ``url``; its answer."""
    captured: dict[str, Any] = {}
    written: list[bytes] = []

    def start_response(status: str, pairs: list[tuple[str, str]], exc: Any = None) -> Any:
        captured["status"], captured["headers"] = status, pairs
        return written.append

    chunks = app(wsgi_environ(url, body, headers), start_response)
    try:
        content = b"".join([*written, *chunks])
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return Answer(int(captured["status"].split()[0]), merged_headers(captured["headers"]), content)


class WSGITransport:
    """Calls a WSGI application in-process, as if it served ``url``."""

    def __init__(self, app: Callable[..., Any], url: str) -> None:
        self.app = app
        self.url = url

    def send(self, body: bytes, headers: Mapping[str, str]) -> Answer:
        """Call the application; its exceptions propagate as they are."""
        return call_wsgi(self.app, self.url, body, headers)

    def close(self) -> None:
        """Nothing to release."""


def WSGIAdapter(app: Callable[..., Any]) -> Any:  # noqa: N802 (was a class; callers construct it)
    """A ``requests`` transport adapter calling ``app`` in-process, for code that sends with
    ``requests`` (mount it on a Session); the wire client calls the app directly."""
    import requests
    from requests.adapters import BaseAdapter

    class _Adapter(BaseAdapter):
        def send(  # type: ignore[override]
            self, request: requests.PreparedRequest, **kwargs: Any
        ) -> requests.Response:
            body = request.body or b""
            raw = body.encode() if isinstance(body, str) else body
            answer = call_wsgi(app, request.url or "/", raw, dict(request.headers))
            resp = requests.Response()
            resp.status_code = answer.status
            resp.headers = requests.structures.CaseInsensitiveDict(answer.headers)
            resp._content = answer.body
            resp.url = request.url or ""
            resp.request = request
            return resp

        def close(self) -> None:
            """Nothing to release."""

    return _Adapter()


def _chained(error: TransportError) -> Exception:
    """The exception a TargetUnreachable is chained to, laid out as ``requests`` lays out its
    own: ``conformance/probe.py`` tells a timeout by requests' ``Timeout`` class and reads a
    failure's one-line reason at ``__cause__.args[0].reason`` (requests is imported only here,
    on a failure)."""
    import requests

    cause: Exception = (
        requests.Timeout(error) if error.timed_out else requests.ConnectionError(error)
    )
    cause.__cause__ = error
    return cause


# ------------------------------------------------------------------ the client


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
        self.signer = SigV4Signer(self.endpoint_url, region, signing_name)
        self.host = urlsplit(self.endpoint_url).netloc
        local = is_loopback(self.endpoint_url) or wsgi_app is not None
        self.transport: Transport
        if wsgi_app is not None:
            self.transport = WSGITransport(wsgi_app, self.endpoint_url)
        else:
            # the environment's proxies apply to remote endpoints only, as they did with requests
            proxy = None if local else environment_proxy(self.endpoint_url)
            self.transport = HTTPTransport(self.endpoint_url, timeout, proxy)
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
        return self.signer.sign(headers, body, self.credentials)

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
            "Host": self.host,
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
            answer = self.transport.send(raw, hdrs)
        except TransportError as exc:
            message = (
                f"{self.endpoint_url} did not answer {operation} within {self.timeout:g} s"
                if exc.timed_out
                else f"cannot reach {self.endpoint_url}: {exc.reason}"
            )
            raise TargetUnreachable(message) from _chained(exc)
        elapsed = time.perf_counter() - start
        return Exchange(
            operation=operation,
            request_body=params if body is None else raw.decode("utf-8", "replace"),
            request_headers=redact_headers(hdrs),
            status=answer.status,
            headers=answer.headers,
            text=answer.body.decode("utf-8", "replace"),
            json=_parse_json(answer.body),
            elapsed_s=elapsed,
        )

    def close(self) -> None:
        """Close the transport's connections."""
        self.transport.close()


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
