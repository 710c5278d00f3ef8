"""Make an edition's sources from the installed boto3 and botocore, and check them against it.

The document is what boto3's own documentation generator writes, kept exactly as written:
``ServiceDocumenter('ecr-public', session, root).document_service()`` returns the index page,
which is saved as ``ecr-public.rst`` (where ``boto3.docs.generate_docs`` saves it), and writes
one page per client method, paginator and waiter under ``ecr-public/``. The model, paginators
and waiters are read through botocore's data loader and vendored in canonical JSON.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..editions import SOURCE_DIR, Edition, Versions, write_versions
from .service_model import (
    SERVICE_NAME,
    WAITERS_FILE,
    canonical,
    installed_documents,
    installed_session,
    installed_versions,
)

DOCUMENT_DIR = "document"
HOW = (
    "boto3.docs.service.ServiceDocumenter('ecr-public', session, <document>)"
    ".document_service() on a session in us-east-1, the returned index saved as"
    " <document>/ecr-public.rst and the pages it writes kept as written; service-2,"
    " paginators-1 and waiters-2 read through botocore's data loader and saved as JSON"
    " with sorted keys and a one-space indent (ecr-public-conformance specs derive"
    " --from-installed-boto3)."
)


def generate_document(dest: Path, session: Any = None) -> None:
    """Run boto3's documentation generator for ecr-public, writing its pages into ``dest``."""
    from boto3.docs.service import ServiceDocumenter

    dest.mkdir(parents=True, exist_ok=True)
    documenter = ServiceDocumenter(SERVICE_NAME, session or installed_session(), str(dest))
    (dest / f"{SERVICE_NAME}.rst").write_bytes(documenter.document_service())


def _replace_dir(staged: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staged, target)
    shutil.rmtree(old, ignore_errors=True)


def vendor_installed(directory: Path, session: Any = None) -> Versions:
    """Write an edition's sources (document, model, versions) from the installed boto3."""
    source = directory / SOURCE_DIR
    source.mkdir(parents=True, exist_ok=True)
    session = session or installed_session()
    staged = Path(tempfile.mkdtemp(dir=source, prefix=".document."))
    try:
        generate_document(staged, session)
        _replace_dir(staged, source / DOCUMENT_DIR)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    documents = installed_documents(session)
    (source / WAITERS_FILE).unlink(missing_ok=True)
    for name, doc in documents.items():
        (source / name).write_bytes(canonical(doc))
    boto3_version, botocore_version = installed_versions()
    versions = Versions(boto3_version, botocore_version, DOCUMENT_DIR, "boto3-generator", HOW)
    write_versions(source, versions)
    return versions


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def differences(left: Path, right: Path) -> list[str]:
    """Relative names of the files that differ between two folders, or are in one only."""
    a, b = _files(left), _files(right)
    return sorted(name for name in set(a) | set(b) if a.get(name) != b.get(name))


def check_generated(e: Edition) -> str:
    """Compare a generated document with a fresh generation when the installed boto3 and
    botocore are the ones recorded; return what was done. Raises ``ValueError`` naming the
    files that differ."""
    recorded = (e.versions.boto3, e.versions.botocore)
    installed = installed_versions()
    if installed != recorded:
        return (
            f"skipped regenerating its document: recorded with boto3 {recorded[0]} and "
            f"botocore {recorded[1]}, installed are boto3 {installed[0]} and botocore "
            f"{installed[1]}"
        )
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / DOCUMENT_DIR
        generate_document(fresh)
        diff = differences(e.document, fresh)
    if diff:
        raise ValueError(
            f"{e.name}: its document differs from boto3 {installed[0]}'s generator output: "
            + ", ".join(diff[:5])
        )
    return f"its document equals a fresh generation by boto3 {installed[0]}"
