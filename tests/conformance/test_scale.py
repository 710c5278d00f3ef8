"""A run's cost is set by the suite, not by what the registry already holds.

The same seeded ``quick`` run against an empty reference and against one holding 300
repositories of its user (and one with 300 images) sends about the same number of requests;
before listings were bounded, each foreign repository cost about ten.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ecr_public_conformance.reference import start_server
from ecr_public_conformance.reference.state import Image, Repository

CLI = [sys.executable, "-m", "ecr_public_conformance"]
FOREIGN = 300


def _prefill(store: Any, count: int) -> None:
    now = time.time()
    for i in range(count):
        name = f"user/app-{i:04d}"
        store.repositories[name] = Repository(name, now, now)
    images = Repository("user/images", now, now)
    for i in range(count):
        digest = "sha256:" + f"{i:064x}"
        images.images[digest] = Image(digest, "{}", "application/json", None, 2, now, (), {})
    store.repositories[images.name] = images


def _requests(tmp_path: Path, foreign: int) -> tuple[int, Any]:
    with start_server(edition="newest") as server:  # the default edition's run
        if foreign:
            _prefill(server.endpoint.store, foreign)
        out = tmp_path / str(foreign)
        subprocess.run(
            [*CLI, "run", "--endpoint-url", server.url, "--seed", "5", "--quiet"]
            + ["--report-dir", str(out / "r"), "--history-dir", str(out / "h")],
            capture_output=True,
            timeout=600,
        )
        served = server.endpoint.requests_served
    doc = json.loads((out / "r" / "results.json").read_text())
    return served, doc


def test_requests_do_not_grow_with_the_repositories_already_there(tmp_path: Path) -> None:
    empty, _ = _requests(tmp_path, 0)
    full, doc = _requests(tmp_path, FOREIGN)
    assert doc["summary"]["failed"] == 0 and doc["summary"]["errors"] == 0, doc["causes"]
    # a few pages more at the largest page size are fine; one request per repository is not
    assert full <= empty * 1.05 + 20, (empty, full)
