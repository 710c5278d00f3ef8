"""``ecr-public-conformance run``: check the options, probe the target, run the suite through
pytest with live progress, sweep what the run created, then write the reports.

Exit codes: 0 when every counted check passes, 1 when any fails (or errors, or the run stopped
at ``--max-failures``), 2 on a usage error or a target that cannot be used (one line on
stderr, before anything is sent), 130 when interrupted (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from .conformance.harness.config import EXIT_INTERRUPTED, OptionError, parse_shard
from .preflight import Plan, check_options, positive_int, seconds_option, seed_option
from .preflight import workers_option as _workers_option
from .progress import (
    ProgressLine,
    ProgressPlugin,
    header_line,
    is_terminal,
    target_label,
    use_color,
)
from .records import RunResults, Sweep, counts, failing
from .records.options import add_run_arguments, plugin_argv
from .records.results import normalise_cause
from .reports.fmt import plural

SUITE_MODULE = "ecr_public_conformance.conformance"
#: Exit code of an interrupted run (128 + SIGINT, as shells report it).
#: Seconds each request of the final sweep may take.
SWEEP_TIMEOUT_S = 5.0

__all__ = ["add_parser", "main", "parse_shard", "pytest_args"]


def add_parser(sub: Any) -> None:
    """Register ``run`` on the main parser."""
    p = sub.add_parser(
        "run",
        help="run the conformance suite and write the reports",
        description="Run the suite against an endpoint (default: the embedded "
        "reference endpoint) and write results.json, junit.xml, summary.md, "
        "badge.svg and report.html.",
    )
    add_run_arguments(
        p,
        {
            "seed": seed_option,
            "workers": _workers_option,
            "max-requests": positive_int,
            "max-failures": positive_int,
            "timeout": seconds_option,
            "consistency-window": seconds_option,
            "wait-for-endpoint": seconds_option,
        },
    )
    p.add_argument(
        "-x", dest="max_failures", action="store_const", const=1, help="--max-failures 1"
    )
    p.add_argument(
        "--no-color", dest="color", action="store_const", const="never", help="--color never"
    )
    p.add_argument("pytest_args", nargs=argparse.REMAINDER, help="after --: extra pytest arguments")
    p.set_defaults(handler=main)


#: The inner pytest's own configuration, so a project's pytest.ini/pyproject never applies.
INI = "[pytest]\nfilterwarnings =\n    ignore::pytest.PytestAssertRewriteWarning\n"


def pytest_args(args: argparse.Namespace, folder: Path, plan: Plan | None = None) -> list[str]:
    """The pytest command line for this run, isolated from the current project's config (its
    own ini file in ``folder``)."""
    ini = folder / "pytest.ini"
    ini.write_text(INI)
    out = ["-c", str(ini), "--rootdir", str(folder), "--pyargs", SUITE_MODULE]
    out += ["-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:benchmark"]
    out += ["-p", "no:ecr_public_conformance_reports"]  # run writes the reports itself
    # the suite asserts nothing with assert: rewriting its modules would only cost start-up
    out += ["--assert=plain"]
    seed = plan.seed if plan is not None else args.seed
    settled = {"seed": seed, "edition": plan.edition if plan is not None else None}
    out += plugin_argv({**vars(args), **{k: v for k, v in settled.items() if v is not None}})
    workers = plan.workers if plan is not None else int(args.workers)
    if workers > 1:
        out += ["-n", str(workers), "--dist", "loadgroup"]
    if getattr(args, "max_failures", None):
        out += ["--maxfail", str(args.max_failures)]
    extra = list(args.pytest_args or [])
    return out + (extra[1:] if extra[:1] == ["--"] else extra)


def print_checks() -> None:
    """Print the check registry as a table."""
    # deferred: usage errors and --help answer before the suite loads (0.43 s for all these)
    from .conformance.checks import all_checks

    for c in sorted(all_checks().values(), key=lambda c: (c.category, c.id)):
        print(f"{c.category:12} {c.level:6} {c.id:32} {c.description}")


def _progress_stream() -> TextIO:
    """Stderr as the progress sees it: a copy of its file descriptor, which pytest's output
    capture (it redirects descriptor 2 while a case runs) does not reach."""
    try:
        return os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1, encoding="utf-8")
    except (AttributeError, OSError, ValueError):  # no real descriptor (embedded use, tests)
        return sys.stderr


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def main(args: argparse.Namespace) -> int:
    """Run the suite and write the reports; return the exit code."""
    if args.list_checks:
        print_checks()
        return 0
    try:
        plan = check_options(args)
    except OptionError as exc:
        return _error(str(exc))
    stream = _progress_stream()
    tty = is_terminal(stream)
    progress = ProgressLine(stream, tty=tty, color=use_color(args.color, tty), quiet=args.quiet)
    try:
        return _probe_and_run(args, plan, progress)
    finally:
        if stream is not sys.stderr:
            stream.close()


def _probe_and_run(args: argparse.Namespace, plan: Plan, progress: ProgressLine) -> int:
    """Probe the target, print the header, run the suite, sweep, and write the reports."""
    # deferred: usage errors and --help answer before the suite loads (0.43 s for all these)
    from .conformance.harness.probe import Probed, target_problem

    problem = target_problem(
        args.endpoint_url,
        args.region,
        args.wait_for_endpoint,
        None if args.quiet else progress.note,
    )
    if problem:
        return _error(problem)
    # deferred: usage errors and --help answer before the suite loads (0.43 s for all these)
    from . import __version__

    target = target_label(
        args.endpoint_url, tuple(args.reference_fault), tuple(args.reference_variant)
    )
    header = header_line(
        __version__, target, args.profile, args.strictness, plan.seed, plan.workers, plan.edition
    )
    progress.note(header)
    run_id = os.environ.setdefault("ECR_CONFORMANCE_RUN_ID", uuid.uuid4().hex[:8]).lower()
    # deferred: usage errors and --help answer before the suite loads (0.43 s for all these)
    from .interrupts import Interrupts

    with (
        Interrupts(progress) as interrupts,
        tempfile.TemporaryDirectory(prefix="ecr-conformance-") as tmp,
    ):
        start = time.time()
        plugin = ProgressPlugin(progress)
        collector = RunCollector()
        probed = [Probed(args.endpoint_url)] if args.endpoint_url else []
        code = _run_pytest(
            pytest_args(args, Path(tmp), plan), [plugin, interrupts, collector, *probed]
        )
        plugin.stop()
        # what the session left is kept to the end of the command: the collector need not
        # scan it again while the reports are built (a full collection there took 0.05 s)
        gc.freeze()
        try:
            sweep = _final_sweep(args, f"ecrconf-{run_id}-")
        except KeyboardInterrupt:
            return _abandoned(args, run_id)
        if code == "abandoned":
            return _abandoned(args, run_id)
        if code in (3, 4):  # pytest's internal and usage errors
            return _error("the suite could not start (see above)")
        stopped = interrupts.count > 0 or code == 2  # 2: pytest's "interrupted"
        run = collector.run
        if run is None:
            if stopped:
                print("interrupted before the suite started", file=sys.stderr)
                return EXIT_INTERRUPTED
            return _error("no case ran (check --operations / --shard)")
        if interrupts.count > 0 or (stopped and run.ending.stop_reason != "max-failures"):
            run = replace(
                run, ending=replace(run.ending, interrupted=True, stop_reason="interrupted")
            )
        if sweep is not None:
            run = replace(run, cleanup=replace(run.cleanup, sweep=sweep))
        took = replace(run.times, duration_s=round(time.time() - start, 2))
        return _report(args, plan, replace(run, times=took))


class RunCollector:
    """Receives the run record the suite's plug-in builds at the end of the inner session."""

    def __init__(self) -> None:
        self.run: RunResults | None = None

    def pytest_ecr_results(self, run: RunResults) -> None:
        """Keep the run."""
        self.run = run

    def pytest_configure(self, config: Any) -> None:
        """Spare the session pytest's two full garbage collections at its end (about a tenth
        of a second of a quick run's): the process ends soon after, and an exception raised
        in a finaliser is still reported as it was."""
        # pytest is loaded by now; its stash key for the count is not public (kept if absent)
        from _pytest import unraisableexception

        key = getattr(unraisableexception, "gc_collect_iterations_key", None)
        if key is not None:
            config.stash[key] = 0


def _run_pytest(argv: list[str], plugins: list[Any]) -> int | str:
    """Run the inner pytest and return its exit code, or ``abandoned`` after a third interrupt
    (``plugins[1]`` counts them).

    An interrupt pytest does not catch itself (while it starts up) counts as an interruption.
    """
    import pytest

    try:
        return int(pytest.main(argv, plugins=plugins))
    except KeyboardInterrupt:
        return "abandoned" if plugins[1].count >= 3 else int(pytest.ExitCode.INTERRUPTED)


def _abandoned(args: argparse.Namespace, run_id: str) -> int:
    hint = ""
    if args.endpoint_url:  # the embedded reference is gone, and its leftovers with it
        hint = (
            ": remove leftovers with ecr-public-conformance cleanup --endpoint-url "
            f"{args.endpoint_url} --prefix ecrconf-{run_id}-"
        )
    print(f"error: interrupted; cleanup abandoned{hint}", file=sys.stderr)
    return EXIT_INTERRUPTED


def _final_sweep(args: argparse.Namespace, prefix: str) -> Sweep | None:
    """List, delete and verify the target's repositories under the run's prefix.

    The sessions clean up after themselves; this catches what an interrupted or killed worker
    left. Only endpoint URLs are swept: the embedded reference is gone with its process.
    """
    if not args.endpoint_url:
        return None
    # deferred: usage errors and --help answer before the suite loads (0.43 s for all these)
    from .conformance.harness.credentials import usual_credentials
    from .conformance.harness.ledger import delete_repositories, repositories_with_prefix
    from .wire import DUMMY_CREDENTIALS, TargetUnreachable, WireClient, resolve_endpoint

    url = resolve_endpoint(args.endpoint_url, args.region)
    client = WireClient(url, args.region, usual_credentials() or DUMMY_CREDENTIALS, SWEEP_TIMEOUT_S)
    try:
        found = repositories_with_prefix(client, prefix)
        left = delete_repositories(client, found) if found else []
        remaining = repositories_with_prefix(client, prefix) if found else []
    except TargetUnreachable as exc:
        return Sweep(prefix, error=str(exc).splitlines()[0])
    finally:
        client.close()
    return Sweep(
        prefix,
        deleted=tuple(sorted(set(found) - set(remaining))),
        left=tuple(sorted(set(left) | set(remaining))),
    )


def _report(args: argparse.Namespace, plan: Plan, run: RunResults) -> int:
    """Write the reports, print the summary, refresh the known gaps; return the exit code."""
    # deferred: usage errors and --help answer before the suite loads (0.43 s for all these)
    from .reports import write_reports

    try:
        written = write_reports(run, plan.report_dir, plan.history_dir)
    except OSError as exc:
        print(f"error: cannot write the reports: {exc}", file=sys.stderr)
        return 2
    gate = bool(getattr(args, "parity_gate", False))
    failing_results = [r for r in run.results if failing(r, run.settings.strictness, gate)]
    total = "?" if run.ending.cases_total is None else run.ending.cases_total
    if run.ending.stop_reason == "max-failures" and not run.ending.interrupted:
        print(
            f"stopped after {plural(len(failing_results), 'failure')} "
            f"(--max-failures {args.max_failures}): "
            f"{len(run.results)} of {total} cases ran"
        )
    # deferred: usage errors and --help answer before the suite loads (0.43 s for all these)
    from .reports.terminal import render_summary

    color = use_color(args.color, sys.stdout.isatty())
    print(render_summary(run, run.settings.strictness, color), end="")
    sweep = run.cleanup.sweep
    if sweep is not None and sweep.left:
        print(
            f"warning: {len(sweep.left)} repositories of this run could not be deleted: "
            + ", ".join(sweep.left),
            file=sys.stderr,
        )
    # deferred: usage errors and --help answer before the suite loads (0.43 s for all these)
    from .reports.github import publish

    problem = publish(run, written["summary"], print)
    if problem:
        print(problem, file=sys.stderr)
    print(f"reports: {written.get('html', plan.report_dir)}")
    if args.update_expected_failures is not None:
        try:
            count = update_expected(args.update_expected_failures, run)
        except OSError as exc:
            print(f"error: cannot write {args.update_expected_failures}: {exc}", file=sys.stderr)
            return 2
        print(f"known gaps: {plural(count, 'cause')} written to {args.update_expected_failures}")
    if run.ending.interrupted:
        return EXIT_INTERRUPTED
    return 1 if failing_results else 0


def update_expected(path: Path, run: RunResults) -> int:
    """Write the known-gaps file for ``run``; return how many entries it has."""
    # deferred: usage errors and --help answer before the suite loads (0.43 s for all these)
    from .conformance.checks import all_checks
    from .conformance.harness.expected import Gap, load_expected, render_expected
    from .specs import load_service

    grouped: dict[tuple[str, str], list[str]] = {}
    for r in run.results:
        if r.status not in ("failed", "error", "xfailed") or not counts(r, run.settings.strictness):
            continue
        cause = r.failures[0].cause if r.failures else normalise_cause(r.reason, r.operation)
        cause = cause.split(" [expected:")[0]
        grouped.setdefault((r.check, cause), []).append(r.operation)
    gaps = [Gap(check, tuple(sorted(set(ops))), cause) for (check, cause), ops in grouped.items()]
    gaps.sort(key=lambda g: (-len(g.operations), g.check, g.cause))
    previous = []
    if path.exists():
        previous = load_expected(path, set(load_service().operations), set(all_checks()))
    target = run.target.endpoint_url
    if run.target.kind == "reference":
        extras = [*run.target.reported.faults, *run.target.reported.variants]
        target = "the embedded reference" + (f" ({', '.join(extras)})" if extras else "")
    header = (
        f"Known gaps of {target}, profile {run.settings.profile}, "
        f"strictness {run.settings.strictness}.\nWritten by ecr-public-conformance run "
        "--update-expected-failures; edit reasons, links and expiry dates freely, they are kept."
    )
    # deferred: usage errors and --help answer before the suite loads (0.43 s for all these)
    from .reports.atomic import atomic_write_text

    atomic_write_text(path, render_expected(gaps, previous, header))
    return len(gaps)
