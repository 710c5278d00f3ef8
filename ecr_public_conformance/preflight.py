"""Everything ``run`` checks before it sends a request: options, files, names, folders, target.

Each problem is one line (an :class:`~.conformance.config.OptionError` or a
:class:`~.conformance.probe.ProbeError`) that ``run`` prints with exit code 2; nothing here
starts the suite, and nothing is left behind (probe files and the folders created to hold them
are removed again).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .conformance.harness.config import (
    OptionError,
    check_edition,
    check_endpoint_url,
    check_expected_failures,
    check_operations,
    check_reference_faults,
    check_reference_variants,
    draw_seed,
    parse_shard,
)

#: At most this many workers are picked by ``--workers auto``.
MAX_AUTO_WORKERS = 4
PROBE_FILE = ".ecr-public-conformance-write-probe"


@dataclass(frozen=True)
class Plan:
    """What the checked options settle: the seed, the workers, the shard, the folders."""

    seed: int
    workers: int
    shard: tuple[int, int] | None
    report_dir: Path
    history_dir: Path
    endpoint_url: str | None
    #: The shipped edition the run judges by (its name, aliases resolved).
    edition: str = ""


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def auto_workers(embedded_reference: bool, cores: int) -> int:
    """Workers that are never slower than serial here: 1 against the embedded reference or on
    two cores or fewer (the reference and the workers share them), else min(cores, 4)."""
    if embedded_reference or cores <= 2:
        return 1
    return min(cores, MAX_AUTO_WORKERS)


def _integer(text: str, least: int, what: str) -> int:
    """``text`` as an integer of at least ``least`` (``ArgumentTypeError`` names ``what``)."""
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise argparse.ArgumentTypeError(f"{text!r}: expected {what}")
    return value


def workers_option(text: str) -> str | int:
    """Parse ``--workers``: ``auto`` or a positive integer (an argparse type)."""
    if text == "auto":
        return text
    return _integer(text, 1, "a positive integer or 'auto'")


def positive_int(text: str) -> int:
    """Parse a positive integer (an argparse type)."""
    return _integer(text, 1, "a positive integer")


def seed_option(text: str) -> int:
    """Parse ``--seed``: a non-negative integer (an argparse type)."""
    return _integer(text, 0, "a non-negative integer")


def seconds_option(text: str) -> float:
    """Parse a number of seconds, zero or more (an argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: expected a number of seconds")
    return value


def check_writable_dir(path: Path, option: str) -> None:
    """Raise OptionError unless ``path`` can be created and written (a probe file is written
    and removed; folders created for it are removed again)."""
    created: list[Path] = []
    try:
        missing = [p for p in (path, *path.parents) if not p.exists()]
        for folder in reversed(missing):
            folder.mkdir()
            created.append(folder)
        if not path.is_dir():
            raise OptionError(f"{option} {path}: not a folder")
        probe = path / PROBE_FILE
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OptionError(f"{option} {path}: cannot write there ({reason})") from None
    finally:
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                pass


def check_options(args: Any) -> Plan:
    """Check every option, file, name and folder of ``run``; return what they settle."""
    shard = parse_shard(args.shard)
    edition = check_edition(args.edition)
    if getattr(args, "allow_aws_premium", False) and not getattr(
        args, "allow_aws_mutations", False
    ):
        raise OptionError(
            "--allow-aws-premium needs --allow-aws-mutations (and --sandbox-accounts)"
        )
    if args.endpoint_url is not None:
        check_endpoint_url(args.endpoint_url)
        if args.reference_fault or getattr(args, "reference_variant", None):
            which = "--reference-fault" if args.reference_fault else "--reference-variant"
            raise OptionError(
                f"{which}: fault switches and variants apply to the embedded reference only; "
                "drop --endpoint-url to use them"
            )
    if args.operations is not None:
        names = [n.strip() for n in args.operations.split(",") if n.strip()]
        if not names:
            raise OptionError("--operations: no operation named")
        check_operations(names, edition=edition)
    check_reference_faults(args.reference_fault)
    check_reference_variants(getattr(args, "reference_variant", None) or [])
    if args.expected_failures is not None:
        check_expected_failures(args.expected_failures, _check_ids())
    update = getattr(args, "update_expected_failures", None)
    if update is not None:
        if update.exists():
            check_expected_failures(update, _check_ids(), "--update-expected-failures")
        check_writable_dir(
            update.parent if str(update.parent) else Path("."), "--update-expected-failures"
        )
    if getattr(args, "oracle", None) is not None:
        # deferred: usage errors answer before the suite loads (parity loads its replay)
        from .conformance.parity.corpus import check_oracle

        check_oracle(args.oracle, edition=edition)
    elif getattr(args, "parity_gate", False):
        raise OptionError("--parity-gate needs --oracle DIR (a parity corpus to compare with)")
    history_dir = args.history_dir or args.report_dir.parent / "history"
    check_writable_dir(args.report_dir, "--report-dir")
    check_writable_dir(history_dir, "--history-dir" if args.history_dir else "history folder")
    workers = args.workers
    if workers == "auto":
        workers = auto_workers(args.endpoint_url is None, available_cores())
    return Plan(
        seed=draw_seed() if args.seed is None else args.seed,
        workers=int(workers),
        shard=shard,
        report_dir=args.report_dir,
        history_dir=history_dir,
        endpoint_url=args.endpoint_url,
        edition=edition,
    )


def _check_ids() -> list[str]:
    """The suite's check ids (what an expected-failures file may name)."""
    # deferred: usage errors answer before the suite loads (importing the checks loads it)
    from .conformance.checks import all_checks

    return list(all_checks())
