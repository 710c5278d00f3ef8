"""The plain-HTTP connection sends and reads what ``http.client`` does: the same request bytes,
the same answers, the same one-line failures, over canned answers from a local socket."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from ecr_public_conformance.wire import HTTPTransport, TransportError, plain_http
from ecr_public_conformance.wire.plain_http import PlainConnection

OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}"
#: Canned answers, each sent whole to the first request on a fresh connection.
ANSWERS = {
    "length": OK,
    "chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n",
    "close without length": b"HTTP/1.1 400 Bad\r\nConnection: close\r\nX-A: 1\r\n\r\nbody...",
    "http/1.0": b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    "continue first": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX-B: 2\r\n\r\n",
    "repeated and spaced": b"HTTP/1.1 200 OK\r\nX-Rep: a\r\nx-rep:  b \r\n"
    b"Content-Length: 0\r\n\r\n",
    "folded header": b"HTTP/1.1 200 OK\r\nX-Fold: a\r\n\tb\r\nContent-Length: 1\r\n\r\nz",
    "malformed header": b"HTTP/1.1 200 OK\r\nBad Header\r\nContent-Length: 1\r\n\r\nz",
    "latin-1 value": b"HTTP/1.1 200 OK\r\nX-L: caf\xe9\r\nContent-Length: 0\r\n\r\n",
    "cut body": b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
    "cut chunks": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n5\r\nab",
    "bad chunk size": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "nothing": b"",
    "bad status line": b"HTPT/1.1 200 OK\r\n\r\n",
    "bad status code": b"HTTP/1.1 20x OK\r\n\r\n",
    "unknown protocol": b"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
    "bad length": b"HTTP/1.1 200 OK\r\nContent-Length: x\r\nConnection: close\r\n\r\nrest",
    "too many headers": b"HTTP/1.1 200 OK\r\n" + b"X-H: v\r\n" * 101 + b"\r\n",
}


class Canned:
    """A local server that records each request and answers it with ``answer``."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.answer = OK
        self.received: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = [
                    int(h.split(b":")[1])
                    for h in head.split(b"\r\n")
                    if h.lower().startswith(b"content-length:")
                ]
                while length and len(body) < length[0]:
                    body += conn.recv(65536)
                self.received.append(head + b"\r\n\r\n" + body)
                conn.sendall(self.answer)
                conn.shutdown(socket.SHUT_WR)


@pytest.fixture(scope="module")
def canned() -> Iterator[Canned]:
    server = Canned()
    yield server
    server.sock.close()


def _exchange(canned: Canned, plain: bool, headers: dict[str, Any], body: bytes) -> Any:
    """What a fresh transport made of the canned answer: the answer or the failure's line."""
    transport = HTTPTransport(f"http://127.0.0.1:{canned.port}/", 5)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plain_http, "usable_target", lambda target: plain)
        try:
            return transport.send(body, headers)
        except TransportError as exc:
            return exc.reason
        except ValueError as exc:
            return f"ValueError: {exc}"
        finally:
            assert isinstance(transport._local.conn, PlainConnection) == plain
            transport.close()


HEADERS = {"Host": "h", "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "S.Op"}


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_answers_read_as_http_client_reads_them(canned: Canned, name: str) -> None:
    canned.answer = ANSWERS[name]
    ours = _exchange(canned, True, HEADERS, b"{}")
    theirs = _exchange(canned, False, HEADERS, b"{}")
    assert ours == theirs


@pytest.mark.parametrize(
    "headers",
    [
        HEADERS,
        {"Content-Type": "x"},  # no Host: the connection names it
        {**HEADERS, "Accept-Encoding": "gzip", "Content-Length": "2"},
        {**HEADERS, "Transfer-Encoding": "identity"},
        {**HEADERS, "X-Num": 7, "X-Bytes": b"raw", "X-Latin": "caf\xe9"},
        {**HEADERS, "X-Bad": "a\r\nb"},
        {**HEADERS, "Bad:Name": "v"},
    ],
)
def test_requests_are_the_bytes_http_client_sends(canned: Canned, headers: dict[str, Any]) -> None:
    canned.answer = OK
    canned.received.clear()
    ours = _exchange(canned, True, headers, b"{}")
    theirs = _exchange(canned, False, headers, b"{}")
    assert ours == theirs
    if not isinstance(ours, str):
        assert canned.received[0] == canned.received[1]


def test_a_connection_is_kept_between_answers_with_a_length() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted: list[int] = []

    def serve() -> None:
        conn, _ = server.accept()
        accepted.append(1)
        with conn:
            for _ in range(3):
                data = b""
                while not data.endswith(b"{}"):
                    data += conn.recv(65536)
                conn.sendall(OK)

    threading.Thread(target=serve, daemon=True).start()
    transport = HTTPTransport(f"http://127.0.0.1:{port}/", 5)
    try:
        answers = [transport.send(b"{}", HEADERS) for _ in range(3)]
    finally:
        transport.close()
        server.close()
    assert [a.body for a in answers] == [b"{}"] * 3 and accepted == [1]
