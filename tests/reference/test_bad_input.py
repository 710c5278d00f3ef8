"""Bad input over raw HTTP: always a clear 4xx, and the server keeps serving."""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from ecr_public_conformance.reference import start_server

from .helpers import AUTH, raw_call

J = "application/x-amz-json-1.1"


def _type(response: requests.Response) -> str:
    return str(response.json()["__type"])


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"{not json", "SerializationException"),
        (b"[1, 2]", "SerializationException"),
        (b'{"repositoryName": 5}', "SerializationException"),
        (b'{"repositoryName": "abc", "catalogData": "x"}', "SerializationException"),
        (b'{"repositoryName": "abc", "tags": {"Key": "a"}}', "SerializationException"),
        (b'{"repositoryName": "abc", "tags": [null]}', "SerializationException"),
        (b"\xff\xfe{}", "SerializationException"),
        (b"[" * 100_000 + b"]" * 100_000, "SerializationException"),
        (b'{"repositoryName": NaN}', "SerializationException"),
        (b'{"repositoryName": "a"}', "InvalidParameterException"),
        (b'{"repositoryName": "Bad_Name"}', "InvalidParameterException"),
        (
            b'{"repositoryName": "ok-name", "catalogData": {"logoImageBlob": "@@"}}',
            "InvalidParameterException",
        ),
        (b'{"repositoryName": "' + b"a" * 300 + b'"}', "InvalidParameterException"),
    ],
)
def test_bad_bodies(url: str, body: bytes, expected: str) -> None:
    response = raw_call(url, "CreateRepository", body)
    assert response.status_code == 400, response.text
    assert _type(response) == expected
    assert response.headers["x-amzn-ErrorType"] == expected
    assert raw_call(url, "DescribeRegistries").status_code == 200


def test_pattern_is_full_matched(url: str) -> None:
    assert _type(raw_call(url, "CreateRepository", {"repositoryName": "ok/../x"})) == (
        "InvalidParameterException"
    )
    assert raw_call(url, "CreateRepository", {"repositoryName": "ns/ok.x"}).status_code == 200


def test_wrong_types_deep(url: str) -> None:
    body = {"repositoryName": "abc", "maxResults": "5"}
    assert _type(raw_call(url, "DescribeImages", body)) == "SerializationException"
    body = {"repositoryName": "abc", "maxResults": 2**70}
    assert _type(raw_call(url, "DescribeImages", body)) == "SerializationException"
    body = {"repositoryName": "abc", "force": "yes"}
    assert _type(raw_call(url, "DeleteRepository", body)) == "SerializationException"


def test_empty_body_and_charset(url: str) -> None:
    ok = raw_call(url, "DescribeRegistries", b"", Content_Type=J + "; charset=utf-8")
    assert ok.status_code == 200 and ok.headers["Content-Type"] == J
    assert ok.headers["x-amzn-RequestId"]


def test_extra_members_ignored(url: str) -> None:
    response = raw_call(url, "CreateRepository", {"repositoryName": "abc", "bogus": {"x": [1]}})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("headers", "status", "expected"),
    [
        ({"X-Amz-Target": "SpencerFrontendService.Nope"}, 400, "UnknownOperationException"),
        ({"X-Amz-Target": "Other.CreateRepository"}, 400, "UnknownOperationException"),
        ({"X-Amz-Target": ""}, 400, "UnknownOperationException"),
        ({"Authorization": ""}, 403, "MissingAuthenticationTokenException"),
        ({"Authorization": "Bearer x"}, 403, "IncompleteSignatureException"),
        ({"Content-Type": "application/json"}, 400, "SerializationException"),
        ({"Content-Type": ""}, 400, "SerializationException"),
    ],
)
def test_bad_headers(url: str, headers: dict[str, str], status: int, expected: str) -> None:
    response = raw_call(
        url, "DescribeRegistries", {}, **{k.replace("-", "_"): v for k, v in headers.items()}
    )
    assert (response.status_code, _type(response)) == (status, expected)


def test_get_is_unknown(url: str) -> None:
    response = requests.get(url + "/")
    assert response.status_code == 400 and _type(response) == "UnknownOperationException"


def _raw_socket(url: str, payload: bytes) -> bytes:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(payload)
        return sock.recv(65536)


def test_body_too_large_not_read(url: str) -> None:
    head = (
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: " + J + "\r\n"
        "X-Amz-Target: SpencerFrontendService.CreateRepository\r\n"
        f"Authorization: {AUTH}\r\nContent-Length: {64 * 1024 * 1024}\r\n\r\n"
    ).encode()
    answer = _raw_socket(url, head)
    assert answer.startswith(b"HTTP/1.1 413") and b"RequestEntityTooLargeException" in answer
    assert raw_call(url, "DescribeRegistries").status_code == 200


def test_configured_body_limit() -> None:
    with start_server(max_body_bytes=100) as srv:
        response = raw_call(srv.url, "CreateRepository", {"repositoryName": "a" * 200})
        assert response.status_code == 413


def test_chunked_refused(url: str) -> None:
    def gen() -> Any:
        yield b"{}"

    headers = {
        "Content-Type": J,
        "X-Amz-Target": "SpencerFrontendService.DescribeRegistries",
        "Authorization": AUTH,
    }
    response = requests.post(url + "/", data=gen(), headers=headers)
    assert response.status_code == 411


def test_keep_alive(url: str) -> None:
    with requests.Session() as session:
        for _ in range(3):
            response = session.post(
                url + "/",
                data=b"{}",
                headers={
                    "Content-Type": J,
                    "Authorization": AUTH,
                    "X-Amz-Target": "SpencerFrontendService.GetRegistryCatalogData",
                },
            )
            assert response.status_code == 200
            assert int(response.headers["Content-Length"]) == len(response.content)
