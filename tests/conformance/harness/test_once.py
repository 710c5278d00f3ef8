"""Once-per-run jobs: each computed once per environment and key, whoever asks and however
many ask at once; names are checked when a job registers."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest

from ecr_public_conformance.conformance import checks  # noqa: F401  (registers every job of a run)
from ecr_public_conformance.conformance.catalogue.samples import sent_samples
from ecr_public_conformance.conformance.harness.once import (
    JOBS,
    ONCE_JOBS,
    OnceResults,
    once_per_run,
    prime,
    registered_jobs,
)
from ecr_public_conformance.conformance.harness.registry_identity import registry_id

from ..conftest import EnvFactory

CALLERS = 8


def _concurrently(call: Any) -> list[Any]:
    """What ``call()`` returned in each of CALLERS threads started together."""
    start = threading.Barrier(CALLERS)
    got: list[Any] = [None] * CALLERS

    def run(i: int) -> None:
        start.wait()
        got[i] = call()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return got


def test_concurrent_callers_share_one_computation() -> None:
    results = OnceResults()
    runs: list[int] = []

    def compute() -> object:
        runs.append(1)
        return object()

    got = _concurrently(lambda: results.result(("job", ()), compute))
    assert len(runs) == 1
    assert all(g is got[0] for g in got)


def test_each_key_and_each_environment_computes_apart() -> None:
    first, second = OnceResults(), OnceResults()
    runs: list[str] = []

    def compute(what: str) -> str:
        runs.append(what)
        return what

    assert first.result(("job", "a"), lambda: compute("a")) == "a"
    assert first.result(("job", "b"), lambda: compute("b")) == "b"
    assert first.result(("job", "a"), lambda: compute("again")) == "a"
    assert second.result(("job", "a"), lambda: compute("other env")) == "other env"
    assert runs == ["a", "b", "other env"]
    assert first.computed() == [("job", "a"), ("job", "b")]


def test_a_job_computed_one_key_at_a_time_never_overlaps_itself() -> None:
    results = OnceResults()
    active: list[int] = []
    most: list[int] = []
    keys = iter(range(CALLERS))
    take = threading.Lock()

    def compute() -> None:
        active.append(1)
        most.append(len(active))
        threading.Event().wait(0.001)  # leave room for another thread to come in
        active.pop()

    def one() -> int:
        with take:
            key = next(keys)
        results.result(("samples", key), compute, lock="samples")
        return key

    assert sorted(_concurrently(one)) == list(range(CALLERS))
    assert max(most) == 1 and len(results.computed()) == CALLERS


def test_a_remembered_exception_is_raised_again_without_the_work() -> None:
    results = OnceResults()
    runs: list[int] = []

    def broken() -> None:
        runs.append(1)
        raise OSError("corpus unreadable")

    for _ in range(3):
        with pytest.raises(OSError, match="corpus unreadable"):
            results.result("parity", broken, (OSError,))
    assert len(runs) == 1


def test_any_other_exception_leaves_the_job_for_the_next_caller() -> None:
    results = OnceResults()
    runs: list[int] = []

    def flaky() -> str:
        runs.append(1)
        if len(runs) == 1:
            raise ValueError("refused once")
        return "done"

    with pytest.raises(ValueError):
        results.result("model", flaky, (OSError,))
    assert results.result("model", flaky) == "done"
    assert results.result("model", flaky) == "done"
    assert len(runs) == 2


def test_a_job_that_needs_its_own_result_is_a_defect_not_a_deadlock() -> None:
    results = OnceResults()

    def itself() -> object:
        return results.result("loop", itself)

    with pytest.raises(RuntimeError, match="needs its own result"):
        results.result("loop", itself)


def test_a_registered_job_runs_once_per_environment_under_concurrent_callers(
    make_env: EnvFactory,
) -> None:
    env, alone = make_env(), make_env()
    op = env.service.operation("DescribeRepositories")
    got = _concurrently(lambda: sent_samples(env, op))
    assert all(g is got[0] for g in got)
    assert sent_samples(env, env.service.operation("DescribeRepositories")) is got[0]
    sent_samples(alone, op)  # the same seed: the same requests, sent once
    assert env.sender.by_operation == alone.sender.by_operation
    assert [k for k in env.once.computed() if k[0] == "samples"] == [
        ("samples", "DescribeRepositories")
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "registry-modle",
            "unknown once-per-run job 'registry-modle' (did you mean 'registry-model'?)",
        ),
        ("nothing-like-it", "unknown once-per-run job 'nothing-like-it'; declared: "),
    ],
)
def test_a_misspelt_job_name_fails_at_registration(name: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        once_per_run(name)
    assert str(raised.value).startswith(message)


def test_a_job_registered_twice_fails() -> None:
    registered_jobs()
    with pytest.raises(ValueError, match="once-per-run job 'samples' registered twice"):
        once_per_run("samples")(lambda env: None)
    assert JOBS["samples"].fn.__name__ == "sent_samples"


def test_the_table_lists_every_registered_job() -> None:
    assert sorted(registered_jobs()) == sorted(ONCE_JOBS)


def test_the_registry_is_asked_once_per_environment(make_env: EnvFactory) -> None:
    env = make_env()
    env.once = OnceResults()  # an environment the session did not prime (parity's)
    ids = _concurrently(lambda: registry_id(env))
    assert len(set(ids)) == 1 and ids[0]
    assert env.sender.by_operation.get("DescribeRegistries") == 1


def test_the_session_starts_the_registry_job_from_its_description(make_env: EnvFactory) -> None:
    env = make_env()
    target = env.failures.target
    assert target is not None
    assert registry_id(env) == target.reported.registry_id == "123456789012"
    assert env.sender.by_operation.get("DescribeRegistries") is None
    # and its answer is judged by the response checks as the job's own answer was
    assert [ex.operation for ex in env.sender.successes["DescribeRegistries"]] == [
        "DescribeRegistries"
    ]


def test_a_primed_value_gives_way_to_a_kept_one_and_names_a_job() -> None:
    results = OnceResults()
    results.prime("k", 1)
    results.prime("k", 2)
    assert results.result("k", lambda: 3) == 1
    with pytest.raises(ValueError, match="no once-per-run job 'registri'"):
        prime(SimpleNamespace(once=results), "registri", {})  # type: ignore[arg-type]
