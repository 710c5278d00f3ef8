"""The run's configuration, read from the ``--ecr-*`` options (one place, typed)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

Strictness = Literal["spec", "aws"]
PROFILES = ("quick", "ci", "nightly")
DEFAULT_TIMEOUT_S = 15.0
DEFAULT_CONSISTENCY_WINDOW_S = 10.0
DEFAULT_AWS_REQUEST_CAP = 3000


@dataclass(frozen=True)
class RunConfig:
    """Everything the options say about a run."""

    endpoint_url: str | None = None
    region: str = "us-east-1"
    profile: str = "quick"
    strictness: Strictness = "spec"
    operations: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    seed: int | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    consistency_window_s: float = DEFAULT_CONSISTENCY_WINDOW_S
    allow_aws_mutations: bool = False
    sandbox_accounts: tuple[str, ...] = ()
    max_requests: int | None = None
    ledger: Path | None = None
    read_only: bool = False
    reference_faults: tuple[str, ...] = ()
    reference_variants: tuple[str, ...] = ()
    expected_failures: Path | None = None
    records: Path | None = None
    hypothesis_db: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def targets_aws(self) -> bool:
        """True when requests would go to AWS itself (no endpoint, or an amazonaws.com host)."""
        if self.endpoint_url is None:
            return False
        host = urlsplit(self.endpoint_url).hostname or ""
        return host == "amazonaws.com" or host.endswith(".amazonaws.com")

    @property
    def request_cap(self) -> int | None:
        """The most requests the run may send (capped by default against AWS)."""
        if self.max_requests is not None:
            return self.max_requests
        return DEFAULT_AWS_REQUEST_CAP if self.targets_aws else None


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def from_options(get: Any) -> RunConfig:
    """Build the configuration from pytest's ``config.getoption``."""
    seed = get("ecr_seed")
    return RunConfig(
        endpoint_url=get("ecr_endpoint_url") or os.environ.get("ECR_PUBLIC_ENDPOINT_URL") or None,
        region=get("ecr_region"),
        profile=get("ecr_profile"),
        strictness=get("ecr_strictness"),
        operations=_csv(get("ecr_operations")),
        checks=_csv(get("ecr_checks")),
        seed=int(seed) if seed not in (None, "") else None,
        timeout_s=float(get("ecr_timeout")),
        consistency_window_s=float(get("ecr_consistency_window")),
        allow_aws_mutations=bool(get("ecr_allow_aws_mutations")),
        sandbox_accounts=_csv(get("ecr_sandbox_accounts")),
        max_requests=get("ecr_max_requests"),
        ledger=_path(get("ecr_ledger")),
        read_only=bool(get("ecr_read_only")),
        reference_faults=tuple(get("ecr_reference_fault") or ()),
        reference_variants=tuple(get("ecr_reference_variant") or ()),
        expected_failures=_path(get("ecr_expected_failures")),
        records=_path(get("ecr_records")),
        hypothesis_db=_path(get("ecr_hypothesis_db")),
    )
