"""``ecr-public-conformance specs derive|check``: the command-line side of the derivation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..loader import SPECS_DIR
from .errors import DocumentError
from .pipeline import CheckFailed, check_specs, derive, write_specs
from .service_model import refresh_vendored


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Register ``specs derive`` and ``specs check`` on the main parser."""
    specs = sub.add_parser("specs", help="derive or check the machine-readable specs")
    actions = specs.add_subparsers(dest="specs_action", required=True)
    d = actions.add_parser("derive", help="derive specs/ from the reference document")
    d.add_argument("--specs-dir", type=Path, default=SPECS_DIR, help="specs folder to write")
    d.add_argument("--document", type=Path, help="reference document (default: the vendored one)")
    d.add_argument(
        "--refresh-model",
        action="store_true",
        help="first copy the installed botocore's ecr-public model into specs/source/",
    )
    c = actions.add_parser("check", help="fail if committed specs differ from a fresh derivation")
    c.add_argument("--specs-dir", type=Path, default=SPECS_DIR, help="specs folder to check")
    specs.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``specs derive`` or ``specs check``; return the exit code."""
    try:
        if args.specs_action == "derive":
            if args.refresh_model:
                version = refresh_vendored(args.specs_dir / "source")
                print(f"vendored the service model of botocore {version}")
            files = derive(args.specs_dir, args.document)
            write_specs(files, args.specs_dir)
            print(f"wrote {len(files)} files under {args.specs_dir}")
            return 0
        check_specs(args.specs_dir)
        print(f"specs under {args.specs_dir} match a fresh derivation and the spec schema")
        return 0
    except DocumentError as exc:
        print(f"error: the reference document is malformed: {exc}", file=sys.stderr)
        return 2
    except CheckFailed as exc:
        print(f"specs check failed: {exc}", file=sys.stderr)
        return 1
