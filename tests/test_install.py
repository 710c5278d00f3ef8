"""The package installs the ways the README says, and works from a fresh environment.

A fresh virtual environment gets the package from a checkout, from a built wheel and from a
repository URL (this checkout's, as a ``git+file`` URL), each by pip with ``--no-deps``; its
dependencies are this environment's, made visible by a path file, so nothing is downloaded but
the build backend (from the package index, cached by pip). A path file does not run the
editable install's finder, so the package imported there is the one just installed, which the
tests check. Then the command and the plug-in run from another folder against the embedded
reference, on one operation.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

from .readme import ROOT, commands, environment, readme_blocks

pytestmark = pytest.mark.install

#: The repository URL the README shows, and what the test installs in its place.
README_URL = "https://github.com/OWNER/ecr-public-conformance.git@main"


def install_commands() -> list[str]:
    """The README's pip commands (every block's), in order."""
    found: list[str] = []
    for block in readme_blocks():
        if block.lang != "sh":
            continue
        for command in commands(block):
            found += [p.strip() for p in command.split("&&") if p.strip().startswith("pip ")]
    return found


def covered_commands() -> set[str]:
    """The README commands this module runs (the README test checks every pip line is here)."""
    return set(install_commands())


def _commit() -> str:
    """The checkout's current commit (what a repository URL install gets)."""
    done = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"not a git checkout, so no repository URL to install from: {done.stderr}")
    return done.stdout.strip()


def _pip(venv: Path, command: str, cwd: Path, wheels: Path) -> None:
    """Run a README ``pip`` command for the fresh environment ``venv``."""
    words = command.split()
    assert words[0] == "pip", command
    url = f"git+file://{ROOT}@{_commit()}"
    words = [w.strip('"').replace(f"git+{README_URL}", url) for w in words[1:]]
    words = [str(wheels) if w == "dist" else w for w in words]
    words = [str(wheels / w[len("dist/") :]) if w.startswith("dist/") else w for w in words]
    if words[0] == "install":
        words = [
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--no-deps",
            "-q",
            "--force-reinstall",
            *words[1:],
        ]
    else:
        words = [words[0], "-q", *words[1:]]
    done = subprocess.run(
        [sys.executable, "-m", "pip", *words],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment that sees this one's dependencies but not its package."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    yield venv
    shutil.rmtree(venv.parent, ignore_errors=True)


def _run(venv: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a script of the fresh environment in ``cwd``."""
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def _installed_from(venv: Path, cwd: Path) -> str:
    """Where the fresh environment imports the package from."""
    code = "import ecr_public_conformance as p; print(p.__file__)"
    return _run(venv, ["python", "-c", code], cwd).stdout.strip()


def test_the_readme_shows_three_install_forms() -> None:
    forms = install_commands()
    assert "pip install ." in forms
    assert any(f.startswith("pip wheel --no-deps -w dist .") for f in forms)
    assert f'pip install "git+{README_URL}"' in forms
    assert "pip install ecr-public-conformance" not in forms  # on no index


def test_a_built_wheel_installs_and_runs_from_another_folder(fresh: Path, tmp_path: Path) -> None:
    wheels = tmp_path / "dist"
    for command in install_commands():
        if command.startswith("pip wheel") or command.startswith("pip install dist/"):
            _pip(fresh, command, ROOT, wheels)
    assert [p.name for p in wheels.glob("*.whl")] == [
        "ecr_public_conformance-0.1.0-py3-none-any.whl"
    ]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert _installed_from(fresh, elsewhere).startswith(str(fresh)), "not the installed wheel"
    records = elsewhere / "records.json"
    plugin = _run(
        fresh,
        [
            "python",
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--pyargs",
            "ecr_public_conformance.conformance",
            "--ecr-operations",
            "DescribeRegistries",
            "--ecr-records",
            str(records),
        ],
        elsewhere,
    )
    assert plugin.returncode == 0, plugin.stdout[-3000:] + plugin.stderr[-2000:]
    assert re.search(r"\d+ passed", plugin.stdout), plugin.stdout[-2000:]
    assert json.loads(records.read_text())["target"]["kind"] == "reference"
    run = _run(
        fresh, ["ecr-public-conformance", "run", "--operations", "DescribeRegistries"], elsewhere
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (elsewhere / "ecr-conformance" / "latest" / "report.html").is_file()


@pytest.mark.parametrize("form", ["pip install .", f'pip install "git+{README_URL}"'])
def test_a_checkout_and_a_repository_url_install(fresh: Path, tmp_path: Path, form: str) -> None:
    assert form in install_commands()
    _pip(fresh, form, ROOT, tmp_path)
    assert _installed_from(fresh, tmp_path).startswith(str(fresh))
    done = _run(fresh, ["ecr-public-conformance", "specs", "editions"], tmp_path)
    assert done.returncode == 0 and "botocore-1.43.11" in done.stdout, done.stderr
