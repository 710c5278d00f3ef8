"""``ecr-public-conformance cleanup``: remove what an interrupted run left behind."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from ...records import Cleanup
from ...records.options import add_arguments
from ...wire import WireClient, resolve_endpoint
from .credentials import usual_credentials
from .ledger import DEFAULT_CLEANUP_S, Retrier, clean_up, cleanup_command, list_prefix, read_ledger


def add_parser(sub: Any) -> None:
    """Register ``cleanup`` on the main parser."""
    p = sub.add_parser(
        "cleanup",
        help="delete what an interrupted run created",
        description="Delete the repositories an interrupted run created, from "
        "its ledger or by name prefix, and restore registry catalog data. Faults of the "
        "target (resets, 5xx, throttling) are retried; afterwards the target is asked "
        "again, to verify that nothing is left.",
    )
    add_arguments(p, "cleanup")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--ledger", type=Path, help="the run's ledger file")
    what.add_argument(
        "--prefix",
        help="delete repositories whose names start with this "
        "(must start with 'ecrconf-', the suite's own prefix)",
    )
    p.add_argument("--dry-run", action="store_true", help="list, delete nothing")
    p.add_argument(
        "--retry-for",
        type=float,
        default=DEFAULT_CLEANUP_S,
        metavar="SECONDS",
        help=f"keep retrying a misbehaving target for at most this long "
        f"(default {DEFAULT_CLEANUP_S:g})",
    )
    p.set_defaults(handler=run)


def _usage_error(args: argparse.Namespace) -> str | None:
    if args.prefix is not None and not args.prefix.startswith("ecrconf-"):
        return "--prefix must start with 'ecrconf-' (only the suite's own names)"
    if not (math.isfinite(args.retry_for) and args.retry_for > 0):
        return f"--retry-for must be a positive number of seconds (got {args.retry_for:g})"
    return None


def run(args: argparse.Namespace) -> int:
    """Run ``cleanup``; return 0, 1 when something is left or unverified, 2 on bad input."""
    problem = _usage_error(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        entries = read_ledger(args.ledger) if args.ledger else []
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    url = resolve_endpoint(args.endpoint_url, args.region)
    client = WireClient(url, args.region, usual_credentials())
    retrier = Retrier(client, args.retry_for)
    names = [str(e["name"]) for e in entries if e.get("kind") == "repository"]
    if args.prefix:
        names, complete = list_prefix(retrier, args.prefix)
        if not complete:
            print(
                f"error: target unreachable: could not list the repositories of "
                f"{client.endpoint_url} within {args.retry_for:g} s",
                file=sys.stderr,
            )
            return 2
    print(
        f"{len(names)} {'repository' if len(names) == 1 else 'repositories'} to delete"
        + (" (dry run)" if args.dry_run else "")
    )
    for name in names:
        print(f"  {name}")
    if args.dry_run:
        return 0
    command = cleanup_command(
        args.endpoint_url, args.prefix, args.ledger if args.ledger else None, args.region
    )
    report = clean_up(client, args.prefix, names, entries, command=command, retrier=retrier)
    return _print_report(report)


def _print_report(report: Cleanup) -> int:
    """Say what is left and how to finish; return the exit code."""
    for name in report.left:
        print(f"could not delete {name}", file=sys.stderr)
    if not report.registry_restored:
        print("could not restore the registry catalog data", file=sys.stderr)
    if not report.verified:
        print("could not verify that nothing is left (the target did not answer)", file=sys.stderr)
    if report.clean:
        print(f"deleted {report.deleted}; verified: nothing is left")
        return 0
    print(f"to finish: {report.command}", file=sys.stderr)
    return 1
