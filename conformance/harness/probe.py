"""Ask an endpoint once whether it speaks AWS JSON 1.1, before a run sends anything else.

The probe is one signed ``DescribeRegistries`` (read-only, always valid), signed with dummy
credentials so that no real credential is ever needed or sent for it. An endpoint is accepted
when its body is a JSON object and either the status is 2xx or the error carries a type
(``__type``/``code`` in the body, or the ``x-amzn-ErrorType`` header): an authentication or
throttling error still proves the protocol. Everything else (HTML pages, non-JSON bodies, a 501
with no AWS error) is refused with one line naming what came back. The Content-Type is
deliberately not judged: a check exists to report a wrong one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from ...wire import DUMMY_CREDENTIALS, Exchange, TargetUnreachable, WireClient, resolve_endpoint

PROBE_OPERATION = "DescribeRegistries"
#: Seconds the probe waits for an answer.
PROBE_TIMEOUT_S = 2.0
#: Seconds between two attempts of :func:`wait_for_endpoint`.
RETRY_INTERVAL_S = 0.5


class Probed:
    """Tells the plug-in that the command starting it probed ``url`` already (one probe a run).

    The ``run`` command probes before it prints its header; it hands this object to the inner
    pytest session as a plug-in, so the session does not ask the same endpoint again.
    """

    def __init__(self, url: str) -> None:
        self.url = url


def probed_already(plugins: Iterable[object], url: str) -> bool:
    """True when one of ``plugins`` says ``url`` was probed by the command that started pytest."""
    return any(isinstance(p, Probed) and p.url == url for p in plugins)


class ProbeError(Exception):
    """The endpoint cannot be used as a target; ``str()`` is the one-line reason."""


class Unreachable(ProbeError):
    """Nothing answered (refused, timed out, name not resolved)."""


class NotAwsJson(ProbeError):
    """Something answered, but not in AWS JSON 1.1."""


def protocol_problem(ex: Exchange) -> str | None:
    """Why ``ex`` is not an AWS JSON 1.1 answer (``None`` when it is one)."""
    answered = f"{PROBE_OPERATION} answered HTTP {ex.status} {_content_type(ex)}"
    if not isinstance(ex.json, dict):
        what = "an empty body" if not ex.text.strip() else "a body that is not a JSON object"
        return f"{answered} with {what}"
    if ex.ok or ex.error_code:
        return None
    return f"{answered} with no AWS error type (__type, code or x-amzn-ErrorType)"


def _content_type(ex: Exchange) -> str:
    value = ex.headers.get("content-type", "").split(";", 1)[0].strip()
    return value or "(no Content-Type)"


def probe_endpoint(
    url: str, region: str = "us-east-1", timeout: float = PROBE_TIMEOUT_S
) -> Exchange:
    """Send the probe to ``url``; return the answer or raise :class:`ProbeError`."""
    client = WireClient(url, region, DUMMY_CREDENTIALS, timeout)
    try:
        ex = client.call(PROBE_OPERATION, {})
    except TargetUnreachable as exc:
        raise Unreachable(f"target unreachable: {url}: {_reason(exc, timeout)}") from None
    finally:
        client.close()
    problem = protocol_problem(ex)
    if problem:
        raise NotAwsJson(f"{url} is not an AWS JSON 1.1 endpoint: {problem}")
    return ex


def wait_for_endpoint(
    url: str,
    seconds: float,
    region: str = "us-east-1",
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Exchange:
    """Probe ``url`` until it answers or ``seconds`` have passed; raise the last problem.

    Only unreachability is retried: an endpoint that answers in another protocol will not
    change its mind, so it is refused at once.
    """
    deadline = clock() + seconds
    while True:
        left = deadline - clock()
        try:
            return probe_endpoint(url, region, min(PROBE_TIMEOUT_S, max(left, 0.1)))
        except Unreachable as exc:
            if clock() + RETRY_INTERVAL_S > deadline:
                raise Unreachable(f"{exc} (waited {seconds:g} s)") from None
        sleep(RETRY_INTERVAL_S)


def target_problem(
    endpoint_url: str | None,
    region: str,
    wait_s: float = 0.0,
    note: Callable[[str], None] | None = None,
) -> str | None:
    """Probe an explicit target (``aws`` names the region's endpoint), waiting up to
    ``wait_s`` seconds if asked; return the one-line problem, or ``None`` when it will do."""

    if not endpoint_url:
        return None
    url = resolve_endpoint(endpoint_url, region)
    try:
        if wait_s:
            if note is not None:
                note(f"waiting up to {wait_s:g} s for {url} to answer")
            wait_for_endpoint(url, wait_s, region)
        else:
            probe_endpoint(url, region)
    except ProbeError as exc:
        return str(exc)
    return None


def _reason(exc: TargetUnreachable, timeout: float) -> str:
    """The innermost reason of a connection failure, without the connection pool's wrapping."""
    import requests

    cause = exc.__cause__
    if isinstance(cause, requests.Timeout):
        return f"no answer to {PROBE_OPERATION} within {timeout:g} s"
    inner = getattr(cause.args[0], "reason", None) if cause is not None and cause.args else None
    text = str(inner if inner is not None else exc).strip()
    text = text.splitlines()[0] if text else type(exc).__name__
    return text.split("): ", 1)[-1] if inner is not None and "): " in text else text
