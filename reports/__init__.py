"""Reports of a conformance run: results.json, JUnit, Markdown, badge, HTML, history.

``write_reports(run, out_dir)`` renders one typed run record
(:class:`~ecr_public_conformance.records.RunResults`) into every report atomically and records
the run in the history beside ``out_dir``; ``merge`` combines shards;
``terminal.render_summary`` is the end-of-run text.
"""

from .history import DEFAULT_KEEP, Comparison, HistoryRecord, compare, load_history, prune
from .merge import merge
from .redact import redact, redact_run
from .writers import write_reports, write_results

__all__ = [
    "DEFAULT_KEEP",
    "Comparison",
    "HistoryRecord",
    "compare",
    "load_history",
    "merge",
    "prune",
    "redact",
    "redact_run",
    "write_reports",
    "write_results",
]
