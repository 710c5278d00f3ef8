"""Turn an observed deviation into a self-explaining failure record.

A failure carries the minimal request, the response (status, headers, body), the violated spec
fact, what it needs set up, and its reproducers: a curl command (SigV4-signed by curl itself),
a Python snippet sending the same bytes, the AWS CLI command when the CLI itself would send that
request (it validates parameters first; otherwise it says why not), and the ``replay`` command
that recreates the setup under a fresh prefix and judges the answer again. None ever contains
credentials: the request headers were redacted when recorded, and the commands read the usual
AWS credential sources (the environment) at the moment they run.
"""

from __future__ import annotations

import functools
import json
import re
import shlex
from dataclasses import dataclass
from typing import Any

from ...records import Failure, SpecFact, Target
from ...specs.editions import selected_edition
from ...wire import CONTENT_TYPE, Exchange

#: The port the reproducers give the embedded reference, which is gone once the run ends.
REFERENCE_PORT = 5000


@dataclass(frozen=True)
class Where:
    """Where a reproducer sends: the endpoint, the region, and how to start it when the run's
    endpoint was the embedded reference (its port is gone once the run ends)."""

    endpoint_url: str
    region: str
    serve: str = ""

    @classmethod
    def of(cls, endpoint_url: str, region: str, target: Target | None = None) -> Where:
        """The reproducers' target for a run's endpoint (``target``: the run's target)."""
        if target is None or target.kind != "reference":
            return cls(endpoint_url, region)
        # The edition by name: serve's default is the newest, which a later release moves.
        args = [f"--edition {shlex.quote(selected_edition())}"]
        args += [f"--fault {shlex.quote(f)}" for f in target.reported.faults]
        args += [f"--variant {shlex.quote(v)}" for v in target.reported.variants]
        serve = " ".join(["ecr-public-conformance serve", f"--port {REFERENCE_PORT}", *args])
        return cls(f"http://127.0.0.1:{REFERENCE_PORT}", region, serve)

    def preamble(self) -> list[str]:
        """Comment lines saying what to start and which credentials to export first."""
        if not self.serve:
            return []
        return [
            f"# first start the reference as the run had it: {self.serve}",
            "# (any credentials do, e.g. the value test for both AWS_ACCESS_KEY_ID and the secret)",
        ]


def _cli_name(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", operation).lower()


def _signed(exchange: Exchange) -> bool:
    return any(k.lower() == "authorization" for k in exchange.request_headers)


def _header(exchange: Exchange, name: str, default: str = "") -> str:
    for key, value in exchange.request_headers.items():
        if key.lower() == name.lower():
            return str(value)
    return default


def _raw(exchange: Exchange) -> str:
    body = exchange.request_body
    return json.dumps(body, sort_keys=True) if isinstance(body, (dict, list)) else str(body)


def curl_command(exchange: Exchange, where: Where) -> str:
    """A curl command that sends the same bytes, signed by curl (``--aws-sigv4``) with the
    credentials of the environment; ``-i`` shows the answer's headers too."""
    lines = where.preamble()
    parts = ["curl -sS -i"]
    if _signed(exchange):
        parts.append(f'--aws-sigv4 "aws:amz:{where.region}:ecr-public"')
        parts.append('--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"')
        parts.append('${AWS_SESSION_TOKEN:+-H "X-Amz-Security-Token: $AWS_SESSION_TOKEN"}')
    parts.append(
        "-H " + shlex.quote(f"Content-Type: {_header(exchange, 'Content-Type', CONTENT_TYPE)}")
    )
    parts.append("-H " + shlex.quote(f"X-Amz-Target: {_header(exchange, 'X-Amz-Target')}"))
    parts.append("--data-binary " + shlex.quote(_raw(exchange)))
    parts.append(shlex.quote(where.endpoint_url))
    return "\n".join([*lines, " \\\n  ".join(parts)])


def cli_refusal(exchange: Exchange) -> str | None:
    """Why the AWS CLI would not send this request (it validates parameters first), or None."""
    body = exchange.request_body
    if not _signed(exchange):
        return "the request is unsigned, and the CLI always signs"
    if not isinstance(body, dict):
        return "the body is not a JSON object of parameters"
    target = _header(exchange, "X-Amz-Target")
    if not target.endswith(f".{exchange.operation}"):
        return "the request names another X-Amz-Target than its operation"
    if _header(exchange, "Content-Type", CONTENT_TYPE) != CONTENT_TYPE:
        return "the request has another Content-Type"
    from botocore.validate import ParamValidator

    try:
        shape = _cli_model().operation_model(exchange.operation).input_shape
    except Exception:  # noqa: BLE001  (an operation botocore does not know)
        return f"botocore does not know {exchange.operation}"
    report = ParamValidator().validate(_from_wire(body, shape), shape)
    if report.has_errors():
        first = report.generate_report().splitlines()[-1].strip()
        return f"the CLI refuses it before sending (Parameter validation failed: {first})"
    return None


@functools.cache
def _cli_model() -> Any:
    """botocore's model of ecr-public, as the AWS CLI loads it (loaded once: a botocore
    session and its model cost about 60 ms, and a run with many failures asks for each)."""
    import botocore.session

    return botocore.session.get_session().get_service_model("ecr-public")


def _from_wire(value: Any, shape: Any) -> Any:
    """Wire form to what botocore validates: base64 blobs become bytes."""
    import base64

    if shape is None:
        return value
    if shape.type_name == "blob" and isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except ValueError:
            return value
    if shape.type_name == "structure" and isinstance(value, dict):
        return {k: _from_wire(v, shape.members.get(k)) for k, v in value.items()}
    if shape.type_name == "list" and isinstance(value, list):
        return [_from_wire(v, shape.member) for v in value]
    return value


def aws_cli_command(exchange: Exchange, where: Where) -> str:
    """The ``aws ecr-public`` command that sends the same request, or why the CLI cannot."""
    refusal = cli_refusal(exchange)
    if refusal is not None:
        return f"# no AWS CLI command: {refusal}; use curl or the Python snippet"
    body = json.dumps(exchange.request_body, sort_keys=True)
    command = (
        f"aws ecr-public {_cli_name(exchange.operation)} --endpoint-url {where.endpoint_url} "
        f"--region {where.region} --cli-input-json {shlex.quote(body)}"
    )
    return "\n".join([*where.preamble(), command])


def python_snippet(exchange: Exchange, where: Where) -> str:
    """A copy-pasteable Python snippet sending the same bytes (signed when the run signed)."""
    raw = _raw(exchange)
    target = _header(exchange, "X-Amz-Target")
    content_type = _header(exchange, "Content-Type", CONTENT_TYPE)
    lines = [*where.preamble(), "import boto3, requests"]
    if _signed(exchange):
        lines += [
            "from botocore.auth import SigV4Auth",
            "from botocore.awsrequest import AWSRequest",
        ]
    lines += [
        f"url, region = {where.endpoint_url!r}, {where.region!r}",
        f"body = {raw!r}.encode()",
        f"headers = {{'Content-Type': {content_type!r}, 'X-Amz-Target': {target!r}}}",
    ]
    if _signed(exchange):
        lines += [
            "req = AWSRequest('POST', url, data=body, headers=headers)",
            "creds = boto3.Session().get_credentials()  # the usual AWS credential sources",
            "SigV4Auth(creds, 'ecr-public', region).add_auth(req)",
            "headers = dict(req.headers.items())",
        ]
    lines += [
        "resp = requests.post(url, data=body, headers=headers)",
        "print(resp.status_code, resp.headers, resp.text)",
    ]
    return "\n".join(lines)


def reproducers(exchange: Exchange, where: Where) -> dict[str, str]:
    """Every reproducer of one exchange, by kind."""
    return {
        "curl": curl_command(exchange, where),
        "aws_cli": aws_cli_command(exchange, where),
        "python": python_snippet(exchange, where),
    }


def failure(
    message: str,
    exchange: Exchange | None,
    fact: SpecFact,
    where: Where,
    expected: str = "",
    actual: str = "",
    setup: dict[str, Any] | None = None,
) -> Failure:
    """Build a failure record from the exchange that shows the deviation."""
    if exchange is None:
        return Failure(message, fact, {}, {}, expected=expected, actual=actual, setup=setup or {})
    return Failure(
        message=message,
        spec_fact=fact,
        request=exchange.request_dict(),
        response=exchange.response_dict(),
        reproduce=reproducers(exchange, where),
        expected=expected,
        actual=actual or answer(exchange),
        setup=setup or {},
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
