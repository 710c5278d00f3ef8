"""The ``serve`` sub-command: run the reference endpoint until interrupted."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..records.options import RUN_EDITION as SERVE_EDITION
from .app import make_endpoint
from .faults import FAULTS
from .market import load_json_list
from .server import address, bind
from .variants import VARIANTS


def add_parser(sub: Any) -> None:
    """Register ``serve`` on argparse's sub-parsers object."""
    p = sub.add_parser(
        "serve",
        help="run the in-memory reference ECR Public endpoint",
        description="Serve the embedded reference ECR Public endpoint (AWS JSON 1.1, every "
        "operation of a spec edition, in memory) until Ctrl-C. Fault switches make it deviate "
        "from the spec in one documented way each; variants make it take the other valid "
        "choice where the spec leaves one.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port to bind (default 0: a free port)")
    p.add_argument(
        "--edition",
        default=SERVE_EDITION,
        help="the spec edition to serve: a name or newest/oldest/seed (default "
        f"{SERVE_EDITION}, as run judges by; see `specs editions`)",
    )
    _switches(p)
    _limits(p)
    _premium_arguments(p)
    p.set_defaults(handler=serve)


def _switches(p: Any) -> None:
    """Fault switches and variants."""
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="turn on a fault switch (repeatable; see --list-faults)",
    )
    p.add_argument("--list-faults", action="store_true", help="list the fault switches and exit")
    p.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME",
        help="take the other valid choice of a freedom the spec leaves (repeatable; 'all' for "
        "every variant; see --list-variants)",
    )
    p.add_argument("--list-variants", action="store_true", help="list the variants and exit")


def _limits(p: Any) -> None:
    """Signatures, unsupported operations and limits."""
    p.add_argument(
        "--verify-sigv4",
        action="store_true",
        help="verify SigV4 signatures against --credential pairs",
    )
    p.add_argument(
        "--credential",
        action="append",
        default=[],
        metavar="KEY:SECRET",
        help="an access key and its secret for --verify-sigv4 (default test:test)",
    )
    p.add_argument(
        "--unsupported",
        action="append",
        default=[],
        metavar="OPERATION",
        help="answer this operation with UnsupportedCommandException (repeatable)",
    )
    p.add_argument(
        "--immutable-tags",
        action="store_true",
        help="refuse to move an existing tag (ImageTagAlreadyExistsException)",
    )
    p.add_argument(
        "--max-repositories",
        type=int,
        default=10_000,
        help="most repositories the registry holds; beyond, CreateRepository answers "
        "LimitExceededException (default 10000)",
    )
    p.add_argument(
        "--min-part-size",
        type=int,
        default=0,
        help="minimum size of a layer part but the last (default: no minimum)",
    )


def _premium_arguments(p: Any) -> None:
    """What the API cannot create (premium repositories; editions that have them)."""
    g = p.add_argument_group("what the API cannot create (editions with premium repositories)")
    g.add_argument(
        "--unverified-registry",
        action="store_true",
        help="the registry is not verified (no display name, no premium repositories)",
    )
    g.add_argument(
        "--alias-status",
        choices=("ACTIVE", "PENDING", "REJECTED"),
        default="ACTIVE",
        help="the status of the registry's custom alias (default ACTIVE: approved)",
    )
    g.add_argument(
        "--marketplace-product",
        action="append",
        default=[],
        metavar="ID",
        help="a Marketplace product the caller owns (repeatable; replaces the default "
        "prod-reference-a to -f; '*' owns every product id)",
    )
    for flag, what in (
        ("--entitlements", "entitled repositories of other publishers, with their images"),
        ("--publisher-reports", "publisher reports (PublisherReport objects)"),
        ("--scan-findings", "the findings of every successful scan (ImageScanFinding objects)"),
    ):
        g.add_argument(flag, metavar="FILE", help=f"a JSON list: {what} (default: a sample)")
    g.add_argument(
        "--scan-seconds",
        type=float,
        default=0.5,
        help="how long a scan of a pushed image takes (default 0.5)",
    )
    g.add_argument(
        "--scan-outcome",
        action="append",
        default=[],
        metavar="TAG=STATUS",
        help="scans of images pushed with TAG end in STATUS (repeatable; replaces the "
        "defaults scan-failed=FAILED, scan-unsupported=UNSUPPORTED_IMAGE, "
        "scan-expired=SCAN_ELIGIBILITY_EXPIRED, scan-unavailable=FINDINGS_UNAVAILABLE)",
    )


def premium_options(args: argparse.Namespace) -> dict[str, Any]:
    """The endpoint options the premium flags give (``ValueError`` for a malformed one)."""

    out: dict[str, Any] = {
        "registry_verified": not args.unverified_registry,
        "alias_status": args.alias_status,
        "scan_seconds": args.scan_seconds,
    }
    if args.marketplace_product:
        out["marketplace_products"] = args.marketplace_product
    files = ("entitlements", "publisher_reports", "scan_findings")
    for key in files:
        path = getattr(args, key)
        if path is not None:
            out[key] = load_json_list(path, key.replace("_", " "))
    if args.scan_outcome:
        pairs = [o.partition("=") for o in args.scan_outcome]
        if any(not tag or not eq or not status for tag, eq, status in pairs):
            raise ValueError("--scan-outcome takes TAG=STATUS")
        out["scan_outcomes"] = {tag: status for tag, _, status in pairs}
    return out


def list_faults() -> int:
    """Print every fault switch with its category (or kind) and description."""
    for fault in sorted(FAULTS.values(), key=lambda f: (f.kind, f.category or "", f.name)):
        edition = f" [{fault.edition}]" if fault.edition else ""
        print(f"{fault.usage:32} {fault.category or fault.kind:12} {fault.description}{edition}")
    return 0


def list_variants() -> int:
    """Print every variant with the freedoms it exercises and what it does."""

    for variant in sorted(VARIANTS.values(), key=lambda v: v.name):
        edition = f" [{variant.edition}]" if variant.edition else ""
        freedoms = ",".join(variant.freedoms)
        print(f"{variant.name:34} {freedoms:30} {variant.description}{edition}")
    return 0


def _endpoint(args: argparse.Namespace) -> Any:

    creds = dict(c.split(":", 1) for c in args.credential) or None
    return make_endpoint(
        args.fault,
        args.verify_sigv4,
        creds,
        edition=args.edition,
        unsupported=args.unsupported,
        immutable_tags=args.immutable_tags,
        max_repositories=args.max_repositories,
        min_part_size=args.min_part_size,
        variants=args.variant,
        **premium_options(args),
    )


def serve(args: argparse.Namespace) -> int:
    """Bind, print ``Listening on http://HOST:PORT`` and serve until Ctrl-C."""

    if args.list_faults:
        return list_faults()
    if args.list_variants:
        return list_variants()
    try:
        httpd = bind(args.host, args.port, _endpoint(args))
    except (ValueError, TypeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    host, port = address(httpd)
    print(f"Listening on http://{host}:{port}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0
