"""Send AWS JSON 1.1 requests to any endpoint, exactly as given, and record the exchange.

This is the sender that really reaches the target: nothing is validated client-side, so an
invalid request arrives as written. Requests are SigV4-signed (``signing``: byte for byte as
botocore's signer does, with the signing key cached per day); the transport (``transport``) is
a persistent HTTP/1.1 connection per thread (``plain_http`` for plain ``http://`` endpoints,
``http.client`` for HTTPS and the environment's proxies for endpoints that are not on this
machine) or, for in-process targets, a WSGI application called directly. Recorded exchanges
(``basics``) never contain the ``Authorization`` header or any credential.

Throttling answers (HTTP 429 or 503, or a throttling error code) are retried by the client
(``client``) with bounded exponential backoff and full jitter, re-signed each time, and never
handed back as exchanges: after the last attempt the call raises ``TargetThrottled``. Transport
errors (resets, truncated bodies, timeouts) are retried only when asked to (``retry_transport``),
as cleanup does.
"""

from .basics import (
    AWS_ENDPOINT,
    CONTENT_TYPE,
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    DUMMY_CREDENTIALS,
    GIVE_UPS_BEFORE_FAST_FAIL,
    LOOPBACK_RETRY,
    SECRET_HEADERS,
    TARGET_PREFIX,
    THROTTLING_CODES,
    THROTTLING_STATUSES,
    ClientStats,
    Credentials,
    Exchange,
    RetryPolicy,
    TargetThrottled,
    TargetUnreachable,
    is_aws_endpoint,
    is_loopback,
    is_throttling,
    redact_headers,
    resolve_endpoint,
    retry_after_s,
    sanitize_error_code,
)
from .client import WireClient, unique_suffix
from .signing import SigV4Signer, host_header, remove_dot_segments
from .transport import (
    Answer,
    HTTPTransport,
    Transport,
    TransportError,
    WSGIAdapter,
    WSGITransport,
    _OneWrite,
    call_wsgi,
    wsgi_environ,
)

__all__ = [
    "AWS_ENDPOINT",
    "CONTENT_TYPE",
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "DUMMY_CREDENTIALS",
    "GIVE_UPS_BEFORE_FAST_FAIL",
    "LOOPBACK_RETRY",
    "SECRET_HEADERS",
    "TARGET_PREFIX",
    "THROTTLING_CODES",
    "THROTTLING_STATUSES",
    "Answer",
    "ClientStats",
    "Credentials",
    "Exchange",
    "HTTPTransport",
    "RetryPolicy",
    "SigV4Signer",
    "TargetThrottled",
    "TargetUnreachable",
    "Transport",
    "TransportError",
    "WSGIAdapter",
    "WSGITransport",
    "WireClient",
    "_OneWrite",
    "call_wsgi",
    "host_header",
    "is_aws_endpoint",
    "is_loopback",
    "is_throttling",
    "redact_headers",
    "remove_dot_segments",
    "resolve_endpoint",
    "retry_after_s",
    "sanitize_error_code",
    "unique_suffix",
    "wsgi_environ",
]
