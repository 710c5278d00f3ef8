"""The check categories: shared by the checks, the reports and the reference's fault switches.

They are part of the records' vocabulary (a result names its category), on the ground floor,
because the reference endpoint (which may not import the conformance stage) files each fault
switch under the category meant to catch it.
"""

CATEGORIES = (
    "response",
    "errors",
    "protocol",
    "negative",
    "positive",
    "pagination",
    "stateful",
    "consistency",
    "behaviour",
    "parity",
)
#: Categories scored apart from conformance (they compare with a recording, not the spec).
SCORED_APART = ("parity",)
