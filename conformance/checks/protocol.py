"""Protocol checks: the AWS JSON 1.1 wire rules every response and request path must follow.

Content types and timestamps are judged per operation. How the endpoint answers an unknown
target, a body that is not JSON, an unsigned request, and whether it sends request ids, are
facts about the endpoint as a whole: those checks run once per run (``scope="endpoint"``) on
probes sent to every operation, and report each deviating operation inside one result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ...specs import Operation, Shape
from ...specs.validation import wire_format_root
from ...strategies import allowed_errors
from ...wire import CONTENT_TYPE, Exchange
from ..catalogue.samples import sent_samples
from ..harness.env import CheckEnv
from ..harness.once import once_per_run
from ..harness.registry import Outcome, Skip, check
from ..harness.semantics import changes_state
from .response import successes

#: The body every malformed-JSON probe sends.
MALFORMED = b'{"repositoryName": '
#: Operations that only read: an unsigned request to them changes nothing even if served.
READ_ONLY_PROBES = ("DescribeRegistries", "DescribeRepositories", "GetRegistryCatalogData")


Found = tuple[str, str, str] | None  # (message, expected, actual)
_EPOCH_SECONDS = "awsJson1_1 timestamp format epoch-seconds"


def _every_response(
    env: CheckEnv, op: Operation, test: Callable[[Exchange], Found], what: str
) -> Outcome:
    out = Outcome()
    for sample in sent_samples(env, op):
        out.examples += 1
        found = test(sample.exchange)
        if found:
            message, expected, actual = found
            out.failures.append(
                env.fail(
                    message,
                    sample.exchange,
                    env.fact(op.name, None, what, "protocol"),
                    expected,
                    actual,
                )
            )
            break
    return out


@check("protocol", "MUST", "responses are application/x-amz-json-1.1")
def content_type_is_amz_json(env: CheckEnv, op: Operation) -> Outcome:
    """Every response, success or error, has Content-Type application/x-amz-json-1.1."""

    def test(ex: Exchange) -> Found:
        got = ex.headers.get("content-type", "")
        if got.split(";")[0].strip().lower() == CONTENT_TYPE:
            return None
        shown = got or "(none)"
        return (
            f"Content-Type is {shown!r}, expected {CONTENT_TYPE}",
            f"Content-Type {CONTENT_TYPE}",
            shown,
        )

    return _every_response(env, op, test, "awsJson1_1 Content-Type")


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
                found = env.fail(
                    f"timestamp {path} is {value!r}, not epoch seconds",
                    ex,
                    env.fact(
                        op.name, path, "awsJson1_1 timestamp format epoch-seconds", "protocol"
                    ),
                    "timestamps as epoch-second numbers",
                    f"a {type(value).__name__} timestamp",
                )
                out.failures.append(replace(found, root=wire_format_root("timestamp", value)))
                return out
    if out.examples == 0:
        raise Skip("no success response carried a timestamp")
    return out


# --------------------------------------------------------------------------- endpoint probes


def _probe(env: CheckEnv, key: str, send: Callable[[], list[Exchange]]) -> list[Exchange]:
    """Send a probe set once per run and share it between the checks that judge it."""
    return _probed(env, key, send)


@once_per_run("endpoint-probes", key=lambda key, send: key)
def _probed(env: CheckEnv, key: str, send: Callable[[], list[Exchange]]) -> list[Exchange]:
    """The exchanges of the probe set ``key``, sent by ``send``."""
    return send()


def _unknown_targets(env: CheckEnv) -> list[Exchange]:
    prefix = env.service.target_prefix
    return [
        env.send("DescribeRegistries", {}, target=f"{prefix}.NoSuchOperation"),
        env.send("DescribeRegistries", {}, target="NoSuchService_20201030.DescribeRegistries"),
    ]


def _malformed(env: CheckEnv) -> list[Exchange]:
    return [env.send(name, body=MALFORMED) for name in sorted(env.service.operations)]


def _unsigned(env: CheckEnv) -> list[Exchange]:
    return [env.send(name, {}, sign=False) for name in READ_ONLY_PROBES]


def _plain(env: CheckEnv) -> list[Exchange]:
    """One harmless request per operation: ``{}``, except where ``{}`` is a valid write."""
    out = []
    for op in env.service.operations.values():
        if changes_state(op.name) and not op.input.required:
            continue  # {} would be a valid write (PutRegistryCatalogData)
        out.append(env.send(op.name, {}))
    return out


def _refused(ex: Exchange) -> bool:
    """A client error (4xx) that names its type: what every refusal must at least be."""
    return 400 <= ex.status < 500 and ex.error_code is not None


def _judge_probes(
    env: CheckEnv,
    probes: list[Exchange],
    bad: Callable[[Exchange], bool],
    what: str,
    expected: str,
    message: Callable[[Exchange], str] | None = None,
) -> Outcome:
    out = Outcome(examples=len(probes))
    deviating = [ex for ex in probes if bad(ex)]
    for ex in deviating[:5]:
        said = (
            message(ex)
            if message is not None
            else f"{what} ({ex.operation}) was answered with {_answer(ex)}; expected {expected}"
        )
        out.failures.append(
            env.fail(
                f"{said} ({len(deviating)} of {len(probes)} probes)",
                ex,
                env.fact(ex.operation, None, what, "protocol"),
                expected,
            )
        )
    return out


def _answer(ex: Exchange) -> str:
    return f"HTTP {ex.status}" + (
        f" {ex.error_code}" if ex.error_code else " without an error type"
    )


@check(
    "protocol",
    "MUST",
    "an unknown X-Amz-Target is refused with a typed client error",
    scope="endpoint",
)
def unknown_operation_rejected(env: CheckEnv, op: None) -> Outcome:
    """A request whose X-Amz-Target names no operation gets a 4xx that carries an error type."""
    probes = _probe(env, "unknown-target", lambda: _unknown_targets(env))
    return _judge_probes(
        env,
        probes,
        lambda ex: not _refused(ex),
        "a request naming an unknown operation",
        "a 4xx client error with an error type",
    )


@check(
    "protocol",
    "SHOULD",
    "an unknown X-Amz-Target is answered UnknownOperationException",
    scope="endpoint",
)
def unknown_operation_error_code(env: CheckEnv, op: None) -> Outcome:
    """AWS JSON services answer an unknown target with UnknownOperationException (convention)."""
    probes = [
        ex for ex in _probe(env, "unknown-target", lambda: _unknown_targets(env)) if _refused(ex)
    ]
    if not probes:
        raise Skip("no unknown-target probe was refused with a typed client error")
    return _judge_probes(
        env,
        probes,
        lambda ex: ex.error_code != "UnknownOperationException",
        "a request naming an unknown operation",
        "UnknownOperationException",
    )


@check(
    "protocol",
    "MUST",
    "a body that is not JSON is refused with a typed client error",
    scope="endpoint",
)
def malformed_json_rejected(env: CheckEnv, op: None) -> Outcome:
    """A request body that is not JSON gets a 4xx with an error type, on every operation."""
    probes = _probe(env, "malformed", lambda: _malformed(env))
    return _judge_probes(
        env,
        probes,
        lambda ex: not _refused(ex),
        "a body that is not JSON",
        "a 4xx client error with an error type",
    )


@check(
    "protocol",
    "SHOULD",
    "a body that is not JSON is answered SerializationException",
    scope="endpoint",
)
def malformed_json_error_code(env: CheckEnv, op: None) -> Outcome:
    """A body that is not JSON gets SerializationException or the operation's validation error.

    These are the codes the negative checks allow for it.
    """
    probes = [ex for ex in _probe(env, "malformed", lambda: _malformed(env)) if _refused(ex)]
    if not probes:
        raise Skip("no malformed-JSON probe was refused with a typed client error")

    def bad(ex: Exchange) -> bool:
        return ex.error_code not in allowed_errors(
            env.service.operation(ex.operation), "malformed-json"
        )

    return _judge_probes(env, probes, bad, "a body that is not JSON", "SerializationException")


@check("protocol", "SHOULD", "an unsigned request is refused", scope="endpoint")
def unsigned_request_rejected(env: CheckEnv, op: None) -> Outcome:
    """A request without a SigV4 Authorization header gets a 4xx with an error type."""
    probes = _probe(env, "unsigned", lambda: _unsigned(env))
    return _judge_probes(
        env,
        probes,
        lambda ex: not _refused(ex),
        "a request without Authorization",
        "a 4xx client error with an error type",
    )


@check("protocol", "SHOULD", "responses carry x-amzn-RequestId", scope="endpoint")
def request_id_header_present(env: CheckEnv, op: None) -> Outcome:
    """Every response carries an x-amzn-RequestId header (AWS behaviour, not documented)."""
    probes = _probe(env, "plain", lambda: _plain(env))
    return _judge_probes(
        env,
        probes,
        lambda ex: not ex.headers.get("x-amzn-requestid"),
        "a response",
        "an x-amzn-RequestId header",
        lambda ex: f"the answer to {ex.operation} ({_answer(ex)}) has no x-amzn-RequestId header",
    )
