"""Hypothesis' files go to the user's cache folder, or a temporary one when it is not writable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ecr_public_conformance.conformance.pytest_plugin import hypothesis_storage


def test_the_cache_folder_is_the_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder, temporary = hypothesis_storage.choose()
    assert not temporary and folder.is_dir()
    assert folder.parent == tmp_path / "ecr-public-conformance"
    assert folder.name.startswith("hypothesis-")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_cache_falls_back_to_a_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tmp_path.chmod(0o500)
    try:
        folder, temporary = hypothesis_storage.choose()
    finally:
        tmp_path.chmod(0o700)
    assert temporary and folder.is_dir() and tmp_path not in folder.parents
    hypothesis_storage.release(folder, temporary)
    assert not folder.exists()


def test_a_cache_that_is_a_file_falls_back_to_a_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ecr-public-conformance").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder, temporary = hypothesis_storage.choose()
    assert temporary and folder.is_dir()
    hypothesis_storage.release(folder, temporary)
    assert not folder.exists()
