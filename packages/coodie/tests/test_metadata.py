"""The packages' metadata claims exactly the Python versions CI runs the tests on.

``scripts/pythons.sh`` holds the one list (``SUPPORTED_PYTHONS``) that ``.ci/run`` tests;
every package's classifiers and ``requires-python``, and the README, must agree with it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[3]
PROJECTS = sorted([*ROOT.glob("packages/*/pyproject.toml"), ROOT / "demo" / "pyproject.toml"])


def supported_pythons() -> list[str]:
    script = (ROOT / "scripts" / "pythons.sh").read_text(encoding="utf-8")
    match = re.search(r'^SUPPORTED_PYTHONS="([^"]+)"$', script, re.MULTILINE)
    assert match, 'scripts/pythons.sh must define SUPPORTED_PYTHONS="3.x ..."'
    return match.group(1).split()


def project(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        table: dict[str, Any] = tomllib.load(file)["project"]
    return table


def test_the_list_is_contiguous_and_includes_this_interpreter() -> None:
    versions = supported_pythons()
    minors = [int(v.split(".")[1]) for v in versions]
    assert all(v.startswith("3.") for v in versions)
    assert minors == list(range(minors[0], minors[0] + len(minors)))
    assert f"{sys.version_info.major}.{sys.version_info.minor}" in versions


def test_every_package_is_found() -> None:
    names = {project(path)["name"] for path in PROJECTS}
    assert {"coodie", "coodie-core", "coodie-driver-cassandra", "coodie-driver-acsylla"} <= names
    assert {"pytest-coodie", "coodie-demo"} <= names


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: p.parent.name)
def test_classifiers_name_exactly_the_tested_versions(path: Path) -> None:
    classifiers = project(path).get("classifiers", [])
    claimed = [
        c.rsplit(" :: ", 1)[1]
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert claimed == supported_pythons()
    assert "Programming Language :: Python :: 3 :: Only" in classifiers


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: p.parent.name)
def test_requires_python_starts_at_the_oldest_tested_version(path: Path) -> None:
    # No upper bound: a cap makes resolvers refuse installs on newer interpreters instead of
    # trying them; the classifiers say what is proven.
    assert project(path)["requires-python"] == f">={supported_pythons()[0]}"


def test_readme_names_the_supported_versions() -> None:
    versions = supported_pythons()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python {versions[0]} to {versions[-1]}" in readme


PUBLISHED = ["coodie", "coodie-core", "coodie-driver-cassandra", "coodie-driver-acsylla"]
PUBLISHED += ["pytest-coodie"]


def the_version() -> str:
    return (ROOT / "VERSION").read_text(encoding="utf-8").strip()


def test_every_derived_version_agrees_with_the_version_file() -> None:
    # scripts/version.py derives every package version, sibling pin and __version__.
    import subprocess

    script = ROOT / "scripts" / "version.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert the_version().split(".")[0] == "2"  # above upstream coodie 1.x on PyPI


@pytest.mark.parametrize("name", PUBLISHED)
def test_installed_metadata_has_version_licence_urls_and_classifiers(name: str) -> None:
    from importlib import metadata

    meta = metadata.metadata(name)
    assert meta["Version"] == the_version()
    assert meta["License-Expression"] == "Apache-2.0"
    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Repository", "Issues", "Changelog"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())
    assert meta.get_all("Classifier")
    pins = [r for r in meta.get_all("Requires-Dist") or [] if r.startswith("coodie")]
    assert all(f"=={the_version()}" in pin for pin in pins), pins


def test_dunder_versions_are_the_package_version() -> None:
    import coodie
    import coodie_driver_cassandra

    assert coodie.__version__ == coodie_driver_cassandra.__version__ == the_version()


def test_the_changelog_describes_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {the_version()}" in changelog
