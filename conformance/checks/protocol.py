"""Protocol checks: the AWS JSON 1.1 wire rules every response and request path must follow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...specs import Operation, Shape
from ...wire import CONTENT_TYPE, Exchange
from ..env import CheckEnv
from ..registry import Outcome, Skip, check
from .response import successes

PROTOCOL_REJECTIONS = frozenset(
    {"SerializationException", "ValidationException", "InvalidParameterException"}
)


def _every_response(
    env: CheckEnv, op: Operation, test: Callable[[Exchange], str | None], what: str
) -> Outcome:
    out = Outcome()
    for sample in env.samples(op):
        out.examples += 1
        message = test(sample.exchange)
        if message:
            out.failures.append(
                env.fail(message, sample.exchange, env.fact(op.name, None, what, "overlay"))
            )
            break
    return out


@check("protocol", "MUST", "responses are application/x-amz-json-1.1")
def content_type_is_amz_json(env: CheckEnv, op: Operation) -> Outcome:
    """Every response, success or error, has Content-Type application/x-amz-json-1.1."""

    def test(ex: Exchange) -> str | None:
        got = ex.headers.get("content-type", "")
        if got.split(";")[0].strip().lower() == CONTENT_TYPE:
            return None
        return f"Content-Type is {got!r}, expected {CONTENT_TYPE}"

    return _every_response(env, op, test, "awsJson1_1 Content-Type")


@check("protocol", "SHOULD", "responses carry x-amzn-RequestId")
def request_id_header_present(env: CheckEnv, op: Operation) -> Outcome:
    """Every response carries an ``x-amzn-RequestId`` header (AWS behaviour, not documented)."""

    def test(ex: Exchange) -> str | None:
        return None if ex.headers.get("x-amzn-requestid") else "no x-amzn-RequestId header"

    return _every_response(env, op, test, "x-amzn-RequestId header")


def _timestamps(shape: Shape, value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every (path, value) of a timestamp member inside ``value``."""
    if shape.kind == "timestamp":
        return [(path, value)]
    out: list[tuple[str, Any]] = []
    if shape.kind == "structure" and isinstance(value, dict):
        for m in shape.members:
            if m.name in value:
                out += _timestamps(m.shape, value[m.name], f"{path}.{m.name}".strip("."))
    elif shape.kind == "list" and isinstance(value, list) and shape.item is not None:
        for item in value:
            out += _timestamps(shape.item, item, path)
    return out


def _has_timestamp(shape: Shape) -> bool:
    if shape.kind == "timestamp":
        return True
    return any(_has_timestamp(m.shape) for m in shape.members) or (
        shape.item is not None and _has_timestamp(shape.item)
    )


@check(
    "protocol",
    "MUST",
    "timestamps are epoch seconds (JSON numbers)",
    applies=lambda op: _has_timestamp(op.output),
)
def timestamps_are_epoch_numbers(env: CheckEnv, op: Operation) -> Outcome:
    """Timestamp members of success responses are JSON numbers of epoch seconds."""
    out = Outcome()
    for ex in successes(env, op):
        for path, value in _timestamps(op.output, ex.json):
            out.examples += 1
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                out.failures.append(
                    env.fail(
                        f"timestamp {path} is {value!r}, not epoch seconds",
                        ex,
                        env.fact(
                            op.name, path, "awsJson1_1 timestamp format epoch-seconds", "overlay"
                        ),
                    )
                )
                return out
    if out.examples == 0:
        raise Skip("no success response carried a timestamp")
    return out


def _rejected(
    env: CheckEnv, op: Operation, ex: Exchange, allowed: frozenset[str], what: str
) -> Outcome:
    out = Outcome(examples=1)
    code = ex.error_code
    if ex.ok or ex.status >= 500 or (code is not None and code not in allowed):
        out.failures.append(
            env.fail(
                f"{what} was answered with HTTP {ex.status} {code or ''}, expected a 4xx "
                f"({', '.join(sorted(allowed))})",
                ex,
                env.fact(op.name, None, what, "overlay"),
            )
        )
    return out


@check("protocol", "MUST", "an unknown X-Amz-Target is rejected with a protocol-level 4xx")
def unknown_operation_rejected(env: CheckEnv, op: Operation) -> Outcome:
    """A request whose target names no operation is rejected with a 4xx protocol error."""
    target = f"{env.service.target_prefix}.{op.name}DoesNotExist"
    ex = env.send(op.name, {}, target=target)
    protocol = frozenset(e.code for e in env.service.protocol_errors())
    return _rejected(env, op, ex, protocol, "an unknown operation target")


@check("protocol", "MUST", "a body that is not JSON is rejected with a client error")
def malformed_json_rejected(env: CheckEnv, op: Operation) -> Outcome:
    """A body that is not JSON is rejected with a 4xx (SerializationException or similar)."""
    ex = env.send(op.name, body=b'{"repositoryName": ')
    return _rejected(env, op, ex, PROTOCOL_REJECTIONS, "a malformed JSON body")


@check("protocol", "SHOULD", "an unsigned request is rejected")
def unsigned_request_rejected(env: CheckEnv, op: Operation) -> Outcome:
    """A request without SigV4 ``Authorization`` is rejected with a 4xx authentication error."""
    ex = env.send(op.name, {}, sign=False)
    allowed = frozenset(
        {
            "MissingAuthenticationTokenException",
            "UnrecognizedClientException",
            "AccessDeniedException",
            "IncompleteSignature",
            "InvalidSignatureException",
            "MissingAuthenticationToken",
        }
    )
    return _rejected(env, op, ex, allowed, "a request without Authorization")
