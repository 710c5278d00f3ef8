"""Write the reports at the end of a plain ``pytest`` run of the suite (``--ecr-report-dir``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ..records import RunResults


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--ecr-report-dir`` and ``--ecr-history-dir``."""
    g = parser.getgroup("ecr-public-conformance")
    g.addoption(
        "--ecr-report-dir",
        default=None,
        help="write results.json, junit.xml, summary.md, badge.svg, report.html here",
    )
    g.addoption("--ecr-history-dir", default=None, help="history folder (default: ../history)")


def pytest_ecr_results(config: pytest.Config, run: RunResults) -> None:
    """Write every report of the run into ``--ecr-report-dir``."""
    out = config.getoption("ecr_report_dir")
    if not out:
        return
    from .writers import write_reports

    history = config.getoption("ecr_history_dir")
    written = write_reports(run, Path(out), Path(history) if history else None)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"ecr-public-conformance reports: {written['html']}")
