"""What every operation handler receives: state, options, active faults and the operation."""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..specs.model import Operation, Service
from .errors import ApiError
from .faults import FAULTS, known_fault
from .lifecycle import expire_images
from .market import Market
from .options import Options
from .state import FREE, PREMIUM, PremiumRepository, Repository, Store
from .variants import on


@dataclass
class Endpoint:
    """One reference endpoint's state, options, faults and pagination secret.

    ``service`` is the edition of the specs it serves; ``faults`` holds the names of the faults
    that are on; ``fault_values`` the rates of the conditions among them, drawn against
    ``rng`` (seed it for a reproducible pattern), and the request counts of the outages;
    ``disruptions`` counts the requests they disturbed, by kind; ``delayed_s`` adds up the
    delays they imposed; ``arrived`` counts the requests that reached the endpoint.
    """

    store: Store
    options: Options
    faults: frozenset[str]
    secret: bytes
    #: The specs of the edition served (validation, outputs, operations).
    service: Service
    #: What the API cannot create: products, entitlements, reports, findings (market.py).
    market: Market = field(default_factory=Market)
    clock: Callable[[], float] = field(default=time.time)
    served: Iterator[int] = field(default_factory=itertools.count, repr=False)
    requests_served: int = 0
    fault_values: Mapping[str, float] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random, repr=False)
    disruptions: Counter[str] = field(default_factory=Counter)
    delayed_s: float = 0.0
    arrived: int = 0
    _rng_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count_request(self) -> None:
        """Count one request (thread-safe: ``itertools.count`` steps atomically)."""
        self.requests_served = next(self.served) + 1

    def fault_value(self, name: str) -> float | None:
        """The value of the fault ``name`` (a condition's rate, an outage's count), or None when
        it is off."""
        return self.fault_values.get(known_fault(name))

    def arrive(self) -> int:
        """Count one arriving request and return its number, from 1 (thread-safe)."""
        with self._rng_lock:
            self.arrived += 1
            return self.arrived

    def draw(self) -> float:
        """A uniform random number in [0, 1) from the fault generator (thread-safe)."""
        with self._rng_lock:
            return self.rng.random()

    def note_disruption(self, kind: str, delay_s: float = 0.0) -> None:
        """Count one request a condition fault disturbed, by kind, and its delay (thread-safe)."""
        with self._rng_lock:
            self.disruptions[kind] += 1
            self.delayed_s += delay_s

    def choose(self, weighted: tuple[tuple[str, int], ...]) -> str:
        """Pick one name from (name, weight) pairs with the fault generator (thread-safe)."""
        names = [name for name, _ in weighted]
        weights = [weight for _, weight in weighted]
        with self._rng_lock:
            return self.rng.choices(names, weights)[0]


@dataclass
class Ctx:
    """The context of one request: the endpoint and the operation being served."""

    endpoint: Endpoint
    op: Operation
    #: The endpoint's options (an attribute: variants and options are read often).
    options: Options = field(init=False)

    def __post_init__(self) -> None:
        self.options = self.endpoint.options

    def fault(self, name: str) -> bool:
        """Return True when the fault switch ``name`` is on (an unknown name raises)."""
        if name not in FAULTS:
            known_fault(name)
        return name in self.endpoint.faults

    def now(self) -> float:
        """The current time, as epoch seconds with millisecond precision."""
        return round(self.endpoint.clock(), 3)

    def check_registry(self, params: dict[str, Any]) -> None:
        """Reject a ``registryId`` other than this registry, with a code the operation documents."""
        rid = params.get("registryId")
        if rid is None or rid == self.options.account_id:
            return
        if rid == self.options.registry_alias and self.op.input.member("registryId").shape.name == (
            "RegistryIdOrAlias"
        ):
            return
        for code in ("RegistryNotFoundException", "RepositoryNotFoundException"):
            if code in self.op.error_codes:
                raise ApiError(code, f"The registry with id '{rid}' does not exist")
        raise ApiError("InvalidParameterException", f"Invalid registryId '{rid}'")

    def repository_type(self, params: dict[str, Any]) -> str:
        """The repository type a request names (``FREE`` when it names none, as documented)."""
        return str(params.get("repositoryType", FREE))

    def repository(self, params: dict[str, Any]) -> Repository:
        """Return the repository the request names, among those of the type it names, or raise
        ``RepositoryNotFoundException``; a premium repository's expired images are gone."""
        self.check_registry(params)
        name, kind = params["repositoryName"], self.repository_type(params)
        if self.fault("repository-type-ignored"):
            store = self.endpoint.store
            kind = FREE if name in store.repositories or name not in store.premium else PREMIUM
        return self.repository_named(name, kind)

    def premium_repository(self, params: dict[str, Any]) -> PremiumRepository:
        """Return the premium repository the request names, or raise
        ``RepositoryNotFoundException``."""
        self.check_registry(params)
        repo = self.repository_named(params["repositoryName"], PREMIUM)
        assert isinstance(repo, PremiumRepository)
        return repo

    def repository_named(self, name: str, kind: str = FREE) -> Repository:
        """Return the repository of type ``kind`` called ``name`` or raise
        ``RepositoryNotFoundException``."""
        repo = self.endpoint.store.namespace(kind).get(name)
        if repo is None:
            raise self.not_found(name, kind)
        if kind == PREMIUM:
            expire_images(self, repo)
        return repo

    def not_found(self, name: str, kind: str = FREE) -> ApiError:
        """Return the ``RepositoryNotFoundException`` for the repository called ``name``."""
        what = "premium repository" if kind == PREMIUM else "repository"
        return ApiError(
            "RepositoryNotFoundException",
            f"The {what} with name '{name}' does not exist in the registry with id "
            f"'{self.options.account_id}'",
        )

    def repository_arn(self, name: str, kind: str = FREE) -> str:
        """The ARN of the repository called ``name`` (a free one's with a region under
        other-identifier-formats; a premium one's as documented,
        ``arn:aws:ecr-public::012345678910:premium-repository/repository-name``)."""
        region = ""
        if kind == FREE and on(self, "other-identifier-formats"):
            region = self.options.region
        resource = "repository"
        if kind == PREMIUM and not self.fault("premium-arn-as-repository"):
            resource = "premium-repository"
        return f"arn:aws:ecr-public:{region}:{self.options.account_id}:{resource}/{name}"

    def repository_uri(self, name: str, kind: str = FREE) -> str:
        """The URI of the repository called ``name``."""
        if kind == PREMIUM:
            return f"{self.premium_registry_uri()}/{name}"
        if on(self, "other-identifier-formats"):
            return f"{self.options.account_id}.registry.example/{name}"
        return f"public.ecr.aws/{self.options.registry_alias}/{name}"

    def premium_registry_uri(self) -> str:
        """The URI of the endpoint for the registry's premium repositories."""
        if on(self, "other-identifier-formats"):
            return f"{self.options.account_id}.premium.registry.example"
        return f"{self.options.registry_alias}.premium.public.ecr.aws"
