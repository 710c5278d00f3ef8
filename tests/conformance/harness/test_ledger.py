"""Cleanup that survives faults: retries, verification by listing again, and the report."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from ecr_public_conformance.conformance.harness.ledger import (
    NEVER_SET,
    NEVER_SET_DESCRIPTION,
    Retrier,
    clean_up,
    cleanup_command,
    delete_repositories,
    repositories_with_prefix,
    restore_registry,
)
from ecr_public_conformance.records import Cleanup
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.wire import (
    Exchange,
    RetryPolicy,
    TargetThrottled,
    TargetUnreachable,
    WireClient,
)

PREFIX = "ecrconf-abc-main"
URL = "http://fake.invalid/"
Fault = Callable[[], Exchange]


def answer(
    operation: str, status: int = 200, body: Any = None, code: str | None = None
) -> Exchange:
    json_body = body if body is not None else ({"__type": code} if code else {})
    return Exchange(operation, {}, {}, status, {}, "", json_body, 0.0)


def server_error(operation: str) -> Exchange:
    return answer(operation, 500, code="InternalFailure")


def throttled(operation: str) -> Exchange:
    raise TargetThrottled("still throttled")


def reset(operation: str) -> Exchange:
    raise TargetUnreachable("cannot reach: connection reset")


class FakeTarget:
    """A registry behind a client that fails the first calls of each operation as scripted."""

    def __init__(self, *names: str, page: int = 2) -> None:
        self.repositories = dict.fromkeys(names)
        self.faults: dict[str, list[Callable[[str], Exchange]]] = {}
        self.broken: dict[str, Callable[[str], Exchange]] = {}  # fails every time
        self.calls: list[str] = []
        self.page = page
        self.catalog = "changed"
        self.description: str | None = None  # None: absent (a target of the seed edition)
        self.replaces = False  # PutRegistryCatalogData replaces the whole catalog data
        self.sticky: set[str] = set()  # deletes answer success but leave these in place
        self.endpoint_url = URL
        self.region = "us-east-1"
        self.retry = RetryPolicy(base_s=0.0001, cap_s=0.0005)

    def fail(self, operation: str, *faults: Callable[[str], Exchange]) -> FakeTarget:
        self.faults.setdefault(operation, []).extend(faults)
        return self

    def call(self, operation: str, params: Any = None, **kw: Any) -> Exchange:
        assert kw.get("retry_transport") is True  # cleanup always asks for transport retries
        self.calls.append(operation)
        if operation in self.broken:
            return self.broken[operation](operation)
        queued = self.faults.get(operation)
        if queued:
            return queued.pop(0)(operation)
        return getattr(self, operation)(params)

    def DescribeRepositories(self, params: dict[str, Any]) -> Exchange:  # noqa: N802
        if "repositoryNames" in params:
            name = params["repositoryNames"][0]
            if name not in self.repositories:
                return answer("DescribeRepositories", 400, code="RepositoryNotFoundException")
            return answer("DescribeRepositories", body={"repositories": [{"repositoryName": name}]})
        names = sorted(self.repositories)
        start = int(params.get("nextToken") or 0)
        body: dict[str, Any] = {
            "repositories": [{"repositoryName": n} for n in names[start : start + self.page]]
        }
        if start + self.page < len(names):
            body["nextToken"] = str(start + self.page)
        return answer("DescribeRepositories", body=body)

    def DeleteRepository(self, params: dict[str, Any]) -> Exchange:  # noqa: N802
        name = params["repositoryName"]
        if name not in self.repositories:
            return answer("DeleteRepository", 400, code="RepositoryNotFoundException")
        if name not in self.sticky:
            del self.repositories[name]
        return answer("DeleteRepository")

    def PutRegistryCatalogData(self, params: dict[str, Any]) -> Exchange:  # noqa: N802
        if self.replaces:
            self.catalog, self.description = params.get("displayName"), params.get("description")
        else:
            self.catalog = params.get("displayName", self.catalog)
            self.description = params.get("description", self.description)
        return answer("PutRegistryCatalogData")

    def GetRegistryCatalogData(self, params: dict[str, Any]) -> Exchange:  # noqa: N802
        data = {} if self.catalog is None else {"displayName": self.catalog}
        if self.description is not None:
            data["description"] = self.description
        return answer("GetRegistryCatalogData", body={"registryCatalogData": data})


def run(target: FakeTarget, names: tuple[str, ...] = (), **kw: Any) -> Cleanup:
    retrier = Retrier(target, kw.pop("within_s", 5.0), sleep=lambda s: None)  # type: ignore[arg-type]
    return clean_up(target, PREFIX, names, kw.pop("entries", ()), retrier=retrier, **kw)  # type: ignore[arg-type]


MINE = tuple(f"{PREFIX}-r{n}" for n in range(5))
COMMAND = f"ecr-public-conformance cleanup --endpoint-url http://fake.invalid --prefix {PREFIX}"


def test_a_clean_target_is_cleaned_and_verified() -> None:
    target = FakeTarget(*MINE, "users-own")
    report = run(target)
    assert (
        report == Cleanup(verified=True, command=COMMAND, registry_restored=True, deleted=5)
        and report.clean
    )
    assert list(target.repositories) == ["users-own"]
    last_delete = max(i for i, op in enumerate(target.calls) if op == "DeleteRepository")
    assert target.calls[last_delete + 1 :] == ["DescribeRepositories"]  # listed again


#: situation -> the faults the first calls of an operation meet
FAULTS: dict[str, tuple[str, tuple[Callable[[str], Exchange], ...]]] = {
    "deletes meet 500s": ("DeleteRepository", (server_error, server_error, server_error)),
    "deletes meet throttling": ("DeleteRepository", (throttled, throttled)),
    "listing meets 500s": ("DescribeRepositories", (server_error, server_error)),
    "listing meets throttling": ("DescribeRepositories", (throttled, server_error, throttled)),
}


@pytest.mark.parametrize("situation", sorted(FAULTS))
def test_faults_are_retried_until_they_pass(situation: str) -> None:
    operation, faults = FAULTS[situation]
    target = FakeTarget(*MINE).fail(operation, *faults)
    report = run(target)
    assert report.clean and target.repositories == {}
    assert target.calls.count(operation) >= len(faults) + 1


def test_a_delete_whose_answer_was_lost_counts_as_done() -> None:
    target = FakeTarget(*MINE)
    target.repositories.pop(MINE[0])  # deleted, but the answer never came: the retry says gone
    assert run(target, names=(MINE[0],)).clean


def test_verification_catches_what_a_delete_left_and_reports_the_command() -> None:
    target = FakeTarget(*MINE, page=100)
    target.sticky = {MINE[1]}
    report = run(target)
    assert report.left == (MINE[1],) and report.verified and not report.clean
    assert report.command == COMMAND
    assert target.calls.count("DeleteRepository") == 5 + 2  # the sticky one, between listings
    assert target.calls[-1] == "DescribeRepositories"


def test_verification_deletes_what_appears_late() -> None:
    target = FakeTarget(*MINE, page=100)
    original = target.DeleteRepository

    def slow_to_forget(params: dict[str, Any]) -> Exchange:
        ex = original(params)
        if target.calls.count("DeleteRepository") == 1:  # the first delete "lands" later
            target.repositories[params["repositoryName"]] = None
        return ex

    target.DeleteRepository = slow_to_forget  # type: ignore[method-assign]
    report = run(target)
    assert report.clean and target.repositories == {}


def test_a_target_that_never_recovers_is_bounded_and_reported() -> None:
    target = FakeTarget(*MINE)
    target.broken["DeleteRepository"] = server_error
    start = time.monotonic()
    retrier = Retrier(target, 0.3)  # type: ignore[arg-type]
    report = clean_up(target, PREFIX, (), retrier=retrier)  # type: ignore[arg-type]
    assert time.monotonic() - start < 5
    assert set(report.left) == set(MINE) and report.command == COMMAND and not report.clean


def test_a_target_gone_for_good_ends_cleanup_at_once() -> None:
    target = FakeTarget(*MINE)
    target.broken["DescribeRepositories"] = reset
    report = run(target, names=MINE[:2])
    assert target.calls == ["DescribeRepositories"]  # the client already retried it
    assert report.left == MINE[:2] and not report.verified and report.command == COMMAND


def test_names_outside_the_prefix_are_verified_one_by_one() -> None:
    target = FakeTarget("short", "users-own")
    target.sticky = {"short"}
    report = run(target, names=("short",))
    assert report.left == ("short",) and report.verified
    target.sticky = set()
    assert run(target, names=("short",)).clean and list(target.repositories) == ["users-own"]


ENTRIES = [{"kind": "registry-catalog", "previous": "before"}]


def test_the_registry_is_restored_through_faults() -> None:
    target = FakeTarget().fail("PutRegistryCatalogData", server_error, throttled)
    report = run(target, entries=ENTRIES)
    assert report.registry_restored and target.catalog == "before"


def test_a_registry_that_cannot_be_restored_is_reported() -> None:
    target = FakeTarget()
    target.broken["PutRegistryCatalogData"] = server_error
    report = run(target, entries=ENTRIES, within_s=0.2)
    assert not report.registry_restored and not report.clean and report.verified


def test_the_old_functions_keep_their_signatures_and_retry() -> None:
    target = FakeTarget(*MINE).fail("DescribeRepositories", server_error)
    assert repositories_with_prefix(target, PREFIX) == list(MINE)  # type: ignore[arg-type]
    target.fail("DeleteRepository", throttled)
    assert delete_repositories(target, MINE) == []  # type: ignore[arg-type]
    target.fail("PutRegistryCatalogData", server_error)
    assert restore_registry(target, ENTRIES) is True  # type: ignore[arg-type]


#: (endpoint, prefix, ledger, region) -> command
COMMANDS: list[tuple[tuple[str, str | None, str | None, str], str]] = [
    (
        ("http://127.0.0.1:5000/", "ecrconf-1a2b-gw0", None, "us-east-1"),
        "ecr-public-conformance cleanup --endpoint-url http://127.0.0.1:5000 "
        "--prefix ecrconf-1a2b-gw0",
    ),
    (
        ("https://api.ecr-public.us-west-2.amazonaws.com", "ecrconf-x-main", None, "us-west-2"),
        "ecr-public-conformance cleanup --endpoint-url "
        "https://api.ecr-public.us-west-2.amazonaws.com --region us-west-2 --prefix ecrconf-x-main",
    ),
    (
        ("http://localhost:4566", None, "my ledger.jsonl", "us-east-1"),
        "ecr-public-conformance cleanup --endpoint-url http://localhost:4566 "
        "--ledger 'my ledger.jsonl'",
    ),
]


@pytest.mark.parametrize(("given", "command"), COMMANDS)
def test_cleanup_command(given: tuple[str, str | None, str | None, str], command: str) -> None:
    from pathlib import Path

    url, prefix, ledger, region = given
    assert cleanup_command(url, prefix, Path(ledger) if ledger else None, region) == command


def test_against_a_flaky_reference_cleanup_leaves_nothing() -> None:
    with start_server(faults=["flaky-transport=0.5"], fault_seed=4) as srv:
        names = [f"{PREFIX}-r{n}" for n in range(30)]
        setup = WireClient(srv.url, retry_transport=True)
        for name in names:
            while name not in srv.endpoint.store.repositories:
                try:
                    setup.call("CreateRepository", {"repositoryName": name})
                except TargetUnreachable:
                    pass
        report = clean_up(WireClient(srv.url), PREFIX, names[:10])
        assert report.clean, report
        assert srv.endpoint.store.repositories == {}
        assert srv.endpoint.disruptions["reset-after"] > 0


@pytest.mark.parametrize(
    ("before", "now", "writes", "after", "note"),
    [
        ("MyRegistry", "Infinity", 1, "MyRegistry", ""),  # byte for byte
        ("MyRegistry", "MyRegistry", 0, "MyRegistry", ""),  # unchanged: not touched
        (None, None, 0, None, ""),  # never set and still not set: not touched
        (None, "GjsKK", 1, "", NEVER_SET),  # never set: as close as the API allows
    ],
)
def test_registry_restoration(
    before: str | None, now: str | None, writes: int, after: str | None, note: str
) -> None:
    target = FakeTarget()
    target.catalog = now
    report = run(target, entries=[{"kind": "registry-catalog", "previous": before}])
    assert target.calls.count("PutRegistryCatalogData") == writes
    assert target.catalog == after
    assert report.not_restored == ((note,) if note else ())


@pytest.mark.parametrize("replaces", [False, True])
@pytest.mark.parametrize(
    ("before", "now", "writes", "after", "note"),
    [
        # (display name, description) before the run and now
        (("Mine", "About me"), ("Mine", "ecrconf text"), 1, ("Mine", "About me"), ""),
        (("Mine", "About me"), ("x", "About me"), 1, ("Mine", "About me"), ""),
        (("Mine", "About me"), ("Mine", "About me"), 0, ("Mine", "About me"), ""),
        (("Mine", None), ("Mine", "ecrconf text"), 1, ("Mine", ""), NEVER_SET_DESCRIPTION),
        (("Mine", None), ("Mine", None), 0, ("Mine", None), ""),  # a seed-edition target
    ],
)
def test_registry_description_restoration(
    before: tuple[str, str | None],
    now: tuple[str, str | None],
    writes: int,
    after: tuple[str, str | None],
    note: str,
    replaces: bool,
) -> None:
    target = FakeTarget()
    target.catalog, target.description = now
    target.replaces = replaces
    entry = {"kind": "registry-catalog", "previous": before[0], "previous_description": before[1]}
    report = run(target, entries=[entry])
    assert target.calls.count("PutRegistryCatalogData") == writes
    assert (target.catalog, target.description) == after
    assert report.not_restored == ((note,) if note else ())
