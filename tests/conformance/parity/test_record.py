"""``record``: a reproducible, committable corpus, and one line for every bad input."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from ecr_public_conformance.cli import main
from ecr_public_conformance.conformance.catalogue.behaviours import load_catalogue
from ecr_public_conformance.conformance.parity.corpus import (
    MANIFEST,
    RECORDS,
    read_manifest,
    read_records,
)
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.wire import WireClient

from .conftest import SEED, record


def test_the_manifest_describes_the_recording(corpus: Path) -> None:
    manifest = read_manifest(corpus)
    assert manifest.description == "embedded reference"
    assert manifest.seed == SEED and manifest.profile == "quick"
    assert manifest.spec_hash == load_service().spec_hash
    ids = [s.id for s in manifest.scenarios]
    assert ids[0] == "registry"
    assert "pagination:DescribeImages" in ids and "samples:PutImage" in ids
    quick = [b.id for b in load_catalogue().of_edition(None) if "quick" in b.profiles]
    assert [i.removeprefix("behaviour:") for i in ids if i.startswith("behaviour:")] == quick
    records = read_records(corpus, manifest)
    assert len(records) == manifest.records == sum(s.records for s in manifest.scenarios)
    assert {r.operation for r in records} == set(load_service().operations)


def test_recording_twice_with_one_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    """On the newest edition, whose scenarios have the most run-specific values."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1800000000"}
    one = {**env, "ECR_CONFORMANCE_RUN_ID": "0a0a0a0a"}
    first = record(tmp_path / "one", "--edition", "newest", env=one)
    two = {**env, "ECR_CONFORMANCE_RUN_ID": "b1b1b1b1"}
    second = record(tmp_path / "two", "--edition", "newest", env=two)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    for name in (MANIFEST, RECORDS):
        a, b = ((tmp_path / d / name).read_bytes() for d in ("one", "two"))
        assert a == b, name
    assert read_manifest(tmp_path / "one").recorded == "2027-01-15"


CANARY = {
    "AWS_ACCESS_KEY_ID": "AKIACANARYKEYID00042",
    "AWS_SECRET_ACCESS_KEY": "canary/SECRET+key0000000000000000000042",
    "AWS_SESSION_TOKEN": "canary-session-token-FwoGZXIvYXdzEBYaDCANARY42",
}


def test_a_corpus_holds_no_credential_signature_or_account(tmp_path: Path) -> None:
    # an endpoint that verifies signatures with the canary key: every answer below needed it
    server = start_server(
        verify_sigv4=True,
        credentials={CANARY["AWS_ACCESS_KEY_ID"]: CANARY["AWS_SECRET_ACCESS_KEY"]},
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(CANARY, AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    try:
        done = record(tmp_path / "c", "--endpoint-url", server.url, env=env)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    records = read_records(tmp_path / "c")
    first = next(r for r in records if r.operation == "DescribeRegistries")
    assert first.response["status"] == 200  # signed with the canary credentials, and accepted
    account = "123456789012"
    forbidden = [
        *CANARY.values(),
        account,
        "AWS4-HMAC-SHA256",
        "Signature=",
        "Credential=",
        "X-Amz-Security-Token",
        '"Authorization"',
        "X-Amz-Date",
    ]
    for path in sorted((tmp_path / "c").iterdir()):
        raw = path.read_bytes()
        texts = [raw] + ([gzip.decompress(raw)] if path.name.endswith(".gz") else [])
        for text in texts:
            for word in forbidden:
                assert word.lower().encode() not in text.lower(), (path.name, word)
    assert any("<account>" in json.dumps(r.response) for r in records)


def test_a_target_that_stops_answering_writes_nothing(tmp_path: Path) -> None:
    # it answers two requests (ours, which also warms it up: a fresh reference spends a second
    # or more on its first answer, close to the probe's timeout on a busy machine, and record's
    # probe), then resets every connection: no timer decides when
    with start_server(faults=["stop-answering=2"]) as server:
        assert WireClient(server.url).call("DescribeRegistries", {}).ok
        done = record(tmp_path / "c", "--profile", "ci", "--endpoint-url", server.url)
        assert server.endpoint.disruptions["reset-before"] > 0
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("error: the target stopped answering: ")
    assert done.stderr.endswith("; no corpus written\n") and done.stderr.count("\n") == 1
    assert not (tmp_path / "c" / MANIFEST).exists()


#: situation -> (arguments, files to create, the stderr line it starts with)
USAGE = {
    "no --out": (
        [],
        {},
        "error: ecr-public-conformance record: the following arguments are required: --out",
    ),
    "unknown profile": (
        ["--out", "c", "--profile", "slow"],
        {},
        "error: ecr-public-conformance record: argument --profile: invalid choice: 'slow'",
    ),
    "seed not a number": (
        ["--out", "c", "--seed", "x"],
        {},
        "error: ecr-public-conformance record: argument --seed: 'x': expected a non-negative "
        "integer",
    ),
    "unknown fault": (
        ["--out", "c", "--reference-fault", "nope"],
        {},
        "error: --reference-fault: unknown fault 'nope'; known faults: ",
    ),
    "variant with an endpoint": (
        [
            "--out",
            "c",
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--reference-variant",
            "minimal-output",
        ],
        {},
        "error: --reference-variant: fault switches and variants apply to the embedded "
        "reference only; drop --endpoint-url to use them",
    ),
    "endpoint not a URL": (
        ["--out", "c", "--endpoint-url", "foo"],
        {},
        "error: --endpoint-url 'foo': not a URL; expected http://HOST[:PORT] or "
        "https://HOST[:PORT], or 'aws'",
    ),
    "out is a file": (["--out", "afile"], {"afile": "x"}, "error: --out afile: not a folder"),
    "out holds other files": (
        ["--out", "d"],
        {"d/notes.txt": "x"},
        "error: --out d: not empty and not a corpus (1 other files); choose an empty folder",
    ),
    "AWS without the opt-in": (
        ["--out", "c", "--endpoint-url", "aws"],
        {},
        "error: recording AWS creates public repositories in the account: pass "
        "--allow-aws-mutations --sandbox-accounts ID (a sandbox account only)",
    ),
    "AWS without sandbox accounts": (
        ["--out", "c", "--endpoint-url", "aws", "--allow-aws-mutations"],
        {},
        "error: --allow-aws-mutations needs --sandbox-accounts: ECR Public repositories are "
        "public, so recording runs only in accounts you list as sandboxes",
    ),
    "endpoint refusing connections": (
        ["--out", "c", "--endpoint-url", "http://127.0.0.1:9"],
        {},
        "error: target unreachable: http://127.0.0.1:9: Failed to establish a new connection: "
        "[Errno 111] Connection refused",
    ),
}


@pytest.mark.parametrize("situation", list(USAGE))
def test_usage_error(situation: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args, files, expected = USAGE[situation]
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        try:
            code = main(["record", *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    finally:
        os.chdir(old)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(expected), err
    assert not (tmp_path / "c" / MANIFEST).exists()


def test_the_request_cap_holds_across_scenarios(tmp_path: Path) -> None:
    done = record(tmp_path / "c", "--max-requests", "40")
    assert done.returncode == 0, done.stderr
    manifest = read_manifest(tmp_path / "c")
    ended = [s for s in manifest.scenarios if s.outcome != "complete"]
    assert ended and all(s.outcome.startswith("skipped: request cap of 40") for s in ended)
    assert manifest.records <= 40
    assert f"{len(ended)} ended early" in done.stdout
