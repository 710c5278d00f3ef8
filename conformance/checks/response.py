"""Response checks: every success response conforms to the operation's output schema."""

from __future__ import annotations

from ...specs import Operation
from ...specs.validation import violations
from ...wire import Exchange
from ..env import CheckEnv
from ..registry import Outcome, Skip, check


@check("response", "MUST", "success responses match the output shape (types, enums, required)")
def response_schema_conformance(env: CheckEnv, op: Operation) -> Outcome:
    """Every 2xx response validates against the operation's output schema; extra members pass."""
    out = Outcome()
    for ex in successes(env, op):
        out.examples += 1
        body = ex.json if ex.json is not None else ({} if not ex.text.strip() else ex.text)
        found = violations(op.output_schema, body)
        if found:
            v = found[0]
            prov = _provenance(op, v.path, v.keyword)
            out.failures.append(
                env.fail(
                    f"response member {v.member} breaks '{v.keyword}': {v.message}",
                    ex,
                    env.fact(op.name, v.member, f"output {v.keyword}", prov),
                )
            )
            break
    if out.examples == 0:
        raise Skip("no request was answered with success, so there was no response to validate")
    return out


def successes(env: CheckEnv, op: Operation) -> list[Exchange]:
    """Every 2xx exchange of ``op``: its samples, then those seen by other checks and setup."""
    seen = [s.exchange for s in env.samples(op) if s.exchange.ok]
    return seen + [ex for ex in env.successes.get(op.name, []) if ex not in seen]


def _provenance(op: Operation, path: tuple[str | int, ...], keyword: str) -> str:
    """The provenance of the schema fact at ``path`` (best effort; 'service-model' if unknown)."""
    shape = op.output
    for step in path:
        if isinstance(step, int):
            shape = shape.item or shape
            continue
        try:
            shape = shape.member(step).shape
        except KeyError:
            break
    return shape.provenance.get(keyword, shape.provenance.get("type", "service-model"))
