"""A stateful model of a registry, checked against any target through its responses.

:func:`registry_machine` returns a Hypothesis ``RuleBasedStateMachine`` whose rules send
requests through a :class:`Target` (a :class:`~ecr_public_conformance.wire.WireClient`
qualifies) and compare every answer with a plain-Python model of the registry: repositories,
their tags, catalog data, policies, layers and images with their tags. Invariants walk
``DescribeRepositories``, ``DescribeImages`` and ``DescribeImageTags`` page by page with a
small ``maxResults`` and compare the union with the model.

Only resources whose name starts with the run's ``prefix`` count, so resources that already
exist on the target are ignored. Nothing is assumed where the spec leaves a choice
(``specs/freedoms.toml``): ordering, token formats, message texts, id formats, whether optional
members (the ARN in CreateRepository's answer) are present, whether catalog data is merged or
replaced, whether an unverified registry keeps a display name, image sizes, or a short delay
before a new repository is listed (``settle_s``). Every push goes through the shared driver
(:mod:`.push`), so layers of one part, as the spec wants for small blobs.

Two modes. Strict (no ``mismatches`` list): the first disagreement raises
:class:`ModelMismatch`, and Hypothesis shrinks the sequence. Keep-going (``mismatches=[]``):
each disagreement is recorded once in that list, the repository it concerns is set aside
(quarantined: no rule touches it again, teardown still deletes it) or the model adopts what
the target listed, and the run goes on, so one deviation does not hide the others and no
shrinking time is spent. An ``UnsupportedCommandException`` raises :class:`OperationUnsupported` in
both. Teardown deletes (with ``force``) every repository the run created and restores the
registry catalog data if the run changed it.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from ..records.status import UNSUPPORTED_CODES
from ..specs import load_service
from ..wire import Exchange
from . import semantic_values as semantic
from .push import MIN_PART, Pusher, PushError
from .semantic_values import Blob, digest_of, parts_of

__all__ = [
    "model_operations",
    "ImageModel",
    "ModelMismatch",
    "ModelStopped",
    "RegistryMachine",
    "RegistryModel",
    "RepositoryModel",
    "Target",
    "OperationUnsupported",
    "registry_machine",
]

#: Exchanges kept per repository, to show what led to a mismatch.
TRACE_LENGTH = 40


#: The operations the model calls and judges (GetAuthorizationToken holds no registry state).
@functools.cache
def model_operations() -> frozenset[str]:
    """The operations the registry model follows: the seed edition's, but the token."""
    return frozenset(load_service("seed").operations) - {"GetAuthorizationToken"}


class Target(Protocol):
    """Anything that sends one AWS JSON request and returns the wire exchange."""

    def call(self, operation: str, params: Any = None) -> Exchange:
        """Send ``params`` as ``operation``; return the exchange."""
        ...


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_NOTHING = object()


class ModelMismatch(AssertionError):
    """A target's answer disagrees with the registry model.

    ``expected`` is what the model wanted, ``actual`` what the target said (the member's value,
    or for an unexpected answer its status and code), ``trace`` the exchanges that led there.
    """

    def __init__(
        self,
        operation: str,
        member: str | None,
        expected: Any,
        fact: str,
        exchange: Exchange | None,
        actual: Any = _NOTHING,
        trace: tuple[Exchange, ...] = (),
        level: str = "MUST",
    ) -> None:
        self.operation = operation
        self.member = member
        self.expected = expected
        self.fact = fact
        self.exchange = exchange
        self.actual = actual
        self.trace = trace
        #: SHOULD for an absent member the model leaves optional (see ``optional_echo``).
        self.level = level
        super().__init__(self._message())

    @property
    def got(self) -> str:
        """What came back, shortly: the value the model compared, or the answer."""
        if self.actual is None and self.level == "SHOULD":
            return "absent"
        if self.actual is not _NOTHING:
            return _short(self.actual)
        if self.exchange is None:
            return "no exchange"
        ex = self.exchange
        head = f"HTTP {ex.status}"
        if ex.error_code:
            return f"{head} {ex.error_code}"
        return f"{head} {_short(ex.json if ex.json is not None else ex.text, 160)}"

    @property
    def key(self) -> tuple[str, str | None, str]:
        """What makes two mismatches the same deviation: operation, member and fact."""
        return (self.operation, self.member, self.fact)

    def _message(self) -> str:
        where = f" at {self.member}" if self.member else ""
        expected = _short(self.expected)
        return f"{self.operation}{where}: {self.fact} -- expected {expected}, got {self.got}"


class OperationUnsupported(Exception):
    """The target answered that it does not implement the operation (UnsupportedCommandException
    or UnknownOperationException): the operation is not offered."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(f"the target does not support {operation}")


class ModelStopped(BaseException):
    """Keep-going mode: the run cannot go on (an operation unsupported, a budget spent).

    It is a ``BaseException`` on purpose: Hypothesis lets it through at once instead of
    treating it as a failure to shrink, so stopping costs no time.
    """

    def __init__(self, reason: str, unsupported: str | None = None) -> None:
        self.reason = reason
        self.unsupported = unsupported
        super().__init__(reason)


class _Diverged(Exception):
    """Keep-going mode: a mismatch was recorded; the rule stops, the machine goes on."""

    def __init__(self, repository: str | None) -> None:
        self.repository = repository


# --------------------------------------------------------------------------- the model


@dataclass
class ImageModel:
    """An image in the model: its manifest and the tags pointing at it."""

    digest: str
    manifest: str
    media_type: str
    tags: set[str] = field(default_factory=set)


@dataclass
class RepositoryModel:
    """A repository in the model.

    ``catalogs`` holds every catalog view the spec allows after the writes so far (replace or
    merge, ``catalog-merge`` in the freedoms); a read narrows it to what the target chose.
    """

    name: str
    arn: str | None
    tags: dict[str, str] = field(default_factory=dict)
    catalogs: list[dict[str, Any]] | None = None
    policy: str | None = None
    layers: set[str] = field(default_factory=set)
    images: dict[str, ImageModel] = field(default_factory=dict)

    def holder_of(self, tag: str) -> ImageModel | None:
        """Return the image carrying ``tag``, or None."""
        return next((i for i in self.images.values() if tag in i.tags), None)


@dataclass
class RegistryModel:
    """The whole model: repositories by name plus the registry display name."""

    repositories: dict[str, RepositoryModel] = field(default_factory=dict)
    arns: dict[str, str | None] = field(default_factory=dict)
    display_name: str | None = None


# --------------------------------------------------------------------------- strategies

_TAG_KEYS = st.sampled_from(["team", "env", "owner", "cost-centre", "app"])
_TAG_VALUES = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", max_size=12)
_RESOURCE_TAGS = st.dictionaries(_TAG_KEYS, _TAG_VALUES, max_size=3)
_IMAGE_TAGS = st.sampled_from(["latest", "v1", "v2", "stable"])
_LAYERS = st.lists(semantic.blobs(1, 48), min_size=1, max_size=3)
_DISPLAY_NAMES = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -", min_size=1, max_size=40
)

_FACT_UNIQUE = "repository names are unique within a registry"
_FACT_NOT_FOUND = "operations on a repository that does not exist fail"
_FACT_DIGEST = "CompleteLayerUpload verifies the layer's sha256 digest"
_FACT_CONTIGUOUS = "layer parts must be contiguous (partFirstByte follows the last byte sent)"
_FACT_NOT_EMPTY = "DeleteRepository without force refuses a repository that contains images"
_FACT_FORCE = "DeleteRepository with force deletes a repository and its images"
_FACT_TAGS = "tags given to TagResource/CreateRepository are listed by ListTagsForResource"
_FACT_TAG_MOVE = "a tag names one image; putting it on a new image moves it"
_FACT_LIST = "Describe* lists exactly the resources that exist (over all pages)"
_FACT_CATALOG = "catalog data reads back as it was written (replaced or merged)"


_RUNS = itertools.count(1)


def optional_echo(operation: str, member: str) -> bool:
    """True for a member of a state-changing operation's answer that the model leaves optional.

    Such a member echoes what the write did, and nothing promises it: its absence is at most
    SHOULD. What a read returns is its purpose, as each read's document summary says
    (GetRepositoryPolicy "Retrieves the repository policy..."), so it is judged in full.
    """
    if operation.startswith(("Describe", "Get", "List", "BatchCheck")):
        return False
    found = load_service().operation(operation).output.member_at(member.split("."))
    return found is not None and not found.required


def _listed_names(ex: Exchange) -> set[str]:
    """The repository names a DescribeRepositories answer lists."""
    listed = _get(ex.json, "repositories") if ex.ok else None
    return {
        r["repositoryName"]
        for r in listed or []
        if isinstance(r, dict) and isinstance(r.get("repositoryName"), str)
    }


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _get(obj: Any, *path: str) -> Any:
    for step in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(step)
    return obj


F = TypeVar("F", bound=Callable[..., Any])


def resilient(fn: F) -> F:
    """Let a rule or invariant end early on a recorded mismatch (keep-going mode), and skip it
    when the repository it is drawn for was set aside after an earlier one."""

    @functools.wraps(fn)
    def wrapper(self: RegistryMachine, *args: Any, **kwargs: Any) -> Any:
        name = kwargs.get("name")
        if isinstance(name, str) and name in self.quarantined:
            return None
        try:
            return fn(self, *args, **kwargs)
        except _Diverged as exc:
            if exc.repository is not None:
                self.quarantine(exc.repository)
            return None

    return wrapper  # type: ignore[return-value]


# --------------------------------------------------------------------------- the machine


class RegistryMachine(RuleBasedStateMachine):
    """Rules and invariants of the registry model; bind a target with :func:`registry_machine`."""

    target: Target
    prefix: str = ""
    page_size: int = 2
    #: The page size of the one walk over the whole listing (the largest the specs allow).
    max_repositories: int = 4
    #: Keep-going mode when a list: mismatches are appended here instead of raised.
    mismatches: list[ModelMismatch] | None = None
    #: Seconds a listing may take to show a new repository (the freedom ``visibility-delay``).
    settle_s: float = 0.0
    #: The run's patience (``wait_s``, ``showed``, ``missed_write``), or None: ``settle_s``.
    patience: Any = None
    #: Whether this machine may write registry-level data (PutRegistryCatalogData).
    registry_writes: bool = True

    repos = Bundle("repos")

    def __init__(self) -> None:
        super().__init__()
        self.model = RegistryModel()
        self.created: set[str] = set()
        #: Repositories the model deleted since the listing was last compared.
        self.gone: set[str] = set()
        #: Set once a strict run has raised (a mismatch, an unsupported operation).
        self.failed = False
        self.quarantined: set[str] = set()
        self.original_display_name: str | None = None
        self.display_name_changed = False
        self.keeps_display_name = True
        self.nonce = 0
        self.last_exchange: Exchange | None = None
        self.traces: dict[str, list[Exchange]] = {}
        self.pusher = Pusher(self.call)
        # fixed width: a longer prefix would change the name budget and so the draws on replay
        self.run_prefix = f"{self.prefix}-{next(_RUNS) % 0x1000000:06x}"

    # ------------------------------------------------------------------ plumbing

    def call(self, operation: str, params: dict[str, Any]) -> Exchange:
        """Send one request through the target (``OperationUnsupported`` if it is refused)."""
        ex = self.target.call(operation, params)
        if ex.error_code in UNSUPPORTED_CODES:
            self.failed = True
            if self.mismatches is not None:
                raise ModelStopped(f"the target does not support {operation}", operation)
            raise OperationUnsupported(operation)
        name = params.get("repositoryName") if isinstance(params, dict) else None
        if not isinstance(name, str) and isinstance(params, dict):
            arn = params.get("resourceArn")
            name = next((n for n, a in self.model.arns.items() if a and a == arn), None)
        if isinstance(name, str):
            trace = self.traces.setdefault(name, [])
            trace.append(ex)
            del trace[:-TRACE_LENGTH]
        return ex

    def mismatch(
        self,
        ex: Exchange | None,
        member: str | None,
        expected: Any,
        fact: str,
        actual: Any = _NOTHING,
        repository: str | None = None,
        operation: str | None = None,
    ) -> None:
        """Report a disagreement: raise it (strict) or record it once and stop the rule."""
        trace = tuple(self.traces.get(repository, ())) if repository else ()
        op = operation or (ex.operation if ex is not None else "?")
        found = ModelMismatch(op, member, expected, fact, ex, actual, trace)
        if self.mismatches is None:
            self.failed = True
            raise found
        if all(m.key != found.key for m in self.mismatches):
            self.mismatches.append(found)
        raise _Diverged(repository)

    def quarantine(self, name: str) -> None:
        """Set a repository aside after a mismatch: the model forgets it, teardown deletes it."""
        self.quarantined.add(name)
        self.model.repositories.pop(name, None)

    def expect_ok(self, ex: Exchange, fact: str, repository: str | None = None) -> Any:
        """Mismatch unless the exchange succeeded; return its JSON body."""
        if not ex.ok:
            self.mismatch(ex, None, "success", fact, repository=repository)
        return ex.json if isinstance(ex.json, dict) else {}

    def expect_error(
        self, ex: Exchange, codes: Iterable[str], fact: str, repository: str | None = None
    ) -> None:
        """Mismatch unless the exchange failed with one of ``codes``."""
        allowed = sorted(codes)
        if ex.ok or ex.error_code not in allowed:
            self.mismatch(ex, None, " or ".join(allowed), fact, repository=repository)

    def expect_equal(
        self,
        ex: Exchange,
        member: str,
        expected: Any,
        actual: Any,
        fact: str,
        repository: str | None = None,
    ) -> None:
        """Mismatch when ``actual`` differs from the model's ``expected``.

        An absent member that the model leaves optional in a write's answer is a SHOULD
        mismatch: noted, and the run goes on as if the answer had it (the write happened).
        """
        if expected == actual:
            return
        if actual is None and optional_echo(ex.operation, member):
            self.note_absent(ex, member, expected, fact, repository)
            return
        self.mismatch(ex, member, expected, fact, actual, repository)

    def note_absent(
        self, ex: Exchange, member: str, expected: Any, fact: str, repository: str | None
    ) -> None:
        """Record (or, strict, raise) that an optional member was absent; never set aside."""
        trace = tuple(self.traces.get(repository, ())) if repository else ()
        found = ModelMismatch(ex.operation, member, expected, fact, ex, None, trace, "SHOULD")
        if self.mismatches is None:
            self.failed = True
            raise found
        if all(m.key != found.key for m in self.mismatches):
            self.mismatches.append(found)

    def repo(self, name: str) -> RepositoryModel | None:
        """The model of repository ``name`` (None when it does not exist)."""
        return self.model.repositories.get(name)

    def missing(self, ex: Exchange) -> None:
        """Expect RepositoryNotFoundException."""
        self.expect_error(ex, {"RepositoryNotFoundException"}, _FACT_NOT_FOUND)

    def settled(self, read: Callable[[], Any], agrees: Callable[[Any], bool]) -> Any:
        """Read until ``agrees`` or the settle time has passed; return the last reading.

        With a ``patience`` (the run's), the settle time is what it allows a listing, and what
        the reading showed is told back to it (a delay seen, or a write missed).
        """
        listing = "DescribeRepositories"
        limit = self.patience.wait_s(listing) if self.patience is not None else self.settle_s
        start = time.monotonic()
        while True:
            value = read()
            waited = time.monotonic() - start
            if agrees(value):
                if self.patience is not None:
                    self.patience.showed(waited)
                return value
            if waited >= limit:
                if self.patience is not None:
                    self.patience.missed_write(listing, limit)
                return value
            time.sleep(0.1)

    # ------------------------------------------------------------------ setup / teardown

    def read_registry_catalog(self) -> None:
        """Remember the registry display name (to restore it) and whether it keeps one."""
        ex = self.call("GetRegistryCatalogData", {})
        body = self.expect_ok(ex, "GetRegistryCatalogData answers for every registry")
        self.original_display_name = _get(body, "registryCatalogData", "displayName")
        self.model.display_name = self.original_display_name
        described = self.call("DescribeRegistries", {})
        registries = _get(described.json, "registries") if described.ok else None
        first = registries[0] if isinstance(registries, list) and registries else {}
        # "Only accounts that have the verified account badge can have a registry display name"
        self.keeps_display_name = isinstance(first, dict) and first.get("verified") is True

    def teardown(self) -> None:
        """Compare the whole listing once; then delete every repository this run created and
        restore the registry catalog data."""
        try:
            if self.created and not self.failed:  # a failing run is reported as it failed
                if self.mismatches is not None:
                    resilient(RegistryMachine.listing_matches)(self)
                else:
                    self.listing_matches()
        finally:
            self.clean_up()

    def clean_up(self) -> None:
        """Delete every repository this run created and restore the registry catalog data."""
        for name in sorted(self.created):
            ex = self.target.call("DeleteRepository", {"repositoryName": name, "force": True})
            if ex.error_code == "RepositoryNotEmptyException":
                self.empty_and_delete(name)
        if self.display_name_changed:
            self.target.call(
                "PutRegistryCatalogData", {"displayName": self.original_display_name or ""}
            )

    def empty_and_delete(self, name: str) -> None:
        """Delete every image of a repository, then the repository (best effort, no checks)."""
        ex = self.target.call("DescribeImages", {"repositoryName": name})
        details = _get(ex.json, "imageDetails") if ex.ok else None
        ids = [{"imageDigest": d.get("imageDigest")} for d in details or []]
        for start in range(0, len(ids), 100):
            self.target.call(
                "BatchDeleteImage", {"repositoryName": name, "imageIds": ids[start : start + 100]}
            )
        self.target.call("DeleteRepository", {"repositoryName": name})

    # ------------------------------------------------------------------ repositories

    @initialize(
        target=repos,
        data=st.data(),
        tags=_RESOURCE_TAGS.filter(bool),
        catalog=semantic.catalog_data(),
    )
    def baseline(self, data: st.DataObject, tags: dict[str, str], catalog: dict[str, Any]) -> str:
        """Every run starts with the core scenario, so each fact is checked at least once.

        Read the registry catalog data, create a tagged repository, push two images with the
        same tag (the tag moves), check layer availability, try a wrong digest and a part gap,
        store catalog data, set and delete a policy, tag and untag; then in a second repository
        delete an image, refuse an unforced delete of the non-empty repository and force it.
        It is the machine's only initialize rule, so it is the first step of every run.
        """
        self.read_registry_catalog()
        first = self.create_or_set_aside(data, tags, None)
        steps: list[Callable[[str], Any]] = [
            lambda n: self.push(n, data.draw(_LAYERS, label="layers"), False, "latest"),
            lambda n: self.push(n, data.draw(_LAYERS, label="more"), True, "latest"),
            lambda n: self.check_images(n),
            lambda n: self.check_layers(n, data),
            lambda n: self.wrong_digest(n, data.draw(semantic.blobs(1, 64), label="blob"), b"x"),
            lambda n: self.part_gap(n, data.draw(semantic.blobs(3, 64), label="gapped"), 1),
            lambda n: self.put_catalog_data(n, catalog),
            lambda n: self.set_policy(name=n, policy=data.draw(semantic.policy_documents())),
            lambda n: self.delete_policy(name=n),
            lambda n: self.tag_repository(name=n, tags={"stage": "baseline"}),
            lambda n: self.untag_repository(name=n, keys=sorted(tags)[:1]),
        ]
        self.each(first, steps, data)
        self.each(
            self.create_or_set_aside(data, {}, None),
            [
                lambda n: self.push(n, data.draw(_LAYERS, label="layers"), False, "a"),
                lambda n: self.push(n, data.draw(_LAYERS, label="layers"), False, "b"),
                lambda n: self.batch_delete_image(name=n, data=data, by_tag=False),
                lambda n: self.delete(n, False),
                lambda n: self.delete(n, True),
            ],
            data,
        )
        return first

    def each(self, name: str, steps: list[Callable[[str], Any]], data: st.DataObject) -> str:
        """Run each step on repository ``name``; when one diverges and the repository is set
        aside, go on with the next steps in a fresh repository, so every step is tried once.
        Returns the repository the steps ended on."""
        for step in steps:
            if name in self.quarantined or name not in self.model.repositories:
                name = self.create_or_set_aside(data, {}, None)
                if name in self.quarantined:
                    return name  # even a fresh repository cannot be created as modelled
            try:
                step(name)
            except _Diverged as exc:
                if exc.repository is not None:
                    self.quarantine(exc.repository)
        return name

    @rule(
        target=repos,
        name=st.data(),
        tags=_RESOURCE_TAGS,
        catalog=st.none() | semantic.catalog_data(),
    )
    def create_repository(
        self, name: st.DataObject, tags: dict[str, str], catalog: dict[str, Any] | None
    ) -> str:
        """CreateRepository: a new name succeeds, an existing one fails."""
        return self.create_or_set_aside(name, tags, catalog)

    def create_or_set_aside(
        self, name: st.DataObject, tags: dict[str, str], catalog: dict[str, Any] | None
    ) -> str:
        """Create a repository; after a mismatch the name comes back set aside."""
        try:
            return self.create(name, tags, catalog)
        except _Diverged as exc:  # every mismatch in create concerns the repository it names
            assert exc.repository is not None
            self.quarantine(exc.repository)
            return exc.repository

    def create(
        self, name: st.DataObject, tags: dict[str, str], catalog: dict[str, Any] | None
    ) -> str:
        """Create a repository with a drawn name; return the name."""
        full = name.draw(semantic.repository_names(2, 120, prefix=self.run_prefix), label="name")
        if len(self.model.repositories) >= self.max_repositories and full not in self.created:
            full = sorted(self.model.repositories)[0]
        if full in self.quarantined:  # set aside: the model no longer knows what the target has
            return full
        params: dict[str, Any] = {"repositoryName": full}
        if tags:
            params["tags"] = _tag_list(tags)
        if catalog is not None:
            params["catalogData"] = catalog
        ex = self.call("CreateRepository", params)
        if full in self.model.repositories:
            self.expect_error(ex, {"RepositoryAlreadyExistsException"}, _FACT_UNIQUE, full)
            return full
        if ex.ok:
            self.created.add(full)
        body = self.expect_ok(ex, "CreateRepository creates a repository with a new name", full)
        self.expect_equal(
            ex,
            "repository.repositoryName",
            full,
            _get(body, "repository", "repositoryName"),
            "CreateRepository returns the repository it created",
            full,
        )
        arn = _get(body, "repository", "repositoryArn")
        if not isinstance(arn, str):  # optional in the answer: look it up
            arn = self.listed_arn(full)
        self.model.arns[full] = arn
        self.model.repositories[full] = RepositoryModel(
            full, arn, dict(tags), [catalog] if catalog is not None else None
        )
        if tags:
            self.check_tags(name=full)
        return full

    def listed_arn(self, name: str) -> str | None:
        """The ARN DescribeRepositories gives a repository (None when it gives none)."""
        ex = self.settled(
            lambda: self.call("DescribeRepositories", {"repositoryNames": [name]}),
            lambda ex: ex.ok,
        )
        listed = _get(ex.json, "repositories") if ex.ok else None
        arn = listed[0].get("repositoryArn") if isinstance(listed, list) and listed else None
        return arn if isinstance(arn, str) else None

    @rule(name=repos, force=st.booleans())
    @resilient
    def delete_repository(self, name: str, force: bool) -> None:
        """DeleteRepository: unforced refuses images; forced deletes everything."""
        self.delete(name, force)

    def delete(self, name: str, force: bool) -> None:
        """Delete ``name`` and check the answer against the model."""
        repo = self.repo(name)
        ex = self.call("DeleteRepository", {"repositoryName": name, "force": force})
        if repo is None:
            self.missing(ex)
        elif repo.images and not force:
            self.expect_error(ex, {"RepositoryNotEmptyException"}, _FACT_NOT_EMPTY, name)
        elif repo.layers and not force and not ex.ok:
            # layers without images: the specs leave it open whether that is "not empty"
            self.expect_error(ex, {"RepositoryNotEmptyException"}, _FACT_NOT_EMPTY, name)
        else:
            fact = _FACT_FORCE if force else "an empty repository can be deleted"
            self.expect_ok(ex, fact, name)
            del self.model.repositories[name]
            self.gone.add(name)

    # ------------------------------------------------------------------ tags

    @rule(name=repos, tags=_RESOURCE_TAGS.filter(bool))
    @resilient
    def tag_repository(self, name: str, tags: dict[str, str]) -> None:
        """TagResource then ListTagsForResource: the tags are stored."""
        repo = self.repo(name)
        arn = self.model.arns.get(name)
        if arn is None:
            return  # the target gave this repository no ARN to tag it by
        ex = self.call("TagResource", {"resourceArn": arn, "tags": _tag_list(tags)})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "TagResource tags an existing repository", name)
        repo.tags.update(tags)
        self.check_tags(name=name)

    @rule(name=repos, keys=st.lists(_TAG_KEYS, max_size=2, unique=True))
    @resilient
    def untag_repository(self, name: str, keys: list[str]) -> None:
        """UntagResource then ListTagsForResource: the keys are gone."""
        repo = self.repo(name)
        arn = self.model.arns.get(name)
        if arn is None:
            return
        ex = self.call("UntagResource", {"resourceArn": arn, "tagKeys": keys})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "UntagResource untags an existing repository", name)
        for key in keys:
            repo.tags.pop(key, None)
        self.check_tags(name=name)

    @rule(name=repos)
    @resilient
    def check_tags(self, name: str) -> None:
        """ListTagsForResource lists exactly the model's tags."""
        repo = self.repo(name)
        arn = self.model.arns.get(name)
        if arn is None:
            return
        ex = self.call("ListTagsForResource", {"resourceArn": arn})
        if repo is None:
            self.missing(ex)
            return
        body = self.expect_ok(ex, "ListTagsForResource answers for an existing repository", name)
        listed = {t.get("Key"): t.get("Value") for t in body.get("tags") or []}
        self.expect_equal(ex, "tags", repo.tags, listed, _FACT_TAGS, name)

    # ------------------------------------------------------------------ layers

    def upload(self, name: str, blob: Blob) -> bool:
        """Push one blob (in one part, as the spec wants for small blobs); True once it exists."""
        repo = self.repo(name)
        if repo is None:
            self.missing(self.call("InitiateLayerUpload", {"repositoryName": name}))
            return False
        try:
            done = self.pusher.upload(name, blob.data)
        except PushError as exc:
            self.mismatch(
                exc.exchange,
                None,
                "success",
                f"{exc.step} accepts a valid upload step",
                repository=name,
            )
            return False
        if done.existed and blob.digest not in repo.layers:
            self.mismatch(
                done.exchanges[-1],
                None,
                "success",
                "CompleteLayerUpload of a new layer succeeds",
                repository=name,
            )
        if not done.existed:
            body = done.exchanges[-1].json if isinstance(done.exchanges[-1].json, dict) else {}
            self.expect_equal(
                done.exchanges[-1],
                "layerDigest",
                blob.digest,
                body.get("layerDigest"),
                "CompleteLayerUpload returns the digest of the uploaded layer",
                name,
            )
        repo.layers.add(blob.digest)
        return True

    @rule(name=repos, blob=semantic.blobs(1, 64))
    @resilient
    def push_layer(self, name: str, blob: Blob) -> None:
        """Initiate, upload and complete one layer."""
        self.upload(name, blob)

    @rule(name=repos, data=st.data())
    @resilient
    def check_layer_availability(self, name: str, data: st.DataObject) -> None:
        """BatchCheckLayerAvailability: uploaded layers are available, unknown ones are not."""
        self.check_layers(name, data)

    def check_layers(self, name: str, data: st.DataObject) -> None:
        """Ask for up to two known layers and one that was never uploaded."""
        repo = self.repo(name)
        known = sorted(repo.layers)[:2] if repo is not None else []
        unknown = digest_of(f"never uploaded {self.nonce}".encode())
        ex = self.call(
            "BatchCheckLayerAvailability",
            {"repositoryName": name, "layerDigests": [*known, unknown]},
        )
        if repo is None:
            self.missing(ex)
            return
        body = self.expect_ok(ex, "BatchCheckLayerAvailability answers for a repository", name)
        layers = {
            entry.get("layerDigest"): entry.get("layerAvailability")
            for entry in body.get("layers") or []
            if isinstance(entry, dict)
        }
        failed = {f.get("layerDigest") for f in body.get("failures") or [] if isinstance(f, dict)}
        for digest in known:
            self.expect_equal(
                ex,
                "layers",
                "AVAILABLE",
                layers.get(digest, "listed as a failure" if digest in failed else "not listed"),
                "an uploaded layer is AVAILABLE",
                name,
            )
        if layers.get(unknown) == "AVAILABLE" or (unknown not in layers and unknown not in failed):
            self.mismatch(
                ex,
                "layers",
                "a failure or UNAVAILABLE for a layer never uploaded",
                "a layer that was never uploaded is not available",
                layers.get(unknown, "not listed"),
                name,
            )

    @rule(name=repos, blob=semantic.blobs(1, 64), other=st.binary(min_size=1, max_size=8))
    @resilient
    def complete_with_wrong_digest(self, name: str, blob: Blob, other: bytes) -> None:
        """CompleteLayerUpload with a digest of other bytes fails with InvalidLayerException."""
        self.wrong_digest(name, blob, other)

    def wrong_digest(self, name: str, blob: Blob, other: bytes) -> None:
        """Upload ``blob`` in one part and complete it with the digest of other bytes."""
        wrong = digest_of(blob.data + other)
        ex = self.call("InitiateLayerUpload", {"repositoryName": name})
        if self.repo(name) is None:
            self.missing(ex)
            return
        upload_id = _get(
            self.expect_ok(ex, "InitiateLayerUpload starts an upload", name), "uploadId"
        )
        part = parts_of(blob.data)[0]
        ex = self.call(
            "UploadLayerPart",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "partFirstByte": 0,
                "partLastByte": part.last_byte,
                "layerPartBlob": part.blob,
            },
        )
        self.expect_ok(ex, "a first part starting at byte 0 is accepted", name)
        ex = self.call(
            "CompleteLayerUpload",
            {"repositoryName": name, "uploadId": upload_id, "layerDigests": [wrong]},
        )
        self.expect_error(ex, {"InvalidLayerException"}, _FACT_DIGEST, name)

    @rule(name=repos, blob=semantic.blobs(3, 64), gap=st.integers(1, 4))
    @resilient
    def upload_part_with_gap(self, name: str, blob: Blob, gap: int) -> None:
        """A part that does not start right after the previous one fails."""
        self.part_gap(name, blob, gap)

    def part_gap(self, name: str, blob: Blob, gap: int) -> None:
        """Send a 5 MiB first part (a valid non-last part), then one that leaves a gap."""
        ex = self.call("InitiateLayerUpload", {"repositoryName": name})
        if self.repo(name) is None:
            self.missing(ex)
            return
        upload_id = _get(
            self.expect_ok(ex, "InitiateLayerUpload starts an upload", name), "uploadId"
        )
        data = _FILLER + blob.data
        first, second = parts_of(data, [MIN_PART])
        ex = self.call(
            "UploadLayerPart",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "partFirstByte": 0,
                "partLastByte": first.last_byte,
                "layerPartBlob": first.blob,
            },
        )
        self.expect_ok(ex, "a first part of 5 MiB starting at byte 0 is accepted", name)
        start = second.first_byte + gap
        ex = self.call(
            "UploadLayerPart",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "partFirstByte": start,
                "partLastByte": start + len(second.data) - 1,
                "layerPartBlob": second.blob,
            },
        )
        self.expect_error(ex, {"InvalidLayerPartException"}, _FACT_CONTIGUOUS, name)

    # ------------------------------------------------------------------ images

    @rule(name=repos, layers=_LAYERS, oci=st.booleans(), tag=st.none() | _IMAGE_TAGS)
    @resilient
    def push_image(self, name: str, layers: list[Blob], oci: bool, tag: str | None) -> None:
        """Full push: upload config and layers, then PutImage (optionally tagged)."""
        self.push(name, layers, oci, tag)

    def push(self, name: str, layers: list[Blob], oci: bool, tag: str | None) -> None:
        """Upload the config and layers of a new image, then put its manifest."""
        self.nonce += 1
        text, config, media_type = semantic.manifest_for(
            layers, oci=oci, nonce=f"{self.prefix}-{self.nonce}"
        )
        for blob in [config, *layers]:
            if not self.upload(name, blob):
                return
        self.put_image(name, text, media_type, tag)

    def put_image(self, name: str, text: str, media_type: str, tag: str | None) -> None:
        """PutImage and update the model (new image, tag moved from its previous holder)."""
        repo = self.repo(name)
        assert repo is not None
        digest = digest_of(text.encode())
        ex = self.pusher.put_image(name, text, media_type, tag)
        existing = repo.images.get(digest)
        if existing is not None and (tag is None or tag in existing.tags):
            self.expect_error(
                ex,
                {"ImageAlreadyExistsException"},
                "putting an image that exists with the same tags fails",
                name,
            )
            return
        body = self.expect_ok(ex, "PutImage stores a manifest whose blobs were uploaded", name)
        self.expect_equal(
            ex,
            "image.imageId.imageDigest",
            digest,
            _get(body, "image", "imageId", "imageDigest"),
            "an image digest is the sha256 of the manifest bytes",
            name,
        )
        image = existing or ImageModel(digest, text, media_type)
        repo.images[digest] = image
        if tag is not None:
            holder = repo.holder_of(tag)
            if holder is not None:
                holder.tags.discard(tag)
            image.tags.add(tag)

    @rule(name=repos, data=st.data(), tag=_IMAGE_TAGS)
    @resilient
    def retag_image(self, name: str, data: st.DataObject, tag: str) -> None:
        """PutImage of an existing manifest with a tag: the tag moves to it."""
        repo = self.repo(name)
        if repo is None or not repo.images:
            return
        digest = data.draw(st.sampled_from(sorted(repo.images)), label="image")
        image = repo.images[digest]
        self.put_image(name, image.manifest, image.media_type, tag)
        self.check_images(name)

    @rule(name=repos, data=st.data(), by_tag=st.booleans())
    @resilient
    def batch_delete_image(self, name: str, data: st.DataObject, by_tag: bool) -> None:
        """BatchDeleteImage by digest (image gone) or by tag (tag gone; image if last tag)."""
        repo = self.repo(name)
        if repo is None or not repo.images:
            return
        digest = data.draw(st.sampled_from(sorted(repo.images)), label="image")
        image = repo.images[digest]
        tag = sorted(image.tags)[0] if by_tag and image.tags else None
        image_id = {"imageTag": tag} if tag else {"imageDigest": digest}
        ex = self.call("BatchDeleteImage", {"repositoryName": name, "imageIds": [image_id]})
        body = self.expect_ok(ex, "BatchDeleteImage deletes an image that exists", name)
        self.expect_equal(
            ex,
            "failures",
            [],
            body.get("failures") or [],
            "deleting an image that exists reports no failure",
            name,
        )
        if tag is not None:
            image.tags.discard(tag)
        if tag is None or not image.tags:
            del repo.images[digest]

    # ------------------------------------------------------------------ policies and catalog

    @rule(name=repos, policy=semantic.policy_documents())
    @resilient
    def set_policy(self, name: str, policy: str) -> None:
        """SetRepositoryPolicy then GetRepositoryPolicy returns the same document."""
        repo = self.repo(name)
        ex = self.call("SetRepositoryPolicy", {"repositoryName": name, "policyText": policy})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "SetRepositoryPolicy stores a valid policy", name)
        repo.policy = policy
        self.get_policy(name=name)

    @rule(name=repos)
    @resilient
    def get_policy(self, name: str) -> None:
        """GetRepositoryPolicy returns the stored policy (as the same JSON document)."""
        repo = self.repo(name)
        ex = self.call("GetRepositoryPolicy", {"repositoryName": name})
        if repo is None:
            self.missing(ex)
        elif repo.policy is None:
            self.expect_error(
                ex,
                {"RepositoryPolicyNotFoundException"},
                "a repository without a policy has none to get",
                name,
            )
        else:
            body = self.expect_ok(ex, "GetRepositoryPolicy returns a stored policy", name)
            self.expect_equal(
                ex,
                "policyText",
                json.loads(repo.policy),
                _json(body.get("policyText")),
                "GetRepositoryPolicy returns the policy that was set",
                name,
            )

    @rule(name=repos)
    @resilient
    def delete_policy(self, name: str) -> None:
        """DeleteRepositoryPolicy removes the policy, or fails when there is none."""
        repo = self.repo(name)
        ex = self.call("DeleteRepositoryPolicy", {"repositoryName": name})
        if repo is None:
            self.missing(ex)
        elif repo.policy is None:
            self.expect_error(
                ex,
                {"RepositoryPolicyNotFoundException"},
                "a repository without a policy has none to delete",
                name,
            )
        else:
            self.expect_ok(ex, "DeleteRepositoryPolicy deletes a stored policy", name)
            repo.policy = None

    @rule(name=repos, catalog=semantic.catalog_data())
    @resilient
    def put_catalog(self, name: str, catalog: dict[str, Any]) -> None:
        """PutRepositoryCatalogData then GetRepositoryCatalogData returns the same texts."""
        self.put_catalog_data(name, catalog)

    def put_catalog_data(self, name: str, catalog: dict[str, Any]) -> None:
        """Store catalog data; the model keeps both readings the spec allows (replace, merge)."""
        repo = self.repo(name)
        ex = self.call("PutRepositoryCatalogData", {"repositoryName": name, "catalogData": catalog})
        if repo is None:
            self.missing(ex)
            return
        self.expect_ok(ex, "PutRepositoryCatalogData stores catalog data", name)
        before = repo.catalogs or [{}]
        views = [catalog] + [{**old, **catalog} for old in before]
        unique: list[dict[str, Any]] = []
        for view in views:
            if all(_catalog_view(view) != _catalog_view(u) for u in unique):
                unique.append(view)
        repo.catalogs = unique
        self.get_catalog(name=name)

    @rule(name=repos)
    @resilient
    def get_catalog(self, name: str) -> None:
        """GetRepositoryCatalogData matches the catalog data stored (replaced or merged)."""
        repo = self.repo(name)
        ex = self.call("GetRepositoryCatalogData", {"repositoryName": name})
        if repo is None:
            self.missing(ex)
            return
        if repo.catalogs is None and not ex.ok:
            self.expect_error(
                ex,
                {"RepositoryCatalogDataNotFoundException"},
                "a repository without catalog data has none to get",
                name,
            )
            return
        body = self.expect_ok(ex, _FACT_CATALOG, name)
        got = _catalog_view(body.get("catalogData") or {})
        candidates = [_catalog_view(c) for c in repo.catalogs or [{}]]
        if got not in candidates:
            expected = candidates[0] if len(candidates) == 1 else {"one of": candidates}
            self.mismatch(ex, "catalogData", expected, _FACT_CATALOG, got, name)
        repo.catalogs = [c for c in repo.catalogs or [{}] if _catalog_view(c) == got]

    @rule(display_name=_DISPLAY_NAMES)
    @resilient
    def put_registry_catalog(self, display_name: str) -> None:
        """PutRegistryCatalogData then GetRegistryCatalogData returns the display name (for a
        verified registry; an unverified one may refuse it or not keep it)."""
        if not self.registry_writes:
            return
        ex = self.call("PutRegistryCatalogData", {"displayName": display_name})
        self.display_name_changed = True
        if not self.keeps_display_name:
            if not ex.ok:
                self.expect_error(
                    ex,
                    {"InvalidParameterException"},
                    "an unverified registry may refuse a display name",
                )
            return
        self.expect_ok(ex, "PutRegistryCatalogData stores a display name")
        self.model.display_name = display_name
        ex = self.call("GetRegistryCatalogData", {})
        body = self.expect_ok(ex, "GetRegistryCatalogData answers")
        got = _get(body, "registryCatalogData", "displayName")
        if got != display_name:
            self.model.display_name = got  # adopt what the target says, report it once
            self.mismatch(
                ex,
                "registryCatalogData.displayName",
                display_name,
                "the registry display name reads back as it was written",
                got,
            )

    # ------------------------------------------------------------------ invariants

    def pages(
        self, operation: str, params: dict[str, Any], key: str, size: int | None = None
    ) -> list[Any]:
        """Walk every page of a paginated operation (``maxResults``: ``size``, by default the
        machine's small page size; only listings of the run's own repository use it)."""
        items: list[Any] = []
        token: str | None = None
        self.last_exchange = None
        for _ in range(1000):
            request = dict(params, maxResults=size or self.page_size)
            if token is not None:
                request["nextToken"] = token
            ex = self.last_exchange = self.call(operation, request)
            body = self.expect_ok(
                ex, f"{operation} pages through what exists", params.get("repositoryName")
            )
            items.extend(body.get(key) or [])
            token = body.get("nextToken")
            if not token:
                return items
        self.mismatch(self.last_exchange, "nextToken", "a last page", "pagination ends")
        return items  # pragma: no cover  (mismatch raised)

    @invariant()
    @resilient
    def repositories_match(self) -> None:
        """DescribeRepositories of the model's repositories lists exactly them, and one the
        model deleted since the last look is not found: a few requests, whatever else the
        registry holds. The whole listing is compared once, at the end of the run."""
        if not hasattr(self, "model"):
            return
        want = set(self.model.repositories)
        if want:
            names = sorted(want)
            ex = self.settled(
                lambda: self.call("DescribeRepositories", {"repositoryNames": names}),
                lambda ex: ex.ok and _listed_names(ex) == want,
            )
            self.expect_ok(ex, "DescribeRepositories lists repositories that exist")
            got = _listed_names(ex)
            if got != want:
                for name in got ^ want:
                    self.quarantine(name)
                self.mismatch(ex, "repositories", names, _FACT_LIST, sorted(got))
        gone, self.gone = sorted(self.gone), set()
        for name in gone:
            ex = self.call("DescribeRepositories", {"repositoryNames": [name]})
            self.expect_error(ex, {"RepositoryNotFoundException"}, _FACT_LIST, name)

    def listing_matches(self) -> None:
        """The whole listing, walked once at the largest page size, holds exactly the model's
        repositories among those under this run's prefix."""
        mine = self.run_prefix + "-"
        listed = self.pages("DescribeRepositories", {}, "repositories", _largest_listing_page())
        names = {r.get("repositoryName") for r in listed if isinstance(r, dict)}
        got = {n for n in names if isinstance(n, str) and n.startswith(mine)} - self.quarantined
        want = set(self.model.repositories)
        if got != want:
            self.mismatch(
                self.last_exchange,
                "repositories",
                sorted(want),
                _FACT_LIST,
                sorted(got),
                operation="DescribeRepositories",
            )

    @invariant()
    @resilient
    def images_match(self) -> None:
        """DescribeImages and DescribeImageTags over all pages match each repository's model."""
        if not hasattr(self, "model"):
            return
        for name in sorted(self.model.repositories):
            try:
                self.check_images(name)
            except _Diverged as exc:
                if exc.repository is not None:
                    self.quarantine(exc.repository)

    def check_images(self, name: str) -> None:
        """Compare the images and image tags of one repository with the model."""
        repo = self.model.repositories[name]
        details = self.pages("DescribeImages", {"repositoryName": name}, "imageDetails")
        listed = {d.get("imageDigest"): set(d.get("imageTags") or []) for d in details}
        expected = {d: set(i.tags) for d, i in repo.images.items()}
        if listed != expected:
            self.mismatch(
                self.last_exchange,
                "imageDetails",
                {d: sorted(t) for d, t in expected.items()},
                _FACT_TAG_MOVE if set(listed) == set(expected) else _FACT_LIST,
                {d: sorted(t) for d, t in listed.items()},
                name,
            )
        tags = self.pages("DescribeImageTags", {"repositoryName": name}, "imageTagDetails")
        pairs = {(t.get("imageTag"), _get(t, "imageDetail", "imageDigest")) for t in tags}
        want = {(tag, d) for d, i in repo.images.items() for tag in i.tags}
        if pairs != want:
            self.mismatch(
                self.last_exchange,
                "imageTagDetails",
                sorted(want),
                _FACT_TAG_MOVE,
                sorted(pairs, key=repr),
                name,
            )


@functools.cache
def _largest_listing_page() -> int:
    """DescribeRepositories' largest maxResults, from the specs (1000 when they state none)."""
    op = load_service().operation("DescribeRepositories")
    bound = op.input.member("maxResults").shape.constraint("maximum")
    return int(bound.value) if bound is not None else 1000


#: Filler of a 5 MiB first part (a valid part but the last), shared by every gap test.
_FILLER = bytes(MIN_PART)


def _json(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return text


def _catalog_view(catalog: dict[str, Any]) -> dict[str, Any]:
    """The comparable part of catalog data: texts and (unordered) badge lists."""
    out: dict[str, Any] = {}
    for key in ("description", "aboutText", "usageText"):
        if catalog.get(key):
            out[key] = catalog[key]
    for key in ("architectures", "operatingSystems"):
        if catalog.get(key):
            out[key] = sorted(catalog[key])
    return out


def _name_pattern() -> str:
    shape = load_service().operation("CreateRepository").input.member("repositoryName").shape
    c = shape.constraint("pattern")
    assert c is not None
    return str(c.value)


def registry_machine(
    target: Target,
    prefix: str,
    *,
    page_size: int = 2,
    max_repositories: int = 4,
    mismatches: list[ModelMismatch] | None = None,
    settle_s: float = 0.0,
    registry_writes: bool = True,
    patience: Any = None,
) -> type[RegistryMachine]:
    """Return a state machine class bound to ``target``; every name starts with ``prefix``.

    ``prefix`` must be a valid repository name of at most 100 characters (use a unique one per
    run, e.g. ``f"conf-{unique_suffix()}"``), ``page_size`` the ``maxResults`` used to walk
    listings, ``max_repositories`` the most repositories the run keeps at once. With a
    ``mismatches`` list the machine keeps going after a disagreement and records it there;
    ``settle_s`` is how long a listing may take to show a new repository (or, given the run's
    ``patience``, what it allows); ``registry_writes``
    False leaves registry-level data alone.
    """
    if not callable(getattr(target, "call", None)):
        raise InvalidArgument(f"target must have a call(operation, params) method: {target!r}")
    if not isinstance(prefix, str) or not re.fullmatch(_name_pattern(), prefix):
        raise InvalidArgument(f"prefix {prefix!r} is not a valid repository name")
    if len(prefix) > 100:
        raise InvalidArgument(f"prefix {prefix!r} is longer than 100 characters")
    if page_size < 1 or max_repositories < 1:
        raise InvalidArgument("page_size and max_repositories must be at least 1")
    attrs = {
        "target": target,
        "prefix": prefix,
        "page_size": page_size,
        "max_repositories": max_repositories,
        "mismatches": mismatches,
        "settle_s": settle_s,
        "patience": patience,
        "registry_writes": registry_writes,
    }
    return type(
        f"RegistryMachine_{re.sub(r'[^A-Za-z0-9]', '_', prefix)}", (RegistryMachine,), attrs
    )
