"""Scrub credentials from anything a report writes: headers, bodies and reproducers."""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, Any

from ..records import RunResults

if TYPE_CHECKING:
    from ..records import RunResults

REDACTED = "[REDACTED]"
#: Runs that ``redact_run`` produced (already clean), by id; entries vanish with the runs.
_CLEAN: weakref.WeakValueDictionary[int, RunResults] = weakref.WeakValueDictionary()
#: The clean copy made of a run, by the run's id (with a weak reference that tells the run
#: from a later object with the same id): the reports and the summary each redact the same
#: run, and a redaction of a quick run costs about a tenth of a second.
_MADE: dict[int, tuple[weakref.ref[RunResults], RunResults]] = {}

#: Header or member names (lower case, without ``-`` and ``_``) whose values are secrets.
SECRET_NAMES = frozenset(
    {
        "authorization",
        "proxyauthorization",
        "cookie",
        "setcookie",
        "password",
        "xamzsecuritytoken",
        "xamzsignature",
        "xamzcredential",
        "awssecretaccesskey",
        "secretaccesskey",
        "secretkey",
        "awssessiontoken",
        "sessiontoken",
        "securitytoken",
    }
)
_NAMES = (
    r"aws_secret_access_key|secret_?access_?key|aws_session_token|session_?token"
    r"|x-amz-security-token|x-amz-signature|x-amz-credential|security_?token|password"
)
_PATTERNS = (
    # Authorization: <scheme> <credentials> up to the end of the line or of the quoted string.
    (
        re.compile(r"(?i)((?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n]+"),
        r"\1" + REDACTED,
    ),
    # name=value, name: value, "name": "value", NAME=value (env, INI, JSON, query strings).
    # (a shell variable reference, "$AWS_SESSION_TOKEN", is a name, not a secret)
    (
        re.compile(rf"(?i)((?<![\w{{$])(?:{_NAMES})[\"']?\s*[:=]\s*[\"']?)(?!\$)[^\s\"'&,;]+"),
        r"\1" + REDACTED,
    ),
    # A bare SigV4 signature.
    (re.compile(r"(?i)(\bSignature=)[0-9a-f]{16,}"), r"\1" + REDACTED),
    # user:password@ in URLs.
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@"), r"\1" + REDACTED + "@"),
)


def is_secret_name(name: str) -> bool:
    """Tell whether a header or member called ``name`` holds a credential."""
    return re.sub(r"[-_\s]", "", name).lower() in SECRET_NAMES


_TRIGGER = re.compile(r"(?i)authorization|secret|token|signature|credential|password|@")


def redact_text(text: str) -> str:
    """Replace the credential values found in ``text`` by ``[REDACTED]``."""
    if not _TRIGGER.search(text):
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact(value: Any) -> Any:
    """Return a copy of a JSON-like value with every credential replaced by ``[REDACTED]``."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {
            k: REDACTED if isinstance(k, str) and is_secret_name(k) else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and isinstance(value[0], str) and is_secret_name(value[0]):
            return [value[0], REDACTED]
        return [redact(v) for v in value]
    return value


def redact_run(run: RunResults) -> RunResults:
    """Return ``run`` with every credential in its results replaced by ``[REDACTED]``."""

    if _CLEAN.get(id(run)) is run:
        return run
    key = id(run)
    made = _MADE.get(key)
    if made is not None and made[0]() is run:
        return made[1]
    clean = RunResults.from_json(redact(run.to_json()))
    _CLEAN[id(clean)] = clean
    _MADE[key] = (weakref.ref(run, lambda _: _MADE.pop(key, None)), clean)
    return clean
