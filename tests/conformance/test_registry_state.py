"""Registry-level data is run-level: parallel runs leave the registry exactly as it was.

Before, with two workers, the registry display name set to "MyRegistry" beforehand was left as
random text, and a serial run turned a registry without catalog data into
``{'displayName': ''}``; the other worker's writes raced the state machine (FlakyFailure).
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.reference import start_server
from ecr_public_conformance.wire import WireClient

CLI = [sys.executable, "-m", "ecr_public_conformance"]
OPS = "PutRegistryCatalogData,GetRegistryCatalogData,DescribeRegistries,CreateRepository"


def _catalog(url: str) -> bytes:
    return WireClient(url).call("GetRegistryCatalogData", {}).text.encode()


def _run(form: str, url: str, tmp: Path, n: int) -> subprocess.CompletedProcess[str]:
    if form == "run":
        argv = [*CLI, "run", "--quiet", "--endpoint-url", url, "--workers", "2", "--seed", str(n)]
        argv += ["--operations", OPS, "--report-dir", str(tmp / f"r{n}"), "--edition", "seed"]
    else:
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2"]
        argv += ["--pyargs", "ecr_public_conformance.conformance", "--ecr-endpoint-url", url]
        argv += [
            "--ecr-operations",
            OPS,
            "--ecr-seed",
            str(n),
            "--ecr-records",
            str(tmp / f"{n}.json"),
            "--ecr-edition",
            "seed",  # the edition the reference below serves
        ]
    return subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=tmp)


@pytest.mark.parametrize("form", ["run", "pytest"])
@pytest.mark.parametrize("before", ["MyRegistry", None])
def test_parallel_runs_leave_the_registry_catalog_as_it_was(
    form: str, before: str | None, tmp_path: Path
) -> None:
    with start_server() as server:
        if before is not None:
            WireClient(server.url).call("PutRegistryCatalogData", {"displayName": before})
        original = _catalog(server.url)
        outputs: list[Any] = []
        for n in range(5 if before is not None else 2):
            done = _run(form, server.url, tmp_path, n)
            outputs.append(done.stdout + done.stderr)
            assert "Flaky" not in outputs[-1], outputs[-1][-3000:]
            now = _catalog(server.url)
            if before is not None:
                assert now == original, (n, now, original)
            else:  # never set: the closest the API allows is the empty name, and it is said
                assert json.loads(now)["registryCatalogData"].get("displayName", "") == ""
        if before is None and form == "run":
            doc = json.loads((tmp_path / "r0" / "results.json").read_text())
            assert doc["cleanup"]["not_restored"], doc["cleanup"]


def test_every_case_that_may_write_registry_data_runs_in_one_group() -> None:
    from ecr_public_conformance.conformance.harness.config import RunConfig
    from ecr_public_conformance.conformance.harness.semantics import registry_write
    from ecr_public_conformance.conformance.pytest_plugin.cases import build_cases, group_of
    from ecr_public_conformance.conformance.pytest_plugin.plugin import case_group

    cases = build_cases(RunConfig())
    writers = [
        c
        for c in cases
        if (c.operation is not None and registry_write(c.operation))
        or c.check.category == "stateful"
    ]
    groups = {group_of(c.check, c.operation_name) for c in writers}
    assert len(writers) > 20 and len(groups) == 1 and None not in groups
    # the scheduler reads the same group from the case's node id
    for c in writers:
        assert case_group(f"test_conformance.py::test_conformance[{c.id}]") in groups


def test_the_newest_edition_leaves_the_whole_registry_catalog_as_it_was(tmp_path: Path) -> None:
    """Display name, description and logo: the run puts back what it changed, and never sends
    what it could not put back (a logo reads back as a URL)."""
    with start_server(edition="newest") as server:
        before = {"displayName": "MyRegistry", "description": "About my registry"}
        logo = base64.b64encode(b"\x89PNG my logo").decode()
        WireClient(server.url).call("PutRegistryCatalogData", {**before, "logoImageBlob": logo})
        original = _catalog(server.url)
        assert b"logoUrl" in original
        served = server.endpoint.requests_served
        done = subprocess.run(
            [*CLI, "run", "--quiet", "--endpoint-url", server.url, "--seed", "4"]
            + ["--operations", OPS, "--report-dir", str(tmp_path / "r")],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert server.endpoint.requests_served > served + 20, done.stdout + done.stderr
        assert _catalog(server.url) == original
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    assert doc["edition"] == "botocore-1.44.18" and doc["cleanup"]["not_restored"] == []
