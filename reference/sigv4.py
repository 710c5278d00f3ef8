"""SigV4 ``Authorization`` header parsing and (optional) verification with botocore."""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import ApiError

_AUTH_RE = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<cred>[^,\s]+)\s*,\s*"
    r"SignedHeaders=(?P<headers>[^,\s]+)\s*,\s*Signature=(?P<sig>[0-9a-fA-F]+)\s*"
)


@dataclass(frozen=True)
class Authorization:
    """The parts of a SigV4 ``Authorization`` header."""

    access_key: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str | None) -> Authorization:
    """Parse the header; missing is ``MissingAuthenticationTokenException``, malformed is
    ``IncompleteSignatureException``."""
    if not value:
        raise ApiError("MissingAuthenticationTokenException", "Missing Authentication Token")
    match = _AUTH_RE.fullmatch(value.strip())
    scope = match["cred"].split("/") if match else []
    if match is None or len(scope) != 5 or scope[4] != "aws4_request":
        raise ApiError(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
            "parameters in AWS4-HMAC-SHA256 format",
        )
    return Authorization(
        scope[0], scope[1], scope[2], scope[3], tuple(match["headers"].split(";")), match["sig"]
    )


def verify(
    auth: Authorization,
    credentials: Mapping[str, str],
    path: str,
    headers: Mapping[str, str],
    body: bytes,
) -> None:
    """Recompute the signature over the received request; raise on unknown key or mismatch."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    secret = credentials.get(auth.access_key)
    if secret is None:
        raise ApiError(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        )
    missing = [h for h in auth.signed_headers if h not in headers]
    if missing or "x-amz-date" not in headers:
        raise ApiError("InvalidSignatureException", f"Signed header(s) missing: {missing}")
    signed = {h: headers[h] for h in auth.signed_headers}
    request = AWSRequest(
        method="POST",
        url=f"http://{headers.get('host', 'localhost')}{path}",
        headers=signed,
        data=body,
    )
    request.context["timestamp"] = headers["x-amz-date"]
    signer = SigV4Auth(Credentials(auth.access_key, secret), auth.service, auth.region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, auth.signature.lower()):
        raise ApiError(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided.",
        )
