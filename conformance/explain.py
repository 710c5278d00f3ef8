"""Turn an observed deviation into a self-explaining failure record.

A failure carries the minimal request, the response (status, headers, body), the violated spec
fact, and two reproduction commands: an AWS CLI line and a Python snippet. Neither ever
contains credentials: the request headers were redacted when recorded, and the commands rely
on the usual AWS credential sources.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from ..wire import Exchange
from .records import Failure, SpecFact


def _cli_name(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", operation).lower()


def aws_cli_command(exchange: Exchange, endpoint_url: str, region: str) -> str:
    """Return an ``aws ecr-public`` command that sends the same request."""
    body = exchange.request_body
    if not isinstance(body, dict):
        return "# the request body is not a JSON object; use the Python snippet"
    return (
        f"aws ecr-public {_cli_name(exchange.operation)} --endpoint-url {endpoint_url} "
        f"--region {region} --cli-input-json {shlex.quote(json.dumps(body, sort_keys=True))}"
    )


def python_snippet(exchange: Exchange, endpoint_url: str, region: str) -> str:
    """Return a copy-pasteable Python snippet sending the same bytes, signed, with requests."""
    body = exchange.request_body
    raw = json.dumps(body, sort_keys=True) if isinstance(body, (dict, list)) else str(body)
    target = exchange.request_headers.get("X-Amz-Target", "")
    return "\n".join(
        [
            "import boto3, requests",
            "from botocore.auth import SigV4Auth",
            "from botocore.awsrequest import AWSRequest",
            f"url, region = {endpoint_url!r}, {region!r}",
            f"body = {raw!r}.encode()",
            "req = AWSRequest('POST', url, data=body, headers={",
            "    'Content-Type': 'application/x-amz-json-1.1',",
            f"    'X-Amz-Target': {target!r}}})",
            "creds = boto3.Session().get_credentials()  # the usual AWS credential sources",
            "SigV4Auth(creds, 'ecr-public', region).add_auth(req)",
            "resp = requests.post(url, data=body, headers=dict(req.headers.items()))",
            "print(resp.status_code, resp.headers, resp.text)",
        ]
    )


def failure(
    message: str,
    exchange: Exchange | None,
    fact: SpecFact,
    endpoint_url: str,
    region: str,
    expected: str = "",
    actual: str = "",
) -> Failure:
    """Build a failure record from the exchange that shows the deviation."""
    if exchange is None:
        return Failure(message, fact, {}, {}, expected=expected, actual=actual)
    return Failure(
        message=message,
        spec_fact=fact,
        request=exchange.request_dict(),
        response=exchange.response_dict(),
        reproduce={
            "aws_cli": aws_cli_command(exchange, endpoint_url, region),
            "python": python_snippet(exchange, endpoint_url, region),
        },
        expected=expected,
        actual=actual or answer(exchange),
    )


def answer(exchange: Exchange, limit: int = 80) -> str:
    """What came back, in one short line: ``HTTP 400 InvalidParameterException`` or
    ``HTTP 200 {"repositories": []}``."""
    head = f"HTTP {exchange.status}"
    if exchange.error_code:
        return f"{head} {exchange.error_code}"
    body = exchange.json if exchange.json is not None else exchange.text
    shown = _short(body, limit) if body not in (None, "") else "(empty body)"
    return f"{head} {shown}"


def render(f: Failure) -> str:
    """Return a multi-line human explanation of a failure (what pytest prints)."""
    fact = f.spec_fact
    member = f" member {fact.member}" if fact.member else ""
    lines = [
        f.message,
        f"  spec fact: {fact.operation}{member}: {fact.constraint} (source: {fact.provenance})",
    ]
    if f.request:
        lines.append(f"  request:  {_short(f.request.get('body'))}")
    if f.response:
        lines.append(
            f"  response: HTTP {f.response.get('status')} {_short(f.response.get('body'))}"
        )
        rid = (f.response.get("headers") or {}).get("x-amzn-requestid")
        if rid:
            lines.append(f"  request id: {rid}")
    for name, cmd in f.reproduce.items():
        lines.append(f"  reproduce ({name}):")
        lines += ["    " + line for line in cmd.splitlines()]
    return "\n".join(lines)


def _short(value: Any, limit: int = 600) -> str:
    text = json.dumps(value, sort_keys=True) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"
