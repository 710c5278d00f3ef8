"""The read-after-write pairs as data: each pair is checked when loaded, passes on the reference,
and fails on a fault that loses or delays its write."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecr_public_conformance.conformance.catalogue.behaviours import CatalogueError
from ecr_public_conformance.conformance.catalogue.read_after_write import load_pairs, values
from ecr_public_conformance.conformance.catalogue.scenarios import fill
from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.env import CheckEnv
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.records import CheckResult

from ..conftest import EnvFactory

PAIRS = load_pairs()
#: A reference fault that makes each pair's write invisible to its read within the window.
FAULT_OF = {
    "CreateRepository": "eventual-consistency",  # with a delay no window waits out (below)
    "PutRepositoryCatalogData": "lost-write",
    "TagResource": "tags-not-stored",
    "SetRepositoryPolicy": "lost-write",
    "PutRegistryCatalogData": "display-name-dropped",
}


def test_every_pair_has_a_fault_that_breaks_it() -> None:
    assert set(FAULT_OF) == set(PAIRS)


def _judge(env: CheckEnv, write: str) -> CheckResult:
    return run_case(env, all_checks()["read_after_write"], env.service.operation(write))


@pytest.mark.parametrize("write", sorted(PAIRS))
def test_each_pair_passes_on_the_reference(write: str, make_env: EnvFactory) -> None:
    result = _judge(make_env(), write)
    assert result.status == "passed", result.failures


@pytest.mark.parametrize("write", sorted(PAIRS))
def test_each_pair_fails_on_its_fault(write: str, make_env: EnvFactory) -> None:
    # the write never shows within the test: no race between the fault's delay and the window
    never = {"consistency_delay": 3600.0}
    result = _judge(make_env(FAULT_OF[write], options=never, consistency_window_s=0.5), write)
    assert result.status == "failed"
    assert f"{PAIRS[write].read} did not observe the {write}" in result.failures[0].message


def test_values_are_made_once_and_only_when_named(make_env: EnvFactory) -> None:
    env = make_env()
    lookup = values(env, "TagResource", "ecrconf-w1")
    before = env.sender.requests_sent
    assert fill({"a": "{nonce}", "b": "x-{display_name}"}, lookup) == {
        "a": "ecrconf-w1",
        "b": "x-ecrconf-w1",
    }
    assert env.sender.requests_sent == before  # no repository made for values not named
    arn = fill("{repository_arn}", lookup)
    assert fill("{repository_arn}", lookup) == arn


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[TagResource]\nread = "ListTagsForResource"\n', "has \\['read'\\]"),
        (
            '[TagResource]\nrequest = {}\nread = "ListTags"\nread_request = {}\n',
            "names no operation \\['ListTags'\\]",
        ),
        (
            '[TagResource]\nrequest = { a = "{who}" }\nread = "ListTagsForResource"\n'
            "read_request = {}\n",
            "names no value \\['who'\\]",
        ),
        (
            '[TagResource]\nrequest = {}\nread = "ListTagsForResource"\nread_request = {}\n'
            'when = ["sunny"]\n',
            "unknown condition",
        ),
        (
            '[TagResource]\nrequest = {}\nread = "ListTagsForResource"\nread_request = {}\n'
            'checks = [{ path = "tags", shines = 1 }]\n',
            "a check needs a path and exactly one of",
        ),
    ],
    ids=["missing keys", "unknown operation", "unknown value", "unknown condition", "bad check"],
)
def test_a_malformed_pair_is_an_error(text: str, message: str, tmp_path: Path) -> None:
    bad = tmp_path / "read_after_write.toml"
    bad.write_text(text)
    with pytest.raises(CatalogueError, match=message):
        load_pairs(bad)
