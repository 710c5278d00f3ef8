"""Reports of a conformance run: results.json and its schema, JUnit, Markdown, badge, HTML.

``write_reports(run, out_dir)`` writes all of them atomically and records the run in the
history beside ``out_dir``; ``merge`` combines shards; ``load`` reads a results.json back;
``group_causes`` groups failures by cause; ``terminal.render_summary`` is the end-of-run text.
"""

from .causes import Cause, group_causes
from .history import DEFAULT_KEEP, Comparison, HistoryRecord, compare, load_history, prune
from .merge import merge
from .redact import redact, redact_run
from .results import (
    ResultsError,
    RunResults,
    Shard,
    Suite,
    Summary,
    Target,
    load,
    summarize,
    utc_now,
)
from .schema import results_schema, schema_errors, validate
from .writers import write_reports, write_results

__all__ = [
    "Cause",
    "DEFAULT_KEEP",
    "Comparison",
    "HistoryRecord",
    "ResultsError",
    "RunResults",
    "Shard",
    "Suite",
    "Summary",
    "Target",
    "compare",
    "group_causes",
    "load",
    "load_history",
    "merge",
    "prune",
    "redact",
    "redact_run",
    "results_schema",
    "schema_errors",
    "summarize",
    "utc_now",
    "validate",
    "write_reports",
    "write_results",
]
