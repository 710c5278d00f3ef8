"""The failure factory: the spec fact a check enforces, and a failure that explains itself.

A failure names where its request went (the reproducers' target), what the spec wants and what
came back, and which of the run's resources a reproduction needs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ...records import Failure, SpecFact, Target
from ...wire import Exchange
from .explain import Where, failure
from .resources import Resources


@dataclass
class FailureFactory:
    """Builds the failures of one run's checks (its endpoint, region, target and resources)."""

    endpoint_url: str
    region: str
    prefix: str
    resources: Resources
    #: The run's target as the session described it (None: not described).
    target: Target | None = None

    def fact(
        self, operation: str, member: str | None, constraint: str, provenance: str
    ) -> SpecFact:
        """Build the spec fact a failure violates."""
        return SpecFact(operation, member, constraint, provenance)

    def fail(
        self,
        message: str,
        exchange: Exchange | None,
        fact: SpecFact,
        expected: str = "",
        actual: str = "",
    ) -> Failure:
        """Build a self-explaining failure for ``exchange``: ``expected`` is what the spec
        wants and ``actual`` what came back (by default the answer's status and code or body)."""
        where = Where.of(self.endpoint_url, self.region, self.target)
        return failure(message, exchange, fact, where, expected, actual, self.setup_of(exchange))

    def setup_of(self, exchange: Exchange | None) -> dict[str, Any]:
        """What a reproduction of ``exchange`` needs: the run's resources its request names."""
        if exchange is None:
            return {}
        text = json.dumps(exchange.request_body, default=str)
        names = sorted(set(re.findall(re.escape(self.prefix) + r"[a-z0-9._/-]*", text)))
        if not names:
            return {}
        needs = []
        for world in self.resources.worlds():
            if world.repository in names:
                needs.append(
                    f"repository {world.repository} with one pushed image (tag "
                    f"{world.image_tag}), a policy, catalog data and a tag"
                )
        return {
            "names": names,
            "needs": needs or [f"repositories the check created: {', '.join(names)}"],
            "replay": "ecr-public-conformance replay recreates them under a fresh prefix",
        }
