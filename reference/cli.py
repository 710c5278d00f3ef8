"""The ``serve`` sub-command: run the reference endpoint until interrupted."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .faults import FAULTS


def add_parser(sub: Any) -> None:
    """Register ``serve`` on argparse's sub-parsers object."""
    p = sub.add_parser(
        "serve",
        help="run the in-memory reference ECR Public endpoint",
        description="Serve the embedded reference ECR Public endpoint (AWS JSON 1.1, all 23 "
        "operations, in memory) until Ctrl-C. Fault switches make it deviate from the spec in "
        "one documented way each; variants make it take the other valid choice where the spec "
        "leaves one.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port to bind (default 0: a free port)")
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
    p.set_defaults(handler=serve)


def list_faults() -> int:
    """Print every fault switch with its category (or kind) and description."""
    for fault in sorted(FAULTS.values(), key=lambda f: (f.kind, f.category or "", f.name)):
        print(f"{fault.usage:28} {fault.category or fault.kind:12} {fault.description}")
    return 0


def list_variants() -> int:
    """Print every variant with the freedoms it exercises and what it does."""
    from .variants import VARIANTS

    for variant in sorted(VARIANTS.values(), key=lambda v: v.name):
        print(f"{variant.name:34} {','.join(variant.freedoms):24} {variant.description}")
    return 0


def serve(args: argparse.Namespace) -> int:
    """Bind, print ``Listening on http://HOST:PORT`` and serve until Ctrl-C."""
    from .app import make_endpoint
    from .server import address, bind

    if args.list_faults:
        return list_faults()
    if args.list_variants:
        return list_variants()
    try:
        creds = dict(c.split(":", 1) for c in args.credential) or None
        endpoint = make_endpoint(
            args.fault,
            args.verify_sigv4,
            creds,
            unsupported=args.unsupported,
            immutable_tags=args.immutable_tags,
            max_repositories=args.max_repositories,
            min_part_size=args.min_part_size,
            variants=args.variant,
        )
        httpd = bind(args.host, args.port, endpoint)
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
