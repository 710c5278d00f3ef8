"""The wire's vocabulary: constants, errors, retry policy, credentials and the recorded exchange."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "SpencerFrontendService"
SECRET_HEADERS = frozenset({"authorization", "x-amz-security-token"})
DEFAULT_TIMEOUT = 15.0


#: Error codes that mean "slow down" (AWS services and the SDKs' retry handlers use these).
THROTTLING_CODES = frozenset(
    {
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "ServiceUnavailable",
        "SlowDown",
    }
)
#: HTTP statuses that mean "slow down", whatever the body says (503 needs a throttling type).
THROTTLING_STATUSES = frozenset({429})
#: After this many requests in a row were throttled through every retry, throttled requests
#: fail at once until the target answers something else: a target that answers 503 to
#: everything must not cost a full backoff per request.
GIVE_UPS_BEFORE_FAST_FAIL = 3


class TargetUnreachable(Exception):
    """The endpoint could not be reached or did not answer in time."""


class TargetThrottled(TargetUnreachable):
    """The endpoint kept throttling a request after every retry the policy allows."""


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with full jitter.

    Attempt n (1-based) that meets a retryable answer waits a uniform random time in
    [0, min(cap_s, base_s * 2 ** (n - 1))], or the answer's Retry-After (at most
    retry_after_cap_s) when it has one. At most max_attempts attempts are sent, and no wait
    starts that would take the call's total waiting beyond max_total_wait_s.
    """

    base_s: float = 0.2
    cap_s: float = 5.0
    max_attempts: int = 10
    max_total_wait_s: float = 30.0
    retry_after_cap_s: float = 10.0

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None = None) -> float:
        """The wait after failed attempt ``attempt`` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_cap_s)
        return rng.uniform(0.0, min(self.cap_s, self.base_s * 2 ** min(attempt - 1, 60)))


#: For remote endpoints, AWS itself included.
DEFAULT_RETRY = RetryPolicy()
#: For loopback endpoints (a local emulator or the reference): retries cost next to nothing,
#: so they start sooner and there are more of them before a verdict is spoiled by giving up.
LOOPBACK_RETRY = RetryPolicy(
    base_s=0.005, cap_s=0.25, max_attempts=20, max_total_wait_s=5.0, retry_after_cap_s=0.25
)


#: ECR Public's endpoint in a region; ``aws`` stands for it wherever an endpoint is given.
AWS_ENDPOINT = "https://api.ecr-public.{region}.amazonaws.com"


def resolve_endpoint(url: str, region: str) -> str:
    """The URL requests go to: ``aws`` is the region's ECR Public endpoint, anything else is
    itself (the one place the alias is resolved)."""
    return AWS_ENDPOINT.format(region=region) if url == "aws" else url


def is_aws_endpoint(url: str | None) -> bool:
    """True for ``aws`` or a URL whose host is under amazonaws.com: AWS itself."""
    if url is None:
        return False
    if url == "aws":
        return True
    host = urlsplit(url).hostname or ""
    return host == "amazonaws.com" or host.endswith(".amazonaws.com")


def is_loopback(url: str) -> bool:
    """True when ``url`` names this machine (localhost, 127.x, ::1)."""
    host = urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def is_throttling(status: int, error_code: str | None) -> bool:
    """True for an answer that asks the client to slow down: HTTP 429, or a throttling error
    type (at any status). A 503 without one is a server error, not throttling: a target that
    answers every unsigned request with an HTML 503 has failed, and is judged for it."""
    return status == 429 or (error_code or "") in THROTTLING_CODES


def retry_after_s(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (delay-seconds or an HTTP date), or None."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


@dataclass
class ClientStats:
    """What the client's retrying did: throttling answers retried, and retries of any cause."""

    throttled: int = 0
    retries: int = 0
    transport_retries: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counters as a plain dict."""
        return {
            "throttled": self.throttled,
            "retries": self.retries,
            "transport_retries": self.transport_retries,
        }


@dataclass(frozen=True)
class Credentials:
    """AWS credentials used to sign requests (never printed)."""

    access_key: str
    secret_key: str = field(repr=False)
    token: str | None = field(default=None, repr=False)


DUMMY_CREDENTIALS = Credentials("AKIDEXAMPLECONFORMANCE", "conformance-secret-not-real")


def sanitize_error_code(raw: str | None) -> str | None:
    """Strip a namespace or URI from an error type the way AWS clients do."""
    if not raw:
        return None
    code = raw.split(":", 1)[0]
    return code.rsplit("#", 1)[-1] or None


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Return headers with every credential-bearing value replaced."""
    return {k: ("<redacted>" if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


@dataclass(frozen=True)
class Exchange:
    """One request and its response as seen on the wire."""

    operation: str
    request_body: Any
    request_headers: Mapping[str, str]
    status: int
    headers: Mapping[str, str]
    text: str
    json: Any
    elapsed_s: float

    @property
    def ok(self) -> bool:
        """True for a 2xx answer."""
        return 200 <= self.status < 300

    @property
    def error_code(self) -> str | None:
        """The sanitised error code (body ``__type``/``code``, else ``x-amzn-ErrorType``)."""
        if self.ok:
            return None
        body = self.json if isinstance(self.json, dict) else {}
        raw = body.get("__type") or body.get("code") or self.headers.get("x-amzn-errortype")
        return sanitize_error_code(raw if isinstance(raw, str) else None)

    def request_dict(self) -> dict[str, Any]:
        """The request as a JSON-serialisable dict (credentials redacted)."""
        return {
            "operation": self.operation,
            "headers": redact_headers(self.request_headers),
            "body": self.request_body,
        }

    def response_dict(self, limit: int = 20000) -> dict[str, Any]:
        """The response as a JSON-serialisable dict, body cut to ``limit`` characters."""
        body: Any = self.json if self.json is not None else self.text[:limit]
        return {"status": self.status, "headers": dict(self.headers), "body": body}


# ------------------------------------------------------------------ SigV4
