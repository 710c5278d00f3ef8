from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.cli import main

from .helpers import digest, manifest, raw_call

ENV = {
    **os.environ,
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_PAGER": "",
}


def test_list_faults(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--list-faults"]) == 0
    assert "timestamp-as-string" in capsys.readouterr().out


def test_serve_until_interrupted() -> None:
    cmd = [
        sys.executable,
        "-m",
        "ecr_public_conformance.cli",
        "serve",
        "--port",
        "0",
        "--fault",
        "no-request-id",
    ]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline().strip()
            assert line.startswith("Listening on http://127.0.0.1:")
            response = raw_call(line.split()[-1], "DescribeRegistries")
            assert response.ok and "x-amzn-RequestId" not in response.headers
        finally:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=10) == 0


def _aws(url: str, *args: str) -> Any:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "awscli",
            "ecr-public",
            *args,
            "--endpoint-url",
            url,
            "--region",
            "us-east-1",
            "--output",
            "json",
        ],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout) if out.stdout.strip() else {}


def _aws_layer(url: str, tmp: Path, data: bytes) -> str:
    upload = _aws(url, "initiate-layer-upload", "--repository-name", "cli")["uploadId"]
    half = len(data) // 2
    for first, chunk in ((0, data[:half]), (half, data[half:])):
        part = tmp / f"part{first}"
        part.write_bytes(chunk)
        _aws(
            url,
            "upload-layer-part",
            "--repository-name",
            "cli",
            "--upload-id",
            upload,
            "--part-first-byte",
            str(first),
            "--part-last-byte",
            str(first + len(chunk) - 1),
            "--layer-part-blob",
            f"fileb://{part}",
        )
    _aws(
        url,
        "complete-layer-upload",
        "--repository-name",
        "cli",
        "--upload-id",
        upload,
        "--layer-digests",
        digest(data),
    )
    return digest(data)


def test_aws_cli_push_and_paginate(url: str, tmp_path: Path) -> None:
    _aws(url, "create-repository", "--repository-name", "cli")
    _aws(url, "create-repository", "--repository-name", "cli2")
    config = _aws_layer(url, tmp_path, b'{"architecture": "amd64", "os": "linux"}')
    layer = _aws_layer(url, tmp_path, b"L" * 4096)
    text = manifest(config, [(layer, 4096)])
    (tmp_path / "m.json").write_text(text)
    _aws(
        url,
        "put-image",
        "--repository-name",
        "cli",
        "--image-tag",
        "v1",
        "--image-manifest",
        f"file://{tmp_path / 'm.json'}",
    )
    images = _aws(url, "describe-images", "--repository-name", "cli", "--page-size", "1")
    assert [i["imageDigest"] for i in images["imageDetails"]] == [digest(text)]
    tags = _aws(url, "describe-image-tags", "--repository-name", "cli", "--page-size", "1")
    assert [t["imageTag"] for t in tags["imageTagDetails"]] == ["v1"]
    repos = _aws(url, "describe-repositories", "--page-size", "1")
    assert [r["repositoryName"] for r in repos["repositories"]] == ["cli", "cli2"]
    assert len(_aws(url, "describe-registries", "--page-size", "1")["registries"]) == 1
    deleted = _aws(
        url, "batch-delete-image", "--repository-name", "cli", "--image-ids", "imageTag=v1"
    )
    assert deleted["imageIds"][0]["imageDigest"] == digest(text)
