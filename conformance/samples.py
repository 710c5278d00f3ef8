"""Generate each operation's requests once, send them once, and keep the exchanges.

Most checks judge the same traffic from different angles (schema, error codes, status,
headers), so an operation's requests - boundary values, valid requests bound to resources the
run owns, invalid requests with exactly one labelled violation, and the empty body - are drawn
from the strategies with the profile's budget and the run's seed, sent once, and cached per
operation. Checks then read :class:`Sample` records.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ..specs import Operation
from ..strategies import Context, boundary_requests, from_operation
from ..strategies.profiles import get_profile
from ..strategies.semantic import CONTEXT_FIELDS
from ..wire import Exchange
from .env import CheckEnv, World
from .registry import SetupFailed, Skip, Unsupported
from .semantics import (
    CREATES_REPOSITORY,
    MUTATES_REGISTRY,
    MUTATES_REPOSITORY,
    SEMANTIC_MEMBERS,
    mutates,
)


@dataclass(frozen=True)
class Sample:
    """One sent request: how it was made (kind, label) and what came back."""

    kind: str  # "valid" | "invalid" | "boundary-valid" | "boundary-invalid" | "empty"
    label: Any  # the strategies' LabelledRequest, or None for valid draws
    params: Any
    exchange: Exchange

    @property
    def semantic(self) -> bool:
        """True when the request carries members whose meaning the schema cannot check."""
        return isinstance(self.params, dict) and bool(SEMANTIC_MEMBERS & set(self.params))


def collect(strategy: st.SearchStrategy[Any], n: int, seed: int | None) -> list[Any]:
    """Draw ``n`` examples of ``strategy`` reproducibly (no shrinking, no database)."""
    out: list[Any] = []

    @settings(
        max_examples=n,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        derandomize=seed is None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(example: Any) -> None:
        out.append(example)

    if seed is not None:
        from hypothesis import seed as seed_decorator

        seed_decorator(seed)(draw)()
    else:
        draw()
    return out[:n]


def _context(env: CheckEnv, op: Operation) -> Context:
    """Resources to bind valid requests to: a scratch repository for mutating operations."""
    world: World | None
    if op.name in MUTATES_REPOSITORY or op.name in MUTATES_REGISTRY:
        env.guard_mutation(f"send valid {op.name} requests to a repository it creates")
        world = env.scratch(op.name)
    else:
        world = env.world() if env.may_mutate() else None
    if world is None:
        return Context()
    return Context(
        repositories=(world.repository,),
        layer_digests=tuple(world.layer_digests),
        image_digests=(world.image_digest,),
        image_tags=(world.image_tag,),
        resource_arns=(world.repository_arn,) if world.repository_arn else (),
    )


def fresh_name(base: str, original: str) -> str:
    """A name under the run's prefix with the original's length and namespace where possible."""
    name = base + (f"/{original.rsplit('/', 1)[-1]}" if "/" in original else "")
    gap = len(original) - len(name)
    if gap >= 2:
        name += "-" + "x" * (gap - 1)
    return name[:205].rstrip("._-/")


def _fresh_names(env: CheckEnv, op: Operation, params: Any, keep: str | None = None) -> Any:
    """Give a creating request a fresh name under the run's prefix (keeping its shape).

    Names too short to carry the prefix are sent as they are: only a repository the target
    reports as created is recorded in the ledger and deleted, so no foreign one is touched.
    """
    member = CREATES_REPOSITORY.get(op.name)
    if not member or member == keep or not isinstance(params, dict) or member not in params:
        return params
    original = str(params[member])
    base = env.new_name("c")
    if len(original) < len(base):
        return params
    params = copy.deepcopy(params)
    params[member] = fresh_name(base, original)
    return params


#: Top-level members that name one existing resource, bound for boundary requests too.
BOUND_MEMBERS = ("repositoryName", "resourceArn")


def bind(params: Any, context: Context | None, keep: str | None) -> Any:
    """Point a request's resource-naming members (all but ``keep``) at the context's resources."""
    if context is None or not isinstance(params, dict):
        return params
    out = dict(params)
    for member in BOUND_MEMBERS:
        values = context.values(CONTEXT_FIELDS[member])
        if member in out and member != keep and values:
            out[member] = values[0]
    return out


def _context_or_none(env: CheckEnv, op: Operation) -> Context | None:
    """The resources to bind to, or None: the run may not create them (read-only, AWS without
    the opt-in), the target does not support a setup operation, or it refused the setup (kept
    in ``env.setup_failures``, so the checks that lose their requests say why)."""
    if op.name in CREATES_REPOSITORY:
        return None
    try:
        return _context(env, op)
    except SetupFailed as exc:
        env.setup_failures[op.name] = exc
        return None
    except (Skip, Unsupported):
        return None


def safe_to_send(env: CheckEnv, op: Operation, label: Any, context: Context | None) -> bool:
    """Never send a request that could change a resource the run does not own."""
    if not mutates(op.name):
        return True
    if op.name in CREATES_REPOSITORY:
        return (label is not None and not label.valid) or env.may_mutate()
    if op.name in MUTATES_REGISTRY:
        return env.may_mutate()
    named = str(label.path[0]) if label is not None and label.path else None
    if label is not None and not label.valid and named in BOUND_MEMBERS:
        return True  # the naming member itself is invalid: it cannot name a real resource
    return context is not None and named not in BOUND_MEMBERS


def build_samples(env: CheckEnv, op: Operation) -> list[Sample]:
    """Draw, send and record this operation's requests (called once per operation)."""
    n = get_profile(env.config.profile).examples_per_operation
    seed = env.config.seed
    context = _context_or_none(env, op)
    if op.name in MUTATES_REGISTRY and env.may_mutate():
        env.remember_registry()
    samples: list[Sample] = [Sample("empty", None, {}, env.send(op.name, {}))]
    large = env.config.profile == "nightly"
    labels = [("boundary", b) for b in boundary_requests(op) if large or not b.large]
    drawn = collect(from_operation(op, mode="invalid"), n, seed)
    # bodies that are not JSON are the endpoint's business (malformed_json_rejected)
    labels += [("invalid", x) for x in drawn if x.violation != "malformed-json"]
    for origin, label in labels:
        if safe_to_send(env, op, label, context):
            kind = (
                "invalid"
                if origin == "invalid"
                else ("boundary-valid" if label.valid else "boundary-invalid")
            )
            samples.append(_send_labelled(env, op, label, kind, context))
    if safe_to_send(env, op, None, context):
        for params in collect(from_operation(op, mode="valid", context=context), n, seed):
            params = _fresh_names(env, op, params)
            samples.append(Sample("valid", None, params, env.send(op.name, params)))
    return samples


def _send_labelled(
    env: CheckEnv, op: Operation, label: Any, kind: str, context: Context | None
) -> Sample:
    if label.body is not None:
        return Sample(kind, label, label.body, env.send(op.name, body=label.body))
    violated = str(label.path[0]) if label.path else None
    params = _fresh_names(env, op, bind(label.params, context, violated), keep=violated)
    return Sample(kind, label, params, env.send(op.name, params))
