"""The `ecr-public-conformance` command: run, replay, serve, specs, report and cleanup."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from . import __version__
from .conformance.config import EXIT_INTERRUPTED


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr (exit code 2), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        """Print ``error: <message>`` and exit with 2."""
        self.exit(2, f"error: {self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command registered."""
    from .specs.derive import specs_command as specs_cli

    parser = OneLineParser(
        prog="ecr-public-conformance",
        description="Conformance suite for the Amazon ECR Public API.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    specs_cli.add_parser(sub)
    from . import replay, run

    run.add_parser(sub)
    replay.add_parser(sub)
    for module in _optional_commands():
        module.add_parser(sub)
    return parser


def _optional_commands() -> list[Any]:
    """Sub-command modules other than ``specs``, imported lazily."""
    import importlib

    out = []
    for name in (
        "reference.serve_command",
        "reports.report_command",
        "conformance.cleanup_command",
        "conformance.parity.record_command",
    ):
        try:
            out.append(importlib.import_module(f"ecr_public_conformance.{name}"))
        except ModuleNotFoundError as exc:
            if not f"ecr_public_conformance.{name}".startswith(exc.name or "-"):
                raise
    return out


#: Exit code after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
#: Exit code when the reader of stdout went away (128 + SIGPIPE, like ``cat`` killed by it).
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code.

    A reader that stops early (``| head``) ends the command quietly, and an interrupt outside a
    run (which handles its own) is one line, never a traceback.
    """
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        code = int(args.handler(args) or 0)
        sys.stdout.flush()
        gc.freeze()  # the interpreter's last collections need not scan what the command built
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
