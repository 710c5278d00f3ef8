"""The threaded HTTP/1.1 server and the :class:`ReferenceServer` handle returned by
:func:`start_server`."""

from __future__ import annotations

import socket
import struct
import sys
import threading
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from .app import body_length_error, make_endpoint
from .context import Endpoint
from .disruptions import draw
from .protocol import Request, Response, handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    endpoint: Endpoint

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early is routine, not worth a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body leave in one write (flushed after each request)
    disable_nagle_algorithm = True
    server: _Server

    def _serve(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        refused = body_length_error(self.server.endpoint, headers)
        if refused is not None:
            self.close_connection = True
            self._send(refused, close=True)
            return
        length = int(headers.get("content-length", "0").strip() or "0")
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            return
        endpoint = self.server.endpoint
        disruption = draw(endpoint, transport=True)
        kind = disruption.kind if disruption is not None else None
        if kind == "reset-before":
            endpoint.count_request()
            self._reset()
            return
        response = handle(endpoint, Request(self.command, self.path, headers, body), disruption)
        if kind == "reset-after":
            self._reset()
        elif kind == "truncated":
            self.close_connection = True
            self._send(response, close=True, cut=max(1, len(response.body) // 2))
        else:
            self._send(response)

    def _reset(self) -> None:
        """Drop the connection without an answer (an RST, not an orderly close)."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def _send(self, response: Response, close: bool = False, cut: int | None = None) -> None:
        """Send ``response``; ``cut``: only that many body bytes (Content-Length unchanged)."""
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body if cut is None else response.body[:cut])

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Stay quiet: one line per request would dominate test output."""


class ReferenceServer:
    """A running reference endpoint: ``url``, ``host``, ``port``, ``faults``, ``edition``,
    ``stop()``."""

    def __init__(self, httpd: _Server, thread: threading.Thread) -> None:
        self._httpd = httpd
        self._thread = thread
        self.endpoint = httpd.endpoint
        self.host, self.port = address(httpd)
        self.url = f"http://{self.host}:{self.port}"

    @property
    def faults(self) -> frozenset[str]:
        """The fault switches this server runs with."""
        return self.endpoint.faults

    @property
    def edition(self) -> str:
        """The name of the spec edition this server serves."""
        return self.endpoint.options.edition

    def reset(self) -> None:
        """Clear all state (repositories, images, layers, uploads, registry catalog data)."""
        self.endpoint.store.reset()

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ReferenceServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def address(httpd: _Server) -> tuple[str, int]:
    """The host and port ``httpd`` is bound to."""
    host, port = httpd.server_address[:2]
    return (host.decode() if isinstance(host, bytes) else str(host)), int(port)


def bind(host: str, port: int, endpoint: Endpoint) -> _Server:
    """Bind the HTTP server for ``endpoint`` (port 0 picks a free port)."""
    httpd = _Server((host, port), _Handler)
    httpd.endpoint = endpoint
    return httpd


def start_server(
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Iterable[str] = (),
    verify_sigv4: bool = False,
    credentials: Mapping[str, str] | None = None,
    edition: str | None = None,
    **options: Any,
) -> ReferenceServer:
    """Start a reference endpoint serving ``edition`` (None: the default one) in a background
    thread and return its handle."""
    endpoint = make_endpoint(faults, verify_sigv4, credentials, edition=edition, **options)
    httpd = bind(host, port, endpoint)
    thread = threading.Thread(
        target=httpd.serve_forever, args=(0.05,), name="ecr-public-reference", daemon=True
    )
    thread.start()
    return ReferenceServer(httpd, thread)
