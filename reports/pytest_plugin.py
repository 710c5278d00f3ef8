"""The end of a plain ``pytest`` run of the suite: the reports (``--ecr-report-dir``, default
``./ecr-conformance/latest``, as ``run``), the lines ``run`` ends with, and on GitHub Actions
the job summary and one annotation per cause (see :mod:`.plugin_end`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ..records.options import DEFAULT_REPORT_DIR as RUN_REPORT_DIR
from ..records.options import add_plugin_options

if TYPE_CHECKING:
    from ..records import RunResults

#: Where the plug-in writes the reports when no ``--ecr-report-dir`` is given.
DEFAULT_REPORT_DIR = RUN_REPORT_DIR
#: The history folder when neither ``--ecr-report-dir`` nor ``--ecr-history-dir`` is given.
DEFAULT_HISTORY_DIR = DEFAULT_REPORT_DIR.parent / "history"

#: The ending lines, kept from the end of the session until pytest's terminal summary.
_LINES = pytest.StashKey[list[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--ecr-report-dir`` and ``--ecr-history-dir`` (declared in records/options.py)."""
    add_plugin_options(parser.getgroup("ecr-public-conformance"), "reports-plugin")


def pytest_ecr_results(config: pytest.Config, run: RunResults) -> None:
    """Write every report of the run; keep the ending lines for the terminal summary (or print
    them now when pytest shows none)."""
    # loaded in every pytest session: the reports are imported only when a run ends
    from .plugin_end import finish

    lines = finish(run, config.getoption("ecr_report_dir"), config.getoption("ecr_history_dir"))
    if config.pluginmanager.get_plugin("terminalreporter") is None:
        print("\n".join(lines))
    else:
        config.stash[_LINES] = lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """End pytest's summary with the seed, the score and coverage lines and the report path."""
    lines = terminalreporter.config.stash.get(_LINES, None)
    if not lines:
        return
    terminalreporter.write_sep("=", "ecr-public-conformance")
    for line in lines:
        terminalreporter.write_line(line)
