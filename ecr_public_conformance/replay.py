"""``ecr-public-conformance replay``: re-run the failures of a results.json and say what changed.

Each failing result is replayed by its own check, on its operation, with the run's seed and
profile, against the same target (or ``--endpoint-url``) under a fresh prefix: the check
recreates the setup it needs (repositories, pushed images, uploads), re-sends the same
requests (generation is seeded) and judges the answers as the run did; the resources are
cleaned up afterwards. Each failure is then reported FIXED (the check passes), STILL FAILING
(the same cause comes back) or CHANGED (another outcome), and the exit code is 0 only when every
replayed failure is fixed.

Exit codes: 0 all fixed, 1 some still failing or changed, 2 bad input (one line).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .records import RunResults

#: Result statuses that are replayed.
REPLAYED = ("failed", "error", "xpassed")


def add_parser(sub: Any) -> None:
    """Register ``replay`` on the main parser."""
    p = sub.add_parser(
        "replay",
        help="re-run the failures of a results.json: FIXED, STILL FAILING or CHANGED",
        description="Replay the failing results of a run against the same target (or another "
        "one): each check runs again with the run's seed under a fresh prefix, recreating its "
        "setup, and each failure is reported FIXED, STILL FAILING or CHANGED.",
    )
    p.add_argument("results", type=Path, metavar="RESULTS", help="a results.json")
    p.add_argument("--endpoint-url", help="replay against this endpoint (default: the run's)")
    p.add_argument(
        "--id",
        action="append",
        default=[],
        metavar="ID",
        help="only this result (Operation::check) or cause id; repeatable",
    )
    p.add_argument("--region", help="region to sign for (default: the run's)")
    p.set_defaults(handler=main)


@dataclass(frozen=True)
class Verdict:
    """What replaying one failing result gave."""

    result_id: str
    verdict: str  # FIXED | STILL FAILING | CHANGED
    detail: str

    def line(self) -> str:
        """``STILL FAILING  CreateRepository::check: <cause>``."""
        return f"{self.verdict:14} {self.result_id}" + (f": {self.detail}" if self.detail else "")


def _causes(result: Any) -> set[str]:
    if result.failures:
        return {f.cause for f in result.failures}
    return {result.reason.splitlines()[0]} if result.reason else set()


def judge(old: Any, new: Any) -> Verdict:
    """Compare the replayed result with the recorded one."""
    if new.status == "passed":
        return Verdict(old.id, "FIXED", "")
    was, now = _causes(old), _causes(new)
    if new.status == old.status and was & now:
        return Verdict(old.id, "STILL FAILING", sorted(was & now)[0])
    shown = sorted(now)[0] if now else ""
    return Verdict(old.id, "CHANGED", f"now {new.status}" + (f": {shown}" if shown else ""))


def _selected(run: RunResults, ids: list[str]) -> list[Any]:
    failing = [r for r in run.results if r.status in REPLAYED]
    if not ids:
        return failing
    cause_ids = {c.id: set(c.results) for c in getattr(run, "causes", ())}
    wanted = set(ids)
    for i in ids:
        wanted |= cause_ids.get(i, set())
    return [r for r in failing if r.id in wanted]


def _open(run: RunResults, args: argparse.Namespace) -> tuple[Any, Any]:
    """A check environment on the target to replay against (and the reference to stop)."""
    # deferred: usage errors answer before the suite loads (about 0.5 s)
    from .conformance.harness.config import RunConfig
    from .conformance.pytest_plugin.session import open_session

    region = args.region or run.target.region
    url = args.endpoint_url
    server = None
    if url is None and run.target.kind == "reference":
        # deferred: usage errors answer before the suite loads (about 0.5 s)
        from .reference import start_server

        reported = run.target.reported
        server = start_server(faults=reported.faults, variants=reported.variants)
        url = server.url
    elif url is None:
        url = run.target.endpoint_url
    if server is None:  # a target that does not answer, or not in AWS JSON, is refused first
        # deferred: usage errors answer before the suite loads (about 0.5 s)
        from .conformance.harness.probe import probe_endpoint

        probe_endpoint(url, region)
    how = run.settings
    seed = how.seed if isinstance(how.seed, int) else None
    config = RunConfig(endpoint_url=url, region=region, profile=how.profile, seed=seed)
    return open_session(config), server


def replay(run: RunResults, args: argparse.Namespace) -> list[Verdict]:
    """Replay the selected failures of ``run``; return one verdict each."""
    # deferred: usage errors answer before the suite loads (about 0.5 s)
    from .conformance.checks import all_checks
    from .conformance.harness.runner import run_case
    from .specs import load_service

    selected = _selected(run, args.id)
    if not selected:
        return []
    session, server = _open(run, args)
    try:
        verdicts = []
        for old in selected:
            check = all_checks().get(old.check)
            if check is None:
                verdicts.append(Verdict(old.id, "CHANGED", f"this suite has no check {old.check}"))
                continue
            op = None if old.scope == "endpoint" else load_service().operation(old.operation)
            verdicts.append(judge(old, run_case(session.env, check, op)))
        return verdicts
    finally:
        session.close()
        if server is not None:
            server.stop()


def main(args: argparse.Namespace) -> int:
    """Run ``replay``; return the exit code."""
    # deferred: usage errors answer before the suite loads (about 0.5 s)
    from .conformance.harness.probe import ProbeError
    from .records import ResultsError, load
    from .wire import TargetUnreachable

    try:
        run = load(args.results)
    except ResultsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.endpoint_url is None and run.target.kind == "in-process":
        print("error: the run tested an in-process app; give --endpoint-url", file=sys.stderr)
        return 2
    try:
        verdicts = replay(run, args)
    except (TargetUnreachable, ProbeError) as exc:
        print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    if not verdicts:
        which = f" matching {', '.join(args.id)}" if args.id else ""
        print(f"nothing to replay: {args.results} has no failing result{which}")
        return 0
    for verdict in verdicts:
        print(verdict.line())
    fixed = sum(v.verdict == "FIXED" for v in verdicts)
    print(f"{fixed} of {len(verdicts)} fixed")
    return 0 if fixed == len(verdicts) else 1
