"""Read botocore's ECR Public service model: the vendored copy, or the installed botocore's.

The derivation reads the vendored copy in ``specs/source/`` by default, so that ``specs check``
gives the same answer on every machine whatever botocore version is installed;
``specs derive --refresh-model`` copies the installed botocore's model over it first.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_DIR = "ecr-public/2020-10-30"


@dataclass(frozen=True)
class ServiceModel:
    """botocore's service-2 and paginators-1 documents, with where they came from."""

    service: dict[str, Any]
    paginators: dict[str, Any]
    botocore_version: str
    sha256: str

    def shape(self, name: str) -> dict[str, Any]:
        """Return the model shape called ``name``."""
        shape: dict[str, Any] = self.service["shapes"][name]
        return shape


def installed_model_files() -> tuple[Path, Path, str]:
    """Return the installed botocore's service-2.json.gz and paginators-1.json, and its version."""
    import botocore

    root = Path(botocore.__file__).parent / "data" / MODEL_DIR
    return root / "service-2.json.gz", root / "paginators-1.json", botocore.__version__


def _canonical(service: dict[str, Any]) -> bytes:
    return (json.dumps(service, indent=1, sort_keys=True) + "\n").encode()


def refresh_vendored(source_dir: Path) -> str:
    """Copy the installed botocore's model into ``source_dir``; return the botocore version."""
    service_gz, paginators, version = installed_model_files()
    service = json.loads(gzip.decompress(service_gz.read_bytes()))
    (source_dir / "service-2.json").write_bytes(_canonical(service))
    (source_dir / "paginators-1.json").write_bytes(paginators.read_bytes())
    (source_dir / "botocore-version.txt").write_text(version + "\n")
    return version


def read_vendored(source_dir: Path) -> ServiceModel:
    """Read the vendored service model from ``source_dir``."""
    raw = (source_dir / "service-2.json").read_bytes()
    version_file = source_dir / "botocore-version.txt"
    version = version_file.read_text().strip() if version_file.exists() else "unknown"
    return ServiceModel(
        service=json.loads(raw),
        paginators=json.loads((source_dir / "paginators-1.json").read_text())["pagination"],
        botocore_version=version,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def read_installed() -> ServiceModel:
    """Read the installed botocore's model (used to detect a newer model than the vendored one)."""
    service_gz, paginators, version = installed_model_files()
    service = json.loads(gzip.decompress(service_gz.read_bytes()))
    return ServiceModel(
        service=service,
        paginators=json.loads(paginators.read_text())["pagination"],
        botocore_version=version,
        sha256=hashlib.sha256(_canonical(service)).hexdigest(),
    )
