"""Whether the target implements an edition older than the run's: asked once, when it matters.

A member an edition added is optional for a target of the edition before it: such a target may
ignore it, so an invalid value there going unrefused is not a deviation. The evidence is the
target's own answer: the read-only operations the edition added that need no input are sent
once, and any answered as not implemented (UnsupportedCommandException, UnknownOperationException)
shows the target implements an older edition. Nothing is sent unless a verdict depends on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...records.status import UNSUPPORTED_CODES
from ...specs.additions import Additions, additions
from .once import once_per_run
from .semantics import changes_state

if TYPE_CHECKING:
    from .env import CheckEnv


def probe_operations(env: CheckEnv, added: Additions) -> list[str]:
    """The operations the edition added that only read and need no input, by name."""
    ops = env.service.operations
    return [
        name
        for name in sorted(added.operations)
        if name in ops and not changes_state(name) and not ops[name].input.required
    ]


@once_per_run("older-edition")
def older_edition(env: CheckEnv) -> str:
    """Why the target is taken to implement an edition older than the run's ("" if it is not)."""
    added = additions(env.service.edition or None)
    missing = []
    for name in probe_operations(env, added):
        ex = env.exchange(name, {})
        if ex.error_code in UNSUPPORTED_CODES:
            missing.append(name)
    if not missing:
        return ""
    return (
        f"the target answers {', '.join(missing)} (added in edition {added.edition}) as not "
        f"implemented, so it implements an older edition ({added.since} or before)"
    )


def ignored_new_member(env: CheckEnv, operation: str, path: str) -> str:
    """Why the target may ignore request member ``path`` ("" when it may not): the member is
    new in the run's edition and the target implements an older one."""
    added = additions(env.service.edition or None)
    member = added.new_input_member(operation, path)
    if member is None:
        return ""
    why = older_edition(env)
    if not why:
        return ""
    return f"{member} is new in edition {added.edition} and {why}"
