"""Read botocore's ECR Public service model: an edition's vendored copy, or the installed one.

The derivation reads an edition's vendored copy (``specs/editions/<name>/source/``), so that
``specs check`` gives the same answer on every machine whatever botocore version is installed.
The installed model is read through botocore's own data loader (so ``AWS_DATA_PATH`` and the
search path botocore would use apply), to vendor it into an edition or to compare it with one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..editions import read_versions

SERVICE_NAME = "ecr-public"
SERVICE_FILE = "service-2.json"
PAGINATORS_FILE = "paginators-1.json"
WAITERS_FILE = "waiters-2.json"


@dataclass(frozen=True)
class ServiceModel:
    """botocore's service-2, paginators-1 and waiters-2 documents, with where they came from."""

    service: dict[str, Any]
    paginators: dict[str, Any]
    botocore_version: str
    sha256: str
    waiters: dict[str, Any] = field(default_factory=dict)

    def shape(self, name: str) -> dict[str, Any]:
        """Return the model shape called ``name``."""
        shape: dict[str, Any] = self.service["shapes"][name]
        return shape


def canonical(document: Any) -> bytes:
    """The vendored form of a model document: sorted keys, one-space indent, final newline."""
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode()


def read_vendored(source_dir: Path) -> ServiceModel:
    """Read the vendored service model (and its paginators and waiters) from ``source_dir``."""
    raw = (source_dir / SERVICE_FILE).read_bytes()
    waiters = source_dir / WAITERS_FILE
    return ServiceModel(
        service=json.loads(raw),
        paginators=json.loads((source_dir / PAGINATORS_FILE).read_text())["pagination"],
        botocore_version=read_versions(source_dir).botocore,
        sha256=hashlib.sha256(raw).hexdigest(),
        waiters=json.loads(waiters.read_text())["waiters"] if waiters.exists() else {},
    )


def installed_session() -> Any:
    """A boto3 session on the installed boto3 and botocore (region fixed, no credentials)."""
    import boto3
    import botocore.session

    core = botocore.session.Session()
    return boto3.Session(botocore_session=core, region_name="us-east-1")


def installed_documents(session: Any = None) -> dict[str, Any]:
    """The installed model's documents by vendored file name (waiters only when shipped)."""
    from botocore.exceptions import DataNotFoundError

    loader = (session or installed_session())._session.get_component("data_loader")
    out = {
        SERVICE_FILE: loader.load_service_model(SERVICE_NAME, "service-2"),
        PAGINATORS_FILE: loader.load_service_model(SERVICE_NAME, "paginators-1"),
    }
    try:
        out[WAITERS_FILE] = loader.load_service_model(SERVICE_NAME, "waiters-2")
    except DataNotFoundError:
        pass
    return out


def installed_versions() -> tuple[str, str]:
    """The installed boto3 and botocore versions."""
    import boto3
    import botocore

    return boto3.__version__, botocore.__version__


def read_installed(session: Any = None) -> ServiceModel:
    """Read the installed botocore's model, as it would be vendored."""
    docs = installed_documents(session)
    waiters = docs.get(WAITERS_FILE)
    return ServiceModel(
        service=docs[SERVICE_FILE],
        paginators=docs[PAGINATORS_FILE]["pagination"],
        botocore_version=installed_versions()[1],
        sha256=hashlib.sha256(canonical(docs[SERVICE_FILE])).hexdigest(),
        waiters=waiters["waiters"] if waiters else {},
    )
