"""The endpoint probe: what counts as an AWS JSON 1.1 answer, and waiting for a late endpoint."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ecr_public_conformance.conformance.harness.probe import (
    NotAwsJson,
    Unreachable,
    probe_endpoint,
    protocol_problem,
    wait_for_endpoint,
)
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.wire import Exchange

JSON = {"content-type": "application/x-amz-json-1.1"}
HTML = {"content-type": "text/html;charset=utf-8"}


def exchange(status: int, headers: dict[str, str], body: Any) -> Exchange:
    text = body if isinstance(body, str) else json.dumps(body)
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    return Exchange("DescribeRegistries", {}, {}, status, headers, text, parsed, 0.01)


#: situation -> (status, headers, body, the problem or None for accepted)
TABLE = {
    "2xx JSON object": (200, JSON, {"registries": []}, None),
    "2xx JSON with application/json (a check reports that)": (
        200,
        {"content-type": "application/json"},
        {"registries": []},
        None,
    ),
    "an error with __type": (400, JSON, {"__type": "UnrecognizedClientException"}, None),
    "an error with code": (403, JSON, {"code": "AccessDenied", "message": "no"}, None),
    "an error typed by header": (500, {**JSON, "x-amzn-errortype": "ServerException"}, {}, None),
    "an HTML page": (
        501,
        HTML,
        "<html><body>Unsupported method ('POST')</body></html>",
        "DescribeRegistries answered HTTP 501 text/html with a body that is not a JSON object",
    ),
    "a 200 that is not JSON": (
        200,
        {"content-type": "text/plain"},
        "OK",
        "DescribeRegistries answered HTTP 200 text/plain with a body that is not a JSON object",
    ),
    "a JSON list": (
        200,
        JSON,
        [],
        "DescribeRegistries answered HTTP 200 application/x-amz-json-1.1 with a body that is "
        "not a JSON object",
    ),
    "an empty 404": (
        404,
        {},
        "",
        "DescribeRegistries answered HTTP 404 (no Content-Type) with an empty body",
    ),
    "a JSON error without a type": (
        501,
        {"content-type": "application/json"},
        {"message": "not implemented"},
        "DescribeRegistries answered HTTP 501 application/json with no AWS error type "
        "(__type, code or x-amzn-ErrorType)",
    ),
}


@pytest.mark.parametrize("situation", list(TABLE))
def test_protocol_problem(situation: str) -> None:
    status, headers, body, expected = TABLE[situation]
    assert protocol_problem(exchange(status, headers, body)) == expected


def test_the_reference_is_accepted_even_with_the_wrong_content_type() -> None:
    for faults in ((), ("wrong-content-type",), ("server-error",), ("error-without-type",)):
        with start_server(faults=faults) as server:
            assert probe_endpoint(server.url).status in (200, 500)


def test_a_closed_port_is_unreachable() -> None:
    with pytest.raises(Unreachable, match=r"^target unreachable: http://127.0.0.1:9: "):
        probe_endpoint("http://127.0.0.1:9")


def test_wait_retries_until_the_endpoint_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from ecr_public_conformance.conformance.harness import probe

    now = [0.0]
    calls: list[str] = []

    def fake_probe(url: str, region: str, timeout: float) -> Exchange:
        calls.append(url)
        if len(calls) < 4:
            raise Unreachable("target unreachable: x: refused")
        return exchange(200, JSON, {})

    monkeypatch.setattr(probe, "probe_endpoint", fake_probe)
    ex = wait_for_endpoint(
        "http://x", 10, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s)
    )
    assert ex.status == 200 and len(calls) == 4 and now[0] == 1.5


def test_wait_gives_up_after_the_time_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from ecr_public_conformance.conformance.harness import probe

    now = [0.0]

    def never(url: str, region: str, timeout: float) -> Exchange:
        raise Unreachable("target unreachable: x: refused")

    monkeypatch.setattr(probe, "probe_endpoint", never)
    with pytest.raises(Unreachable, match=r"refused \(waited 3 s\)$"):
        wait_for_endpoint(
            "http://x", 3, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s)
        )
    assert now[0] <= 3


def test_wait_does_not_retry_a_wrong_protocol(monkeypatch: pytest.MonkeyPatch) -> None:
    from ecr_public_conformance.conformance.harness import probe

    calls: list[int] = []

    def html(url: str, region: str, timeout: float) -> Exchange:
        calls.append(1)
        raise NotAwsJson("x is not an AWS JSON 1.1 endpoint: ...")

    monkeypatch.setattr(probe, "probe_endpoint", html)
    with pytest.raises(NotAwsJson):
        wait_for_endpoint("http://x", 30, sleep=lambda s: None)
    assert calls == [1]
