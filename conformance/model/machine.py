"""The registry model composed: every rule group in one Hypothesis state machine.

:func:`registry_machine` returns a ``RuleBasedStateMachine`` whose rules send requests through
a :class:`~.state.Target` (a :class:`~ecr_public_conformance.wire.WireClient` qualifies) and
compare every answer with a plain-Python model of the registry: repositories, their tags,
catalog data, policies, layers and images with their tags. Invariants walk
``DescribeRepositories``, ``DescribeImages`` and ``DescribeImageTags`` page by page with a
small ``maxResults`` and compare the union with the model. Each disagreement names the fact it
breaks, an entry of ``facts.toml`` that quotes the document.

Only resources whose name starts with the run's ``prefix`` count, so resources that already
exist on the target are ignored. Nothing is assumed where the spec leaves a choice
(``specs/freedoms.toml``): ordering, token formats, message texts, id formats, whether optional
members (the ARN in CreateRepository's answer) are present, whether catalog data is merged or
replaced, whether an unverified registry keeps a display name, image sizes, or a short delay
before a new repository is listed (``settle_s``).

Two modes. Strict (no ``mismatches`` list): the first disagreement raises
:class:`~.mismatch.ModelMismatch`, and Hypothesis shrinks the sequence. Keep-going
(``mismatches=[]``): each disagreement is recorded once in that list, the repository it
concerns is set aside (quarantined: no rule touches it again, teardown still deletes it) or
the model adopts what the target listed, and the run goes on, so one deviation does not hide
the others and no shrinking time is spent. An ``UnsupportedCommandException`` raises
:class:`~.mismatch.OperationUnsupported` in both. Teardown deletes (with ``force``) every
repository the run created and restores the registry catalog data if the run changed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import initialize

from ...specs import load_service
from ...strategies import semantic_values as semantic
from .catalog import CatalogRules
from .core import MachineCore
from .draws import LAYERS, RESOURCE_TAGS
from .images import ImageRules
from .mismatch import Diverged, ModelMismatch
from .repositories import RepositoryRules
from .state import Target

__all__ = ["RegistryMachine", "registry_machine"]


class RegistryMachine(RepositoryRules, ImageRules, CatalogRules):
    """Rules and invariants of the registry model; bind a target with :func:`registry_machine`."""

    @initialize(
        target=MachineCore.repos,
        data=st.data(),
        tags=RESOURCE_TAGS.filter(bool),
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
            lambda n: self.push(n, data.draw(LAYERS, label="layers"), False, "latest"),
            lambda n: self.push(n, data.draw(LAYERS, label="more"), True, "latest"),
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
                lambda n: self.push(n, data.draw(LAYERS, label="layers"), False, "a"),
                lambda n: self.push(n, data.draw(LAYERS, label="layers"), False, "b"),
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
            except Diverged as exc:
                if exc.repository is not None:
                    self.quarantine(exc.repository)
        return name


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
