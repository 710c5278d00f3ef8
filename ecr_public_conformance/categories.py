"""The check categories: shared by the checks, the reports and the reference's fault switches.

It lives at the package root, outside the stages, because the reference endpoint (which may
not import the conformance stage) files each fault switch under the category meant to catch it.
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
