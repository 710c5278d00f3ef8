"""Normalisation: what a record keeps of a value, by situation (shape-driven placeholders)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ecr_public_conformance.conformance.parity.normalise import (
    RunValues,
    normalise_scenario,
    offset_text,
    parse_placeholder,
)
from ecr_public_conformance.wire import Exchange

PREFIX = "ecrconf-1a2b3c4d-p0d6"
MINE = f"{PREFIX}-9c1e"
ACCOUNT = "123456789012"
DIGEST = "sha256:" + "ab" * 32
OTHER = "sha256:" + "cd" * 32
UPLOAD = "0f8fad5b-d9cb-469f-a165-70867728950e"
NOW = 1_800_000_000.0


def exchange(operation: str, request: Any, status: int = 200, body: Any = None) -> Exchange:
    return Exchange(operation, request, {}, status, {}, json.dumps(body), body, 0.01)


def values() -> RunValues:
    return RunValues(PREFIX, MINE, frozenset(), {ACCOUNT}, {"myalias"})


def one(operation: str, request: Any, body: Any, status: int = 200) -> Any:
    (n,) = normalise_scenario([exchange(operation, request, status, body)], [NOW], values())
    return n.request, n.response


REPO = {
    "repositoryName": f"{MINE}-b1",
    "repositoryArn": f"arn:aws:ecr-public::{ACCOUNT}:repository/{MINE}-b1",
    "registryId": ACCOUNT,
    "repositoryUri": f"public.ecr.aws/myalias/{MINE}-b1",
    "createdAt": NOW - 2,
}

#: situation -> (operation, request, answer body, the normalised answer body)
TABLE: dict[str, tuple[str, Any, Any, Any]] = {
    "a repository: name, ARN, account, alias and a timestamp of the item": (
        "CreateRepository",
        {"repositoryName": f"{MINE}-b1"},
        {"repository": REPO, "catalogData": {"description": "myalias and more"}},
        {
            "catalogData": {"description": "myalias and more"},
            "repository": {
                "createdAt": "<timestamp:1 now>",
                "registryId": "<account>",
                "repositoryArn": "<repository-arn:1>",
                "repositoryName": "<prefix>-9c1e-b1",
                "repositoryUri": "public.ecr.aws/<alias>/<prefix>-9c1e-b1",
            },
        },
    ),
    "an upload id in either case is one value": (
        "UploadLayerPart",
        {"uploadId": UPLOAD.upper(), "repositoryName": f"{MINE}-b1"},
        {"uploadId": UPLOAD, "lastByteReceived": 9, "registryId": ACCOUNT},
        {"lastByteReceived": 9, "registryId": "<account>", "uploadId": "<uuid:1>"},
    ),
    "a token is never kept, an empty one stays empty": (
        "DescribeRepositories",
        {"nextToken": ""},
        {"repositories": [], "nextToken": "opaque+token/="},
        {"nextToken": "<token>", "repositories": []},
    ),
    "an authorization token and its expiry twelve hours on": (
        "GetAuthorizationToken",
        {},
        {"authorizationData": {"authorizationToken": "QVdTOnNlY3JldA==", "expiresAt": NOW + 43199}},
        {
            "authorizationData": {
                "authorizationToken": "<token>",
                "expiresAt": "<timestamp now+12h>",
            }
        },
    ),
    "the same digest twice is one number, another digest the next": (
        "BatchCheckLayerAvailability",
        {"layerDigests": [DIGEST, OTHER], "repositoryName": f"{MINE}-b1"},
        {"layers": [{"layerDigest": OTHER, "layerAvailability": "AVAILABLE"}], "failures": []},
        {
            "failures": [],
            "layers": [{"layerAvailability": "AVAILABLE", "layerDigest": "<digest:2>"}],
        },
    ),
    "a registry ARN": (
        "DescribeRegistries",
        {},
        {
            "registries": [
                {
                    "registryId": ACCOUNT,
                    "registryArn": f"arn:aws:ecr-public::{ACCOUNT}:registry/{ACCOUNT}",
                    "registryUri": "public.ecr.aws/myalias",
                    "verified": True,
                    "aliases": [{"name": "myalias", "status": "ACTIVE"}],
                }
            ]
        },
        {
            "registries": [
                {
                    "aliases": [{"name": "<alias>", "status": "ACTIVE"}],
                    "registryArn": "<registry-arn:1>",
                    "registryId": "<account>",
                    "registryUri": "public.ecr.aws/<alias>",
                    "verified": True,
                }
            ]
        },
    ),
    "a long text is its length and hash": (
        "GetRepositoryPolicy",
        {"repositoryName": f"{MINE}-b1"},
        {"policyText": "x" * 300},
        {
            "policyText": "<text 300:"
            + __import__("hashlib").sha256(b"x" * 300).hexdigest()[:12]
            + ">"
        },
    ),
    "a member the model does not define is kept, its strings replaced": (
        "DescribeRegistries",
        {},
        {"registries": [], "vendorExtension": {"note": f"{MINE}-b1 of {ACCOUNT}"}},
        {"registries": [], "vendorExtension": {"note": "<prefix>-9c1e-b1 of <account>"}},
    ),
    "a timestamp sent as a string stays a string": (
        "DescribeRepositories",
        {},
        {"repositories": [{**REPO, "createdAt": "2027-01-15T08:00:00Z"}]},
        {
            "repositories": [
                {
                    "createdAt": "2027-01-15T08:00:00Z",
                    "registryId": "<account>",
                    "repositoryArn": "<repository-arn:1>",
                    "repositoryName": "<prefix>-9c1e-b1",
                    "repositoryUri": "public.ecr.aws/<alias>/<prefix>-9c1e-b1",
                }
            ]
        },
    ),
}


@pytest.mark.parametrize("situation", list(TABLE))
def test_answer_as_recorded(situation: str) -> None:
    operation, request, body, expected = TABLE[situation]
    _, response = one(operation, request, body)
    assert response == {"status": 200, "body": expected}


def test_an_error_keeps_status_code_and_that_a_message_came() -> None:
    body = {"__type": "RepositoryNotFoundException", "message": f"no {MINE}-b1 in {ACCOUNT}"}
    _, response = one("DescribeRepositories", {}, body, status=400)
    assert response == {"status": 400, "error": "RepositoryNotFoundException", "message": True}
    _, response = one("DescribeRepositories", {}, {"__type": "X"}, status=400)
    assert response == {"status": 400, "error": "X", "message": False}


def test_a_request_is_a_template() -> None:
    request, _ = one(
        "UploadLayerPart",
        {
            "repositoryName": f"{MINE}-b1",
            "uploadId": UPLOAD,
            "layerPartBlob": "AAAA" * 10,
            "partFirstByte": 0,
            "partLastByte": 29,
        },
        {},
    )
    assert request == {
        "layerPartBlob": "<blob 40>",
        "partFirstByte": 0,
        "partLastByte": 29,
        "repositoryName": "<prefix>-9c1e-b1",
        "uploadId": "<uuid:1>",
    }


def test_templates_do_not_depend_on_the_answers() -> None:
    # the answer of the first request names a digest first; the second request's template is
    # numbered from the requests alone, whatever the first answer held
    first = exchange(
        "InitiateLayerUpload", {"repositoryName": f"{MINE}-b1"}, body={"uploadId": UPLOAD}
    )
    second = exchange("BatchCheckLayerAvailability", {"layerDigests": [DIGEST]}, body={})
    noisy = exchange(
        "InitiateLayerUpload",
        {"repositoryName": f"{MINE}-b1"},
        body={"uploadId": UPLOAD, "x": OTHER},
    )
    plain = normalise_scenario([first, second], [NOW, NOW], values())
    other = normalise_scenario([noisy, second], [NOW, NOW], values())
    assert plain[1].request == other[1].request == {"layerDigests": ["<digest:1>"]}


def test_listings_leave_out_other_owners_and_come_in_one_order() -> None:
    mine = [dict(REPO, repositoryName=f"{MINE}-b{i}", createdAt=NOW + i) for i in (1, 2)]
    foreign = dict(REPO, repositoryName="someone-elses-repository")
    forward = one("DescribeRepositories", {}, {"repositories": [*mine, foreign]})[1]
    backward = one("DescribeRepositories", {}, {"repositories": [foreign, *mine[::-1]]})[1]
    assert forward == backward
    names = [r["repositoryName"] for r in forward["body"]["repositories"]]
    assert names == ["<prefix>-9c1e-b1", "<prefix>-9c1e-b2"]


def test_one_item_read_twice_keeps_one_timestamp_number() -> None:
    created = exchange("CreateRepository", {}, body={"repository": REPO})
    listed = exchange("DescribeRepositories", {}, body={"repositories": [REPO]})
    changed = exchange(
        "DescribeRepositories", {}, body={"repositories": [dict(REPO, createdAt=NOW)]}
    )
    out = normalise_scenario([created, listed, changed], [NOW] * 3, values())
    stamps = [
        out[0].response["body"]["repository"]["createdAt"],
        out[1].response["body"]["repositories"][0]["createdAt"],
        out[2].response["body"]["repositories"][0]["createdAt"],
    ]
    # the second value comes 2 s after the first: clearly after it (order_margin_s)
    assert stamps == ["<timestamp:1 now>", "<timestamp:1 now>", "<timestamp:2 now after:1>"]


def test_timestamps_keep_their_order() -> None:
    created = exchange("CreateRepository", {}, body={"repository": REPO})  # createdAt NOW - 2
    image = {"imageDigest": DIGEST, "repositoryName": f"{MINE}-b1"}
    listed = exchange(
        "DescribeImages",
        {},
        body={
            "imageDetails": [
                dict(image, imagePushedAt=NOW - 2),  # the same millisecond: not earlier
                dict(image, imageDigest=OTHER, imagePushedAt=NOW - 5),  # 3 s earlier: no fact
            ]
        },
    )
    stamps: dict[int, float] = {}
    out = normalise_scenario([created, listed], [NOW, NOW], values(), stamps)
    assert out[0].response["body"]["repository"]["createdAt"] == "<timestamp:1 now>"
    pushed = [d["imagePushedAt"] for d in out[1].response["body"]["imageDetails"]]
    assert pushed == ["<timestamp:2 now after:1>", "<timestamp:3 now>"]
    assert stamps == {1: NOW - 2, 2: NOW - 2, 3: NOW - 5}


def test_two_images_pushed_in_one_millisecond_are_two_timestamps() -> None:
    # equal values of two items are a coincidence: a replay need not repeat it
    repo = f"{MINE}-b1"
    first = exchange(
        "DescribeImages",
        {},
        body={
            "imageDetails": [{"imageDigest": DIGEST, "repositoryName": repo, "imagePushedAt": NOW}]
        },
    )
    second = exchange(
        "DescribeImages",
        {},
        body={
            "imageDetails": [{"imageDigest": OTHER, "repositoryName": repo, "imagePushedAt": NOW}]
        },
    )
    out = normalise_scenario([first, second], [NOW, NOW], values())
    pushed = [n.response["body"]["imageDetails"][0]["imagePushedAt"] for n in out]
    assert pushed == ["<timestamp:1 now>", "<timestamp:2 now after:1>"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "now"),
        (-600, "now"),
        (1800, "now+30m"),
        (43_170, "now+12h"),
        (-3 * 86_400 - 100, "now-3d"),
    ],
)
def test_offsets_are_coarse(seconds: float, text: str) -> None:
    assert offset_text(seconds) == text


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("<digest:2>", ("digest", 2, None)),
        ("<timestamp:3 now+12h>", ("timestamp", 3, "now+12h")),
        ("<timestamp now>", ("timestamp", None, "now")),
        ("<account>", ("account", None, None)),
        ("<prefix>-9c1e-b1", None),
        (12, None),
    ],
)
def test_placeholders_parse(text: Any, parsed: Any) -> None:
    assert parse_placeholder(text) == parsed
