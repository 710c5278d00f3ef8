"""The `ecr-public-conformance` command: run, serve, specs, report and cleanup."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from . import __version__


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command registered."""
    from .specs.derive import cli as specs_cli

    parser = argparse.ArgumentParser(
        prog="ecr-public-conformance",
        description="Conformance suite for the Amazon ECR Public API.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    specs_cli.add_parser(sub)
    from . import run

    run.add_parser(sub)
    for module in _optional_commands():
        module.add_parser(sub)
    return parser


def _optional_commands() -> list[Any]:
    """Sub-command modules other than ``specs``, imported lazily."""
    import importlib

    out = []
    for name in ("reference.cli", "reports.cli", "conformance.cli"):
        try:
            out.append(importlib.import_module(f"ecr_public_conformance.{name}"))
        except ModuleNotFoundError as exc:
            if not f"ecr_public_conformance.{name}".startswith(exc.name or "-"):
                raise
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
