"""SigV4 signing of AWS JSON 1.1 requests, byte for byte as botocore's signer does."""

from __future__ import annotations

import calendar
import email.utils
import hashlib
import hmac
import threading
import time
from collections.abc import Mapping
from urllib.parse import quote, urlsplit

from .basics import Credentials

#: botocore's timestamp format and the headers it leaves out of a signature.
SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"
UNSIGNED_HEADERS = frozenset(
    {
        "baggage",
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "traceparent",
        "tracestate",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
    }
)


def remove_dot_segments(path: str) -> str:
    """RFC 3986 dot-segment removal, empty segments dropped too (as AWS signers do)."""
    if not path:
        return "/"
    out: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if out:
                out.pop()
        elif segment and segment != ".":
            out.append(segment)
    first = "/" if path[0] == "/" else ""
    last = "/" if path[-1] == "/" and out else ""
    return first + "/".join(out) + last


def host_header(url: str) -> str:
    """The Host value a signer derives from ``url``: lower case, default port left out."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host if parts.port is None or parts.port == default else f"{host}:{parts.port}"


def _canonical_query(query: str) -> str:
    """The query of the URL in canonical order (its pairs sorted, as they are written)."""
    pairs = sorted(pair.partition("=")[::2] for pair in query.split("&")) if query else []
    return "&".join(f"{key}={value}" for key, value in pairs)


def _without(pairs: list[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    """``pairs`` without any header called ``name`` (in any case)."""
    return [(k, v) for k, v in pairs if k.lower() != name]


def _sign_date(pairs: list[tuple[str, str]], stamp: str) -> list[tuple[str, str]]:
    """Date the request: a Date header is rewritten (and X-Amz-Date dropped), else X-Amz-Date."""
    if any(k.lower() == "date" for k, _ in pairs):
        instant = calendar.timegm(time.strptime(stamp, SIGV4_TIMESTAMP))
        return _without(
            _without(pairs, "date") + [("Date", email.utils.formatdate(instant))], "x-amz-date"
        )
    return _without(pairs, "x-amz-date") + [("X-Amz-Date", stamp)]


class SigV4Signer:
    """Signs requests to one endpoint for one service and region (AWS4-HMAC-SHA256).

    The result is what botocore's ``SigV4Auth.add_auth`` makes of the same request at the same
    clock (``tests/test_wire.py`` compares the two over generated requests); the signing key
    is derived once per secret and day.
    """

    def __init__(self, url: str, region: str, service: str) -> None:
        parts = urlsplit(url)
        self.region = region
        self.service = service
        self._path = quote(remove_dot_segments(parts.path), safe="/~")
        self._query = _canonical_query(parts.query)
        self._host = host_header(url)
        self._keys: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def key(self, secret: str, day: str) -> bytes:
        """The signing key of ``secret`` for ``day`` (YYYYMMDD), derived once."""
        with self._lock:
            found = self._keys.get((secret, day))
        if found is not None:
            return found
        k = f"AWS4{secret}".encode()
        for part in (day, self.region, self.service, "aws4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        with self._lock:
            if len(self._keys) > 8:
                self._keys.clear()
            self._keys[(secret, day)] = k
        return k

    def sign(
        self,
        headers: Mapping[str, str],
        body: bytes,
        credentials: Credentials,
        now: float | None = None,
    ) -> dict[str, str]:
        """Return ``headers`` dated and signed for a POST of ``body`` at ``now`` (epoch s)."""
        stamp = time.strftime(SIGV4_TIMESTAMP, time.gmtime(time.time() if now is None else now))
        pairs = _sign_date(_without(list(headers.items()), "authorization"), stamp)
        if credentials.token:
            pairs = _without(pairs, "x-amz-security-token")
            pairs.append(("X-Amz-Security-Token", credentials.token))
        names, canonical = self._canonical_headers(pairs)
        given = [v for k, v in pairs if k.lower() == "x-amz-content-sha256"]
        payload = given[0] if given else hashlib.sha256(body).hexdigest()
        request = f"POST\n{self._path}\n{self._query}\n{canonical}\n{names}\n{payload}"
        scope = f"{stamp[:8]}/{self.region}/{self.service}/aws4_request"
        digest = hashlib.sha256(request.encode()).hexdigest()
        to_sign = f"AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{digest}"
        key = self.key(credentials.secret_key, stamp[:8])
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        pairs.append(
            (
                "Authorization",
                f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
                f"SignedHeaders={names}, Signature={signature}",
            )
        )
        return dict(pairs)

    def _canonical_headers(self, pairs: list[tuple[str, str]]) -> tuple[str, str]:
        """(signed header names, canonical header lines) of the headers a signature covers."""
        signed: dict[str, list[str]] = {}
        for name, value in pairs:
            lname = name.lower()
            if lname not in UNSIGNED_HEADERS:
                signed.setdefault(lname, []).append(" ".join(value.split()))
        if "host" not in signed:
            signed["host"] = [self._host]
        names = sorted(signed)
        lines = "".join(f"{n}:{','.join(signed[n])}\n" for n in names)
        return ";".join(names), lines
