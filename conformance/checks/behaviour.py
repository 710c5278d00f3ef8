"""Behaviour checks: every documented error provoked under its condition, every effect observed.

The scenarios are data (``conformance/catalogue/behaviours.toml``), run by one interpreter
(``conformance/catalogue/scenarios.py``). Per operation, ``documented_error_raised`` judges that
each documented condition is refused with a typed client error, and with the documented code
where the code names exactly that condition (or one the freedoms allow);
``documented_error_code`` judges the exact code where it is a convention;
``documented_effect_holds`` judges that what the document says an operation does can be observed
afterwards, and ``documented_members_returned`` (SHOULD) that the members it reads are there
where the model leaves them optional and no document line says they are returned. Each entry's
outcome is kept in the result (``entries``), and every failure cites the document line or model
shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ...records import EntryOutcome, Failure, SpecFact
from ...specs import Operation
from ..catalogue.behaviours import Behaviour, load_catalogue
from ..catalogue.scenarios import ScenarioRun, scenario_run
from ..harness.env import CheckEnv
from ..harness.registry import Outcome, SetupFailed, Skip, check
from .negative import names_only_known, not_found_codes


def _entries(op: Operation, kind: Any, env: CheckEnv | None = None) -> list[Behaviour]:
    profile = env.config.profile if env is not None else "nightly"
    edition = env.service.edition if env is not None else op.edition
    served = edition or None
    return load_catalogue(edition=served).for_operation(op.name, kind, profile, served)


def _fact(env: CheckEnv, b: Behaviour) -> SpecFact:
    c = b.citation
    what = f"{b.error}: " if b.error else ""
    fact = env.fact(b.operation, None, f"{what}{b.quote} [{c.where}]", b.source)
    return replace(fact, doc_line=c.line, quote=b.quote)


def _fail(
    env: CheckEnv,
    b: Behaviour,
    run: ScenarioRun,
    message: str,
    expected: str,
    actual: str,
    root: str = "",
) -> Failure:
    failure = env.fail(message, run.final, _fact(env, b), expected, actual)
    return replace(failure, setup={"fixtures": list(b.setup), "entry": b.id}, root=root)


def allowed_codes(env: CheckEnv, b: Behaviour, run: ScenarioRun) -> frozenset[str]:
    """The codes a conforming endpoint may answer the provoking request with: the documented
    one and those the freedoms allow, and the operation's not-found codes when the request
    names a resource the run does not know to exist (a server may look up state first)."""
    allowed = frozenset(b.allowed)
    ex = run.final
    if ex is not None and not names_only_known(env, ex.request_body):
        allowed |= not_found_codes(env.service.operation(b.operation))
    return allowed


def _refusal(b: Behaviour, run: ScenarioRun, allowed: frozenset[str]) -> tuple[str, str] | None:
    """Why the provoking request's answer is not a documented refusal (MUST part), or None."""
    ex = run.final
    assert ex is not None
    if ex.ok:
        if b.accepts_success:
            return None
        return "accepted", f"HTTP {ex.status} (success)"
    if ex.status >= 500:
        return "a server error", f"HTTP {ex.status}" + (
            f" {ex.error_code}" if ex.error_code else ""
        )
    if not ex.error_code:
        return "an error without a type", f"HTTP {ex.status} without an error type"
    if b.code_level == "MUST" and ex.error_code not in allowed:
        return f"refused with {ex.error_code}", ex.error_code
    return None


Judge = Callable[[Behaviour, ScenarioRun], "tuple[str, str, str] | None"]


def _judge(
    env: CheckEnv,
    entries: list[Behaviour],
    judge: Judge,
    what: str,
    root: Callable[[ScenarioRun], str] = lambda run: "",
) -> Outcome:
    """Run (once per run) and judge each entry; a lost setup is that entry's error."""
    if not entries:
        raise Skip(f"no catalogued {what} for this operation under this profile")
    out = Outcome()
    lost: SetupFailed | None = None
    for b in entries:
        run = scenario_run(env, b)
        if run.not_applicable:
            out.entries.append(EntryOutcome(b.id, "skipped", run.not_applicable))
            continue
        if run.setup_failure is not None:
            lost = lost or run.setup_failure
            out.entries.append(EntryOutcome(b.id, "error", str(run.setup_failure)))
            continue
        out.examples += 1
        found = judge(b, run)
        if found is None:
            out.entries.append(EntryOutcome(b.id, "passed"))
            continue
        message, expected, actual = found
        out.entries.append(EntryOutcome(b.id, "failed", message))
        out.failures.append(_fail(env, b, run, message, expected, actual, root(run)))
    if out.examples == 0 and lost is not None:
        raise lost  # nothing could be judged: the check could not run
    return out


def _has(kind: str, code_level: str | None = None) -> Callable[[Operation], bool]:
    def applies(op: Operation) -> bool:
        return any(code_level is None or b.code_level == code_level for b in _entries(op, kind))

    return applies


@check(
    "behaviour",
    "MUST",
    "each documented error condition is refused with a typed client error (the documented code "
    "where it names the condition)",
    applies=_has("error"),
    mutates=True,
)
def documented_error_raised(env: CheckEnv, op: Operation) -> Outcome:
    """Each documented error condition gets a typed 4xx, with its code where that names it.

    The code may also be one the freedoms allow.
    """
    env.guard_mutation("provoke documented errors on repositories it creates")

    def judge(b: Behaviour, run: ScenarioRun) -> tuple[str, str, str] | None:
        found = _refusal(b, run, allowed_codes(env, b, run))
        if found is None:
            return None
        how, actual = found
        allowed = " or ".join(sorted(b.allowed))
        return (
            f"{b.id}: the documented condition was {how}; expected {allowed}",
            f"{allowed} for the documented condition",
            actual,
        )

    return _judge(env, _entries(op, "error", env), judge, "documented errors")


@check(
    "behaviour",
    "SHOULD",
    "each documented error condition is answered with the documented error code",
    applies=_has("error", "SHOULD"),
    mutates=True,
)
def documented_error_code(env: CheckEnv, op: Operation) -> Outcome:
    """Each documented condition whose code is a convention gets the documented code.

    That is a validation error's InvalidParameterException, or a code the freedoms allow.
    """
    env.guard_mutation("provoke documented errors on repositories it creates")
    entries = [b for b in _entries(op, "error", env) if b.code_level == "SHOULD"]

    def judge(b: Behaviour, run: ScenarioRun) -> tuple[str, str, str] | None:
        ex = run.final
        assert ex is not None
        if ex.ok or ex.status >= 500 or not ex.error_code:
            return None  # the MUST check judges refusals; only the code is judged here
        if ex.error_code in allowed_codes(env, b, run):
            return None
        allowed = " or ".join(sorted(b.allowed))
        return (
            f"{b.id}: refused with {ex.error_code}; the documented code is {allowed}",
            allowed,
            ex.error_code,
        )

    return _judge(env, entries, judge, "documented error codes")


@check(
    "behaviour",
    "MUST",
    "each documented effect of the operation can be observed afterwards",
    applies=_has("effect"),
    mutates=True,
)
def documented_effect_holds(env: CheckEnv, op: Operation) -> Outcome:
    """What the document says the operation does is what the following reads observe.

    Deletes, tag moves, digests, sizes, expiry, filters, limits.
    """
    env.guard_mutation("observe documented effects on repositories it creates")

    def judge(b: Behaviour, run: ScenarioRun) -> tuple[str, str, str] | None:
        p = run.problem
        if p is None:
            return None
        return (f"{b.id}: {p.message}", p.expected, p.actual)

    return _judge(env, _entries(op, "effect", env), judge, "documented effects", _root)


def _root(run: ScenarioRun) -> str:
    """The root fact of an effect's problem (a wire-format defect), or ""."""
    return run.problem.root if run.problem is not None else ""


@check(
    "behaviour",
    "SHOULD",
    "the members the documented effects read are returned, though the model leaves them optional",
    applies=_has("effect"),
    mutates=True,
)
def documented_members_returned(env: CheckEnv, op: Operation) -> Outcome:
    """Members a documented effect reads are in the answer, where the model leaves them optional.

    Their absence does not break the effect (nothing promises them), but AWS returns them.
    """
    env.guard_mutation("observe documented effects on repositories it creates")

    def judge(b: Behaviour, run: ScenarioRun) -> tuple[str, str, str] | None:
        if not run.absences:
            return None
        p = run.absences[0]
        return (f"{b.id}: {p.message}", p.expected, p.actual)

    return _judge(env, _entries(op, "effect", env), judge, "documented effects")
