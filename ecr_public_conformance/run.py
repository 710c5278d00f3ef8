"""``ecr-public-conformance run``: run the suite through pytest, then write the reports.

Exit codes: 0 when every counted check passes, 1 when any fails (or errors), 2 on a usage
error or an unreachable target (with a one-line reason).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

DEFAULT_REPORT_DIR = Path("reports/latest")
SUITE_MODULE = "ecr_public_conformance.conformance"


def add_parser(sub: Any) -> None:
    """Register ``run`` on the main parser."""
    p = sub.add_parser(
        "run",
        help="run the conformance suite and write the reports",
        description="Run the suite against an endpoint (default: the embedded "
        "reference endpoint) and write results.json, junit.xml, summary.md, "
        "badge.svg and report.html.",
    )
    p.add_argument("--endpoint-url", help="endpoint under test ('aws' for AWS itself)")
    p.add_argument("--region", default="us-east-1", help="region to sign for")
    p.add_argument("--profile", default="quick", choices=("quick", "ci", "nightly"))
    p.add_argument(
        "--report-dir",
        type=Path,
        default=DEFAULT_REPORT_DIR,
        help=f"where to write the reports (default: {DEFAULT_REPORT_DIR})",
    )
    p.add_argument(
        "--history-dir", type=Path, help="history folder (default: REPORT_DIR/../history)"
    )
    p.add_argument("--workers", type=int, default=1, help="pytest-xdist workers (default 1)")
    p.add_argument("--shard", help="I/N: run only shard I (1-based) of N; merge with report build")
    p.add_argument("--strictness", default="spec", choices=("spec", "aws"))
    p.add_argument("--expected-failures", type=Path, help="TOML file of known gaps")
    p.add_argument("--seed", help="seed for reproducible generation")
    p.add_argument("--operations", help="comma-separated operations to test")
    p.add_argument(
        "--reference-fault",
        action="append",
        default=[],
        help="fault switch for the embedded reference (repeatable; demos and tests)",
    )
    p.add_argument(
        "--reference-variant",
        action="append",
        default=[],
        help="variant for the embedded reference: the other valid choice of a freedom "
        "(repeatable; 'all' for every variant)",
    )
    p.add_argument("--quiet", action="store_true", help="no live progress")
    p.add_argument(
        "--list-checks",
        action="store_true",
        help="list the checks (id, category, level, description) and exit",
    )
    p.add_argument("pytest_args", nargs=argparse.REMAINDER, help="after --: extra pytest arguments")
    p.set_defaults(handler=main)


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """Parse ``I/N`` (1 <= I <= N); raise ValueError with a reason."""
    if not text:
        return None
    try:
        index, count = (int(x) for x in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard {text!r}: expected I/N, e.g. 1/2") from None
    if not 1 <= index <= count:
        raise ValueError(f"--shard {text!r}: I must be between 1 and N")
    return index, count


def _probe(url: str, timeout: float = 10.0) -> str | None:
    """Return a one-line reason when ``url`` cannot be reached, else None."""
    from .wire import TargetUnreachable, WireClient

    try:
        WireClient(url, timeout=timeout).call("DescribeRegistries", {})
    except TargetUnreachable as exc:
        return str(exc).splitlines()[0]
    return None


#: The inner pytest's own configuration, so a project's pytest.ini/pyproject never applies.
INI = "[pytest]\nfilterwarnings =\n    ignore::pytest.PytestAssertRewriteWarning\n"


def pytest_args(args: argparse.Namespace, records: Path) -> list[str]:
    """The pytest command line for this run, isolated from the current project's config."""
    ini = records.parent / "pytest.ini"
    ini.write_text(INI)
    out = ["-c", str(ini), "--rootdir", str(records.parent), "--pyargs", SUITE_MODULE]
    out += ["-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:benchmark"]
    out += ["--ecr-profile", args.profile, "--ecr-strictness", args.strictness]
    out += ["--ecr-region", args.region, "--ecr-records", str(records)]
    if args.endpoint_url:
        out += ["--ecr-endpoint-url", args.endpoint_url]
    for flag, value in (
        ("--ecr-expected-failures", args.expected_failures),
        ("--ecr-seed", args.seed),
        ("--ecr-operations", args.operations),
        ("--ecr-shard", args.shard),
    ):
        if value:
            out += [flag, str(value)]
    for fault in args.reference_fault:
        out += ["--ecr-reference-fault", fault]
    for variant in args.reference_variant:
        out += ["--ecr-reference-variant", variant]
    if args.workers > 1:
        out += ["-n", str(args.workers), "--dist", "loadgroup"]
    extra = list(args.pytest_args or [])
    return out + (extra[1:] if extra[:1] == ["--"] else extra)


class Progress:
    """Live progress per operation: done/total and failures so far (a pytest plug-in)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.total: dict[str, int] = defaultdict(int)
        self.done: dict[str, int] = defaultdict(int)
        self.failed: dict[str, int] = defaultdict(int)
        self.count = 0

    def pytest_collection_finish(self, session: Any) -> None:
        """Count the cases per operation (without xdist; workers collect otherwise)."""
        if session.items:
            self._count([item.nodeid for item in session.items])

    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """Count the cases per operation from the first xdist worker's collection."""
        if not self.count:
            self._count(ids)

    def _count(self, ids: list[str]) -> None:
        for nodeid in ids:
            self.total[_operation(nodeid)] += 1
        self.count = len(ids)
        if not self.quiet:
            print(
                f"running {self.count} cases over {len(self.total)} operations",
                file=sys.stderr,
                flush=True,
            )

    def pytest_runtest_logreport(self, report: Any) -> None:
        """Print a line each time an operation's case finishes."""
        if report.when != "call" and not (report.when == "setup" and not report.passed):
            return
        op = _operation(report.nodeid)
        self.done[op] += 1
        if report.failed:
            self.failed[op] += 1
        if not self.quiet:
            n = sum(self.done.values())
            fails = f", {self.failed[op]} failed" if self.failed[op] else ""
            print(
                f"[{n:>4}/{self.count}] {op}: {self.done[op]}/{self.total[op]} done{fails}",
                file=sys.stderr,
                flush=True,
            )


def _operation(nodeid: str) -> str:
    param = nodeid.rsplit("[", 1)[-1].rstrip("]")
    return param.split("-", 1)[0]


def print_checks() -> None:
    """Print the check registry as a table."""
    from .conformance.registry import all_checks

    for c in sorted(all_checks().values(), key=lambda c: (c.category, c.id)):
        print(f"{c.category:12} {c.level:6} {c.id:32} {c.description}")


def main(args: argparse.Namespace) -> int:
    """Run the suite and write the reports; return the exit code."""
    import pytest

    if args.list_checks:
        print_checks()
        return 0
    try:
        shard = parse_shard(args.shard)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.endpoint_url and args.endpoint_url != "aws":
        reason = _probe(args.endpoint_url)
        if reason:
            print(f"error: target unreachable: {reason}", file=sys.stderr)
            return 2
    os.environ.setdefault("ECR_CONFORMANCE_RUN_ID", uuid.uuid4().hex[:8])
    with tempfile.TemporaryDirectory(prefix="ecr-conformance-") as tmp:
        records = Path(tmp) / "records.json"
        start = time.time()
        progress = Progress(args.quiet)
        code = pytest.main(pytest_args(args, records), plugins=[progress])
        if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
            print("error: the suite could not start (see above)", file=sys.stderr)
            return 2
        if not records.exists():
            print("error: no case ran (check --operations / --shard)", file=sys.stderr)
            return 2
        return _report(args, records, shard, time.time() - start)


def _report(args: argparse.Namespace, records: Path, shard: Any, duration: float) -> int:
    from .conformance.records_file import read_records
    from .reports import Shard, write_reports
    from .reports.results import from_records

    meta, results = read_records(records)
    run = from_records(meta, results, duration, Shard(shard[0] - 1, shard[1]) if shard else None)
    written = write_reports(run, args.report_dir, args.history_dir)
    s = run.summary
    score = "n/a" if s.score is None else f"{s.score:.1%}"
    print(
        f"score {score}: {s.passed} passed, {s.failed} failed, {s.errors} errors, "
        f"{s.skipped} skipped, {s.unsupported} unsupported, {s.xfailed} xfailed "
        f"({duration:.1f} s)"
    )
    for result in run.results:
        if result.status in ("failed", "error", "xpassed") and _counts(result, args.strictness):
            why = result.failures[0].message if result.failures else result.reason
            print(f"  {result.status.upper()}: {result.id}: {why.splitlines()[0] if why else ''}")
    print(f"reports: {written.get('html', args.report_dir)}")
    failing = [
        r
        for r in run.results
        if r.status in ("failed", "error", "xpassed") and _counts(r, args.strictness)
    ]
    return 1 if failing else 0


def _counts(result: Any, strictness: str) -> bool:
    return result.level == "MUST" or strictness == "aws"
