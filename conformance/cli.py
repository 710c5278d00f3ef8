"""``ecr-public-conformance cleanup``: remove what an interrupted run left behind."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..wire import TargetUnreachable, WireClient
from .ledger import delete_repositories, read_ledger, repositories_with_prefix, restore_registry
from .session import usual_credentials


def add_parser(sub: Any) -> None:
    """Register ``cleanup`` on the main parser."""
    p = sub.add_parser(
        "cleanup",
        help="delete what an interrupted run created",
        description="Delete the repositories an interrupted run created, from "
        "its ledger or by name prefix, and restore registry catalog data.",
    )
    p.add_argument("--endpoint-url", required=True, help="the endpoint the run targeted")
    p.add_argument("--region", default="us-east-1")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--ledger", type=Path, help="the run's ledger file")
    what.add_argument(
        "--prefix",
        help="delete repositories whose names start with this "
        "(must start with 'ecrconf-', the suite's own prefix)",
    )
    p.add_argument("--dry-run", action="store_true", help="list, delete nothing")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``cleanup``; return 0, 1 when something could not be deleted, 2 on bad input."""
    if args.prefix is not None and not args.prefix.startswith("ecrconf-"):
        print(
            "error: --prefix must start with 'ecrconf-' (only the suite's own names)",
            file=sys.stderr,
        )
        return 2
    client = WireClient(args.endpoint_url, args.region, usual_credentials())
    try:
        entries = read_ledger(args.ledger) if args.ledger else []
        names = [e["name"] for e in entries if e["kind"] == "repository"]
        if args.prefix:
            names = repositories_with_prefix(client, args.prefix)
        print(f"{len(names)} repositories to delete" + (" (dry run)" if args.dry_run else ""))
        for name in names:
            print(f"  {name}")
        if args.dry_run:
            return 0
        left = delete_repositories(client, names)
        restore_registry(client, entries)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except TargetUnreachable as exc:
        print(f"error: target unreachable: {exc}", file=sys.stderr)
        return 2
    for name in left:
        print(f"could not delete {name}", file=sys.stderr)
    return 1 if left else 0
