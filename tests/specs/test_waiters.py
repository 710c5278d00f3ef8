"""Waiters as data: the member paths a waiter reads, the states it knows there, the values found."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from ecr_public_conformance.specs import load_service
from ecr_public_conformance.specs.model import Acceptor, Waiter
from ecr_public_conformance.specs.waiters import (
    steps_of,
    unread_arguments,
    values_at,
    waiter_paths,
)

NEWEST = "botocore-1.44.18"
SCAN = "DescribeImageScanFindings"

#: expression -> the member path it names (None: not a member path, left unjudged)
STEPS = [
    ("imageScanStatus.status", (("imageScanStatus", False), ("status", False))),
    ("images[].status", (("images", True), ("status", False))),
    ("images[*].status", (("images", True), ("status", False))),
    ("failures[].failureCode", (("failures", True), ("failureCode", False))),
    ("length(images) > `0`", None),
    ("images[0].status", None),
    ("images[?status=='A'].status", None),
    ('"quoted".status', None),
]


@pytest.mark.parametrize(("argument", "steps"), STEPS)
def test_member_paths_of_expressions(argument: str, steps: Any) -> None:
    assert steps_of(argument) == steps


def test_the_scan_waiter_knows_its_acceptors_then_the_enum() -> None:
    (path,) = waiter_paths(load_service(NEWEST), SCAN)
    assert (path.waiter, path.argument) == ("ImageScanComplete", "imageScanStatus.status")
    assert path.known == (
        "COMPLETE",
        "ACTIVE",
        "FAILED",
        "UNSUPPORTED_IMAGE",
        "SCAN_ELIGIBILITY_EXPIRED",
        "FINDINGS_UNAVAILABLE",
        "PENDING",  # no acceptor names it (the waiter keeps polling); the enum lists it
    )
    assert path.knows("PENDING") and not path.knows("IN_PROGRESS")
    assert path.source == f"{NEWEST} source/waiters-2.json, waiter ImageScanComplete"


def test_the_seed_edition_has_no_waiter_and_other_operations_none() -> None:
    assert waiter_paths(load_service("seed"), "DescribeImages") == ()
    assert waiter_paths(load_service(NEWEST), "DescribeImages") == ()
    assert waiter_paths(load_service("seed"), SCAN) == ()  # not an operation of that edition


#: body -> values found at imageScanStatus.status
VALUES = [
    ({"imageScanStatus": {"status": "ACTIVE"}}, ["ACTIVE"]),
    ({"imageScanStatus": {"status": None}}, []),
    ({"imageScanStatus": {}}, []),
    ({}, []),
    ({"imageScanStatus": [{"status": "ACTIVE"}]}, []),  # no [] in the path: not looked into
    ({"imageScanStatus": {"status": {"nested": 1}}}, []),  # not a state
    ("not json", []),
]


@pytest.mark.parametrize(("body", "found"), VALUES)
def test_values_found_at_a_path(body: Any, found: list[Any]) -> None:
    (path,) = waiter_paths(load_service(NEWEST), SCAN)
    assert values_at(body, path) == found


def _with(*acceptors: Acceptor) -> Any:
    svc = load_service(NEWEST)
    waiter = Waiter("Listed", "DescribeImages", 5, 3, acceptors)
    return dataclasses.replace(svc, waiters={**svc.waiters, "Listed": waiter})


def test_projections_look_into_lists_and_only_member_paths_are_read() -> None:
    svc = _with(
        Acceptor("success", "pathAll", "ACTIVE", "imageDetails[].imageStatus"),
        Acceptor("failure", "pathAny", "DELETING", "imageDetails[*].imageStatus"),
        Acceptor("retry", "path", True, "length(imageDetails) == `0`"),
        Acceptor("retry", "error", "RepositoryNotFoundException"),
    )
    paths = waiter_paths(svc, "DescribeImages")
    assert [p.argument for p in paths] == [
        "imageDetails[].imageStatus",
        "imageDetails[*].imageStatus",
    ]
    assert unread_arguments(svc, "DescribeImages") == ("Listed: length(imageDetails) == `0`",)
    body = {"imageDetails": [{"imageStatus": "ACTIVE"}, {"imageStatus": "X"}, {}]}
    assert values_at(body, paths[0]) == ["ACTIVE", "X"]
    enum = svc.operation("DescribeImages").output.member_at(["imageDetails", "imageStatus"])
    assert paths[0].enum == tuple(enum.shape.constraint("enum").value)  # type: ignore[union-attr]


def test_true_is_not_one() -> None:
    svc = _with(Acceptor("success", "path", True, "imageDetails[].imageStatus"))
    (path,) = waiter_paths(svc, "DescribeImages")
    assert path.knows(True) and not path.knows(1)
