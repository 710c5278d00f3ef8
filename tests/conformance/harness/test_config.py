"""The run's configuration: every option of the table lands in one place of RunConfig, and the
one builder puts the flat names of the table into the parts they belong to."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ecr_public_conformance.conformance.harness.config import (
    IN_PARTS,
    AwsOptIns,
    ParitySetup,
    ReferenceSetup,
    RunConfig,
    run_config,
)
from ecr_public_conformance.records.options import OPTIONS, Option


def _place(field: str) -> tuple[str, ...]:
    return tuple(field.split("."))


@pytest.mark.parametrize("option", [o for o in OPTIONS if o.field], ids=lambda o: o.name)
def test_every_option_has_one_place_in_the_configuration(option: Option) -> None:
    place = _place(option.field)
    owner = RunConfig()
    for name in place:
        assert name in {f.name for f in dataclasses.fields(owner)}, place
        owner = getattr(owner, name)


def test_every_part_field_is_filled_by_an_option() -> None:
    filled = {_place(o.field) for o in OPTIONS if o.field}
    for part, cls in (("aws", AwsOptIns), ("reference", ReferenceSetup), ("parity", ParitySetup)):
        for f in dataclasses.fields(cls):
            assert (part, f.name) in filled, (part, f.name)


def test_the_builder_puts_flat_names_in_their_parts() -> None:
    config = run_config(
        endpoint_url="http://x",
        allow_aws_mutations=True,
        sandbox_accounts=("111122223333",),
        reference_fault=("lost-write",),
        oracle=Path("corpus"),
        parity_gate=True,
        read_only=True,
    )
    assert config.aws == AwsOptIns(mutations=True, sandbox_accounts=("111122223333",))
    assert config.reference == ReferenceSetup(faults=("lost-write",))
    assert config.parity == ParitySetup(oracle=Path("corpus"), gate=True)
    assert (config.endpoint_url, config.read_only) == ("http://x", True)
    assert run_config() == RunConfig()
    assert run_config(**{"aws.premium": True}).aws.premium is True
    assert IN_PARTS["oracle"] == ("parity", "oracle")


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(TypeError, match="allow_aws_mutation"):
        run_config(allow_aws_mutation=True)
