"""The wire client retrying: throttling backoff, Retry-After, giving up, transport retries."""

from __future__ import annotations

import base64
import datetime
import email.utils
import gzip
import json
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecr_public_conformance.reference import start_server
from ecr_public_conformance.wire import (
    DEFAULT_RETRY,
    GIVE_UPS_BEFORE_FAST_FAIL,
    LOOPBACK_RETRY,
    THROTTLING_CODES,
    Answer,
    Credentials,
    RetryPolicy,
    SigV4Signer,
    TargetThrottled,
    TargetUnreachable,
    TransportError,
    WireClient,
    is_aws_endpoint,
    is_throttling,
    resolve_endpoint,
    retry_after_s,
)

URL = "http://scripted.invalid"
TINY = RetryPolicy(base_s=0.001, cap_s=0.004, max_attempts=4, max_total_wait_s=1.0)
Scripted_ = tuple[int, dict[str, str], Any] | Exception


def ok() -> Scripted_:
    return 200, {}, {"registries": []}


def error(status: int, code: str, **headers: str) -> Scripted_:
    return status, {"x-amzn-ErrorType": code, **headers}, {"__type": code, "message": "m"}


class Scripted:
    """A transport answering from a script, remembering the headers of each request."""

    def __init__(self, answers: list[Scripted_]) -> None:
        self.answers = list(answers)
        self.seen: list[dict[str, str]] = []

    def send(self, body: bytes, headers: Mapping[str, str]) -> Answer:
        self.seen.append(dict(headers))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, hdrs, content = answer
        raw = content.encode() if isinstance(content, str) else json.dumps(content).encode()
        merged = {"content-type": "application/x-amz-json-1.1"}
        merged.update({k.lower(): v for k, v in hdrs.items()})
        return Answer(status, merged, raw)

    def close(self) -> None:
        """Nothing to release."""


def scripted(
    answers: list[Scripted_], policy: RetryPolicy = TINY, **kw: Any
) -> tuple[WireClient, Scripted, list[float]]:
    client = WireClient(URL, retry=policy, **kw)
    transport = Scripted(answers)
    client.transport = transport
    sleeps: list[float] = []
    client.sleep = sleeps.append
    return client, transport, sleeps


#: situation -> throttling answer the client must retry
THROTTLED: dict[str, Scripted_] = {
    "HTTP 429 without a body": (429, {"Content-Type": "text/plain"}, "Too Many Requests"),
    "HTTP 503 ServiceUnavailable": error(503, "ServiceUnavailable"),
    **{f"HTTP 400 {code}": error(400, code) for code in sorted(THROTTLING_CODES)},
    "namespaced code": error(400, "com.amazonaws#ThrottlingException"),
}


@pytest.mark.parametrize("situation", sorted(THROTTLED))
def test_throttling_answers_are_retried_and_counted(situation: str) -> None:
    client, adapter, sleeps = scripted([THROTTLED[situation], THROTTLED[situation], ok()])
    ex = client.call("DescribeRegistries", {})
    assert ex.status == 200 and len(adapter.seen) == 3 and len(sleeps) == 2
    assert client.throttled == 2 and client.retries == 2
    assert client.stats.as_dict() == {"throttled": 2, "retries": 2, "transport_retries": 0}


#: situation -> answer returned to the caller as it is, at once
NOT_THROTTLED: dict[str, Scripted_] = {
    "a validation error": error(400, "InvalidParameterException"),
    "a server error": error(500, "ServerException"),
    "an InternalFailure": error(500, "InternalFailure"),
    "a missing repository": error(400, "RepositoryNotFoundException"),
    "a success": ok(),
}


@pytest.mark.parametrize("situation", sorted(NOT_THROTTLED))
def test_other_answers_are_returned_without_retry(situation: str) -> None:
    client, adapter, sleeps = scripted([NOT_THROTTLED[situation]])
    ex = client.call("DescribeRegistries", {})
    assert ex.status == NOT_THROTTLED[situation][0]  # type: ignore[index]
    assert len(adapter.seen) == 1 and sleeps == [] and client.retries == 0


def test_every_attempt_is_signed_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    client, adapter, _ = scripted([error(400, "ThrottlingException"), error(429, "x"), ok()])
    signed: list[int] = []
    sign = client._sign

    def counting(headers: dict[str, str], body: bytes) -> dict[str, str]:
        signed.append(1)
        out = sign(headers, body)
        out["X-Attempt"] = str(len(signed))
        return out

    monkeypatch.setattr(client, "_sign", counting)
    client.call("DescribeRegistries", {})
    assert len(signed) == 3
    assert [h["X-Attempt"] for h in adapter.seen] == ["1", "2", "3"]
    assert all(h["Authorization"].startswith("AWS4-HMAC-SHA256 ") for h in adapter.seen)


def test_unsigned_requests_stay_unsigned_on_retry() -> None:
    client, adapter, _ = scripted([error(429, "x"), ok()])
    client.call("DescribeRegistries", {}, sign=False)
    assert all("Authorization" not in h for h in adapter.seen) and len(adapter.seen) == 2


def test_it_gives_up_after_the_attempts_with_one_line() -> None:
    client, adapter, sleeps = scripted([error(400, "ThrottlingException")] * 4)
    with pytest.raises(TargetThrottled) as info:
        client.call("CreateRepository", {"repositoryName": "r"})
    assert isinstance(info.value, TargetUnreachable)
    assert len(adapter.seen) == TINY.max_attempts and len(sleeps) == TINY.max_attempts - 1
    message = str(info.value)
    assert message.startswith(f"{URL}/ kept throttling CreateRepository (after 4 attempts and ")
    assert message.endswith("s of backoff; last answer: HTTP 400 ThrottlingException)")
    assert "\n" not in message
    assert client.throttled == 3  # the last answer was not retried


def test_it_gives_up_before_the_total_wait_cap() -> None:
    policy = RetryPolicy(base_s=1.0, cap_s=1.0, max_attempts=10, max_total_wait_s=2.5)
    client, adapter, sleeps = scripted([error(429, "x", **{"Retry-After": "1"})] * 10, policy)
    with pytest.raises(TargetThrottled, match=r"\(after 3 attempts and 2.0 s of backoff;"):
        client.call("DescribeRegistries", {})
    assert sleeps == [1.0, 1.0] and len(adapter.seen) == 3


def test_it_gives_up_at_the_callers_deadline() -> None:
    client, adapter, sleeps = scripted([error(429, "x")] * 4)
    with pytest.raises(TargetThrottled, match="after 1 attempts"):
        client.call("DescribeRegistries", {}, give_up_at=0.0)
    assert len(adapter.seen) == 1


#: Retry-After -> wait under a policy capping it at 5 s
RETRY_AFTER: dict[str, float] = {"0": 0.0, "1": 1.0, "2.5": 2.5, "120": 5.0}


@pytest.mark.parametrize("value", sorted(RETRY_AFTER))
def test_retry_after_is_honoured_and_capped(value: str) -> None:
    policy = RetryPolicy(base_s=0.001, cap_s=0.001, retry_after_cap_s=5.0)
    client, _, sleeps = scripted(
        [error(503, "ServiceUnavailable", **{"Retry-After": value}), ok()], policy
    )
    client.call("DescribeRegistries", {})
    assert sleeps == [RETRY_AFTER[value]]


#: header value -> seconds (None: not a usable Retry-After)
PARSED: list[tuple[str | None, float | None]] = [
    (None, None),
    ("", None),
    ("  ", None),
    ("3", 3.0),
    ("0.5", 0.5),
    ("-4", 0.0),
    ("soon", None),
    (email.utils.formatdate(1000.0 + 7, usegmt=True), 7.0),
    (email.utils.formatdate(1000.0 - 7, usegmt=True), 0.0),
]


@pytest.mark.parametrize(("value", "seconds"), PARSED)
def test_retry_after_parsing(value: str | None, seconds: float | None) -> None:
    assert retry_after_s(value, now=1000.0) == seconds


def test_backoff_is_exponential_with_full_jitter_and_capped() -> None:
    policy = RetryPolicy(base_s=0.2, cap_s=5.0)
    rng = random.Random(1)
    for attempt, bound in ((1, 0.2), (2, 0.4), (3, 0.8), (5, 3.2), (6, 5.0), (12, 5.0)):
        waits = [policy.delay(attempt, rng) for _ in range(400)]
        assert all(0.0 <= w <= bound for w in waits)
        assert max(waits) > 0.9 * bound and min(waits) < 0.1 * bound  # the full range is used


def test_policies_suit_the_target() -> None:
    assert WireClient("http://127.0.0.1:5000").retry == LOOPBACK_RETRY
    assert WireClient("http://localhost:5000").retry == LOOPBACK_RETRY
    assert WireClient("https://api.ecr-public.us-east-1.amazonaws.com").retry == DEFAULT_RETRY
    assert DEFAULT_RETRY.base_s == 0.2 and DEFAULT_RETRY.cap_s == 5.0
    assert DEFAULT_RETRY.max_attempts == 10


def test_is_throttling() -> None:
    assert is_throttling(429, None) and is_throttling(503, "ServiceUnavailable")
    # a 503 without a throttling type is a server error: judged, not retried
    assert not is_throttling(503, None) and not is_throttling(503, "InternalFailure")
    assert is_throttling(400, "SlowDown") and is_throttling(400, "RequestLimitExceeded")
    assert not is_throttling(400, "InvalidParameterException") and not is_throttling(500, None)


def test_a_target_throttling_everything_fails_fast_until_it_answers_again() -> None:
    stuck = [error(503, "ServiceUnavailable")] * (GIVE_UPS_BEFORE_FAST_FAIL * TINY.max_attempts)
    client, adapter, _ = scripted(
        [*stuck, error(503, "ServiceUnavailable"), ok(), error(429, "x"), ok()]
    )
    for _ in range(GIVE_UPS_BEFORE_FAST_FAIL):
        with pytest.raises(TargetThrottled, match="after 4 attempts"):
            client.call("DescribeRegistries", {})
    sent = len(adapter.seen)
    with pytest.raises(TargetThrottled) as info:
        client.call("DescribeRegistries", {})
    assert len(adapter.seen) == sent + 1  # one attempt, no backoff
    assert "(not retried: the last 3 requests were throttled to the end; " in str(info.value)
    assert client.call("DescribeRegistries", {}).ok  # an answer: retrying is back to normal
    assert client.call("DescribeRegistries", {}).ok and len(adapter.seen) == sent + 4


# ------------------------------------------------------------------ transport errors


def test_a_503_page_without_an_error_type_is_an_answer_not_throttling() -> None:
    client, adapter, sleeps = scripted([(503, {"Content-Type": "text/html"}, "<html>503</html>")])
    ex = client.call("DescribeRegistries", {})
    assert ex.status == 503 and ex.error_code is None
    assert len(adapter.seen) == 1 and sleeps == []


def test_transport_errors_are_not_retried_by_default() -> None:
    client, adapter, sleeps = scripted([TransportError("reset"), ok()])
    with pytest.raises(TargetUnreachable, match="cannot reach .* reset"):
        client.call("DescribeRegistries", {})
    assert len(adapter.seen) == 1 and sleeps == []


@pytest.mark.parametrize("how", ["per call", "per client"])
def test_transport_errors_are_retried_when_asked(how: str) -> None:
    failures: list[Scripted_] = [
        TransportError("reset"),
        TransportError("the answer was cut short (IncompleteRead(3 bytes read, 9 more expected))"),
        TransportError("no answer within 15 s", timed_out=True),
    ]
    kw = {"retry_transport": True} if how == "per client" else {}
    client, adapter, sleeps = scripted([*failures, ok()], **kw)
    per_call = {"retry_transport": True} if how == "per call" else {}
    assert client.call("DescribeRegistries", {}, **per_call).ok
    assert len(adapter.seen) == 4 and len(sleeps) == 3
    assert client.stats.as_dict() == {"throttled": 0, "retries": 3, "transport_retries": 3}


def test_transport_retries_are_bounded_too() -> None:
    client, adapter, _ = scripted([TransportError("reset")] * 4)
    with pytest.raises(TargetUnreachable, match="reset") as info:
        client.call("DescribeRegistries", {}, retry_transport=True)
    assert not isinstance(info.value, TargetThrottled) and len(adapter.seen) == 4


# ------------------------------------------------------------------ against the reference


def test_against_a_throttling_reference_every_call_gets_its_real_answer() -> None:
    with start_server(faults=["throttling=0.5"], fault_seed=11) as srv:
        client = WireClient(srv.url)
        for n in range(40):
            assert client.call("CreateRepository", {"repositoryName": f"r{n}"}).ok
        assert client.call("CreateRepository", {"repositoryName": "r0"}).error_code == (
            "RepositoryAlreadyExistsException"
        )
        assert len(srv.endpoint.store.repositories) == 40
        assert client.throttled > 10 and client.retries == client.throttled
        assert srv.endpoint.requests_served == 41 + client.retries


# ------------------------------------------------------------------ SigV4 as botocore signs


def botocore_signed(
    url: str,
    region: str,
    service: str,
    creds: Credentials,
    headers: dict[str, str],
    body: bytes,
    instant: int,
) -> dict[str, str]:
    """What botocore's SigV4Auth makes of the request at ``instant`` (the previous signer)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials

    req = AWSRequest("POST", url, data=body, headers=headers)
    when = datetime.datetime.fromtimestamp(instant, datetime.timezone.utc).replace(tzinfo=None)
    boto = BotoCredentials(creds.access_key, creds.secret_key, creds.token)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        SigV4Auth(boto, service, region).add_auth(req)
    return dict(req.headers.items())


#: header names a signer treats specially, in several cases, and any other
HEADER_NAMES = st.sampled_from(
    [
        "Content-Type",
        "content-type",
        "X-Amz-Target",
        "Host",
        "host",
        "Date",
        "date",
        "X-Amz-Date",
        "x-amz-date",
        "Authorization",
        "authorization",
        "X-Amz-Security-Token",
        "X-Amz-Content-SHA256",
        "User-Agent",
        "Expect",
        "X-Amzn-Trace-Id",
        "Connection",
    ]
) | st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,12}", fullmatch=True)
HEADER_VALUES = st.text(st.sampled_from("aZ09 ,;:/=.-_\t\x0b\x0c\x1f\x85\xa0\u2003é"), max_size=20)
URLS = st.builds(
    lambda scheme, host, port, path, query: f"{scheme}://{host}{port}{path}{query}",
    st.sampled_from(["http", "https"]),
    st.sampled_from(["localhost", "127.0.0.1", "API.ecr-public.us-east-1.amazonaws.com", "[::1]"]),
    st.sampled_from(["", ":80", ":443", ":4566"]),
    st.sampled_from(["", "/", "/a/b/", "/a/../b", "//x//y/./z", "/~u/a b/", "/%7Eu"]),
    st.sampled_from(["", "?b=2&a=1", "?x", "?a=1&a=0"]),
)
CREDENTIALS = st.builds(
    Credentials,
    st.text(st.sampled_from("AKID0123"), min_size=1, max_size=8),
    st.text(min_size=1, max_size=12),
    st.none() | st.text(st.sampled_from("tokn+/="), min_size=1, max_size=12),
)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    url=URLS,
    region=st.sampled_from(["us-east-1", "eu-west-1", "cn-north-1"]),
    service=st.sampled_from(["ecr-public", "ecr"]),
    creds=CREDENTIALS,
    headers=st.dictionaries(HEADER_NAMES, HEADER_VALUES, max_size=8),
    body=st.binary(max_size=40),
    instant=st.integers(0, 4102444800),
)
def test_signatures_are_botocores(
    url: str,
    region: str,
    service: str,
    creds: Credentials,
    headers: dict[str, str],
    body: bytes,
    instant: int,
) -> None:
    ours = SigV4Signer(url, region, service).sign(headers, body, creds, now=instant)
    assert ours == botocore_signed(url, region, service, creds, headers, body, instant)


def test_the_clients_signature_is_botocores_for_what_it_sends() -> None:
    client, transport, _ = scripted([ok()], credentials=Credentials("AKID", "secret", "tok"))
    with mock.patch("time.time", return_value=1_700_000_000.0):
        client.call("DescribeRegistries", {"maxResults": 3})
    sent = transport.seen[0]
    unsigned = {k: v for k, v in sent.items() if k.lower() not in SIGNED_ON_TOP}
    body = json.dumps({"maxResults": 3}).encode()
    creds = Credentials("AKID", "secret", "tok")
    assert sent == botocore_signed(
        URL + "/", "us-east-1", "ecr-public", creds, unsigned, body, 1_700_000_000
    )


SIGNED_ON_TOP = {"authorization", "x-amz-date", "x-amz-security-token"}


def test_the_signing_key_is_derived_once_per_secret_and_day() -> None:
    signer = SigV4Signer(URL, "us-east-1", "ecr-public")
    first = signer.key("secret", "20240102")
    assert signer.key("secret", "20240102") is first
    assert signer.key("secret", "20240103") != first and signer.key("other", "20240102") != first


def test_the_reference_verifying_signatures_accepts_them() -> None:
    with start_server(verify_sigv4=True, credentials={"AKIDTEST": "s3cret"}) as srv:
        good = WireClient(srv.url, credentials=Credentials("AKIDTEST", "s3cret"))
        bad = WireClient(srv.url, credentials=Credentials("AKIDTEST", "wrong"))
        for _ in range(3):
            assert good.call("CreateRepository", {"repositoryName": f"r{_}"}).ok
        assert bad.call("DescribeRegistries", {}).status in (400, 403)
        good.close()
        bad.close()


# ------------------------------------------------------------------ the HTTP transport


Reply = Callable[[bytes, dict[str, str]], bytes | None]


class RawServer:
    """A one-connection-at-a-time HTTP server: ``reply(request line, headers)`` returns the
    bytes to send back (None: close without answering; ``hang_up``: close after each answer);
    counts connections, keeps the requests."""

    def __init__(
        self, reply: Reply, tls: ssl.SSLContext | None = None, hang_up: bool = False
    ) -> None:
        self.reply = reply
        self.hang_up = hang_up
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.tls = tls
        self.connections = 0
        self.closed = threading.Event()
        self.requests: list[tuple[bytes, dict[str, str]]] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            try:
                with self.tls.wrap_socket(conn, server_side=True) if self.tls else conn as c:
                    self._connection(c)
            except OSError:
                pass
            finally:
                conn.close()
            self.closed.set()

    def _connection(self, conn: socket.socket) -> None:
        with conn.makefile("rb") as stream:
            self._requests(conn, stream)

    def _requests(self, conn: socket.socket, stream: Any) -> None:
        while True:
            line = stream.readline()
            if not line:
                return
            headers: dict[str, str] = {}
            while (header := stream.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = header.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            stream.read(int(headers.get("content-length", "0")))
            self.requests.append((line.rstrip(), headers))
            answer = self.reply(line, headers)
            if answer is None:
                return
            conn.sendall(answer)
            if self.hang_up or b"Connection: close" in answer or answer.startswith(b"HTTP/1.1 407"):
                return

    def close(self) -> None:
        self.sock.close()


def http_answer(
    body: bytes = b'{"registries": []}', *headers: str, length: int | None = None
) -> bytes:
    lines = [
        "HTTP/1.1 200 OK",
        "Content-Type: application/x-amz-json-1.1",
        f"Content-Length: {len(body) if length is None else length}",
        *headers,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@pytest.fixture()
def raw() -> Iterator[Callable[..., RawServer]]:
    servers: list[RawServer] = []

    def start(reply: Reply = lambda line, headers: http_answer(), **kw: Any) -> RawServer:
        servers.append(RawServer(reply, **kw))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def test_one_connection_carries_every_request(raw: Callable[..., RawServer]) -> None:
    server = raw()
    client = WireClient(server.url)
    assert all(client.call("DescribeRegistries", {}).ok for _ in range(5))
    assert server.connections == 1 and len(server.requests) == 5
    client.close()


def test_a_connection_the_server_closed_while_idle_is_opened_again(
    raw: Callable[..., RawServer],
) -> None:
    server = raw(hang_up=True)  # keep-alive answers, then the server closes the connection
    client = WireClient(server.url)
    for n in range(1, 4):
        assert client.call("DescribeRegistries", {}).ok
        assert server.closed.wait(5)
        server.closed.clear()
        assert server.connections == n
    client.close()


def test_an_answer_that_closes_the_connection_is_read_and_the_next_opens_one(
    raw: Callable[..., RawServer],
) -> None:
    server = raw(lambda line, headers: http_answer(b"{}", "Connection: close"))
    client = WireClient(server.url)
    assert client.call("DescribeRegistries", {}).json == {}
    assert client.call("DescribeRegistries", {}).json == {}
    assert server.connections == 2
    client.close()


#: how the server misbehaves -> the one line the call fails with
BROKEN: dict[str, tuple[Reply, str]] = {
    "a truncated answer": (
        lambda line, headers: http_answer(b'{"regis', "Connection: close", length=40),
        "the answer was cut short (IncompleteRead(7 bytes read, 33 more expected))",
    ),
    "no answer": (
        lambda line, headers: None,
        "the connection closed before the answer (Remote end closed connection without response)",
    ),
    "not HTTP": (
        lambda line, headers: b"SSH-2.0-OpenSSH\r\n",
        "the connection broke (BadStatusLine",
    ),
}


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_a_broken_answer_is_unreachable_with_one_line(
    raw: Callable[..., RawServer], how: str
) -> None:
    reply, reason = BROKEN[how]
    server = raw(reply)
    client = WireClient(server.url)
    with pytest.raises(TargetUnreachable) as info:
        client.call("DescribeRegistries", {})
    assert str(info.value).startswith(f"cannot reach {server.url}/: {reason}")
    assert "\n" not in str(info.value)
    server.reply = lambda line, headers: http_answer()
    assert client.call("DescribeRegistries", {}).ok  # the broken connection was dropped
    client.close()


def test_a_refused_connection_says_so_as_the_probe_reads_it() -> None:
    import requests

    from ecr_public_conformance.conformance.harness.probe import _reason

    with pytest.raises(TargetUnreachable) as info:
        WireClient("http://127.0.0.1:9").call("DescribeRegistries", {})
    reason = "Failed to establish a new connection: [Errno 111] Connection refused"
    assert str(info.value) == f"cannot reach http://127.0.0.1:9/: {reason}"
    assert isinstance(info.value.__cause__, requests.ConnectionError)
    assert _reason(info.value, 2.0) == reason


def test_a_silent_endpoint_times_out_as_the_probe_reads_it(
    raw: Callable[..., RawServer],
) -> None:
    import requests

    from ecr_public_conformance.conformance.harness.probe import _reason

    stop = threading.Event()
    server = raw(lambda line, headers: (stop.wait(5), None)[1])
    start = time.monotonic()
    with pytest.raises(TargetUnreachable) as info:
        WireClient(server.url, timeout=0.2).call("DescribeRegistries", {})
    stop.set()
    assert time.monotonic() - start < 2
    assert str(info.value) == f"{server.url}/ did not answer DescribeRegistries within 0.2 s"
    assert isinstance(info.value.__cause__, requests.Timeout)
    assert _reason(info.value, 0.2) == "no answer to DescribeRegistries within 0.2 s"


def test_answers_are_recorded_with_lower_cased_headers_and_without_credentials(
    raw: Callable[..., RawServer],
) -> None:
    answer = http_answer(b"{}", "X-Amzn-RequestId: r1", "Vary: a", "VARY: b")
    server = raw(lambda line, headers: answer)
    client = WireClient(server.url, credentials=Credentials("AKIDX", "secret-x", "token-x"))
    ex = client.call("DescribeRegistries", {})
    assert ex.headers == {
        "content-type": "application/x-amz-json-1.1",
        "content-length": "2",
        "x-amzn-requestid": "r1",
        "vary": "a, b",
    }
    seen = server.requests[0][1]
    assert seen["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDX/")
    assert seen["x-amz-security-token"] == "token-x"
    recorded = json.dumps([ex.request_dict(), ex.response_dict(), dict(ex.request_headers)])
    assert "Signature=" not in recorded and "token-x" not in recorded
    assert ex.request_headers["Authorization"] == "<redacted>"
    client.close()


def test_a_compressed_answer_is_decompressed(raw: Callable[..., RawServer]) -> None:
    body = gzip.compress(b'{"registries": []}')
    server = raw(lambda line, headers: http_answer(body, "Content-Encoding: gzip"))
    client = WireClient(server.url)
    assert client.call("DescribeRegistries", {}).json == {"registries": []}
    client.close()


def test_each_thread_has_its_own_connection() -> None:
    with start_server() as srv:
        client = WireClient(srv.url)
        errors: list[BaseException] = []

        def work(n: int) -> None:
            try:
                for i in range(10):
                    assert client.call("CreateRepository", {"repositoryName": f"t{n}-{i}"}).ok
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [] and len(srv.endpoint.store.repositories) == 40
        client.close()


# ------------------------------------------------------------------ proxies and HTTPS


def test_a_remote_endpoint_goes_through_the_environments_proxy(
    raw: Callable[..., RawServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = raw()
    monkeypatch.setenv("HTTP_PROXY", f"http://us%40r:p%3Ass@127.0.0.1:{proxy.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    client = WireClient("http://ecr.example.invalid:4566")
    assert client.call("DescribeRegistries", {}).ok
    line, headers = proxy.requests[0]
    assert line == b"POST http://ecr.example.invalid:4566/ HTTP/1.1"
    assert headers["host"] == "ecr.example.invalid:4566"
    assert headers["proxy-authorization"] == "Basic " + base64.b64encode(b"us@r:p:ss").decode()
    client.close()


def test_no_proxy_and_loopback_endpoints_bypass_the_proxy(
    raw: Callable[..., RawServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = raw()
    monkeypatch.delenv("http_proxy", raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    assert WireClient(server.url).call("DescribeRegistries", {}).ok  # loopback: no proxy
    monkeypatch.setenv("NO_PROXY", "example.invalid")
    with pytest.raises(TargetUnreachable, match="Failed to resolve 'ecr.example.invalid'"):
        WireClient("http://ecr.example.invalid").call("DescribeRegistries", {})


def test_an_https_endpoint_is_tunnelled_through_the_proxy(
    raw: Callable[..., RawServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = raw(lambda line, headers: b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")
    monkeypatch.delenv("https_proxy", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"127.0.0.1:{proxy.port}")
    with pytest.raises(TargetUnreachable) as info:
        WireClient("https://api.example.invalid").call("DescribeRegistries", {})
    assert proxy.requests[0][0].startswith(b"CONNECT api.example.invalid:443 HTTP/1.")
    assert str(info.value) == (
        "cannot reach https://api.example.invalid/: Failed to establish a new connection "
        f"through the proxy 127.0.0.1:{proxy.port}: Tunnel connection failed: 407 Proxy "
        "Authentication Required"
    )


def self_signed(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context for localhost with a self-signed certificate, and its file."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file


def test_https_endpoints_are_verified(
    raw: Callable[..., RawServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, cert = self_signed(tmp_path)
    server = raw(tls=context)
    url = f"https://localhost:{server.port}"
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with pytest.raises(TargetUnreachable, match="CERTIFICATE_VERIFY_FAILED"):
        WireClient(url).call("DescribeRegistries", {})
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    client = WireClient(url)
    assert client.call("DescribeRegistries", {}).ok and client.call("DescribeRegistries", {}).ok
    client.close()


# ------------------------------------------------------------------ in-process targets


def test_a_wsgi_app_is_called_directly() -> None:
    seen: list[dict[str, Any]] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        seen.append(environ)
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        write = start_response(
            "200 OK", [("Content-Type", "text/plain"), ("X-A", "1"), ("x-a", "2")]
        )
        write(b"echo:")
        return [body]

    client = WireClient("http://in-process.invalid", wsgi_app=app)
    ex = client.call("DescribeRegistries", {"maxResults": 2})
    assert ex.status == 200 and ex.text == 'echo:{"maxResults": 2}'
    assert ex.headers == {"content-type": "text/plain", "x-a": "1, 2"}
    environ = seen[0]
    assert environ["HTTP_X_AMZ_TARGET"] == "SpencerFrontendService.DescribeRegistries"
    assert environ["CONTENT_TYPE"] == "application/x-amz-json-1.1"
    assert environ["HTTP_AUTHORIZATION"].startswith("AWS4-HMAC-SHA256 ")
    assert environ["PATH_INFO"] == "/" and environ["HTTP_HOST"] == "in-process.invalid"
    assert client.retry == LOOPBACK_RETRY


def test_a_failing_wsgi_app_raises_its_own_error() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        WireClient("http://in-process.invalid", wsgi_app=app).call("DescribeRegistries", {})


class Recording:
    """A socket that keeps what is written to it and answers nothing."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.writes.append(bytes(data))


def test_a_request_leaves_in_one_write() -> None:
    from ecr_public_conformance.wire import _OneWrite

    conn = _OneWrite("127.0.0.1", 9)
    conn.sock = Recording()  # type: ignore[assignment]
    conn.request("POST", "/", b'{"a": 1}', {"Host": "h", "X-Amz-Target": "S.Op"})
    writes = conn.sock.writes  # type: ignore[attr-defined]
    assert len(writes) == 1
    assert writes[0].startswith(b"POST / HTTP/1.1\r\n") and writes[0].endswith(b'\r\n\r\n{"a": 1}')
    assert b"Content-Length: 8\r\n" in writes[0]


def test_an_answer_sent_before_the_body_was_read_is_the_exchange() -> None:
    # A server refusing a large body answers 413 and closes without reading it: the send
    # breaks, and the answer is still there to read.
    with start_server(faults=["small-body-limit"]) as srv:
        client = WireClient(srv.url)
        body = json.dumps({"repositoryName": "r", "layerPartBlob": "A" * (12 * 2**20)}).encode()
        for _ in range(3):
            ex = client.call("UploadLayerPart", body=body)
            assert ex.status == 413 and ex.error_code == "RequestEntityTooLargeException"
        assert client.call("DescribeRegistries", {}).ok
        client.close()


@pytest.mark.parametrize(
    ("url", "resolved", "aws"),
    [
        ("aws", "https://api.ecr-public.eu-west-1.amazonaws.com", True),
        ("https://api.ecr-public.us-east-1.amazonaws.com", None, True),
        ("https://amazonaws.com", None, True),
        ("https://notamazonaws.com", None, False),
        ("http://127.0.0.1:5000", None, False),
        (None, None, False),
    ],
)
def test_the_aws_alias_is_resolved_in_one_place(url: Any, resolved: Any, aws: bool) -> None:
    if url is not None:
        assert resolve_endpoint(url, "eu-west-1") == (resolved or url)
    assert is_aws_endpoint(url) is aws
