"""Every package folder is declared in pyproject.toml, so a non-editable install has it all."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("specs", "strategies", "conformance", "reports", "reference", "ecr_public_conformance")


def _declared() -> tuple[list[str], dict[str, str]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    tool = data["tool"]["setuptools"]
    return tool["packages"], tool["package-dir"]


def test_every_package_folder_is_declared_and_mapped() -> None:
    packages, dirs = _declared()
    folders = {
        p.parent.relative_to(ROOT).as_posix()
        for stage in STAGES
        for p in (ROOT / stage).rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    mapped = {dirs[p] for p in packages}
    assert folders == mapped, f"undeclared: {sorted(folders - mapped)}"


def test_nothing_lands_at_the_top_of_site_packages() -> None:
    packages, _ = _declared()
    assert all(
        p == "ecr_public_conformance" or p.startswith("ecr_public_conformance.") for p in packages
    )


def test_package_data_ships_every_edition_file() -> None:
    import glob

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = data["tool"]["setuptools"]["package-data"]["ecr_public_conformance.specs"]
    specs = ROOT / "specs"
    shipped = {
        Path(p).as_posix()
        for pattern in globs
        for p in glob.glob(pattern, root_dir=specs, recursive=True)
        if (specs / p).is_file()
    }
    wanted = {
        p.relative_to(specs).as_posix()
        for p in (specs / "editions").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert wanted, "no edition files found"
    assert wanted <= shipped, f"not shipped: {sorted(wanted - shipped)[:5]}"
    assert {"spec.schema.json", "freedoms.toml", "source/protocol-errors.json"} <= shipped
