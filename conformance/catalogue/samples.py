"""Generate each operation's requests once, send them once, and keep the exchanges.

Most checks judge the same traffic from different angles (schema, error codes, status,
headers), so an operation's requests - boundary values, valid requests bound to resources the
run owns, invalid requests with exactly one labelled violation, and the empty body - are drawn
from the strategies with the profile's budget and the run's seed, sent once, and cached per
operation. Checks then read :class:`Sample` records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ...specs import Member, Operation
from ...strategies import Context, boundary_requests, from_operation
from ...strategies.profiles import get_profile
from ...strategies.semantic_values import CONTEXT_FIELDS
from ...wire import Exchange, TargetUnreachable
from ..harness.env import CheckEnv
from ..harness.once import once_per_run
from ..harness.registry import SetupFailed, Skip, Unsupported
from ..harness.resources import World
from ..harness.semantics import (
    RESOURCE_SHAPES,
    SEMANTIC_MEMBERS,
    changes_state,
    creates_repository,
    registry_write,
    unrestorable,
)
from .bindings import Binder


@dataclass(frozen=True)
class Sample:
    """One sent request: how it was made (kind, label) and what came back."""

    kind: str  # "valid" | "invalid" | "boundary-valid" | "boundary-invalid" | "empty"
    label: Any  # the strategies' LabelledRequest, or None for valid draws
    params: Any
    exchange: Exchange
    #: True for a valid request whose semantic members were bound to the run's resources.
    bound: bool = False

    @property
    def semantic(self) -> bool:
        """True when the request carries members whose meaning the schema cannot check (and
        that were not bound to resources the run made)."""
        if self.bound:
            return False
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

    # no database, so no key: Hypothesis would hash the source of ``draw`` for one on every
    # call (as its own ``find()`` does, the key is set to None instead)
    draw._hypothesis_internal_database_key = None  # type: ignore[attr-defined]
    if seed is not None:
        from hypothesis import seed as seed_decorator

        seed_decorator(seed)(draw)()
    else:
        draw()
    return out[:n]


def _context(env: CheckEnv, op: Operation) -> Context:
    """Resources to bind valid requests to: a scratch repository for operations that change
    state (each its own, so one operation's writes do not disturb another's reads)."""
    world: World | None
    if changes_state(op.name):
        env.guard_mutation(f"send valid {op.name} requests to a repository it creates")
        world = env.resources.scratch(op.name)
    else:
        world = env.resources.world() if env.may_mutate() else None
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
    in ``env.resources.setup_failures``, so the checks that lose their requests say why)."""
    if creates_repository(op.name) or registry_write(op):
        return None
    try:
        return _context(env, op)
    except SetupFailed as exc:
        env.resources.setup_failures[op.name] = exc
        return None
    except (Skip, Unsupported):
        return None


def _owned_value(
    env: CheckEnv, op: Operation, member: Member, value: Any, label: Any, context: Any
) -> Any:
    """A value for a resource-naming member that the run owns and that tests the same thing:
    a fresh name for a name the request creates (same length where it can be), a too-long
    value stretched from an owned one. Anything else comes back as it was, and the namespace
    then keeps the request from an operation that changes state."""
    if not isinstance(value, str):
        return value
    if label is not None and not label.valid:
        if label.violation != "too-long":
            return value
        arns = context.resource_arns if context is not None else ()
        owned = (arns[0] if arns else None) if member.shape.name == "Arn" else env.new_name("v")
        return env.namespace.stretch(owned, len(value)) if owned else value
    if creates_repository(op.name) == member.name:
        name = fresh_name(env.new_name("c"), value)
        boundary = label is not None  # a boundary value tests its length: keep it or withhold
        return value if boundary and len(name) != len(value) else name
    return value


def owned_request(env: CheckEnv, op: Operation, params: Any, label: Any, context: Any) -> Any:
    """The request with every resource it names owned by the run, where that keeps what the
    request tests (see :mod:`.namespace`)."""
    if not changes_state(op.name) or not isinstance(params, dict):
        return params
    violated = str(label.path[0]) if label is not None and label.path else None
    out = dict(params)
    for m in op.input.members:
        if m.shape.name in RESOURCE_SHAPES and m.name in out:
            if env.namespace.owns(out[m.name]) and m.name != creates_repository(op.name):
                continue
            mine = label if m.name == violated else None
            out[m.name] = _owned_value(env, op, m, out[m.name], mine, context)
    return out


def safe_to_send(
    env: CheckEnv, op: Operation, label: Any, context: Context | None, params: Any = None
) -> bool:
    """Never send a request that could change a resource the run does not own."""
    body = label.body if label is not None else None
    if not env.namespace.harmless(op, params, body):
        return False
    if not changes_state(op.name):
        return True
    invalid = label is not None and not label.valid
    if creates_repository(op.name):
        return invalid or env.may_mutate()
    if registry_write(op):
        return env.may_mutate() and not unrestorable(op.name, params)
    named = str(label.path[0]) if label is not None and label.path else None
    if invalid and named in BOUND_MEMBERS:
        return True  # the naming member itself is invalid, and carries the run's token
    return context is not None and named not in BOUND_MEMBERS


def sends_large(profile: str) -> bool:
    """True when a profile sends the boundary values above 1 MiB (``nightly`` only)."""
    return profile == "nightly"


# one operation at a time: the draws are not thread-safe
@once_per_run("samples", key=lambda op: op.name, remembers=(TargetUnreachable,), one_at_a_time=True)
def sent_samples(env: CheckEnv, op: Operation) -> list[Sample]:
    """The operation's sent requests and their exchanges (built once per run; a connection
    that broke while sending them is said again to every later caller)."""
    return build_samples(env, op)


def build_samples(env: CheckEnv, op: Operation) -> list[Sample]:
    """Draw, send and record this operation's requests (called once per operation)."""
    n = get_profile(env.config.profile).examples_per_operation
    seed = env.config.seed
    context = _context_or_none(env, op)
    if registry_write(op) and env.may_mutate():
        env.remember_registry()
    samples: list[Sample] = [Sample("empty", None, {}, env.send(op.name, {}))]
    large = sends_large(env.config.profile)
    labels = [("boundary", b) for b in boundary_requests(op, include_large=large)]
    drawn = collect(from_operation(op, mode="invalid"), n, seed)
    # bodies that are not JSON are the endpoint's business (malformed_json_rejected)
    labels += [("invalid", x) for x in drawn if x.violation != "malformed-json"]
    for origin, label in labels:
        kind = (
            "invalid"
            if origin == "invalid"
            else ("boundary-valid" if label.valid else "boundary-invalid")
        )
        params = _labelled_params(env, op, label, context)
        if safe_to_send(env, op, label, context, params):
            samples.append(_send(env, op, kind, label, params))
        else:
            env.sender.withhold(op.name, label)
    if not safe_to_send(env, op, None, context, {}):
        return samples
    drawn = omit_each_optional(
        op, collect(from_operation(op, mode="valid", context=context), n, seed)
    )
    binder = _binder(env, op)
    for params in drawn:
        if binder is not None:
            try:
                params = binder.bind(params)
            except SetupFailed as exc:
                env.resources.setup_failures[op.name] = exc
                break
        params = owned_request(env, op, params, None, context)
        params = _restorable(env, op, params)
        if safe_to_send(env, op, None, context, params):
            sent = env.send(op.name, params)
            samples.append(Sample("valid", None, params, sent, bound=binder is not None))
    return samples


def _restorable(env: CheckEnv, op: Operation, params: Any) -> Any:
    """A valid request without the optional members the run could not put back (noted as
    withheld): the rest of it is still judged."""
    why = unrestorable(op.name, params) if isinstance(params, dict) else None
    if not why:
        return params
    kept = {k: v for k, v in params.items() if not unrestorable(op.name, {k: v})}
    env.sender.withhold(op.name, f"{sorted(set(params) - set(kept))}: {why}")
    return kept


def _binder(env: CheckEnv, op: Operation) -> Binder | None:
    """What binds the operation's valid requests to the run's resources, or None: the run may
    not make them (read-only, AWS without the opt-in), or the target refused the setup."""
    if not env.may_mutate():
        return None
    try:
        return Binder(env, op)
    except SetupFailed as exc:
        env.resources.setup_failures[op.name] = exc
        return None


def omit_each_optional(op: Operation, drawn: list[Any]) -> list[Any]:
    """The drawn requests, with each optional member left out of at least one of them."""
    out = [dict(p) if isinstance(p, dict) else p for p in drawn]
    requests = [p for p in out if isinstance(p, dict)]
    optional = [m.name for m in op.input.members if not m.required]
    for i, name in enumerate(optional):
        if requests and all(name in p for p in requests):
            requests[i % len(requests)].pop(name)
    return out


def _labelled_params(env: CheckEnv, op: Operation, label: Any, context: Context | None) -> Any:
    """What a labelled request sends: bound to the run's resources, names owned by the run."""
    if label.body is not None:
        return None
    violated = str(label.path[0]) if label.path else None
    return owned_request(env, op, bind(label.params, context, violated), label, context)


def _send(env: CheckEnv, op: Operation, kind: str, label: Any, params: Any) -> Sample:
    if label.body is not None:
        return Sample(kind, label, label.body, env.send(op.name, body=label.body))
    return Sample(kind, label, params, env.send(op.name, params))
