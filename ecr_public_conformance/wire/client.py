"""The client that signs, sends, retries throttling and records every exchange."""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .basics import (
    CONTENT_TYPE,
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    DUMMY_CREDENTIALS,
    GIVE_UPS_BEFORE_FAST_FAIL,
    LOOPBACK_RETRY,
    TARGET_PREFIX,
    ClientStats,
    Credentials,
    Exchange,
    RetryPolicy,
    TargetThrottled,
    TargetUnreachable,
    is_loopback,
    is_throttling,
    redact_headers,
    retry_after_s,
)
from .signing import SigV4Signer
from .transport import (
    HTTPTransport,
    Transport,
    TransportError,
    WSGITransport,
    _chained,
    environment_proxy,
)


class WireClient:
    """Signs and sends AWS JSON 1.1 requests to one endpoint; never validates them."""

    def __init__(
        self,
        endpoint_url: str,
        region: str = "us-east-1",
        credentials: Credentials | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        wsgi_app: Callable[..., Any] | None = None,
        signing_name: str = "ecr-public",
        retry: RetryPolicy | None = None,
        retry_transport: bool = False,
    ) -> None:
        self.endpoint_url = endpoint_url.rstrip("/") + "/"
        self.region = region
        self.credentials = credentials or DUMMY_CREDENTIALS
        self.timeout = timeout
        self.signing_name = signing_name
        self.signer = SigV4Signer(self.endpoint_url, region, signing_name)
        self.host = urlsplit(self.endpoint_url).netloc
        local = is_loopback(self.endpoint_url) or wsgi_app is not None
        self.transport: Transport
        if wsgi_app is not None:
            self.transport = WSGITransport(wsgi_app, self.endpoint_url)
        else:
            # the environment's proxies apply to remote endpoints only, as they did with requests
            proxy = None if local else environment_proxy(self.endpoint_url)
            self.transport = HTTPTransport(self.endpoint_url, timeout, proxy)
        self.retry = retry or (LOOPBACK_RETRY if local else DEFAULT_RETRY)
        self.retry_transport = retry_transport
        self.sleep: Callable[[float], None] = time.sleep
        self._rng = random.Random()
        self._stats = ClientStats()
        self._give_ups = 0  # requests in a row that were still throttled after every retry
        self._stats_lock = threading.Lock()

    @property
    def stats(self) -> ClientStats:
        """A snapshot of the retry counters."""
        with self._stats_lock:
            return ClientStats(**self._stats.as_dict())

    @property
    def throttled(self) -> int:
        """Throttling answers retried so far."""
        return self._stats.throttled

    @property
    def retries(self) -> int:
        """Retries sent so far, whatever their cause."""
        return self._stats.retries

    def _count(self, throttled: bool) -> None:
        with self._stats_lock:
            self._stats.retries += 1
            if throttled:
                self._stats.throttled += 1
            else:
                self._stats.transport_retries += 1

    def _sign(self, headers: dict[str, str], body: bytes) -> dict[str, str]:
        return self.signer.sign(headers, body, self.credentials)

    def call(
        self,
        operation: str,
        params: Any = None,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        sign: bool = True,
        target: str | None = None,
        retry_transport: bool | None = None,
        give_up_at: float | None = None,
    ) -> Exchange:
        """Send ``params`` (or the raw ``body``) as ``operation``; return the exchange.

        Throttling answers are retried (re-signed) under the client's policy and raise
        TargetThrottled when they persist. Transport errors raise TargetUnreachable, unless
        ``retry_transport`` (default: the client's setting) asks for them to be retried too.
        ``give_up_at`` (a ``time.monotonic()`` instant) stops retrying once it has passed.
        """
        raw = body if body is not None else json.dumps({} if params is None else params).encode()
        hdrs = {
            "Content-Type": CONTENT_TYPE,
            "X-Amz-Target": target or f"{TARGET_PREFIX}.{operation}",
            "Host": self.host,
        }
        hdrs.update(headers or {})
        hdrs = {k: v for k, v in hdrs.items() if v is not None}
        transport = self.retry_transport if retry_transport is None else retry_transport
        policy = self.retry
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            sent = self._sign(hdrs, raw) if sign else hdrs
            try:
                ex = self._send(operation, params, body, raw, sent)
            except TargetUnreachable:
                wait = policy.delay(attempt, self._rng)
                if not transport or not self._may_retry(attempt, waited, wait, give_up_at):
                    raise
                self._count(throttled=False)
            else:
                if not is_throttling(ex.status, ex.error_code):
                    self._give_ups = 0
                    return ex
                asked = retry_after_s(ex.headers.get("retry-after"))
                wait = policy.delay(attempt, self._rng, asked)
                stuck = self._give_ups >= GIVE_UPS_BEFORE_FAST_FAIL
                if stuck or not self._may_retry(attempt, waited, wait, give_up_at):
                    self._give_ups += 1
                    last = f"HTTP {ex.status} {ex.error_code or ''}".rstrip()
                    why = (
                        f"not retried: the last {GIVE_UPS_BEFORE_FAST_FAIL} requests were "
                        "throttled to the end"
                        if stuck
                        else f"after {attempt} attempts and {waited:.1f} s of backoff"
                    )
                    raise TargetThrottled(
                        f"{self.endpoint_url} kept throttling {operation} ({why}; "
                        f"last answer: {last})"
                    )
                self._count(throttled=True)
            self.sleep(wait)
            waited += wait

    def _may_retry(
        self, attempt: int, waited: float, wait: float, give_up_at: float | None
    ) -> bool:
        """True when the policy (and the caller's deadline) allow one more attempt."""
        if attempt >= self.retry.max_attempts or waited + wait > self.retry.max_total_wait_s:
            return False
        return give_up_at is None or time.monotonic() + wait < give_up_at

    def _send(
        self,
        operation: str,
        params: Any,
        body: bytes | None,
        raw: bytes,
        hdrs: dict[str, str],
    ) -> Exchange:
        """Send one signed attempt; transport errors become TargetUnreachable."""
        start = time.perf_counter()
        try:
            answer = self.transport.send(raw, hdrs)
        except TransportError as exc:
            message = (
                f"{self.endpoint_url} did not answer {operation} within {self.timeout:g} s"
                if exc.timed_out
                else f"cannot reach {self.endpoint_url}: {exc.reason}"
            )
            raise TargetUnreachable(message) from _chained(exc)
        elapsed = time.perf_counter() - start
        return Exchange(
            operation=operation,
            request_body=params if body is None else raw.decode("utf-8", "replace"),
            request_headers=redact_headers(hdrs),
            status=answer.status,
            headers=answer.headers,
            text=answer.body.decode("utf-8", "replace"),
            json=_parse_json(answer.body),
            elapsed_s=elapsed,
        )

    def close(self) -> None:
        """Close the transport's connections."""
        self.transport.close()


def _parse_json(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None


def unique_suffix() -> str:
    """Return a short random suffix for names of resources a run creates."""
    return uuid.uuid4().hex[:8]
