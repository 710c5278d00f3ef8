"""The records of a conformance run: the ground floor every stage shares.

What a check finds (:class:`CheckResult`, :class:`Failure`, :class:`SpecFact`), the status
vocabulary and the one rule of what counts (:mod:`.status`), and one run as one typed record
(:class:`RunResults`, whose JSON form is ``results.json``), with its sections, its causes and
its coverage and parity counts as pure functions of its results. One generic codec
(:mod:`.codec`) writes and reads them all; the schema is derived from the types.
"""

from .causes import Cause, group_causes
from .codec import from_json, to_json
from .constraints import ConstraintCoverage, ConstraintRow, ConstraintTally, Untried
from .coverage import Coverage
from .parity import Parity
from .results import (
    ENDPOINT,
    CheckResult,
    EntryOutcome,
    Failure,
    SetupFailure,
    Side,
    SpecFact,
    Tried,
)
from .run import (
    SCHEMA_VERSION,
    Ending,
    ResultsError,
    RunResults,
    Settings,
    Support,
    Times,
    parse_time,
    utc_now,
)
from .schema import load
from .sections import Budget, Budgets, Cleanup, Reported, Requests, Shard, Suite, Sweep, Target
from .status import (
    COUNTED,
    FAILING,
    STATUS_ORDER,
    Level,
    Scope,
    Status,
    Strictness,
    Summary,
    counts,
    failing,
    summarize,
    worst,
)

__all__ = [
    "COUNTED",
    "ENDPOINT",
    "FAILING",
    "SCHEMA_VERSION",
    "Ending",
    "Settings",
    "Times",
    "STATUS_ORDER",
    "Budget",
    "Budgets",
    "Cause",
    "CheckResult",
    "Cleanup",
    "ConstraintCoverage",
    "ConstraintRow",
    "ConstraintTally",
    "Coverage",
    "EntryOutcome",
    "Failure",
    "Level",
    "Parity",
    "Reported",
    "Requests",
    "ResultsError",
    "RunResults",
    "Scope",
    "SetupFailure",
    "Shard",
    "Side",
    "SpecFact",
    "Status",
    "Strictness",
    "Suite",
    "Summary",
    "Support",
    "Sweep",
    "Target",
    "Tried",
    "Untried",
    "counts",
    "failing",
    "from_json",
    "group_causes",
    "load",
    "parse_time",
    "summarize",
    "to_json",
    "utc_now",
    "worst",
]
