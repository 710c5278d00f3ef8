"""The safety guard: what a run may send, and whether it may change anything at all.

Every state-changing request is checked before it leaves: one that names a resource the run
did not create, or one whose effect cleanup could not undo, is never sent (``UnsafeRequest``,
a defect of the suite). Against AWS nothing is listed in the public gallery, paid content needs
its own opt-in, and a check that creates resources is skipped without the mutation opt-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...specs import Service
from .config import RunConfig
from .namespace import Namespace, UnsafeRequest
from .registry import Skip
from .semantics import paid_content_write, publishes, unrestorable


@dataclass
class Guard:
    """The run's safety rules, from its configuration, spec and name prefix."""

    config: RunConfig
    service: Service
    prefix: str

    @property
    def namespace(self) -> Namespace:
        """The run's namespace: what every state-changing request may name."""
        return Namespace.of_prefix(self.prefix)

    def refuse_unsafe(self, operation: str, params: Any, body: Any) -> None:
        """Raise ``UnsafeRequest`` (or ``Skip`` against AWS) for a request that must not be
        sent; return for one that may."""
        if self.config.targets_aws:
            self.paid_content(operation, params)
        why = unrestorable(operation, params)
        if why:
            raise UnsafeRequest(
                f"the suite refused to send {operation}: {why} (a defect of the suite)"
            )
        op = self.service.operations.get(operation)
        foreign = self.namespace.foreign(op, params, body) if op is not None else []
        if foreign:
            raise UnsafeRequest(
                f"the suite refused to send {operation} naming {foreign[0]!r}, which the run "
                f"did not create (outside {self.namespace.token}*): a defect of the suite"
            )

    def paid_content(self, operation: str, params: Any) -> None:
        """Against AWS: nothing is made AVAILABLE in the gallery, and premium writes need
        their own opt-in (``--allow-aws-premium``) besides the mutation one."""
        if publishes(params):
            raise Skip(f"never sent to AWS: {operation} would list content in the public gallery")
        if paid_content_write(operation) and not self.config.aws.premium:
            raise Skip(
                f"refusing to change paid content in an AWS account: {operation} writes premium "
                "repositories, products, associations or image status; pass --allow-aws-premium "
                "(with --allow-aws-mutations and --sandbox-accounts) to allow it"
            )

    def mutation(self, what: str) -> None:
        """Refuse (skip) a mutating check against AWS without the opt-in, naming what it creates."""
        if self.config.read_only:
            raise Skip(f"read-only run: this check would {what}")
        if self.config.targets_aws and not self.config.aws.mutations:
            raise Skip(
                f"refusing to modify an AWS account: this check would {what} (public "
                f"repositories named {self.prefix}-*); pass --ecr-allow-aws-mutations with "
                "--ecr-sandbox-accounts to allow it"
            )

    def may_mutate(self) -> bool:
        """True when this run may create resources on the target."""
        if self.config.read_only:
            return False
        return not self.config.targets_aws or self.config.aws.mutations
