"""The one interpreter of the behaviours catalogue: fixtures, templates, steps, predicates.

A scenario is data (``behaviours.toml``): named fixtures to set up, then steps whose requests
are templates over the fixtures' values (``{repository}``, ``{image.digest}``...). This module
knows how to build each fixture on any target - every fixture request is valid for any
conforming implementation, sent through the check environment (counted, ledgered, under the
run's prefix) and through the shared push driver - and how to evaluate a step's checks. What a
fixture is, is the per-domain knowledge of this stage: it lives in :mod:`.scenario_fixtures`
(the seed edition's) and :mod:`.premium_fixtures` (premium repositories), gathered here in
:data:`FIXTURES`, :data:`VALUES` and :data:`CONDITIONS`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ...specs import Shape
from ...specs.validation import json_kind, json_type_ok, wire_format_root
from ...wire import Exchange
from ..harness.env import CheckEnv
from ..harness.once import once_per_run
from ..harness.registry import SetupFailed
from ..harness.registry_identity import registry_verified
from .behaviours import Assertion, Behaviour, Step
from .premium_fixtures import PREMIUM_CONDITIONS, PREMIUM_FIXTURES, PREMIUM_VALUES
from .scenario_fixtures import SEED_FIXTURES, SEED_VALUES
from .scenario_state import Problem, Scenario, ScenarioRun, numbers

__all__ = ["CONDITIONS", "FIXTURES", "VALUES", "Problem", "Scenario", "ScenarioRun"]

#: Fixture name -> what it builds. Order in a behaviour's ``setup`` is the order they run.
FIXTURES: dict[str, Callable[[Scenario], None]] = {**SEED_FIXTURES, **PREMIUM_FIXTURES}
#: Value name -> how to build it (lazily, when a template names it).
VALUES: dict[str, Callable[[Scenario], Any]] = {**SEED_VALUES, **PREMIUM_VALUES}

#: In a step's ``expect``: a success is an answer the freedoms allow too (its checks apply).
SUCCESS = "success"
_WHOLE = re.compile(r"^\{([A-Za-z0-9_.]+)\}$")
_PART = re.compile(r"\{([A-Za-z0-9_.]+)\}")


def value(s: Scenario, name: str) -> Any:
    """The value a template names: a fixture's or a saved answer's, else a built one."""
    if name not in s.values:
        build = VALUES.get(name)
        if build is None:
            raise KeyError(f"{s.behaviour.id}: nothing provides {{{name}}}")
        s.values[name] = build(s)
    return s.values[name]


def render(s: Scenario, template: Any) -> Any:
    """Fill a template with the scenario's values (see :func:`fill`)."""
    return fill(template, lambda name: value(s, name))


def fill(template: Any, lookup: Callable[[str], Any]) -> Any:
    """Fill a template: ``"{x}"`` becomes x itself (any type); ``"a-{x}"`` a string."""
    if isinstance(template, str):
        whole = _WHOLE.match(template)
        if whole:
            return lookup(whole.group(1))
        return _PART.sub(lambda m: str(lookup(m.group(1))), template)
    if isinstance(template, list):
        return [fill(t, lookup) for t in template]
    if isinstance(template, dict):
        return {k: fill(v, lookup) for k, v in template.items()}
    return template


# --------------------------------------------------------------------------- paths and predicates


_STEP = re.compile(r"^(?P<name>[A-Za-z0-9_]+)(?:\[(?P<sel>[^\]]*)\])?$")


def found_at(body: Any, path: str, s: Scenario | None = None) -> list[Any]:
    """The values at ``path``: ``imageDetails[].imageTags[]`` takes every item of every list,
    ``layers[layerDigest={layer.digest}].layerAvailability`` only the items whose member has
    that value (a template)."""
    current = [body]
    for part in _split(path):
        m = _STEP.match(part)
        if m is None:
            raise ValueError(f"bad path step {part!r} in {path!r}")
        name, sel = m.group("name"), m.group("sel")
        nxt = [
            item[name] for item in current if isinstance(item, dict) and item.get(name) is not None
        ]
        if sel is not None:
            items = [x for lst in nxt if isinstance(lst, list) for x in lst]
            if sel:
                key, _, raw = sel.partition("=")
                want = render(s, raw) if s is not None else raw
                items = [x for x in items if isinstance(x, dict) and x.get(key) == want]
            nxt = items
        current = nxt
    return current


def _split(path: str) -> list[str]:
    """Split a path on the dots outside ``[...]`` selectors (templates hold dots)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(path):
        depth += ch == "["
        depth -= ch == "]"
        if ch == "." and depth == 0:
            parts.append(path[start:i])
            start = i + 1
    return [*parts, path[start:]]


def holds(a: Assertion, values: list[Any], want: Any, sent_at: float) -> bool:
    """Whether the values at the assertion's path satisfy it."""
    p = a.predicate
    if p == "equals":
        return len(values) == 1 and values[0] == want
    if p == "all_equal":
        return bool(values) and all(v == want for v in values)
    if p == "only":  # nothing at the path is also fine (the member is reported another way)
        return all(v == want for v in values)
    if p == "contains":
        return want in values
    if p == "absent":
        return want not in values
    if p == "count":
        return len(values) == want
    if p == "present":
        return bool(values) == bool(want)
    if p == "missing":
        return (not values) == bool(want)
    nums = numbers(values)
    if p == "at_least":
        return bool(nums) and len(nums) == len(values) and min(nums) >= want
    if p == "at_most":
        return bool(nums) and len(nums) == len(values) and max(nums) <= want
    if p == "json_equals":
        return len(values) == 1 and _json(values[0]) == _json(want)
    if p == "all_match":  # every value a string matching the regular expression (or none)
        return all(isinstance(v, str) and re.match(want, v) for v in values)
    if p == "base64_has":
        return len(values) == 1 and want in _decoded(values[0])
    if p == "seconds_from_now":
        low, high = want
        ok = [low <= v - sent_at <= high for v in nums]
        return bool(nums) and len(nums) == len(values) and all(ok)
    raise ValueError(f"unknown predicate {p!r}")


def _json(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return text


def _decoded(text: Any) -> str:
    try:
        return base64.b64decode(str(text), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def _answer(ex: Exchange) -> str:
    if ex.ok:
        return f"HTTP {ex.status} (success)"
    return f"HTTP {ex.status} {ex.error_code or 'without an error type'}"


# --------------------------------------------------------------------------- conditions


def _verified_registry(env: CheckEnv) -> str:
    if registry_verified(env):
        return ""
    return (
        "the registry is not verified, and the document promises a display name and a "
        "repository logo to verified accounts only"
    )


#: Condition name -> why a behaviour does not apply ("" when it does).
CONDITIONS: dict[str, Callable[[CheckEnv], str]] = {
    "verified_registry": _verified_registry,
    **PREMIUM_CONDITIONS,
}


# --------------------------------------------------------------------------- running


def _judge_step(
    s: Scenario, i: int, step: Step, ex: Exchange, sent_at: float
) -> tuple[Problem | None, list[Problem]]:
    """The step's first problem, and the optional members it found absent (judged apart)."""
    if step.expect and not (ex.ok and SUCCESS in step.expect):
        if ex.ok or ex.error_code not in step.expect:
            want = " or ".join(step.expect)
            problem = Problem(
                i, ex, want, _answer(ex), f"step {i + 1} ({step.call}) expected {want}"
            )
            return problem, []
        return None, []
    if not ex.ok:
        return Problem(i, ex, "success", _answer(ex), f"step {i + 1} ({step.call}) was refused"), []
    body = ex.json if isinstance(ex.json, dict) else {}
    output = s.env.service.operation(step.call).output
    absences: list[Problem] = []
    if not all(
        holds(a, found_at(body, a.path, s), render(s, a.value), sent_at) for a in step.only_if
    ):
        return None, []  # the checks are tied to a state this answer is not in
    for a in step.checks:
        want = render(s, a.value)
        found = found_at(body, a.path, s)
        if holds(a, found, want, sent_at):
            continue
        problem = _mistyped(i, step, ex, a, found, output) or _described(
            i, step, ex, a, want, found
        )
        absent = absent_member(s, output, body, a.path)
        if problem.converges and absent is not None and not s.behaviour.says_returned(absent):
            absences.append(replace(problem, message=problem.message + _optional_note(absent)))
            continue
        return problem, absences
    return None, absences


def _described(
    i: int, step: Step, ex: Exchange, a: Assertion, want: Any, found: list[Any]
) -> Problem:
    """A problem with a value: what the assertion wanted and what was there."""
    shown = found[0] if len(found) == 1 else found
    text = json.dumps(shown, default=str)[:120]
    wanted = f"{a.predicate.replace('_', ' ')} {json.dumps(want, default=str)[:80]}"
    return Problem(
        i,
        ex,
        f"{a.path} {wanted}",
        f"{a.path} = {text}",
        f"step {i + 1} ({step.call}): {a.path} should be {wanted}, is {text}",
    )


def _mistyped(
    i: int, step: Step, ex: Exchange, a: Assertion, found: list[Any], output: Shape
) -> Problem | None:
    """A problem of format, not of value: a value of the wrong JSON type for its member."""
    member = output.member_at(_names(a.path))
    if member is None or not found:
        return None
    bad = [v for v in found if not json_type_ok(member.shape.kind, v)]
    if not bad:
        return None
    kind = member.shape.kind
    got = f"{json.dumps(bad[0], default=str)[:60]} (a {json_kind(bad[0])})"
    return Problem(
        i,
        ex,
        f"{a.path} as {kind} values",
        f"{a.path} = {got}",
        f"step {i + 1} ({step.call}): {a.path} is {got}, not a {kind} value",
        converges=False,
        root=wire_format_root(kind, bad[0]),
    )


def _optional_note(member: str) -> str:
    return (
        f" (the model leaves {member} optional and the document does not say it is returned "
        "here, so its absence is judged at SHOULD)"
    )


def _names(path: str) -> list[str]:
    """The member names of a path, selectors dropped: ``a[].b[k=v].c`` -> a, b, c."""
    out = []
    for part in _split(path):
        m = _STEP.match(part)
        if m is not None:
            out.append(m.group("name"))
    return out


def absent_member(s: Scenario, output: Shape, body: Any, path: str) -> str | None:
    """The first member on ``path`` absent from an answer whose parent is there, when the model
    leaves it optional: its dotted name, else None (present, required, or no parent).

    An empty list counts as absent (the empty-lists freedom); a selector that matches no item
    of a list that has items is a missing item, not an absent member.
    """
    steps = _split(path)
    for n in range(1, len(steps) + 1):
        if found_at(body, ".".join(steps[:n]), s):
            continue
        if n > 1 and not found_at(body, ".".join(steps[: n - 1]), s):
            return None
        m = _STEP.match(steps[n - 1])
        if m is not None and m.group("sel"):
            listed = found_at(body, ".".join([*steps[: n - 1], m.group("name") + "[]"]), s)
            if listed:
                return None
        names = _names(".".join(steps[:n]))
        member = output.member_at(names)
        return ".".join(names) if member is not None and not member.required else None
    return None


def _send_step(s: Scenario, step: Step) -> tuple[Exchange, float]:
    sent_at = time.time()
    if step.body is not None:
        return s.send(step.call, body=str(render(s, step.body)).encode()), sent_at
    return s.send(step.call, render(s, step.request)), sent_at


def run_step(s: Scenario, i: int, step: Step, judge: bool) -> Problem | None:
    """Send one step (again within the consistency window when it settles) and judge it.

    A read that settles is sent again while its answer is not what the write should show,
    unless the answer cannot converge (a value of the wrong type): that fails at once. A step
    that waits for a process (``wait``) is sent again the same way, for up to that long.
    """
    patience = s.env.patience
    wait = patience.wait_s(step.call) if step.settle else 0.0
    if step.wait:  # a process that completes: up to the entry's limit (or the run's, if less)
        limit = s.env.process_wait_s
        wait = max(wait, step.wait if limit is None else min(step.wait, limit))
    start = time.monotonic()
    absences: list[Problem] = []
    while True:
        ex, sent_at = _send_step(s, step)
        problem, absences = _judge_step(s, i, step, ex, sent_at) if judge else (None, [])
        pending = problem is not None or bool(absences)
        final = problem is not None and not problem.converges
        if not pending or final or time.monotonic() >= start + wait:
            break
        time.sleep(0.1)
    if step.settle and judge:
        if problem is None and not absences:
            patience.showed(time.monotonic() - start)
        elif absences or (problem is not None and problem.converges):
            # a member still absent is a write that did not show, as a wrong value is
            note = patience.cut_note(step.call, wait)
            patience.missed_write(step.call, wait)
            if problem is not None and problem.converges:
                problem = replace(problem, message=problem.message + note)
            absences = [replace(a, message=a.message + note) for a in absences]
    s.absences += absences
    if problem is None:
        body = ex.json if isinstance(ex.json, dict) else {}
        for name, path in step.save:
            got = found_at(body, path, s)
            s.values[name] = got[0] if got else None
    return problem


def run_behaviour(env: CheckEnv, behaviour: Behaviour) -> ScenarioRun:
    """Set up and run one behaviour; the error scenario's last step is judged by the checks."""
    s = Scenario(env, behaviour)
    for condition in behaviour.when:
        reason = CONDITIONS[condition](env)
        if reason:
            return ScenarioRun(behaviour, [], not_applicable=reason)
    try:
        for fixture in behaviour.setup:
            FIXTURES[fixture](s)
    except SetupFailed as exc:
        return ScenarioRun(behaviour, s.exchanges, setup_failure=exc)
    for act in behaviour.acts:  # the behaviour itself, built like a fixture
        try:
            FIXTURES[act](s)
        except SetupFailed as exc:
            ex = s.exchanges[-1]
            answer = f"{exc.step}: " + _answer(ex)
            message = f"{act} failed at {answer}"
            return ScenarioRun(
                behaviour, s.exchanges, problem=Problem(-1, ex, "success", answer, message)
            )
    steps = behaviour.steps
    last = len(steps) - 1
    for i, step in enumerate(steps):
        provoking = behaviour.kind == "error" and i == last
        problem = run_step(s, i, step, judge=not provoking)
        if problem is not None:
            if behaviour.kind == "error":  # a step before the provoking one: lost setup
                ex = problem.exchange
                failed = SetupFailed(step.call, ex.status, ex.error_code, problem.message)
                return ScenarioRun(behaviour, s.exchanges, setup_failure=failed)
            return ScenarioRun(behaviour, s.exchanges, problem=problem, absences=s.absences)
    return ScenarioRun(behaviour, s.exchanges, absences=s.absences)


def scenario_run(env: CheckEnv, behaviour: Behaviour) -> ScenarioRun:
    """Run a behaviour once per environment (the checks that judge it share the run)."""
    return _ran(env, behaviour)


@once_per_run("scenario", key=lambda behaviour: behaviour.id)
def _ran(env: CheckEnv, behaviour: Behaviour) -> ScenarioRun:
    """The run of the catalogue entry ``behaviour``."""
    return run_behaviour(env, behaviour)
