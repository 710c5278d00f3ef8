"""The run's configuration, read from the ``--ecr-*`` options (one place, typed)."""

from __future__ import annotations

import difflib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from ...records.options import OPTIONS, RUN_EDITION, config_values
from ...specs.editions import editions
from ...wire import is_aws_endpoint

Strictness = Literal["spec", "aws"]
DEFAULT_TIMEOUT_S = 15.0
DEFAULT_CONSISTENCY_WINDOW_S = 10.0
#: The exit code of a run or recording stopped by Ctrl-C or SIGTERM (128 + SIGINT).
EXIT_INTERRUPTED = 130
DEFAULT_AWS_REQUEST_CAP = 3000
#: Seeds drawn for runs given none are below this (short enough to read and type).
SEED_BOUND = 2**32


@dataclass(frozen=True)
class AwsOptIns:
    """What a run may do to AWS itself: create (in which accounts), and write paid content."""

    #: Create and delete repositories (``--allow-aws-mutations``).
    mutations: bool = False
    #: Premium writes too (paid-content listings; never AVAILABLE in the gallery).
    premium: bool = False
    #: The only accounts mutations may run in (``--sandbox-accounts``).
    sandbox_accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferenceSetup:
    """How the embedded reference starts: the faults switched on and the variants chosen."""

    faults: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParitySetup:
    """Parity with a recording: the corpus to replay and whether divergences fail the run."""

    #: A parity corpus to replay (``--ecr-oracle``): adds the ``parity`` cases.
    oracle: Path | None = None
    #: Let parity divergences fail the session (``--ecr-parity-gate``).
    gate: bool = False


@dataclass(frozen=True)
class RunConfig:
    """Everything the options say about a run (built by :func:`run_config` from the option
    table's flat names)."""

    endpoint_url: str | None = None
    region: str = "us-east-1"
    #: The spec edition judged by (a name or alias; see ``specs editions``).
    edition: str = RUN_EDITION
    profile: str = "quick"
    strictness: Strictness = "spec"
    operations: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    seed: int | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    consistency_window_s: float = DEFAULT_CONSISTENCY_WINDOW_S
    aws: AwsOptIns = field(default_factory=AwsOptIns)
    max_requests: int | None = None
    ledger: Path | None = None
    read_only: bool = False
    reference: ReferenceSetup = field(default_factory=ReferenceSetup)
    expected_failures: Path | None = None
    records: Path | None = None
    hypothesis_db: Path | None = None
    #: Seconds cleanup may spend retrying faults before it reports what is left.
    cleanup_s: float = 60.0
    parity: ParitySetup = field(default_factory=ParitySetup)
    #: ``I/N``: only shard I of N of the cases (``--ecr-shard``).
    shard: str | None = None
    #: The target's name, which keys its history (``--ecr-target-name``).
    target_name: str | None = None

    @property
    def targets_aws(self) -> bool:
        """True when requests would go to AWS itself (no endpoint, or an amazonaws.com host)."""
        return is_aws_endpoint(self.endpoint_url)

    @property
    def request_cap(self) -> int:
        """The most requests the run may send: ``--ecr-max-requests``, else the profile's
        request budget (and at most 3000 against AWS)."""
        if self.max_requests is not None:
            return self.max_requests
        # deferred: the plug-in imports this module in every pytest session (0.44 s for all these)
        from ...strategies.profiles import get_profile

        budget = get_profile(self.profile).request_budget
        return min(budget, DEFAULT_AWS_REQUEST_CAP) if self.targets_aws else budget

    @property
    def shrink_budget_s(self) -> float:
        """Seconds the run may spend making failing requests smaller, in all."""
        # deferred: the plug-in imports this module in every pytest session (0.44 s for all these)
        from ...strategies.profiles import get_profile

        return get_profile(self.profile).shrink_budget_s


#: The parts of RunConfig, by the name the option table's fields give them (``aws.mutations``).
PARTS = {"aws": AwsOptIns, "reference": ReferenceSetup, "parity": ParitySetup}
#: The options whose field is in a part, by their name (``allow_aws_mutations`` ->
#: ``("aws", "mutations")``): how callers of :func:`run_config` name them.
IN_PARTS = {o.dest: tuple(o.field.split(".")) for o in OPTIONS if o.field and "." in o.field}


def run_config(**values: Any) -> RunConfig:
    """Build the configuration from the option table's fields (``aws.mutations``), or the
    options' names for those in a part (``allow_aws_mutations``, ``oracle``: see IN_PARTS);
    the one way every caller builds it."""
    parts: dict[str, dict[str, Any]] = {name: {} for name in PARTS}
    for key in [k for k in values if k in IN_PARTS or "." in k]:
        part, name = IN_PARTS.get(key) or tuple(key.split(".", 1))
        parts[part][name] = values.pop(key)
    return RunConfig(**values, **{part: PARTS[part](**v) for part, v in parts.items()})


def from_options(get: Any) -> RunConfig:
    """Build the configuration from pytest's ``config.getoption``."""
    values = config_values(get)
    values["endpoint_url"] = values["endpoint_url"] or os.environ.get("ECR_PUBLIC_ENDPOINT_URL")
    return run_config(**values)


def target_name(config: RunConfig, kind: str) -> str:
    """The name of the run's target: the one given, ``reference`` for the embedded reference,
    else none (the history then keys the target by its URL)."""
    if config.target_name:
        return config.target_name
    return "reference" if kind == "reference" else ""


class OptionError(ValueError):
    """An option value that cannot be used; ``str()`` is the one-line reason."""


def draw_seed() -> int:
    """A fresh random seed for a run given none, so that every run can be replayed."""
    return secrets.randbelow(SEED_BOUND)


def parse_shard(text: str | None, option: str = "--shard") -> tuple[int, int] | None:
    """Parse ``I/N`` (1 <= I <= N); raise OptionError with a reason."""
    if not text:
        return None
    try:
        index, count = (int(x) for x in text.split("/"))
    except ValueError:
        raise OptionError(f"{option} {text!r}: expected I/N, e.g. 1/2") from None
    if not 1 <= index <= count:
        raise OptionError(f"{option} {text!r}: I must be between 1 and N")
    return index, count


def check_endpoint_url(url: str, option: str = "--endpoint-url") -> None:
    """Accept ``aws`` or an http(s) URL with a host; raise OptionError otherwise."""
    if url == "aws":
        return
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise OptionError(
            f"{option} {url!r}: not a URL; expected http://HOST[:PORT] or https://HOST[:PORT], "
            "or 'aws'"
        )


def check_edition(name: str, option: str = "--edition") -> str:
    """Return the name of the shipped edition ``name`` stands for; raise OptionError (with the
    known names) when there is none."""
    # deferred: the plug-in imports this module in every pytest session (0.44 s for all these)
    from ...specs.editions import EditionError, edition

    try:
        return edition(name).name
    except EditionError as exc:
        raise OptionError(f"{option}: {exc}") from None


def check_operations(
    names: Iterable[str], option: str = "--operations", edition: str | None = None
) -> None:
    """Raise OptionError naming the first unknown operation of ``edition`` (and the likely one
    meant, or the edition that has it)."""
    # deferred: the plug-in imports this module in every pytest session (0.44 s for all these)
    from ...specs import load_service

    service = load_service(edition)
    known = sorted(service.operations)
    for name in names:
        if name in known:
            continue
        elsewhere = [e.name for e in editions() if name in load_service(e.name).operations]
        if elsewhere:
            raise OptionError(
                f"{option}: {name} is not an operation of edition {service.edition} "
                f"(it is in {', '.join(elsewhere)}; choose it with --edition)"
            )
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(known)}"
        raise OptionError(f"{option}: unknown operation {name!r} ({hint})")


def check_reference_faults(names: Iterable[str], option: str = "--reference-fault") -> None:
    """Raise OptionError when a fault switch is unknown (the reference decides what is known)."""
    # deferred: the plug-in imports this module in every pytest session (0.44 s for all these)
    from ...reference.faults import check_faults

    try:
        check_faults(names)
    except ValueError as exc:
        raise OptionError(f"{option}: {exc}") from None


def check_reference_variants(names: Iterable[str], option: str = "--reference-variant") -> None:
    """Raise OptionError when a variant is unknown (the reference decides what is known)."""
    # deferred: the plug-in imports this module in every pytest session (0.44 s for all these)
    from ...reference.variants import check_variants

    try:
        check_variants(names)
    except ValueError as exc:
        raise OptionError(f"{option}: {exc}") from None


def check_expected_failures(
    path: Path, checks: Iterable[str], option: str = "--expected-failures"
) -> None:
    """Raise OptionError when the file is missing, does not parse, or names things that are
    neither an operation nor one of ``checks`` (the suite's check ids)."""
    # deferred: the plug-in imports this module in every pytest session (0.44 s for all these)
    from ...specs import load_service
    from .expected import ExpectedFailuresError, load_expected

    if not path.exists():
        raise OptionError(f"{option} {path}: no such file")
    if not path.is_file():
        raise OptionError(f"{option} {path}: not a file")
    try:
        load_expected(path, set(load_service().operations), set(checks))
    except ExpectedFailuresError as exc:
        raise OptionError(f"{option}: {exc}") from None
    except (AttributeError, TypeError):  # valid TOML of another shape
        raise OptionError(
            f"{option}: {path}: not an expected-failures file (expected [[expected]] tables "
            "with operation, check and reason)"
        ) from None
