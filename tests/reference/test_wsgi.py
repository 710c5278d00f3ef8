from __future__ import annotations

import io
import json
from typing import Any

from ecr_public_conformance.reference import make_wsgi_app

from .helpers import AUTH, check_output


def _call(app: Any, op: str, body: bytes, **extra: str) -> tuple[str, dict[str, str], Any]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_TYPE": "application/x-amz-json-1.1",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_AMZ_TARGET": f"SpencerFrontendService.{op}",
        "HTTP_AUTHORIZATION": AUTH,
        "wsgi.input": io.BytesIO(body),
        **extra,
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen.update(status=status, headers=dict(headers))

    out = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], json.loads(out)


def test_wsgi_app_same_behaviour() -> None:
    app = make_wsgi_app()
    status, headers, body = _call(app, "CreateRepository", b'{"repositoryName": "ww"}')
    assert status.startswith("200") and headers["x-amzn-RequestId"]
    check_output("CreateRepository", body)
    status, headers, body = _call(app, "CreateRepository", b'{"repositoryName": "ww"}')
    assert status.startswith("400") and body["__type"] == "RepositoryAlreadyExistsException"
    status, _, body = _call(app, "CreateRepository", b"", CONTENT_LENGTH=str(10**9))
    assert status.startswith("413")
    app.reset()
    assert _call(app, "DescribeRepositories", b"")[2]["repositories"] == []


def test_wsgi_fault() -> None:
    app = make_wsgi_app(faults=["wrong-content-type"])
    assert _call(app, "DescribeRegistries", b"{}")[1]["Content-Type"] == "application/json"
