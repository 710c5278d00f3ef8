"""What the condition and outage faults do to one request: throttle it, disturb its
transport, or find the target gone.

The decision is drawn once per request, before any processing, from the endpoint's fault
generator (an outage counts requests instead). :mod:`.protocol` renders the answer-level
kinds (throttling answers, an HTML 503, a JSON 500, a delay); :mod:`.server` alone performs
the transport-level kinds (resets, truncated bodies), which a WSGI application cannot express.
"""

from __future__ import annotations

from dataclasses import dataclass

from .context import Endpoint

#: The three throttling answers, equally likely.
THROTTLE_KINDS = (
    ("throttling-exception", 1),  # HTTP 400 ThrottlingException
    ("too-many-requests", 1),  # HTTP 429, plain-text body
    ("service-unavailable", 1),  # HTTP 503 ServiceUnavailable
)

#: What a flaky transport does, with weights. A delay is rarer than the rest: it is the one
#: kind that costs wall time without telling the client anything.
FLAKY_KINDS = (
    ("reset-before", 4),  # connection closed before processing: nothing changed
    ("reset-after", 4),  # processed (state may have changed), then closed without an answer
    ("truncated", 4),  # processed, then half the body under the full Content-Length, then closed
    ("html-503", 4),  # an HTML error page from something in front of the service
    ("json-500", 4),  # InternalFailure
    ("delay", 1),  # 0.1-0.5 s, then a normal answer
)

#: Kinds only a real socket can perform.
TRANSPORT_KINDS = frozenset({"reset-before", "reset-after", "truncated"})

#: Retry-After values sent with throttling answers, weighted: mostly no header, sometimes 0 s,
#: rarely 1 s.
RETRY_AFTER = (("", 30), ("0", 9), ("1", 1))

DELAY_RANGE_S = (0.1, 0.5)


@dataclass(frozen=True)
class Disruption:
    """What happens to one request: a kind, and a Retry-After value or delay where it applies."""

    kind: str
    retry_after: str | None = None
    delay_s: float = 0.0


def draw(endpoint: Endpoint, transport: bool) -> Disruption | None:
    """Decide what, if anything, disturbs the next request (``transport``: over a socket)."""
    out = _draw(endpoint, transport)
    if out is not None:
        endpoint.note_disruption(out.kind, out.delay_s)
    return out


def _draw(endpoint: Endpoint, transport: bool) -> Disruption | None:
    number = endpoint.arrive()
    after = endpoint.fault_value("stop-answering")
    if after is not None and number > after:  # gone: no connection, or a gateway's 503 page
        return Disruption("reset-before" if transport else "html-503")
    throttling = endpoint.fault_value("throttling")
    if throttling and endpoint.draw() < throttling:
        retry_after = endpoint.choose(RETRY_AFTER) or None
        return Disruption(endpoint.choose(THROTTLE_KINDS), retry_after=retry_after)
    flaky = endpoint.fault_value("flaky-transport")
    if flaky and endpoint.draw() < flaky:
        kinds = FLAKY_KINDS if transport else _ANSWER_KINDS
        kind = endpoint.choose(kinds)
        if kind == "delay":
            low, high = DELAY_RANGE_S
            return Disruption(kind, delay_s=low + (high - low) * endpoint.draw())
        return Disruption(kind)
    return None


_ANSWER_KINDS = tuple((k, w) for k, w in FLAKY_KINDS if k not in TRANSPORT_KINDS)
