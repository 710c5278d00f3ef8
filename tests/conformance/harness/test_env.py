"""The check environment is a small composition of cohesive parts, each of them small too."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest

from ecr_public_conformance.conformance.harness.env import CheckEnv
from ecr_public_conformance.conformance.harness.failure_factory import FailureFactory
from ecr_public_conformance.conformance.harness.guard import Guard
from ecr_public_conformance.conformance.harness.once import OnceResults
from ecr_public_conformance.conformance.harness.resources import Resources
from ecr_public_conformance.conformance.harness.sender import Sender
from ecr_public_conformance.conformance.harness.shrink import ShrinkBudget

from ..conftest import EnvFactory

#: The most members a class of the harness defines in its body.
MAX_MEMBERS = 25
PARTS = [CheckEnv, Sender, Resources, FailureFactory, Guard, OnceResults, ShrinkBudget]


def members(cls: type) -> list[str]:
    """The names a class defines in its body: attributes (annotated or assigned) and methods."""
    body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
    assert isinstance(body, ast.ClassDef)
    names: list[str] = []
    for node in body.body:
        if isinstance(node, ast.FunctionDef):
            names.append(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return names


@pytest.mark.parametrize("cls", PARTS, ids=lambda c: c.__name__)
def test_each_part_stays_small(cls: type) -> None:
    assert len(members(cls)) <= MAX_MEMBERS, members(cls)


def test_the_parts_share_one_sender_ledger_and_patience(make_env: EnvFactory) -> None:
    env = make_env()
    assert env.resources.sender is env.sender
    assert env.resources.ledger is env.ledger is env.sender.ledger
    assert env.resources.patience is env.patience
    assert env.failures.resources is env.resources
    assert env.sender.guard.service is env.service
    assert not hasattr(env, "cache")


def test_what_the_parts_do_is_counted_by_the_sender(make_env: EnvFactory) -> None:
    env = make_env()
    name = env.resources.create_repository()
    env.send("DescribeRepositories", {"repositoryNames": [name]})
    assert env.sender.by_operation == {"CreateRepository": 1, "DescribeRepositories": 1}
    assert env.sender.requests_sent == 2
    assert name in env.resources.known_names()
    assert [e["name"] for e in env.ledger.entries if e["kind"] == "repository"] == [name]


def test_a_service_given_to_the_session_is_the_one_the_guard_uses(make_env: EnvFactory) -> None:
    env = make_env(edition="botocore-1.44.18")
    assert env.service.edition == "botocore-1.44.18"
    assert env.sender.guard.service is env.service
