"""The reference's premium state under two workers: one server, two xdist workers sending the
premium edition's requests at once, and every premium behaviour still judged as documented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ecr_public_conformance.reference import start_server

PREMIUM = (
    "CreatePremiumRepository,DescribePremiumRepositories,PutPremiumRepositoryProducts,"
    "SetRepositoryState,AssociateRepositories,DisassociateRepositories,SetImageStatus,"
    "PutPremiumRepositoryCatalogData,GetPremiumRepositoryCatalogData,DeletePremiumRepository"
)


def test_two_workers_on_one_reference_lose_no_premium_state(tmp_path: Path) -> None:
    with start_server(edition="newest") as server:
        done = subprocess.run(
            [sys.executable, "-m", "ecr_public_conformance", "run", "--quiet", "--seed", "3",
             "--edition", "newest", "--workers", "2", "--endpoint-url", server.url,
             "--operations", PREMIUM, "--report-dir", str(tmp_path / "out")],
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        served = server.endpoint.requests_served
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert doc["summary"]["failed"] == 0 and doc["summary"]["errors"] == 0
    judged = {r["operation"] for r in doc["results"] if r["category"] == "behaviour"}
    assert {"CreatePremiumRepository", "SetRepositoryState", "AssociateRepositories"} <= judged
    assert served > 100
