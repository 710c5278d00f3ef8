"""``ecr-public-conformance report build`` (merge results files and write every report),
``report compare`` (several runs side by side) and ``report status`` (per-operation status to
commit)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..records import ResultsError, load
from ..records.options import DEFAULT_REPORT_DIR
from .compare import write_compare
from .fmt import plural, score_text
from .history import DEFAULT_KEEP
from .merge import merge
from .status import write_status
from .writers import write_reports

DEFAULT_OUT = DEFAULT_REPORT_DIR
DEFAULT_COMPARE_OUT = Path("reports/compare")
DEFAULT_STATUS_OUT = Path("conformance-status")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``report build`` on the main parser."""
    report = sub.add_parser("report", help="build reports from results.json files")
    actions = report.add_subparsers(dest="report_action", required=True)
    build = actions.add_parser(
        "build",
        help="merge results files (e.g. shards) and write results.json, junit.xml, "
        "summary.md, badge.svg and report.html",
    )
    build.add_argument("results", nargs="+", type=Path, metavar="RESULTS", help="results.json")
    build.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})"
    )
    build.add_argument(
        "--history-dir", type=Path, help="history folder (default: <out>/../history)"
    )
    build.add_argument(
        "--keep",
        type=int,
        default=DEFAULT_KEEP,
        help=f"runs kept in the history (default: {DEFAULT_KEEP})",
    )
    compare = actions.add_parser(
        "compare",
        help="several runs (different targets) side by side: compare.html and compare.md",
    )
    compare.add_argument(
        "results", nargs="+", type=Path, metavar="RESULTS", help="results.json of each run"
    )
    compare.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_COMPARE_OUT,
        help=f"output folder (default: {DEFAULT_COMPARE_OUT})",
    )
    status = actions.add_parser(
        "status",
        help="per-operation status to commit and diff: status.md (a table) and status.json",
    )
    status.add_argument("results", type=Path, metavar="RESULTS", help="results.json of a run")
    status.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_STATUS_OUT,
        help=f"output folder (default: {DEFAULT_STATUS_OUT})",
    )
    report.set_defaults(handler=run)


def _refused(exc: Exception, writing: str) -> int:
    """Print the one line a bad results file or an unwritable folder gets; return 2."""
    if isinstance(exc, ResultsError):
        print(f"error: {exc}", file=sys.stderr)
    else:
        print(f"error: cannot write {writing}: {exc}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run ``report build`` or ``report compare``; return 0, or 2 with a one-line reason on
    bad input."""
    if args.report_action == "compare":
        return compare(args)
    if args.report_action == "status":
        return status(args)
    try:
        merged = merge([load(p) for p in args.results])
        written = write_reports(merged, args.out, args.history_dir, keep=args.keep)
    except (ResultsError, OSError) as exc:
        return _refused(exc, "the reports")
    s = merged.summary
    print(
        f"score {score_text(s.score)}: {s.passed} passed, {s.failed} failed, "
        f"{plural(s.errors, 'error')}, {s.total} total"
    )
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0


def status(args: argparse.Namespace) -> int:
    """Run ``report status``: write status.md and status.json; 2 with a reason on bad input."""

    try:
        written = write_status(load(args.results), args.out)
    except (ResultsError, OSError) as exc:
        return _refused(exc, "the status")
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0


def compare(args: argparse.Namespace) -> int:
    """Run ``report compare``: render the runs side by side; 2 with a reason on bad input."""

    if len(args.results) < 2:
        print("error: report compare: give two results files or more", file=sys.stderr)
        return 2
    try:
        runs = [load(p) for p in args.results]
        written = write_compare(runs, args.out)
    except (ResultsError, OSError) as exc:
        return _refused(exc, "the comparison")
    for run_, path in zip(runs, args.results, strict=True):
        print(f"{score_text(run_.summary.score):>7}  {path}")
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0
