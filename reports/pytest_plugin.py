"""Write the reports at the end of a plain ``pytest`` run of the suite (``--ecr-report-dir``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ..records.options import add_plugin_options

if TYPE_CHECKING:
    from ..records import RunResults


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--ecr-report-dir`` and ``--ecr-history-dir`` (declared in records/options.py)."""
    add_plugin_options(parser.getgroup("ecr-public-conformance"), "reports-plugin")


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
