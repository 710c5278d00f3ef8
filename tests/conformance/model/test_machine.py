"""The registry model against the reference endpoint and a scripted fake."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import run_state_machine_as_test

from ecr_public_conformance.conformance.model import (
    FactsError,
    ModelMismatch,
    OperationUnsupported,
    registry_machine,
)
from ecr_public_conformance.strategies import stateful_settings_for
from ecr_public_conformance.wire import Exchange, WireClient, unique_suffix


def _start_server() -> Any:
    try:
        module = importlib.import_module("ecr_public_conformance.reference")
        return module.start_server
    except (ImportError, AttributeError):
        return None


START = _start_server()
needs_reference = pytest.mark.skipif(
    START is None, reason="ecr_public_conformance.reference.start_server is not available"
)
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]


@pytest.fixture
def reference() -> Iterator[Any]:
    with START() as srv:
        yield srv


def _run(url: str, **overrides: Any) -> None:
    client = WireClient(url)
    machine = registry_machine(client, f"conf-{unique_suffix()}")
    run_state_machine_as_test(
        machine, settings=settings(stateful_settings_for("ci", seed=1), **overrides)
    )


@needs_reference
def test_model_agrees_with_reference(reference: Any) -> None:
    _run(reference.url)


@needs_reference
def test_teardown_leaves_nothing(reference: Any) -> None:
    _run(reference.url)
    listed = WireClient(reference.url).call("DescribeRepositories", {}).json
    assert listed["repositories"] == []


@needs_reference
@pytest.mark.parametrize(
    "fault",
    [
        "tags-not-stored",
        "digest-not-checked",
        "tag-not-moved",
        "parts-not-contiguous",
        "force-ignored",
        "lost-write",
    ],
)
def test_model_catches_stateful_faults(fault: str) -> None:
    with START(faults=[fault]) as srv, pytest.raises(ModelMismatch) as info:
        _run(srv.url, phases=NO_SHRINK)
    err = info.value
    assert err.operation and err.fact and err.expected is not None
    assert err.exchange is not None


class Unsupporting:
    """A target that answers every request with UnsupportedCommandException."""

    def call(self, operation: str, params: Any = None) -> Exchange:
        return Exchange(
            operation,
            params,
            {},
            400,
            {},
            '{"__type": "UnsupportedCommandException"}',
            {"__type": "UnsupportedCommandException"},
            0.0,
        )


def test_unsupported_is_not_a_mismatch() -> None:
    machine = registry_machine(Unsupporting(), "conf-x")
    with pytest.raises(OperationUnsupported) as info:
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=1,
                database=None,
                phases=NO_SHRINK,
                suppress_health_check=list(HealthCheck),
            ),
        )
    assert info.value.operation in {"GetRegistryCatalogData", "CreateRepository"}
    assert not isinstance(info.value, AssertionError)


def test_bad_machine_arguments() -> None:
    with pytest.raises(InvalidArgument, match="prefix"):
        registry_machine(Unsupporting(), "Not Valid!")
    with pytest.raises(InvalidArgument, match="call"):
        registry_machine(object(), "conf-x")


def test_mismatch_message() -> None:
    ex = Exchange("PutImage", {}, {}, 200, {}, "{}", {}, 0.0)
    err = ModelMismatch("PutImage", "image.imageId", "sha256:x", "image-digest-sha256", ex)
    assert isinstance(err, AssertionError)
    assert err.fact_id == "image-digest-sha256"
    assert str(err) == (
        "PutImage at image.imageId: an image digest is the sha256 of the manifest bytes"
        " -- expected 'sha256:x', got HTTP 200 {}"
    )
    compared = ModelMismatch(
        "PutImage", "image.imageId", "sha256:x", "image-digest-sha256", ex, "sha256:y"
    )
    assert str(compared).endswith("expected 'sha256:x', got 'sha256:y'")


@pytest.mark.parametrize(
    ("operation", "fact", "statement"),
    [
        ("UploadLayerPart", "upload-step-accepted", "UploadLayerPart accepts a valid upload step"),
        ("DescribeImages", "listing-pages", "DescribeImages pages through what exists"),
        ("PutImage", "put-image-stores", "PutImage stores a manifest whose blobs were uploaded"),
    ],
)
def test_mismatch_states_its_fact_for_the_operation(
    operation: str, fact: str, statement: str
) -> None:
    err = ModelMismatch(operation, None, "success", fact, None)
    assert err.fact == statement
    assert str(err) == f"{operation}: {statement} -- expected 'success', got no exchange"


def test_a_misspelt_fact_fails() -> None:
    with pytest.raises(FactsError, match="undeclared fact 'name-unqiue'"):
        ModelMismatch("CreateRepository", None, "success", "name-unqiue", None)


class _NoTarget:
    def call(self, operation: str, params: Any = None) -> Any:
        raise AssertionError("no request is expected while building machines")


def test_run_prefixes_keep_one_width_across_many_runs() -> None:
    # A prefix that grows by a character (run 9 -> 10 in hex: 'f' -> '10') shrinks the name
    # budget, so a replayed example would draw different data (FlakyStrategyDefinition).
    machine = registry_machine(_NoTarget(), "ecrconf-test")
    widths = {len(machine().run_prefix) for _ in range(40)}
    assert len(widths) == 1
