"""Listings and invariants: what Describe* walks page by page must be exactly the model.

After every step, the model's repositories are described by name (a few requests, whatever
else the registry holds) and each repository's images and image tags are walked with a small
``maxResults``; at teardown, the whole listing is walked once at the largest page size.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from hypothesis.stateful import invariant

from ...specs import load_service
from .core import MachineCore, resilient
from .mismatch import Diverged
from .state import listed_names, value_at

__all__ = ["ListingRules"]


@functools.cache
def _largest_listing_page() -> int:
    """DescribeRepositories' largest maxResults, from the specs (1000 when they state none)."""
    op = load_service().operation("DescribeRepositories")
    bound = op.input.member("maxResults").shape.constraint("maximum")
    return int(bound.value) if bound is not None else 1000


class ListingRules(MachineCore):
    """Invariants over the listings, the final walk of the whole listing, and teardown."""

    def pages(
        self,
        operation: str,
        params: dict[str, Any],
        key: str,
        size: int | None = None,
        keep: Callable[[Any], bool] | None = None,
    ) -> list[Any]:
        """Walk every page of a paginated operation (``maxResults``: ``size``, by default the
        machine's small page size; only listings of the run's own repository use it), keeping
        the items ``keep`` accepts (all by default): what a walk holds at once does not grow
        with what else the registry holds."""
        items: list[Any] = []
        token: str | None = None
        self.last_exchange = None
        for _ in range(1000):
            request = dict(params, maxResults=size or self.page_size)
            if token is not None:
                request["nextToken"] = token
            ex = self.last_exchange = self.call(operation, request)
            body = self.expect_ok(ex, "listing-pages", params.get("repositoryName"))
            items.extend(i for i in body.get(key) or [] if keep is None or keep(i))
            token = body.get("nextToken")
            if not token:
                return items
        self.mismatch(self.last_exchange, "nextToken", "a last page", "pagination-ends")
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
                lambda ex: ex.ok and listed_names(ex) == want,
            )
            self.expect_ok(ex, "describe-repositories-answers")
            got = listed_names(ex)
            if got != want:
                for name in got ^ want:
                    self.quarantine(name)
                self.mismatch(ex, "repositories", names, "listing-exact", sorted(got))
        gone, self.gone = sorted(self.gone), set()
        for name in gone:
            ex = self.call("DescribeRepositories", {"repositoryNames": [name]})
            self.expect_error(ex, {"RepositoryNotFoundException"}, "listing-exact", name)

    def listing_matches(self) -> None:
        """The whole listing, walked once at the largest page size, holds exactly the model's
        repositories among those under this run's prefix."""
        mine = self.run_prefix + "-"
        listed = self.pages(
            "DescribeRepositories", {}, "repositories", _largest_listing_page(), _named(mine)
        )
        names = {r.get("repositoryName") for r in listed}
        got = {n for n in names if isinstance(n, str)} - self.quarantined
        want = set(self.model.repositories)
        if got != want:
            self.mismatch(
                self.last_exchange,
                "repositories",
                sorted(want),
                "listing-exact",
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
            except Diverged as exc:
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
                "tag-moves" if set(listed) == set(expected) else "listing-exact",
                {d: sorted(t) for d, t in listed.items()},
                name,
            )
        tags = self.pages("DescribeImageTags", {"repositoryName": name}, "imageTagDetails")
        pairs = {(t.get("imageTag"), value_at(t, "imageDetail", "imageDigest")) for t in tags}
        want = {(tag, d) for d, i in repo.images.items() for tag in i.tags}
        if pairs != want:
            self.mismatch(
                self.last_exchange,
                "imageTagDetails",
                sorted(want),
                "tag-moves",
                sorted(pairs, key=repr),
                name,
            )

    def teardown(self) -> None:
        """Compare the whole listing once; then delete every repository this run created and
        restore the registry catalog data."""
        try:
            if self.created and not self.failed:  # a failing run is reported as it failed
                if self.mismatches is not None:
                    resilient(ListingRules.listing_matches)(self)
                else:
                    self.listing_matches()
        finally:
            self.clean_up()


def _named(prefix: str) -> Callable[[Any], bool]:
    """Whether a listed repository's name starts with ``prefix``."""
    return lambda r: isinstance(r, dict) and str(r.get("repositoryName", "")).startswith(prefix)
