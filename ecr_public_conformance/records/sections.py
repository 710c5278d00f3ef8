"""The typed sections of a run record: what a run used, what cleanup did, what it covered.

Each is filled once, by the stage that knows it (the plug-in, cleanup, ``run``), and read by the
reports as attributes, never as dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["reference", "url", "in-process"]


@dataclass(frozen=True)
class Suite:
    """The suite that produced a run."""

    name: str = "ecr-public-conformance"
    version: str = ""


@dataclass(frozen=True)
class Reported:
    """What the target said about itself, or what the run knows of it."""

    faults: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    registry_id: str | None = None
    server: str | None = None
    worker: str | None = None
    unreachable: str | None = None


@dataclass(frozen=True)
class Target:
    """The endpoint under test and what it said about itself."""

    endpoint_url: str
    region: str = "us-east-1"
    kind: Kind = "url"
    reported: Reported = field(default_factory=Reported)
    #: The name the user gave the target (``--target-name``; ``reference`` for the embedded
    #: reference by default): its runs share one history whatever URL or port it had.
    name: str = ""


@dataclass(frozen=True)
class Shard:
    """Which part of a sharded run a results file holds (``index`` counts from 0)."""

    index: int
    count: int


@dataclass(frozen=True)
class Requests:
    """Requests sent: in all, by operation, throttling answers retried, and retries."""

    total: int = 0
    by_operation: dict[str, int] = field(default_factory=dict)
    throttled: int = 0
    retries: int = 0


@dataclass(frozen=True)
class Budget:
    """One budget: its limit, what the run used of it, whether the run reached it."""

    limit: float = 0
    used: float = 0
    hit: bool = False


@dataclass(frozen=True)
class Budgets:
    """The run's budgets: requests sent, and seconds spent shrinking failing requests."""

    requests: Budget = field(default_factory=Budget)
    shrink_s: Budget = field(default_factory=Budget)


@dataclass(frozen=True)
class Sweep:
    """The final sweep of the run's prefix after the session (``run`` against a URL)."""

    prefix: str
    deleted: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class Cleanup:
    """What cleanup did: repositories deleted and left, registry data not restored."""

    left: tuple[str, ...] = ()
    verified: bool = True
    registry_restored: bool = True
    not_restored: tuple[str, ...] = ()
    deleted: int = 0
    command: str = ""
    sweep: Sweep | None = None

    @property
    def clean(self) -> bool:
        """True when nothing is left, that was verified, and the registry was restored."""
        return self.verified and not self.left and self.registry_restored
