"""The condition and outage faults: parsing their values, throttling answers, a flaky
transport, a target that stops answering."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from ecr_public_conformance.reference import FAULTS, make_wsgi_app, start_server
from ecr_public_conformance.reference import server as server_module
from ecr_public_conformance.reference.app import make_endpoint
from ecr_public_conformance.reference.context import Ctx
from ecr_public_conformance.reference.disruptions import (
    FLAKY_KINDS,
    THROTTLE_KINDS,
    TRANSPORT_KINDS,
    Disruption,
    draw,
)
from ecr_public_conformance.reference.faults import check_faults, parse_faults
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.wire import WSGIAdapter

from .helpers import raw_call

KNOWN = "known faults: accept-missing-required, "

#: fault specs -> parsed values
GOOD: list[tuple[list[str], dict[str, float | None]]] = [
    (["throttling"], {"throttling": 0.3}),
    (["throttling=0.3"], {"throttling": 0.3}),
    (["flaky-transport=0.25"], {"flaky-transport": 0.25}),
    (["throttling=0", "flaky-transport=1"], {"throttling": 0.0, "flaky-transport": 1.0}),
    ([" throttling = 0.5 "], {"throttling": 0.5}),
    (["no-request-id", "throttling=1e-1"], {"no-request-id": None, "throttling": 0.1}),
    (["throttling=0.2", "throttling=0.2"], {"throttling": 0.2}),
    (["stop-answering=0"], {"stop-answering": 0.0}),
    (["stop-answering=25", "throttling"], {"stop-answering": 25.0, "throttling": 0.3}),
]

#: situation -> (fault specs, the message's start)
BAD: dict[str, tuple[list[str], str]] = {
    "unknown name": (["nope"], "unknown fault 'nope'; "),
    "unknown name with a value": (["nope=0.1"], "unknown fault 'nope'; "),
    "empty name": (["=0.1"], "unknown fault '=0.1'; "),
    "missing value": (["throttling="], "fault throttling: missing value after '='; "),
    "not a number": (
        ["throttling=often"],
        "fault throttling: 'often' is not a rate between 0 and 1; ",
    ),
    "above 1": (
        ["flaky-transport=1.5"],
        "fault flaky-transport: '1.5' is not a rate between 0 and 1; ",
    ),
    "negative": (["throttling=-0.1"], "fault throttling: '-0.1' is not a rate between 0 and 1; "),
    "nan": (["throttling=nan"], "fault throttling: 'nan' is not a rate between 0 and 1; "),
    "value for a deviation": (
        ["no-request-id=1"],
        "fault no-request-id takes no value (got 'no-request-id=1'); ",
    ),
    "two different values": (
        ["throttling=0.1", "throttling=0.2"],
        "fault throttling given twice with different values; ",
    ),
    "outage without a count": (
        ["stop-answering"],
        "fault stop-answering needs a request count (stop-answering=N); ",
    ),
    "outage count not a number": (
        ["stop-answering=soon"],
        "fault stop-answering: 'soon' is not a request count (0 or more); ",
    ),
    "outage count negative": (
        ["stop-answering=-1"],
        "fault stop-answering: '-1' is not a request count (0 or more); ",
    ),
    "outage given two counts": (
        ["stop-answering=1", "stop-answering=2"],
        "fault stop-answering given twice with different values; ",
    ),
}


@pytest.mark.parametrize(("specs", "expected"), GOOD)
def test_good_fault_values_parse(specs: list[str], expected: dict[str, float | None]) -> None:
    assert parse_faults(specs) == expected
    assert check_faults(specs) == frozenset(expected)


@pytest.mark.parametrize("situation", sorted(BAD))
def test_bad_fault_values_get_one_line_listing_the_known_faults(situation: str) -> None:
    specs, start = BAD[situation]
    with pytest.raises(ValueError) as info:
        parse_faults(specs)
    message = str(info.value)
    assert message.startswith(start + KNOWN), message
    assert "\n" not in message
    assert "throttling[=RATE]" in message and "flaky-transport[=RATE]" in message


def test_conditions_are_listed_with_their_kind(capsys: pytest.CaptureFixture[str]) -> None:
    from ecr_public_conformance.cli import main

    assert main(["serve", "--list-faults"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.split()[:2] == ["throttling[=RATE]", "condition"] for line in lines)
    assert any(line.split()[:2] == ["flaky-transport[=RATE]", "condition"] for line in lines)
    assert any(line.split()[:2] == ["stop-answering=N", "outage"] for line in lines)
    assert len(lines) == len(FAULTS)


def test_the_endpoint_reads_fault_values_and_plain_names_still_work() -> None:
    endpoint = make_endpoint(["throttling", "no-request-id", "flaky-transport=0.25"])
    assert endpoint.fault_value("throttling") == 0.3
    assert endpoint.fault_value("flaky-transport") == 0.25
    assert endpoint.fault_value("no-request-id") is None
    assert endpoint.fault_value("server-error") is None
    ctx = Ctx(endpoint, load_service().operation("DescribeRegistries"))
    assert ctx.fault("no-request-id") and ctx.fault("throttling") and not ctx.fault("lost-write")


def test_rate_zero_disturbs_nothing_and_rate_one_everything() -> None:
    calm = make_endpoint(["throttling=0", "flaky-transport=0"], fault_seed=1)
    assert all(draw(calm, transport=True) is None for _ in range(200))
    wild = make_endpoint(["flaky-transport=1"], fault_seed=1)
    kinds = Counter(d.kind for d in (draw(wild, transport=True) for _ in range(2000)) if d)
    assert sum(kinds.values()) == 2000 and set(kinds) == {k for k, _ in FLAKY_KINDS}
    assert wild.disruptions == kinds  # counted by kind, with the delays' total
    assert 0.3 * kinds["delay"] <= wild.delayed_s <= 1.5 * kinds["delay"]


def test_the_rate_is_the_fraction_disturbed_and_a_seed_repeats_the_pattern() -> None:
    def pattern(seed: int) -> list[str | None]:
        endpoint = make_endpoint(["throttling=0.3"], fault_seed=seed)
        return [d.kind if d else None for d in (draw(endpoint, True) for _ in range(4000))]

    first = pattern(7)
    assert first == pattern(7) and first != pattern(8)
    assert 0.27 < sum(k is not None for k in first) / len(first) < 0.33


def test_the_wsgi_path_gets_answer_level_kinds_only() -> None:
    endpoint = make_endpoint(["flaky-transport=1"], fault_seed=3)
    kinds = {d.kind for d in (draw(endpoint, transport=False) for _ in range(2000)) if d}
    assert kinds == {k for k, _ in FLAKY_KINDS} - TRANSPORT_KINDS


# ------------------------------------------------------------------ throttling answers


def test_throttling_answers_in_three_forms_before_any_processing() -> None:
    with start_server(faults=["throttling=1"], fault_seed=5) as srv:
        forms: Counter[tuple[int, str]] = Counter()
        retry_after: set[str] = set()
        for n in range(300):
            response = raw_call(srv.url, "CreateRepository", {"repositoryName": f"r{n}"})
            kind = response.headers["Content-Type"].split(";")[0]
            code = response.json()["__type"] if kind.endswith("json-1.1") else response.text
            forms[(response.status_code, code)] += 1
            if "Retry-After" in response.headers:
                retry_after.add(response.headers["Retry-After"])
        assert set(forms) == {
            (400, "ThrottlingException"),
            (429, "Too Many Requests"),
            (503, "ServiceUnavailable"),
        }
        assert retry_after == {"0", "1"}
        assert srv.endpoint.store.repositories == {}
        assert srv.endpoint.requests_served == 300


def test_a_throttling_exception_is_a_conforming_aws_error() -> None:
    with start_server(faults=["throttling=1", "error-without-type"], fault_seed=5) as srv:
        for _ in range(50):
            response = raw_call(srv.url, "DescribeRegistries")
            if response.status_code == 400:
                break
        assert response.json() == {"__type": "ThrottlingException", "message": "Rate exceeded"}
        assert response.headers["x-amzn-ErrorType"] == "ThrottlingException"
        assert response.headers["Content-Type"] == "application/x-amz-json-1.1"


def test_throttling_reaches_in_process_targets_too() -> None:
    session = requests.Session()
    session.mount("http://in-process.invalid/", WSGIAdapter(make_wsgi_app(["throttling=1"])))
    statuses = {session.post("http://in-process.invalid/").status_code for _ in range(60)}
    assert statuses == {400, 429, 503}


# ------------------------------------------------------------------ a flaky transport


@pytest.fixture()
def forced(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Disruption | None]]:
    """The HTTP server's next disruptions, in order (None: serve normally)."""
    queue: list[Disruption | None] = []
    monkeypatch.setattr(server_module, "draw", lambda endpoint, transport: queue.pop(0))
    yield queue


def _post(url: str, name: str) -> requests.Response:
    return raw_call(url, "CreateRepository", {"repositoryName": name})


def test_a_reset_before_processing_changes_nothing(forced: list[Disruption | None]) -> None:
    with start_server() as srv:
        forced.append(Disruption("reset-before"))
        with pytest.raises(requests.ConnectionError):
            _post(srv.url, "r1")
        assert "r1" not in srv.endpoint.store.repositories
        assert srv.endpoint.requests_served == 1


def test_a_reset_after_processing_changes_state_but_never_answers(
    forced: list[Disruption | None],
) -> None:
    with start_server() as srv:
        forced.append(Disruption("reset-after"))
        with pytest.raises(requests.ConnectionError):
            _post(srv.url, "r1")
        assert "r1" in srv.endpoint.store.repositories


def test_a_truncated_body_is_cut_under_its_full_length(forced: list[Disruption | None]) -> None:
    with start_server() as srv:
        forced.append(Disruption("truncated"))
        with pytest.raises(requests.exceptions.ChunkedEncodingError, match="IncompleteRead"):
            _post(srv.url, "r1")
        assert "r1" in srv.endpoint.store.repositories
        forced.append(None)
        assert _post(srv.url, "r2").ok  # the server keeps serving


ANSWERS: dict[str, tuple[int, str, Any]] = {
    "html-503": (503, "text/html; charset=utf-8", "<html>"),
    "json-500": (500, "application/x-amz-json-1.1", {"__type": "InternalFailure"}),
}


@pytest.mark.parametrize("kind", sorted(ANSWERS))
def test_answer_level_kinds(kind: str, forced: list[Disruption | None]) -> None:
    status, content_type, body = ANSWERS[kind]
    with start_server() as srv:
        forced.append(Disruption(kind))
        response = _post(srv.url, "r1")
        assert response.status_code == status
        assert response.headers["Content-Type"] == content_type
        if isinstance(body, str):
            assert response.text.startswith(body)
        else:
            assert json.loads(response.text).items() >= body.items()
        assert "r1" not in srv.endpoint.store.repositories


def test_a_delay_then_a_normal_answer(forced: list[Disruption | None]) -> None:
    with start_server() as srv:
        forced.append(Disruption("delay", delay_s=0.3))
        response = _post(srv.url, "r1")
        assert response.ok and response.elapsed.total_seconds() >= 0.3
        assert "r1" in srv.endpoint.store.repositories


def test_throttle_kinds_and_flaky_kinds_are_data() -> None:
    assert {k for k, _ in THROTTLE_KINDS} == {
        "throttling-exception",
        "too-many-requests",
        "service-unavailable",
    }
    assert TRANSPORT_KINDS <= {k for k, _ in FLAKY_KINDS}


# ------------------------------------------------------------------ a target that goes away


def test_an_outage_answers_n_requests_then_resets_every_connection() -> None:
    with start_server(faults=["stop-answering=3"]) as srv:
        assert [_post(srv.url, f"r{n}").status_code for n in range(3)] == [200, 200, 200]
        for n in range(3, 6):
            with pytest.raises(requests.ConnectionError):
                _post(srv.url, f"r{n}")
        assert sorted(srv.endpoint.store.repositories) == ["r0", "r1", "r2"]
        assert srv.endpoint.disruptions == Counter({"reset-before": 3})


def test_an_outage_after_zero_requests_answers_nothing() -> None:
    with start_server(faults=["stop-answering=0"]) as srv, pytest.raises(requests.ConnectionError):
        _post(srv.url, "r0")


def test_an_outage_reaches_in_process_targets_as_a_gateway_page() -> None:
    session = requests.Session()
    session.mount("http://in-process.invalid/", WSGIAdapter(make_wsgi_app(["stop-answering=2"])))
    answers = [session.post("http://in-process.invalid/") for _ in range(4)]
    assert [a.status_code for a in answers] == [400, 400, 503, 503]  # unsigned, then gone
    assert answers[3].headers["Content-Type"].startswith("text/html")
