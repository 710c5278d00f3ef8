"""Error checks: codes are declared, the status matches the fault side, the body has a shape."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ...records import SpecFact
from ...specs import Operation
from ...wire import Exchange
from ..catalogue.samples import sent_samples
from ..harness.env import CheckEnv
from ..harness.registry import Outcome, Skip, check

#: What a predicate says of one error response: nothing, or (message, fact, expected, actual).
Problem = tuple[str, SpecFact, str, str] | None
Judge = Callable[[Exchange], Problem]
#: Sample kinds whose requests the specs call valid: their errors are state errors, whose codes
#: the operation documents. Answers to invalid requests are judged by the negative checks.
VALID_KINDS = ("valid", "boundary-valid")


def _errors(
    env: CheckEnv, op: Operation, kinds: tuple[str, ...] | None = None
) -> Iterator[Exchange]:
    for sample in sent_samples(env, op):
        if sample.exchange.ok:
            continue
        if (
            kinds is None
            or sample.kind in kinds
            or (sample.kind == "empty" and not op.input.required)
        ):
            yield sample.exchange


def _judge(
    env: CheckEnv, op: Operation, test: Judge, kinds: tuple[str, ...] | None = None
) -> Outcome:
    out = Outcome()
    for ex in _errors(env, op, kinds):
        out.examples += 1
        problem = test(ex)
        if problem:
            message, fact, expected, actual = problem
            out.failures.append(env.fail(message, ex, fact, expected, actual))
            break
    if out.examples == 0:
        raise Skip("no request was answered with an error")
    return out


@check("errors", "MUST", "an error code is documented for the operation or protocol-level")
def error_code_is_declared(env: CheckEnv, op: Operation) -> Outcome:
    """Every error answered to a valid request is one the operation documents, or protocol-level."""
    allowed = env.service.allowed_error_codes(op.name)

    def test(ex: Exchange) -> Problem:
        code = ex.error_code
        if code is None or code in allowed:
            return None
        return (
            f"error code {code!r} is neither documented for {op.name} nor protocol-level "
            f"(documented: {', '.join(sorted(op.error_codes))})",
            env.fact(op.name, None, "documented errors", "both"),
            "a code the operation documents, or a protocol-level one",
            code,
        )

    return _judge(env, op, test, VALID_KINDS)


@check("errors", "MUST", "client faults answer 4xx and server faults 5xx")
def error_status_matches_fault(env: CheckEnv, op: Operation) -> Outcome:
    """The HTTP status of an error is 4xx for client-fault codes and 5xx for server-fault codes."""

    def test(ex: Exchange) -> Problem:
        spec = env.service.errors.get(ex.error_code or "")
        if spec is None:
            return None
        side_ok = 400 <= ex.status < 500 if spec.fault == "client" else ex.status >= 500
        if side_ok:
            return None
        want = "4xx" if spec.fault == "client" else "5xx"
        return (
            f"{spec.code} is a {spec.fault} fault but was answered with HTTP {ex.status}",
            env.fact(op.name, None, f"{spec.code} fault={spec.fault}", spec.provenance),
            f"{want} for a {spec.fault}-fault code",
            f"HTTP {ex.status} {spec.code}",
        )

    return _judge(env, op, test)


@check("errors", "MUST", "an error names its type in __type (or x-amzn-ErrorType)")
def error_body_has_type(env: CheckEnv, op: Operation) -> Outcome:
    """An error response is identified by a body __type/code or x-amzn-ErrorType."""

    def test(ex: Exchange) -> Problem:
        if ex.error_code:
            return None
        return (
            f"HTTP {ex.status} error without __type, code or x-amzn-ErrorType",
            env.fact(op.name, None, "awsJson1_1 error identification", "protocol"),
            "an error type (__type, code or x-amzn-ErrorType)",
            f"HTTP {ex.status} without an error type",
        )

    return _judge(env, op, test)


@check("errors", "SHOULD", "an error body carries a message string")
def error_body_has_message(env: CheckEnv, op: Operation) -> Outcome:
    """An error body is a JSON object with a message (or Message) string."""

    def test(ex: Exchange) -> Problem:
        body = ex.json if isinstance(ex.json, dict) else {}
        if isinstance(body.get("message", body.get("Message")), str):
            return None
        return (
            f"HTTP {ex.status} error body has no message string",
            env.fact(op.name, None, "exception member 'message'", "service-model"),
            "a message (or Message) string",
            "no message",
        )

    return _judge(env, op, test)
