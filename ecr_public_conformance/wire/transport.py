"""How bytes reach a target: a persistent HTTP/1.1 connection per thread (``plain_http`` for
plain ``http://`` endpoints without a proxy, ``http.client`` otherwise), or a WSGI app called
in process."""

from __future__ import annotations

import base64
import errno
import http.client
import io
import os
import select
import socket
import ssl
import threading
import urllib.request
import weakref
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from . import plain_http
from .plain_http import PlainConnection

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


#: A connection of :class:`HTTPTransport`.
Connection = http.client.HTTPConnection | PlainConnection


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
        self._open: list[Connection] = []
        self._lock = threading.Lock()
        # a transport dropped without close() closes its sockets (no ResourceWarning)
        weakref.finalize(self, _close_all, self._open, self._lock)

    def _proxy_auth(self) -> dict[str, str]:
        """The Proxy-Authorization header the proxy URL's user and password call for."""
        if self.proxy is None or self.proxy.username is None:
            return {}
        pair = f"{unquote(self.proxy.username)}:{unquote(self.proxy.password or '')}"
        return {"Proxy-Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}

    def _new_connection(self) -> Connection:
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
            if self.proxy is None and plain_http.usable_target(self.target):
                return PlainConnection(host, port, self.timeout)
            return _OneWrite(host, port, timeout=self.timeout)
        if self._context is None:
            self._context = ssl.create_default_context(cafile=ca_bundle())
        conn = _OneWriteTLS(host, port, timeout=self.timeout, context=self._context)
        if self.proxy is not None:
            conn.set_tunnel(self.parts.hostname or "", self.parts.port, self._proxy_auth())
        return conn

    def _connection(self) -> Connection:
        """This thread's connection, connected (again, if the peer closed it while idle)."""
        conn: Connection | None = getattr(self._local, "conn", None)
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
            status, pairs, content = _read_answer(conn)
        except TimeoutError as exc:
            conn.close()
            raise TransportError(f"no answer within {self.timeout:g} s", True) from exc
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise TransportError(_broken(exc)) from exc
        answer = merged_headers(pairs)
        return Answer(status, answer, _decoded(content, answer.get("content-encoding")))

    def close(self) -> None:
        """Close every connection this transport opened (they reopen on the next send)."""
        _close_all(self._open, self._lock)


def _read_answer(conn: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, header pairs and body of the answer on ``conn``."""
    if isinstance(conn, PlainConnection):
        return conn.answer()
    resp = conn.getresponse()
    content = resp.read()
    return resp.status, resp.getheaders(), content


def _send_request(conn: Any, target: str, body: bytes, headers: Mapping[str, str]) -> None:
    """Send the request; a server that answered and closed before reading it all (an early
    413) breaks the send, but its answer can still be read, so that error is let go."""
    try:
        if isinstance(conn, PlainConnection):
            conn.request(target, body, headers)
        else:
            conn.request("POST", target, body, dict(headers))
    except (BrokenPipeError, ConnectionResetError):
        pass
    except OSError as exc:
        if exc.errno != errno.EPROTOTYPE:  # macOS's way of saying the same
            raise


def _close_all(connections: list[Connection], lock: threading.Lock) -> None:
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
    own: ``conformance/harness/probe.py`` tells a timeout by requests' ``Timeout`` class and reads a
    failure's one-line reason at ``__cause__.args[0].reason`` (requests is imported only here,
    on a failure)."""
    import requests

    cause: Exception = (
        requests.Timeout(error) if error.timed_out else requests.ConnectionError(error)
    )
    cause.__cause__ = error
    return cause
