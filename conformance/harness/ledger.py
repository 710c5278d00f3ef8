"""An on-disk ledger of everything a run created, and the cleanup that reads it.

Each created repository (and each registry-level write, with the value to restore) is appended
as one JSON line before the run moves on, so that ``ecr-public-conformance cleanup --ledger``
can remove what an interrupted run left behind. Cleanup only ever touches names the ledger
lists or that start with the run's prefix: pre-existing resources are never deleted.

Cleanup survives a misbehaving target: every call it makes is retried through transport
errors, 5xx answers and throttling, with backoff, until a deadline shared by the whole cleanup
(60 s by default); a target that stops answering altogether ends it sooner. Afterwards the
prefix is listed again, and the report says what is left and the command that finishes the
job.
"""

from __future__ import annotations

import json
import random
import shlex
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ...records import Cleanup
from ...specs import load_service
from ...wire import Exchange, TargetThrottled, TargetUnreachable, WireClient
from .semantics import largest_page

_LOCK = threading.Lock()


class Ledger:
    """Appends created resources to a JSON-lines file (or only remembers them in memory)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: list[dict[str, Any]] = []

    def record(self, kind: str, **fields: Any) -> None:
        """Remember one created resource (``kind`` is ``repository`` or ``registry-catalog``)."""
        entry = {"kind": kind, **fields}
        with _LOCK:
            self.entries.append(entry)
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry, sort_keys=True) + "\n")

    def repositories(self) -> list[str]:
        """Names of the repositories this run created."""
        return [e["name"] for e in self.entries if e["kind"] == "repository"]


def read_ledger(path: Path) -> list[dict[str, Any]]:
    """Return the entries of a ledger file (malformed lines are an error naming the line)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not a ledger entry: {exc}") from exc
    return out


#: How long cleanup keeps retrying faults, in seconds, unless told otherwise.
DEFAULT_CLEANUP_S = 60.0
#: Listings after the first pass; what each but the last finds is deleted once more.
VERIFY_ROUNDS = 3
#: Pause before such a round: an eventually consistent target may still list a deleted name.
VERIFY_PAUSE_S = 1.0
NOT_FOUND = "RepositoryNotFoundException"


#: Error codes that settle a cleanup request even when a target sends them with a 5xx status.
FINAL_CODES = frozenset({"RepositoryNotFoundException", "RepositoryNotEmptyException"})


class Retrier:
    """Sends cleanup's calls, retrying faults until one deadline shared by all of them.

    Transport errors are retried by the client (its policy's attempts); when they persist
    through all of those, the target is taken for gone and every further call is skipped
    (``given_up``). A 5xx answer, or throttling the client gave up on, is retried here with
    backoff until the deadline; past it, the first such fault also ends the cleanup.
    """

    def __init__(
        self,
        client: WireClient,
        within_s: float = DEFAULT_CLEANUP_S,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.deadline = time.monotonic() + within_s
        self.sleep = sleep
        self.given_up = False
        self.faults = 0
        self._rng = random.Random()

    def call(self, operation: str, params: dict[str, Any]) -> Exchange | None:
        """Send until an answer that is not a fault; None (or the 5xx) when retrying ran out."""
        attempt = 0
        while not self.given_up:
            attempt += 1
            ex: Exchange | None = None
            try:
                ex = self.client.call(
                    operation, params, retry_transport=True, give_up_at=self.deadline
                )
            except TargetThrottled:
                pass
            except TargetUnreachable:  # after the client's own transport retries: gone
                self.faults += 1
                self.given_up = True
                return None
            if ex is not None and (ex.status < 500 or ex.error_code in FINAL_CODES):
                return ex  # an answer, not a fault (a not-found says so whatever its status)
            self.faults += 1
            wait = self.client.retry.delay(attempt, self._rng)
            if time.monotonic() + wait >= self.deadline:
                self.given_up = True
                return ex
            self.sleep(wait)
        return None


def cleanup_command(
    endpoint_url: str,
    prefix: str | None = None,
    ledger: Path | None = None,
    region: str = "us-east-1",
) -> str:
    """The ``ecr-public-conformance cleanup`` line that removes what is left."""
    parts = ["ecr-public-conformance", "cleanup", "--endpoint-url", endpoint_url.rstrip("/")]
    if region != "us-east-1":
        parts += ["--region", region]
    parts += ["--ledger", str(ledger)] if ledger is not None else ["--prefix", prefix or ""]
    return shlex.join(parts)


def list_prefix(retrier: Retrier, prefix: str) -> tuple[list[str], bool]:
    """The repositories whose names start with ``prefix``, and whether every page came in."""
    names: list[str] = []
    token = None
    size = largest_page(load_service().operation("DescribeRepositories")) or 100
    for _ in range(1000):
        params: dict[str, Any] = {"maxResults": size}
        if token:
            params["nextToken"] = token
        ex = retrier.call("DescribeRepositories", params)
        if ex is None or not ex.ok or not isinstance(ex.json, dict):
            return names, False
        names += [
            str(r.get("repositoryName", ""))
            for r in ex.json.get("repositories", [])
            if isinstance(r, dict) and str(r.get("repositoryName", "")).startswith(prefix)
        ]
        token = ex.json.get("nextToken")
        if not token:
            return list(dict.fromkeys(names)), True
    return names, False


def _delete(retrier: Retrier, names: Iterable[str]) -> list[str]:
    """Force-delete each name; return those not confirmed gone."""
    left = []
    for name in dict.fromkeys(names):
        ex = retrier.call("DeleteRepository", {"repositoryName": name, "force": True})
        if ex is None or not (ex.ok or ex.error_code == NOT_FOUND):
            left.append(name)
    return left


def _exists(retrier: Retrier, name: str) -> bool | None:
    """Whether the repository ``name`` exists (None: the target would not say)."""
    ex = retrier.call("DescribeRepositories", {"repositoryNames": [name]})
    if ex is None or not (ex.ok or ex.error_code == NOT_FOUND):
        return None
    return ex.ok


#: The registry catalog members a run may change and cleanup puts back, with the entry field
#: that keeps each one's value from before the run.
RESTORED = {"displayName": "previous", "description": "previous_description"}

#: What cleanup reports when the registry had no display name before the run and has one now.
NEVER_SET = (
    "the registry had no display name before the run; the API cannot remove one, so it was set "
    "to the empty string"
)
#: The same for a description (a member of the newer editions).
NEVER_SET_DESCRIPTION = (
    "the registry had no description before the run; the API cannot remove one, so it was set "
    "to the empty string"
)
_NEVER = {"displayName": NEVER_SET, "description": NEVER_SET_DESCRIPTION}


def _changed(before: dict[str, Any], data: dict[str, Any] | None) -> set[str]:
    """The members whose value differs from before the run (``data`` None: not readable, so
    every member that had a value, and the display name, count as changed)."""
    if data is None:
        return {m for m, v in before.items() if v is not None} | {"displayName"}
    return {m for m, v in before.items() if data.get(m) != v and not (v is None and m not in data)}


def _restore(retrier: Retrier, entries: Iterable[dict[str, Any]]) -> tuple[bool, str]:
    """Put the registry's display name and description back byte for byte, only if the run
    changed them.

    The request carries every member that had a value before (a target may replace the whole
    catalog data) and every member that changed. A member that was never set cannot be unset
    through the API: the closest is the empty string, and the note says so. Returns
    (restored, note about what was not undone).
    """
    firsts = [e for e in entries if e["kind"] == "registry-catalog"]
    if not firsts:
        return True, ""
    before = {member: firsts[0].get(field) for member, field in RESTORED.items()}
    now = retrier.call("GetRegistryCatalogData", {})
    body = now.json if now is not None and now.ok and isinstance(now.json, dict) else None
    data = body.get("registryCatalogData") if body is not None else None
    changed = _changed(before, data if isinstance(data, dict) else ({} if body else None))
    if not changed:
        return True, ""
    members = changed | {m for m, v in before.items() if v is not None}
    ex = retrier.call("PutRegistryCatalogData", {m: before[m] or "" for m in sorted(members)})
    if ex is None or not ex.ok:
        what = " and ".join("display name" if m == "displayName" else m for m in sorted(changed))
        return False, f"the registry {what} could not be put back"
    return True, "; ".join(_NEVER[m] for m in sorted(changed) if before[m] is None)


_UNREAD = object()


def repositories_with_prefix(
    client: WireClient, prefix: str, within_s: float = DEFAULT_CLEANUP_S
) -> list[str]:
    """List the target's repositories whose names start with ``prefix`` (all pages).

    Faults are retried for up to ``within_s`` seconds; what could be listed is returned.
    """
    return list_prefix(Retrier(client, within_s), prefix)[0]


def delete_repositories(
    client: WireClient, names: Iterable[str], within_s: float = DEFAULT_CLEANUP_S
) -> list[str]:
    """Force-delete each named repository; return the names that could not be deleted."""
    return _delete(Retrier(client, within_s), names)


def restore_registry(
    client: WireClient, entries: Iterable[dict[str, Any]], within_s: float = DEFAULT_CLEANUP_S
) -> bool:
    """Put back the registry catalog data recorded before the run first changed it.

    Returns True when it was put back or nothing needed restoring.
    """
    return _restore(Retrier(client, within_s), entries)[0]


def clean_up(
    client: WireClient,
    prefix: str | None,
    names: Iterable[str] = (),
    entries: Iterable[dict[str, Any]] = (),
    within_s: float = DEFAULT_CLEANUP_S,
    command: str | None = None,
    retrier: Retrier | None = None,
) -> Cleanup:
    """Delete ``names`` and everything under ``prefix``, verify, then restore the registry.

    Verification lists the prefix again (and asks after each named repository outside it);
    whatever still shows up is deleted once more, for a few rounds. A ``prefix`` of None
    means: only ``names`` (as ``cleanup --ledger`` does); then pass the ``command`` to report.
    """
    retrier = retrier or Retrier(client, within_s)
    entries = list(entries)
    named = list(dict.fromkeys(names))
    listed, _ = list_prefix(retrier, prefix) if prefix else ([], True)
    targets = list(dict.fromkeys([*named, *listed]))
    failed = _delete(retrier, targets)
    outside = [n for n in named if not (prefix and n.startswith(prefix))]
    left, verified = failed, False
    for round_ in range(VERIFY_ROUNDS):
        if round_ and not _pause(retrier):
            break
        left, verified = _remaining(retrier, prefix, outside)
        if not verified or not left or round_ == VERIFY_ROUNDS - 1:
            break
        _delete(retrier, left)
    if not verified:  # what was not confirmed gone, as far as anyone can tell
        left = list(dict.fromkeys([*failed, *left]))
    restored, note = _restore(retrier, entries)
    if command is None and prefix:
        command = cleanup_command(client.endpoint_url, prefix, region=client.region)
    return Cleanup(
        left=tuple(left),
        verified=verified,
        command=command or "",
        registry_restored=restored,
        deleted=len(targets) - len(failed),
        not_restored=(note,) if note else (),
    )


def _pause(retrier: Retrier) -> bool:
    """Wait before listing again (a target may be slow to forget); False past the deadline."""
    if retrier.given_up or time.monotonic() + VERIFY_PAUSE_S >= retrier.deadline:
        return False
    retrier.sleep(VERIFY_PAUSE_S)
    return True


def _remaining(retrier: Retrier, prefix: str | None, outside: list[str]) -> tuple[list[str], bool]:
    """What still exists under ``prefix`` and among ``outside``, and whether that is certain."""
    left, complete = list_prefix(retrier, prefix) if prefix else ([], True)
    for name in outside:
        exists = _exists(retrier, name)
        complete = complete and exists is not None
        if exists is not False:
            left.append(name)
    return left, complete
