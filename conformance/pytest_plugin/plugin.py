"""The pytest plug-in: ``--ecr-*`` options, markers, fixtures and result collection.

It is loaded in every pytest session of an environment where the package is installed, so it
stays thin: options and fixtures only, heavy imports inside hooks, and nothing runs unless the
suite's test module (``ecr_public_conformance.conformance.test_conformance``) is collected.
Emulator projects override the ``ecr_wsgi_app`` or ``ecr_boto3_client`` fixture to run the
suite in-process, and may implement the ``pytest_ecr_results`` hook.
"""

from __future__ import annotations

import json
import os
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from ...records import CheckResult, Cleanup, Target, from_json, to_json
from ...records.categories import CATEGORIES
from ...records.options import add_plugin_options
from ...specs import load_service
from ...specs.editions import EditionError, select_edition, selected_edition
from ...wire import resolve_endpoint
from ..harness import probe, worker
from ..harness.config import (
    OptionError,
    RunConfig,
    check_endpoint_url,
    check_expected_failures,
    draw_seed,
    from_options,
)
from ..harness.explain import render
from ..harness.probe import probed_already
from ..harness.runner import run_case
from . import hookspecs, hypothesis_storage
from .cases import build_cases, group_of
from .markers import snake
from .run_record import Collected, build_run
from .usage import Usage, snapshot

_RESULT = "ecr_result"
_USAGE = "ecr_usage"
_EXPECTED = "ecr_expected"
_TARGET = "ecr_target"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``--ecr-*`` options in one group (declared in records/options.py)."""
    group = parser.getgroup("ecr-public-conformance", "ECR Public conformance suite")
    add_plugin_options(group)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Add the plug-in's hook specifications."""

    pluginmanager.add_hookspecs(hookspecs)


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers; settle the seed and, for the suite under xdist, the distribution."""
    config.addinivalue_line("markers", "ecr_conformance: an ECR Public conformance case")
    config.addinivalue_line("markers", "ecr_expected(reason): a known gap (expected failure)")
    for cat in CATEGORIES:
        config.addinivalue_line("markers", f"{cat}: ECR Public conformance, {cat} checks")
    if _targets_suite(config):  # a session that does not run the suite reads no spec
        _select_edition(config)
        _draw_alike_everywhere(config)

        for op in load_service().operations:
            config.addinivalue_line("markers", f"{snake(op)}: ECR Public conformance of {op}")
    config.addinivalue_line(
        "markers", "endpoint: ECR Public conformance of the endpoint as a whole"
    )
    worker.adopt(config)
    config.stash[_collected_key] = Collected()
    config.stash[_tally_key] = Tally()
    _settle_seed(config)
    _keep_groups_together(config)


_collected_key = pytest.StashKey["Collected"]()


@dataclass
class Tally:
    """What the controller saw of the suite's cases: collected, finished, failed."""

    total: int | None = None
    finished: int = 0
    failed: int = 0


_tally_key = pytest.StashKey[Tally]()
_SEED_INPUT = "ecr_seed"


def _settle_seed(config: pytest.Config) -> None:
    """Give the run a seed when ``--ecr-seed`` is absent: drawn once, inherited by workers.

    Not with ``--ecr-hypothesis-db``: then the example database drives generation (failures
    replay first), and Hypothesis does not combine a database with seeded generation.
    """
    if config.getoption("ecr_seed") is not None or config.getoption("ecr_hypothesis_db"):
        return
    inherited = getattr(config, "workerinput", {}).get(_SEED_INPUT)
    config.option.ecr_seed = inherited if inherited is not None else draw_seed()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Hand the controller's seed, and a forced ``loadgroup``, to each xdist worker."""
    node.workerinput[_SEED_INPUT] = node.config.getoption("ecr_seed")
    node.workerinput[_DIST_INPUT] = getattr(node.config.option, "dist", None)


_DIST_INPUT = "ecr_dist"


def _keep_groups_together(config: pytest.Config) -> None:
    """Under ``-n`` with the default ``load`` distribution, distribute by ``loadgroup``.

    The suite's xdist groups keep cases that share registry state on one worker; ``load``
    would split them. Workers learn it from the controller: they tag the groups' node ids only
    when they know the distribution is ``loadgroup``.
    """
    if not _targets_suite(config):
        return
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        if workerinput.get(_DIST_INPUT) == "loadgroup":
            config.option.loadgroup = True
        return
    if getattr(config.option, "numprocesses", None) and config.option.dist == "load":
        config.option.dist = "loadgroup"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``loadgroup``, schedule the suite's groups from the case ids themselves.

    pytest-xdist tells a group by a ``@group`` suffix its workers add to node ids; with
    structured node ids (pytest 9.2) that suffix is silently lost and groups are split
    (pytest-dev/pytest-xdist#1386). The suite knows each case's group from its check.
    """
    if config.getvalue("dist") != "loadgroup" or not _targets_suite(config):
        return None
    from xdist.scheduler import LoadGroupScheduling

    class SuiteGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            group = case_group(nodeid)
            return group if group is not None else str(super()._split_scope(nodeid))

    return SuiteGroupScheduling(config, log)


def case_group(nodeid: str) -> str | None:
    """The xdist group of a suite case id (cases sharing target state), or None."""
    if not _is_case(nodeid) or nodeid.rfind("@") > nodeid.rfind("]"):
        return None

    operation, _, check_id = nodeid.rsplit("[", 1)[-1].rstrip("]").partition("-")
    # deferred: the plug-in is imported by every pytest session (the checks load the suite)
    from ..checks import all_checks

    check = all_checks().get(check_id)
    return group_of(check, operation) if check is not None else None


_SUITE_DIR = Path(__file__).resolve().parent.parent  # the conformance package
_SUITE_MODULE = "ecr_public_conformance.conformance"


def _select_edition(config: pytest.Config) -> None:
    """Judge by the edition ``--ecr-edition`` names, for the whole session."""

    try:
        select_edition(config.getoption("ecr_edition"))
    except EditionError as exc:
        raise pytest.UsageError(f"--ecr-edition: {exc}") from None
    config.stash[_edition_key] = True


_edition_key = pytest.StashKey[bool]()


def _targets_suite(config: pytest.Config) -> bool:
    """True when the session's arguments name the suite (as a module or as a path)."""
    for arg in config.args:
        target = str(arg).split("::", 1)[0]
        if target == "ecr_public_conformance" or target.startswith(_SUITE_MODULE):
            return True
        try:
            path = (config.invocation_params.dir / target).resolve()
        except (OSError, ValueError):
            continue
        if path == _SUITE_DIR or _SUITE_DIR in path.parents or path in _SUITE_DIR.parents:
            return True
    return False


@pytest.fixture(scope="session")
def ecr_config(pytestconfig: pytest.Config) -> RunConfig:
    """The run's configuration from the ``--ecr-*`` options."""
    return from_options(pytestconfig.getoption)


@pytest.fixture(scope="session")
def ecr_wsgi_app() -> Any:
    """Override to hand the suite a WSGI application to test in-process (default: none)."""
    return None


@pytest.fixture(scope="session")
def ecr_boto3_client() -> Any:
    """Override to hand the suite a boto3 ``ecr-public`` client (its endpoint and credentials)."""
    return None


@pytest.fixture(scope="session")
def ecr_env(ecr_config: RunConfig, ecr_wsgi_app: Any, ecr_boto3_client: Any) -> Any:
    """The check environment: target client, prefix, ledger; cleans up at the end."""
    # deferred: opening a target loads the reference (42 modules), which a pytest session that
    # does not run the suite never needs
    from .session import open_session

    session = open_session(ecr_config, ecr_wsgi_app, ecr_boto3_client)
    try:
        yield session.env
    finally:
        session.close()
        report = getattr(session.env, "cleanup_report", None)
        if report is not None:
            _CURRENT.setdefault("cleanup", []).append(report)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize the suite's test over (check x operation) cases."""
    if "ecr_case" not in metafunc.fixturenames:
        return
    _private_hypothesis_storage(metafunc.config)

    cases = build_cases(from_options(metafunc.config.getoption))
    metafunc.parametrize("ecr_case", [c.param for c in cases])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--ecr-shard I/N``, keep a deterministic 1/N of the conformance cases."""
    shard = config.getoption("ecr_shard")
    if not shard:
        return
    import hashlib

    index, count = (int(x) for x in shard.split("/"))
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        if item.get_closest_marker("ecr_conformance") is None:
            keep.append(item)
            continue
        bucket = int(hashlib.sha256(item.nodeid.encode()).hexdigest(), 16) % count
        (keep if bucket == index - 1 else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


_storage_key = pytest.StashKey[tuple[Path, bool]]()


def _private_hypothesis_storage(config: pytest.Config) -> None:
    """Keep Hypothesis' files (unicode and codec tables) out of the working folder.

    Hypothesis writes them under ``./.hypothesis`` by default. Unless the user asked for an
    example database (``--ecr-hypothesis-db``) or chose a storage folder
    (``HYPOTHESIS_STORAGE_DIRECTORY``), they go to the user's cache folder, kept between runs
    (see ``hypothesis_storage``).
    """
    if config.getoption("ecr_hypothesis_db") or os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        return
    if _storage_key in config.stash:
        return

    folder, temporary = hypothesis_storage.choose()
    config.stash[_storage_key] = (folder, temporary)
    hypothesis_storage.use(folder)


def _draw_alike_everywhere(config: pytest.Config) -> None:
    """Draw without the constants Hypothesis finds in locally loaded modules, for the session.

    Those are the source of whatever is loaded outside site-packages: this package when
    installed editable, the user's conftest, their emulator. With them, one seed drew
    different requests in a checkout and in an installed wheel, and after any edit of the
    suite's source; without them a seed reproduces a run wherever it is given.
    """
    # here, not at the top: importing the parity package would cost every foreign session
    from ..parity.draws import without_local_constants

    config.stash[_draws_key] = stack = ExitStack()
    stack.enter_context(without_local_constants())


_draws_key = pytest.StashKey[ExitStack]()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Give the process back its edition, Hypothesis its local constants and its default
    folder (removing a temporary one)."""
    draws = config.stash.get(_draws_key, None)
    if draws is not None:
        draws.close()
    if config.stash.get(_edition_key, False):
        select_edition(None)
    chosen = config.stash.get(_storage_key, None)
    if chosen is None:
        return

    hypothesis_storage.release(*chosen)


def execute(request: pytest.FixtureRequest, env: Any, case: Any) -> None:
    """Run one case, attach its record to the report, and turn its status into an outcome."""

    result = run_case(env, case.check, case.operation)
    node = request.node
    node.user_properties.append((_RESULT, to_json(result)))
    node.user_properties.append((_USAGE, to_json(snapshot(env))))
    node.user_properties.append((_TARGET, to_json(env.failures.target)))
    expected = node.get_closest_marker("ecr_expected")
    if expected is not None:
        node.user_properties.append((_EXPECTED, expected.args[0]))
    if case.check.category == "parity":
        _parity_outcome(result, expected is not None, env.config.parity.gate)
    if result.status == "failed":
        text = "\n\n".join(render(f) for f in result.failures)
        message = f"{case.check.id} on {case.operation_name}: {case.check.description}\n{text}"
        if case.check.level == "SHOULD" and env.config.strictness == "spec":
            pytest.xfail(
                "SHOULD-level deviation, not counted under --ecr-strictness spec\n" + message
            )
        pytest.fail(message, pytrace=False)
    if result.status in ("skipped", "unsupported"):
        pytest.skip(f"{result.status}: {result.reason}")
    if result.status == "error":
        # no traceback: the reason says it all, and formatting one costs about 0.15 s a case
        # (a run cut by its request budget has hundreds)
        pytest.fail(
            f"{case.check.id} on {case.operation_name} could not run: {result.reason}",
            pytrace=False,
        )


def _parity_outcome(result: CheckResult, expected: bool, gate: bool) -> None:
    """Parity is scored apart: a divergence is an expected failure unless ``--ecr-parity-gate``
    (a known parity difference always is); with the gate, matching a recording listed as a
    known difference fails, like any strict expected failure."""
    if result.status == "failed" and (expected or not gate):
        why = "a known parity difference" if expected else "scored apart without --ecr-parity-gate"
        count = sum(e.status == "failed" for e in result.entries)
        pytest.xfail(
            f"parity: {count} {'record diverges' if count == 1 else 'records diverge'} "
            f"from the recording ({why})"
        )
    if result.status == "error" and not gate:
        pytest.xfail(f"parity could not be judged ({result.reason}); scored apart")
    if result.status == "passed" and expected and gate:
        pytest.fail(
            "matches the recording although listed as a known parity difference: remove the "
            "entry from the expected-failures file",
            pytrace=False,
        )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect the records of finished cases (on the xdist controller, from every worker)."""
    config = getattr(report, "_ecr_config", None) or _CURRENT.get("config")
    if report.failed and _is_case(report.nodeid):
        if config is not None and _tally_key in config.stash:
            config.stash[_tally_key].failed += 1
    if report.when != "call" or config is None or _collected_key not in config.stash:
        return
    props = dict(report.user_properties)
    raw = props.get(_RESULT)
    if raw is None:
        return
    result = from_json(CheckResult, raw)
    if props.get(_EXPECTED):
        result = _as_expected(result, report, str(props[_EXPECTED]))
    collected = config.stash[_collected_key]
    collected.results.append(result)
    if props.get(_USAGE):
        collected.usages.append(from_json(Usage, props[_USAGE]))
    if collected.target is None and props.get(_TARGET):
        collected.target = from_json(Target, props[_TARGET])


def _as_expected(result: CheckResult, report: pytest.TestReport, reason: str) -> CheckResult:
    """A listed known gap's result: xfailed when it failed, xpassed when it passed."""
    status = result.status
    if report.skipped:
        status = "xfailed"
    elif status == "passed":
        status = "xpassed"
    return replace(result, status=status, reason=f"{result.reason} [expected: {reason}]")


_CURRENT: dict[str, Any] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Remember the config; probe an explicit endpoint once before any worker or case starts."""
    config = session.config
    _CURRENT["config"] = config
    if hasattr(config, "workerinput") or config.option.collectonly:
        return
    if not _targets_suite(config):
        return
    _check_oracle(config)
    _check_expected_failures(config)
    url = from_options(config.getoption).endpoint_url
    if url and not probed_already(config.pluginmanager.get_plugins(), url):
        _probe_or_stop(url, config.getoption("ecr_region"))


def _check_oracle(config: pytest.Config) -> None:
    """Stop the session with one line when ``--ecr-oracle`` names no usable corpus."""
    oracle = config.getoption("ecr_oracle")
    if oracle is None:
        if config.getoption("ecr_parity_gate"):
            raise pytest.UsageError("--ecr-parity-gate needs --ecr-oracle DIR (a parity corpus)")
        return
    # deferred: the plug-in is imported by every pytest session (parity loads its replay)
    from ..parity.corpus import check_oracle

    try:
        check_oracle(Path(oracle), "--ecr-oracle", edition=selected_edition())
    except OptionError as exc:
        raise pytest.UsageError(str(exc)) from None


def _check_expected_failures(config: pytest.Config) -> None:
    """Stop the session with one line when ``--ecr-expected-failures`` names no usable file."""
    path = config.getoption("ecr_expected_failures")
    if path:
        try:
            check_expected_failures(Path(path), _check_ids(), "--ecr-expected-failures")
        except OptionError as exc:
            raise pytest.UsageError(str(exc)) from None


def _probe_or_stop(url: str, region: str) -> None:
    """Stop the session with one line unless ``url`` answers in AWS JSON 1.1."""

    try:
        check_endpoint_url(url, "--ecr-endpoint-url")
        probe.probe_endpoint(resolve_endpoint(url, region), region)
    except (OptionError, probe.ProbeError) as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """Count the suite's cases from the first xdist worker's collection (on the controller)."""
    tally = node.config.stash.get(_tally_key, None)
    if tally is not None and tally.total is None:
        tally.total = sum(1 for nodeid in ids if _is_case(nodeid))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Count the suite's cases (without xdist); set what collection built aside from the
    garbage collector (a run makes many short-lived objects, and each full collection would
    scan the whole heap again: about half a second per quick run)."""
    tally = session.config.stash.get(_tally_key, None)
    cases = sum(1 for item in session.items if _is_case(item.nodeid))
    if tally is not None and (cases or _targets_suite(session.config)):
        tally.total = cases
    if cases:
        import gc

        gc.freeze()


def pytest_runtest_logfinish(nodeid: str, location: Any) -> None:
    """Count finished cases (on the xdist controller, from every worker)."""
    config = _CURRENT.get("config")
    if config is not None and _is_case(nodeid) and _tally_key in config.stash:
        config.stash[_tally_key].finished += 1


def _is_case(nodeid: str) -> bool:
    return "test_conformance[" in nodeid


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On the controller: build the run record once and hand it to ``pytest_ecr_results``."""
    config = session.config
    if hasattr(config, "workerinput"):  # a worker hands its cleanup report to the controller
        reports = [to_json(c) for c in _CURRENT.pop("cleanup", [])]
        config.workeroutput["ecr_cleanup"] = reports  # type: ignore[attr-defined]
        return
    if _collected_key not in config.stash:
        return
    collected = config.stash[_collected_key]
    tally = config.stash[_tally_key]
    stop = stop_reason(tally, config.getoption("maxfail"), exitstatus)
    if not collected.results and not (stop == "interrupted" and _targets_suite(config)):
        return

    collected.cleanups += _CURRENT.pop("cleanup", [])
    run = build_run(from_options(config.getoption), collected, stop, tally.total)
    path = config.getoption("ecr_records")
    if path:
        Path(path).write_text(json.dumps(run.to_json(), indent=1) + "\n", encoding="utf-8")
    config.hook.pytest_ecr_results(config=config, run=run, results=list(run.results))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """On the xdist controller: keep the cleanup report a worker sent when it finished."""
    reports = getattr(node, "workeroutput", {}).get("ecr_cleanup") or []
    _CURRENT.setdefault("cleanup", []).extend(from_json(Cleanup, r) for r in reports)


def stop_reason(tally: Tally, maxfail: int, exitstatus: int) -> str | None:
    """Why the session ended before every case ran: ``max-failures``, ``interrupted`` or None.

    Under xdist, reaching ``--maxfail`` also ends the session as interrupted; the failure count
    tells the two apart.
    """
    if maxfail and tally.failed >= maxfail:
        return "max-failures" if tally.total is None or tally.finished < tally.total else None
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        return "interrupted"
    return None


def _check_ids() -> list[str]:
    """The suite's check ids (what an expected-failures file may name)."""
    # deferred: the plug-in is imported by every pytest session (the checks load the suite)
    from ..checks import all_checks

    return list(all_checks())
