"""Once-per-run work: registered jobs whose result each check environment computes once.

Some work is shared by several checks and must be done once per run (per xdist worker): the
registry model's run, a listing's pagination walks, the parity replay, an endpoint probe set.
Such a job is a function of the check environment (and of further arguments, such as an
operation), declared in :data:`ONCE_JOBS` and registered with :func:`once_per_run`. Calls with
the same key (the arguments, or what the job's ``key`` makes of them: an operation's name) on
the same environment share one computation: a caller that arrives while it runs waits for it.

A job may name exceptions it remembers: one of those is raised again for every later caller,
without doing the work again; any other leaves the job undone, for the next caller to try. A
job whose work must not overlap with itself (Hypothesis draws are not thread-safe) computes one
key at a time (``one_at_a_time``).
"""

from __future__ import annotations

import difflib
import functools
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

if TYPE_CHECKING:
    from .env import CheckEnv

P = ParamSpec("P")
T = TypeVar("T")

#: Every once-per-run job by name, with what it computes (a job's name must be one of these).
ONCE_JOBS: dict[str, str] = {
    "endpoint-probes": "a set of endpoint probes (unknown targets, malformed bodies...)",
    "older-edition": "whether the target implements an edition older than the run's",
    "pagination-items": "the items made for a listing's pagination walks, and its base request",
    "pagination-walks": "a listing's full walk and its small-page walks",
    "parity-replay": "the replay of the oracle corpus on the target",
    "registry": "the registry the run works in, as DescribeRegistries describes it",
    "registry-model": "the registry model's run, in keep-going mode",
    "samples": "an operation's sent requests and their exchanges",
    "scenario": "one documented behaviour's scenario, run on the target",
}


@dataclass(frozen=True)
class Job:
    """A registered once-per-run job: its name, function, the exceptions it remembers, and
    whether it computes one key at a time."""

    name: str
    fn: Callable[..., Any]
    remembers: tuple[type[BaseException], ...]
    one_at_a_time: bool


#: The registered jobs, by name.
JOBS: dict[str, Job] = {}


def once_per_run(
    name: str,
    *,
    key: Callable[..., Hashable] | None = None,
    remembers: tuple[type[BaseException], ...] = (),
    one_at_a_time: bool = False,
) -> Callable[[Callable[Concatenate[CheckEnv, P], T]], Callable[Concatenate[CheckEnv, P], T]]:
    """Register the decorated function of an environment as the once-per-run job ``name``.

    The decorated function keeps its signature and result type; each environment computes it
    once per key: ``key`` applied to the arguments after the environment (by default the
    arguments, which must then be hashable). ``remembers``: exceptions kept as its outcome;
    ``one_at_a_time``: an environment computes no two keys of the job at once.
    """
    if name not in ONCE_JOBS:
        close = difflib.get_close_matches(name, ONCE_JOBS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(
            f"unknown once-per-run job {name!r}{hint}; declared: {', '.join(ONCE_JOBS)}"
        )

    def register(
        fn: Callable[Concatenate[CheckEnv, P], T],
    ) -> Callable[Concatenate[CheckEnv, P], T]:
        if name in JOBS:
            raise ValueError(f"once-per-run job {name!r} registered twice")
        job = Job(name, fn, remembers, one_at_a_time)
        JOBS[name] = job

        @functools.wraps(fn)
        def once(env: CheckEnv, /, *args: P.args, **kwargs: P.kwargs) -> T:
            made = key(*args, **kwargs) if key is not None else _call_key(args, kwargs)
            compute = functools.partial(fn, env, *args, **kwargs)
            lock = name if job.one_at_a_time else None
            return cast(T, env.once.result((name, made), compute, job.remembers, lock))

        return once

    return register


def _call_key(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
    """What tells one call of a job without a ``key`` function from another: its arguments."""
    return (args, tuple(kwargs.items()))


def prime(env: CheckEnv, name: str, value: Any) -> None:
    """Give the job ``name`` (one without arguments) the value the run already has."""
    if name not in ONCE_JOBS:
        raise ValueError(f"no once-per-run job {name!r}")
    env.once.prime((name, _call_key((), {})), value)


def registered_jobs() -> dict[str, Job]:
    """Every once-per-run job registered so far (a module registers its jobs when imported:
    importing the checks registers every job of a run)."""
    return dict(JOBS)


@dataclass
class _Outcome:
    """What a job left: its value, or an exception it remembers."""

    value: Any = None
    error: BaseException | None = None


@dataclass
class OnceResults:
    """The once-per-run results of one environment, computed once per key, thread-safe."""

    _done: dict[Hashable, _Outcome] = field(default_factory=dict)
    #: One lock per key (or per job computing one key at a time): the first caller computes
    #: while holding it, the others wait on it.
    _locks: dict[Hashable, threading.RLock] = field(default_factory=dict)
    #: Keys being computed (by the thread that holds the key's lock).
    _running: set[Hashable] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def result(
        self,
        key: Hashable,
        compute: Callable[[], Any],
        remembers: tuple[type[BaseException], ...] = (),
        lock: Hashable | None = None,
    ) -> Any:
        """The outcome of ``key``: computed by the first caller (the others wait for it).
        ``lock``: keys computed under the same lock are computed one at a time (default: the
        key's own)."""
        with self._lock:
            key_lock = self._locks.setdefault(
                key if lock is None else ("lock", lock), threading.RLock()
            )
        with key_lock:
            done = self._done.get(key) or self._compute(key, compute, remembers)
        if done.error is not None:
            raise done.error
        return done.value

    def _compute(
        self,
        key: Hashable,
        compute: Callable[[], Any],
        remembers: tuple[type[BaseException], ...],
    ) -> _Outcome:
        """Run ``compute`` (the caller holds the key's lock) and keep its value or remembered
        exception; any other exception is raised and nothing is kept."""
        if key in self._running:  # only this thread holds the lock: the job called itself
            raise RuntimeError(f"once-per-run job {key!r} needs its own result")
        self._running.add(key)
        try:
            done = _Outcome(value=compute())
        except remembers as exc:
            done = _Outcome(error=exc)
        finally:
            self._running.discard(key)
        with self._lock:
            self._done[key] = done
        return done

    def prime(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` as the outcome of ``key`` unless one is kept already: work the run
        did before the environment existed is not done again."""
        with self._lock:
            self._done.setdefault(key, _Outcome(value=value))

    def computed(self) -> list[Hashable]:
        """The keys computed so far (value or remembered exception), in order."""
        with self._lock:
            return list(self._done)
