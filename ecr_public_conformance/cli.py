"""The `ecr-public-conformance` command: run, replay, serve, specs, report and cleanup."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from . import __version__
from .conformance.harness.config import EXIT_INTERRUPTED


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr (exit code 2), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        """Print ``error: <message>`` and exit with 2."""
        self.exit(2, f"error: {self.prog}: {message}\n")


#: Each sub-command and the module (under ``ecr_public_conformance``) that registers it, in
#: the order ``--help`` lists them.
COMMANDS = {
    "specs": "specs.derive.specs_command",
    "run": "run",
    "replay": "replay",
    "serve": "reference.serve_command",
    "report": "reports.report_command",
    "cleanup": "conformance.harness.cleanup_command",
    "record": "conformance.parity.record_command",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command registered, or only ``command``.

    A command line that names its sub-command needs that one alone: importing the modules
    of all the others took about a tenth of a second of every run's start-up.
    """
    parser = OneLineParser(
        prog="ecr-public-conformance",
        description="Conformance suite for the Amazon ECR Public API.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    names = [command] if command in COMMANDS else list(COMMANDS)
    for module in _command_modules(names):
        module.add_parser(sub)
    return parser


def _command_modules(names: list[str]) -> list[Any]:
    """The modules registering the sub-commands ``names``, imported lazily; one whose
    subpackage is not installed is left out."""
    import importlib

    out = []
    for name in names:
        try:
            out.append(importlib.import_module(f"ecr_public_conformance.{COMMANDS[name]}"))
        except ModuleNotFoundError as exc:
            if not f"ecr_public_conformance.{COMMANDS[name]}".startswith(exc.name or "-"):
                raise
    return out


#: Exit code when the reader of stdout went away (128 + SIGPIPE, like ``cat`` killed by it).
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code.

    A reader that stops early (``| head``) ends the command quietly, and an interrupt outside a
    run (which handles its own) is one line, never a traceback.
    """
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        parser = build_parser(words[0] if words else None)
        args = parser.parse_args(words)
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
