"""Building an endpoint, and the body-size rule shared by the HTTP server and the WSGI app."""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Iterable, Mapping
from typing import Any

from ..specs import load_service
from .context import Endpoint
from .errors import ApiError
from .faults import condition_rates, parse_faults
from .market import build_market
from .options import make_options
from .protocol import Response, error_response
from .state import Store
from .variants import on


def make_endpoint(
    faults: Iterable[str] = (),
    verify_sigv4: bool = False,
    credentials: Mapping[str, str] | None = None,
    fault_seed: int | None = None,
    edition: str | None = None,
    **options: Any,
) -> Endpoint:
    """Return a fresh endpoint (empty state) with these faults and options.

    ``faults`` are ``NAME`` or ``NAME=VALUE`` specs; ``fault_seed`` seeds the generator the
    condition faults draw from (None: a fresh random pattern each time); ``edition`` names the
    spec edition served (an alias, or None for ``DEFAULT_EDITION``).
    """
    values = parse_faults(faults)
    opts = make_options(
        verify_sigv4=verify_sigv4, credentials=credentials, edition=edition, **options
    )
    unverified = (
        not opts.registry_verified
        or on(opts, "unverified-registry-rejects-name")
        or on(opts, "unverified-registry-ignores-name")
    )
    return Endpoint(
        Store(registry_display_name=None if unverified else opts.display_name),
        opts,
        frozenset(values),
        secrets.token_bytes(32),
        load_service(opts.edition),
        build_market(opts, time.time()),
        fault_values=condition_rates(values),
        rng=random.Random(fault_seed),
    )


#: The request body limit under the ``small-body-limit`` fault (8 MiB).
SMALL_BODY_LIMIT = 8 * 1024 * 1024


def body_length_error(endpoint: Endpoint, headers: Mapping[str, str]) -> Response | None:
    """Return the error for a body the server will not read (too large, unknown length)."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return error_response(
            endpoint, ApiError("LengthRequiredException", "Send a Content-Length header", 411)
        )
    raw = headers.get("content-length", "0").strip() or "0"
    if not raw.isdigit():
        return error_response(
            endpoint, ApiError("SerializationException", f"Invalid Content-Length {raw[:40]!r}")
        )
    limit = endpoint.options.max_body_bytes
    if "small-body-limit" in endpoint.faults:
        limit = min(limit, SMALL_BODY_LIMIT)
    if int(raw) > limit:
        return error_response(
            endpoint,
            ApiError(
                "RequestEntityTooLargeException",
                f"Request body of {raw} bytes exceeds the limit of {limit} bytes",
            ),
        )
    return None
