"""The check modules, grouped by concern; importing this package registers every check."""

from . import (  # noqa: F401
    behaviour,
    consistency,
    errors,
    negative,
    pagination,
    parity,
    positive,
    protocol,
    response,
    stateful,
)
