"""The paginated listings as data: every table matches the specs, and a walk is prepared from it
the same way for the checks and for parity."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecr_public_conformance.conformance.catalogue.listings import (
    ListingsError,
    listing,
    load_listings,
    prepare,
    walk,
)
from ecr_public_conformance.conformance.harness.registry import Skip
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.specs.citations import cite

from ..conftest import EnvFactory

NEWEST = load_service("newest")
LISTINGS = sorted(load_listings().values(), key=lambda x: x.operation)


@pytest.mark.parametrize("found", LISTINGS, ids=lambda x: x.operation)
def test_every_table_names_a_paginated_operation_and_an_item_member(found) -> None:
    op = NEWEST.operation(found.operation)
    assert op.paginator is not None
    if found.identity:
        item = op.output.member_at(op.paginator.result_key.split("."))
        assert item is not None
        assert item.shape.item is not None
        item.shape.item.member(found.identity)  # KeyError when the item has no such member
    assert (found.items > 0) is bool(found.makes)


@pytest.mark.parametrize("found", [x for x in LISTINGS if x.repeats], ids=lambda x: x.operation)
def test_every_listing_that_may_repeat_items_says_so_in_its_edition(found) -> None:
    assert cite("document", found.repeats, edition="newest").line


def test_a_listing_without_a_table_makes_nothing_and_keys_whole_items() -> None:
    found = listing("ListPublisherReports")
    assert (found.makes, found.items, found.repeats) == ("", 0, "")
    assert found.key({"reportId": "r"}) == repr({"reportId": "r"})
    assert listing("DescribeRepositories").key({"repositoryName": "a"}) == "repositoryName=a"


@pytest.mark.parametrize(
    "text",
    ['[DescribeImages]\nmakes = "tags"\n', '[DescribeImages]\nidentity = "x"\nsize = 3\n'],
    ids=["unknown kind of item", "unknown key"],
)
def test_a_malformed_table_is_an_error(text: str, tmp_path: Path) -> None:
    bad = tmp_path / "listings.toml"
    bad.write_text(text)
    with pytest.raises(ListingsError, match=r"listings.toml: \[DescribeImages\]"):
        load_listings(bad)


@pytest.mark.parametrize(
    ("operation", "identity"),
    [("DescribeImages", "imageDigest"), ("DescribeImageTags", "imageTag")],
)
def test_a_prepared_walk_lists_what_was_made(
    operation: str, identity: str, make_env: EnvFactory
) -> None:
    env = make_env()
    made = prepare(env, operation)
    assert list(made.base) == ["repositoryName"]
    assert len(made.items) == 3
    assert all(item.startswith(f"{identity}=") for item in made.items)
    full = walk(env, env.service.operation(operation), made.base, 1)
    assert full.ended
    assert sorted(full.keys) == sorted(made.items)
    assert full.counts == [1, 1, 1]


def test_the_registry_listing_holds_the_repositories_made(make_env: EnvFactory) -> None:
    env = make_env()
    made = prepare(env, "DescribeRepositories")
    assert made.base == {}
    full = walk(env, env.service.operation("DescribeRepositories"), made.base, None)
    assert set(made.items) <= set(full.keys)


def test_a_read_only_run_walks_the_registry_as_it_is_and_skips_images(
    make_env: EnvFactory,
) -> None:
    env = make_env(read_only=True)
    assert prepare(env, "DescribeRepositories").items == ()
    with pytest.raises(Skip, match="needs a repository the run creates"):
        prepare(env, "DescribeImages")


def test_images_hold_the_same_bytes_on_every_run(make_env: EnvFactory) -> None:
    first = prepare(make_env(), "DescribeImages").items
    again = prepare(make_env(), "DescribeImages").items
    assert first == again
