"""The wire client retrying: throttling backoff, Retry-After, giving up, transport retries."""

from __future__ import annotations

import email.utils
import json
import random
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter

from ecr_public_conformance.reference import start_server
from ecr_public_conformance.wire import (
    DEFAULT_RETRY,
    GIVE_UPS_BEFORE_FAST_FAIL,
    LOOPBACK_RETRY,
    THROTTLING_CODES,
    RetryPolicy,
    TargetThrottled,
    TargetUnreachable,
    WireClient,
    is_throttling,
    retry_after_s,
)

URL = "http://scripted.invalid"
TINY = RetryPolicy(base_s=0.001, cap_s=0.004, max_attempts=4, max_total_wait_s=1.0)
Answer = tuple[int, dict[str, str], Any] | Exception


def ok() -> Answer:
    return 200, {}, {"registries": []}


def error(status: int, code: str, **headers: str) -> Answer:
    return status, {"x-amzn-ErrorType": code, **headers}, {"__type": code, "message": "m"}


class Scripted(BaseAdapter):
    """Answers requests from a script, and remembers the headers of each one."""

    def __init__(self, answers: list[Answer]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.seen: list[dict[str, str]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.seen.append(dict(request.headers))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, headers, body = answer
        resp = requests.Response()
        resp.status_code = status
        resp.headers = requests.structures.CaseInsensitiveDict(
            {"Content-Type": "application/x-amz-json-1.1", **headers}
        )
        resp._content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        resp.request = request
        return resp

    def close(self) -> None:
        """Nothing to release."""


def scripted(
    answers: list[Answer], policy: RetryPolicy = TINY, **kw: Any
) -> tuple[WireClient, Scripted, list[float]]:
    client = WireClient(URL, retry=policy, **kw)
    adapter = Scripted(answers)
    client.session.mount(URL + "/", adapter)
    sleeps: list[float] = []
    client.sleep = sleeps.append
    return client, adapter, sleeps


#: situation -> throttling answer the client must retry
THROTTLED: dict[str, Answer] = {
    "HTTP 429 without a body": (429, {"Content-Type": "text/plain"}, "Too Many Requests"),
    "HTTP 503 HTML page": (503, {"Content-Type": "text/html"}, "<html>503</html>"),
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
NOT_THROTTLED: dict[str, Answer] = {
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
    assert is_throttling(429, None) and is_throttling(503, None)
    assert is_throttling(400, "SlowDown") and is_throttling(400, "RequestLimitExceeded")
    assert not is_throttling(400, "InvalidParameterException") and not is_throttling(500, None)


def test_a_target_throttling_everything_fails_fast_until_it_answers_again() -> None:
    stuck = [error(503, "ServiceUnavailable")] * (GIVE_UPS_BEFORE_FAST_FAIL * TINY.max_attempts)
    client, adapter, _ = scripted([*stuck, error(503, "x"), ok(), error(429, "x"), ok()])
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


def test_transport_errors_are_not_retried_by_default() -> None:
    client, adapter, sleeps = scripted([requests.ConnectionError("reset"), ok()])
    with pytest.raises(TargetUnreachable, match="cannot reach .* reset"):
        client.call("DescribeRegistries", {})
    assert len(adapter.seen) == 1 and sleeps == []


@pytest.mark.parametrize("how", ["per call", "per client"])
def test_transport_errors_are_retried_when_asked(how: str) -> None:
    failures: list[Answer] = [
        requests.ConnectionError("reset"),
        requests.exceptions.ChunkedEncodingError("IncompleteRead"),
        requests.Timeout("slow"),
    ]
    kw = {"retry_transport": True} if how == "per client" else {}
    client, adapter, sleeps = scripted([*failures, ok()], **kw)
    per_call = {"retry_transport": True} if how == "per call" else {}
    assert client.call("DescribeRegistries", {}, **per_call).ok
    assert len(adapter.seen) == 4 and len(sleeps) == 3
    assert client.stats.as_dict() == {"throttled": 0, "retries": 3, "transport_retries": 3}


def test_transport_retries_are_bounded_too() -> None:
    client, adapter, _ = scripted([requests.ConnectionError("reset")] * 4)
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
