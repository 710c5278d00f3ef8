"""The run touches only what it created, even on a target that validates nothing.

A lenient target executes whatever arrives, deliberately invalid requests included. The test
plays the user: it records every repository name and ARN a ``ci`` run sends to a reference that
takes any value as a name (fault ``names-not-validated``), creates a repository of each of those
names, with an image, tags, a policy and catalog data, on a fresh such reference, runs ``ci``
again (same seed, another run id), and finds every one of them unchanged. The README's safety
section points here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.conformance.harness.namespace import resource_values
from ecr_public_conformance.conformance.harness.semantics import changes_state
from ecr_public_conformance.reference import server as server_module
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.reference.state import Image, Repository
from ecr_public_conformance.specs import load_service

CLI = [sys.executable, "-m", "ecr_public_conformance"]
LENIENT = "names-not-validated"
Journal = list[tuple[str, Any]]


@pytest.fixture()
def journal(monkeypatch: pytest.MonkeyPatch) -> Iterator[Journal]:
    """Every request the in-process reference serves: (operation, JSON body or None)."""
    seen: Journal = []
    original = server_module.handle

    def recording(endpoint: Any, request: Any, disruption: Any = None) -> Any:
        operation = request.headers.get("x-amz-target", "").rpartition(".")[2]
        try:
            body = json.loads(request.body)
        except ValueError:
            body = None
        seen.append((operation, body))
        return original(endpoint, request, disruption)

    monkeypatch.setattr(server_module, "handle", recording)
    yield seen


def _run(url: str, run_id: str, out: Path) -> None:
    env = dict(os.environ, ECR_CONFORMANCE_RUN_ID=run_id)
    done = subprocess.run(
        [*CLI, "run", "--endpoint-url", url, "--profile", "ci", "--seed", "3", "--quiet"]
        + ["--report-dir", str(out / "reports"), "--history-dir", str(out / "history")],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert (out / "reports" / "results.json").exists(), done.stdout + done.stderr


def _named(journal: Journal, state_changing: bool | None = None) -> list[tuple[str, Any]]:
    """(operation, value) of every resource name or ARN in the journal's requests."""
    service = load_service("newest")  # the edition the runs judge by (the default)
    out = []
    for operation, body in journal:
        op = service.operations.get(operation)
        if op is None or not isinstance(body, dict):
            continue
        if state_changing is not None and changes_state(operation) != state_changing:
            continue
        out += [(operation, v) for v in resource_values(op.input, body)]
    return out


def _as_name(value: Any) -> str:
    """The repository a lenient target takes ``value`` to name."""
    text = value if isinstance(value, str) else json.dumps(value)
    return text.rsplit("repository/", 1)[-1] if text.startswith("arn:") else text


def _user_repository(name: str) -> Repository:
    now = time.time()
    repo = Repository(name, now, now, catalog={"description": f"{name} of the user"})
    repo.policy = json.dumps({"Version": "2012-10-17", "Statement": [], "Id": name})
    repo.tags = {"owner": "user", "name": name[:200]}
    repo.layers = {"sha256:" + "1" * 64: 10}
    digest = "sha256:" + "2" * 64
    repo.images[digest] = Image(digest, "{}", "application/json", None, 10, now, (), {"prod": now})
    return repo


def _snapshot(store: Any, names: set[str]) -> dict[str, Any]:
    out = {}
    for name in sorted(names):
        repo = store.repositories.get(name)
        out[name] = (
            None
            if repo is None
            else (
                repo.catalog,
                repo.policy,
                dict(repo.tags),
                dict(repo.layers),
                {d: dict(i.tags) for d, i in repo.images.items()},
            )
        )
    return out


def test_a_lenient_target_keeps_every_repository_the_run_did_not_create(
    journal: Journal, tmp_path: Path
) -> None:
    with start_server(faults=[LENIENT], edition="newest") as first:
        _run(first.url, "aaaaaaaa", tmp_path / "first")
    names = {_as_name(v) for _, v in _named(journal)}
    outside = sorted(n for n in names if "ecrconf-aaaaaaaa-" not in n)
    assert outside, "the run sent no name outside its namespace to a read: nothing was tested"
    journal.clear()

    with start_server(faults=[LENIENT], edition="newest") as second:
        store = second.endpoint.store
        for name in names:
            store.repositories[name] = _user_repository(name)
        before = _snapshot(store, names)
        _run(second.url, "bbbbbbbb", tmp_path / "second")
        after = _snapshot(store, names)

    changed = sorted(n for n in names if before[n] != after[n])
    assert changed == [], f"{len(changed)} user repositories changed, e.g. {changed[:5]}"
    unsafe = [
        (op, v)
        for op, v in _named(journal, state_changing=True)
        if not (isinstance(v, str) and "ecrconf-bbbbbbbb-" in v)
    ]
    assert unsafe == [], f"state-changing requests named foreign resources: {unsafe[:5]}"
