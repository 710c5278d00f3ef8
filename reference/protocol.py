"""The AWS JSON 1.1 core: (method, path, headers, body) -> (status, headers, body).

Both the HTTP server and the WSGI app call :func:`handle`; nothing here knows about sockets.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..specs.model import Operation
from .context import Ctx, Endpoint
from .disruptions import Disruption
from .errors import ApiError
from .faults import MISREPORTED_AS
from .operations import HANDLERS
from .outputs import render_output
from .sigv4 import parse_authorization, verify
from .validate import validate_input
from .variants import on

JSON_11 = "application/x-amz-json-1.1"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    """A received request; header names are lower-case."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Response:
    """A response ready to send: status, headers (with Content-Length) and body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def handle(endpoint: Endpoint, request: Request, disruption: Disruption | None = None) -> Response:
    """Serve one request, disturbed as ``disruption`` says (answer-level kinds); never raises."""
    request_id = str(uuid.uuid4())
    endpoint.count_request()
    if disruption is not None:
        early = disrupted_response(endpoint, disruption, request_id)
        if early is not None:
            return early
    unsigned = not request.headers.get("authorization")
    if unsigned and "unsigned-answered-503" in endpoint.faults:
        return _plain(503, "application/xml", UNSIGNED_503, request_id)
    try:
        op = _operation(endpoint, request)
        if op is None:  # the unknown-target-accepted fault
            return _response(endpoint, 200, b"{}", request_id)
        params = _params(request.body, endpoint.faults)
        result = _invoke(endpoint, op, params)
        options = endpoint.options
        shaped = render_output(op, result, endpoint.faults, options.variants, options.edition)
        body = json.dumps(shaped).encode()
        return _response(endpoint, 200, body, request_id)
    except ApiError as exc:
        return error_response(endpoint, exc, request_id)
    except Exception:  # a bug: answer like AWS would, and keep serving
        log.exception("internal error in the reference endpoint")
        return error_response(endpoint, ApiError("InternalFailure", "Internal error", 500))


THROTTLE_MESSAGE = "Rate exceeded"
#: What the ``unsigned-answered-503`` fault answers an unsigned request with (no error type
#: an AWS JSON client can read: it is a server error, not throttling).
UNSIGNED_503 = (
    b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>MissingAuthenticationToken</Code>'
    b"<Message>Missing Authentication Token</Message></Error>"
)
HTML_503 = (
    b"<html><head><title>503 Service Temporarily Unavailable</title></head>"
    b"<body><h1>503 Service Temporarily Unavailable</h1></body></html>"
)


def disrupted_response(endpoint: Endpoint, d: Disruption, request_id: str) -> Response | None:
    """The answer a condition fault gives instead of serving, or None to serve normally.

    A delay sleeps here, then serves; transport kinds are left to the HTTP server.
    """
    if d.kind == "delay":
        time.sleep(d.delay_s)
        return None
    if d.kind == "throttling-exception":
        response = _json_error(400, "ThrottlingException", THROTTLE_MESSAGE, request_id)
    elif d.kind == "service-unavailable":
        response = _json_error(503, "ServiceUnavailable", "Service unavailable", request_id)
    elif d.kind == "too-many-requests":
        response = _plain(429, "text/plain", b"Too Many Requests", request_id)
    elif d.kind == "html-503":
        return _plain(503, "text/html; charset=utf-8", HTML_503, request_id)
    elif d.kind == "json-500":
        return _json_error(500, "InternalFailure", "An internal error occurred", request_id)
    else:
        return None
    if d.retry_after is not None:
        response.headers.insert(0, ("Retry-After", d.retry_after))
    return response


def _json_error(status: int, code: str, message: str, request_id: str) -> Response:
    """An AWS JSON error as a conforming endpoint sends it (deviation switches do not apply)."""
    body = json.dumps({"__type": code, "message": message}).encode()
    response = _plain(status, JSON_11, body, request_id)
    response.headers.insert(0, ("x-amzn-ErrorType", code))
    return response


def _plain(status: int, content_type: str, body: bytes, request_id: str) -> Response:
    headers = [("Content-Type", content_type), ("x-amzn-RequestId", request_id)]
    return Response(status, [*headers, ("Content-Length", str(len(body)))], body)


def _operation(endpoint: Endpoint, request: Request) -> Operation | None:
    if "server-error" in endpoint.faults:
        raise ApiError("ServerException", "Server fault switch is on")
    svc = endpoint.service
    target = request.headers.get("x-amz-target", "")
    prefix, _, name = target.partition(".")
    op = svc.operations.get(name) if prefix == svc.target_prefix else None
    if op is None and "unknown-target-accepted" in endpoint.faults:
        return None
    if request.method != "POST" or request.path.split("?")[0] != "/" or op is None:
        code, status = "UnknownOperationException", None
        if on(endpoint.options, "unknown-target-invalid-action"):
            code = "InvalidAction"
        if "unknown-target-wrong-code" in endpoint.faults:
            code, status = "InvalidAction", 404
        raise ApiError(
            code,
            f"Unknown operation: {request.method} {request.path[:80]} target {target[:120]!r}",
            status,
        )
    if "auth-not-required" in endpoint.faults and not request.headers.get("authorization"):
        return op
    if not request.headers.get("authorization") and on(endpoint.options, "unsigned-access-denied"):
        raise ApiError("AccessDeniedException", "Access denied: the request is not signed", 403)
    auth = parse_authorization(request.headers.get("authorization"))
    _check_content_type(request.headers.get("content-type"))
    if endpoint.options.verify_sigv4:
        verify(auth, endpoint.options.credentials, request.path, request.headers, request.body)
    return op


def _check_content_type(value: str | None) -> None:
    media = (value or "").split(";")[0].strip().lower()
    if media != JSON_11:
        raise ApiError(
            "SerializationException",
            f"Content-Type must be {JSON_11} (got {(value or '(none)')[:80]!r})",
        )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _params(body: bytes, faults: frozenset[str] = frozenset()) -> dict[str, Any]:
    if "malformed-json-accepted" in faults:
        try:
            json.loads(body or b"{}")
        except ValueError:
            return {}
    try:
        text = body.decode("utf-8")
        params = json.loads(text, parse_constant=_reject_constant) if text.strip() else {}
    except UnicodeDecodeError as exc:
        raise ApiError("SerializationException", f"Request body is not UTF-8: {exc}") from exc
    except RecursionError as exc:
        raise ApiError("SerializationException", "Request body is nested too deeply") from exc
    except ValueError as exc:
        raise ApiError("SerializationException", f"Request body is not JSON: {exc}") from exc
    if not isinstance(params, dict):
        raise ApiError("SerializationException", "Request body must be a JSON object")
    return params


def _invoke(endpoint: Endpoint, op: Operation, params: dict[str, Any]) -> dict[str, Any]:
    if op.name in endpoint.options.unsupported:
        raise ApiError("UnsupportedCommandException", f"{op.name} is not supported here")
    if on(endpoint.options, "state-before-validation"):
        _state_first(endpoint, op, params)
    if on(endpoint.options, "reject-unknown-members"):
        _no_unknown_members(op.input, params)
    params = validate_input(op.input, params, endpoint.faults, op.exclusive)
    with endpoint.store.lock:
        out = HANDLERS[op.name](Ctx(endpoint, op), params)
    takes = any(m.name == "registryId" for m in op.input.members)
    if "default-registry-not-assumed" in endpoint.faults and takes and "registryId" not in params:
        out = _other_registry(out)
    return out


def _other_registry(value: Any) -> Any:
    """The ``default-registry-not-assumed`` fault: every registryId of an answer is another."""
    if isinstance(value, dict):
        return {
            k: "000000000000" if k == "registryId" else _other_registry(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_other_registry(v) for v in value]
    return value


def _state_first(endpoint: Endpoint, op: Operation, params: dict[str, Any]) -> None:
    """The ``state-before-validation`` variant: a repository that does not exist (of either
    type: the rules about types come after) is reported first."""
    name = params.get("repositoryName")
    if op.name.startswith("Create") or not isinstance(name, str):
        return
    if "RepositoryNotFoundException" in op.error_codes:
        store = endpoint.store
        with store.lock:
            if name not in store.repositories and name not in store.premium:
                raise Ctx(endpoint, op).not_found(name)


def _no_unknown_members(shape: Any, value: Any, path: str = "") -> None:
    """The ``reject-unknown-members`` variant: a member the model does not define is refused."""
    if shape.kind == "structure" and isinstance(value, dict):
        known = {m.name: m.shape for m in shape.members}
        for key, item in value.items():
            where = f"{path}.{key}".lstrip(".")
            if key not in known:
                raise ApiError("InvalidParameterException", f"Unknown parameter '{where}'")
            _no_unknown_members(known[key], item, where)
    elif shape.kind == "list" and isinstance(value, list) and shape.item is not None:
        for i, item in enumerate(value):
            _no_unknown_members(shape.item, item, f"{path}[{i}]")


#: Error codes the ``not-found-404`` variant answers with HTTP 404.
_NOT_FOUND = re.compile(r"NotFound(Exception)?$")


def _response(endpoint: Endpoint, status: int, body: bytes, request_id: str) -> Response:
    wrong = "wrong-content-type" in endpoint.faults
    headers = [("Content-Type", "application/json" if wrong else JSON_11)]
    if "no-request-id" not in endpoint.faults:
        headers.append(("x-amzn-RequestId", request_id))
    headers.append(("Content-Length", str(len(body))))
    return Response(status, headers, body)


def error_response(endpoint: Endpoint, exc: ApiError, request_id: str | None = None) -> Response:
    """Render ``exc`` as an AWS JSON error, applying the ``errors`` fault switches."""
    faults = endpoint.faults
    code = exc.code
    if code == "RepositoryNotFoundException" and "undeclared-error-code" in faults:
        code = "NoSuchRepositoryException"
    if code == "SerializationException" and "other-serialization-code" in faults:
        code = "InvalidRequestException"
    if f"misreport={code}" in faults:
        code = MISREPORTED_AS
    status = exc.status
    if on(endpoint.options, "not-found-404") and _NOT_FOUND.search(code):
        status = 404
    if status < 500 and "client-error-as-500" in faults:
        status = 500
    typed = "error-without-type" not in faults
    payload = {"__type": code, "message": exc.message} if typed else {"message": exc.message}
    if on(endpoint.options, "other-messages"):
        payload.pop("message")
        payload["Message"] = f"{code}: the request could not be completed"
    if "error-without-message" in faults:
        payload.pop("message", None)
        payload.pop("Message", None)
    if typed and code == "InvalidParameterException" and "validation-error-code" in faults:
        code = payload["__type"] = "LimitExceededException"
    request_id = request_id or str(uuid.uuid4())
    response = _response(endpoint, status, json.dumps(payload).encode(), request_id)
    if typed:
        response.headers.insert(0, ("x-amzn-ErrorType", code))
    return response
