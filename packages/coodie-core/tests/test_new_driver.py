"""``coodie new-driver NAME``: the package it writes builds with ``uv build``, lints clean
with ruff and registers its driver; bad names and folders in use exit 2 with a typed error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coodie.cli import main
from coodie.cli.scaffold import check_driver_name, scaffold_driver
from coodie.exceptions import ConfigurationError, InvalidDriverNameError

UV = shutil.which("uv")
RUFF = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))


def test_the_command_writes_the_package_into_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new-driver", "my-db"]) == 0
    root = tmp_path / "coodie-driver-my-db"
    assert {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} == {
        "pyproject.toml",
        "README.md",
        "src/coodie_driver_my_db/__init__.py",
        "src/coodie_driver_my_db/driver.py",
        "src/coodie_driver_my_db/plugin.py",
        "src/coodie_driver_my_db/py.typed",
        "tests/conftest.py",
        "tests/test_conformance.py",
        "tests/test_plugin.py",
    }
    assert "Wrote 9 files" in capsys.readouterr().out
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.coodie]\ncoodie-driver-my-db = "coodie_driver_my_db.plugin"' in (
        pyproject
    )


def test_the_skeleton_says_what_each_method_must_do(tmp_path: Path) -> None:
    scaffold_driver("mydb", tmp_path / "pkg")
    sys.path.insert(0, str(tmp_path / "pkg" / "src"))
    try:
        from coodie_driver_mydb import MydbDriver  # type: ignore[import-not-found]
        from coodie_driver_mydb.plugin import coodie_drivers  # type: ignore[import-not-found]

        (spec,) = coodie_drivers()
        assert spec.name == MydbDriver.name == "mydb"
        with pytest.raises(NotImplementedError, match="ONE ResultPage"):
            MydbDriver(session=None).execute(None)  # type: ignore[arg-type]
    finally:
        sys.path.remove(str(tmp_path / "pkg" / "src"))
        for module in [m for m in sys.modules if m.startswith("coodie_driver_mydb")]:
            del sys.modules[module]


@pytest.mark.skipif(UV is None, reason="needs uv")
def test_the_package_builds_and_lints_clean(tmp_path: Path) -> None:
    root = tmp_path / "coodie-driver-fast-db"
    scaffold_driver("fast_db", root)
    built = subprocess.run(
        [str(UV), "build", "-q", "--out-dir", str(tmp_path / "dist"), str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "coodie_driver_fast_db/py.typed" in names
        points = next(n for n in names if n.endswith("entry_points.txt"))
        assert (
            "coodie-driver-fast-db = coodie_driver_fast_db.plugin" in archive.read(points).decode()
        )
    env = {**os.environ, "RUFF_NO_CACHE": "true"}
    for command in (["check"], ["format", "--check"]):
        linted = subprocess.run(
            [RUFF, *command, "--no-cache", "."],
            cwd=root,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert linted.returncode == 0, linted.stdout + linted.stderr


def test_the_generated_unit_test_passes(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    scaffold_driver("mydb", root)
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_plugin.py"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("My DB", "Invalid driver name 'My DB'"),
        ("9db", "starting with a letter"),
        ("db--x", "single '-' or '_'"),
        ("x" * 41, "at most 40"),
        ("coodie-driver-mydb", "pass the driver's own name ('mydb')"),
        ("cassandra", "taken by coodie itself"),
    ],
)
def test_bad_names_are_refused(name: str, why: str) -> None:
    with pytest.raises(InvalidDriverNameError, match=why.replace("(", r"\(").replace(")", r"\)")):
        check_driver_name(name)
    assert issubclass(InvalidDriverNameError, ConfigurationError)


def test_names_become_package_names() -> None:
    target = check_driver_name("fast_db")
    assert (target.dist, target.module, target.class_name) == (
        "coodie-driver-fast-db",
        "coodie_driver_fast_db",
        "FastDbDriver",
    )


def test_a_bad_name_exits_2_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        main(["new-driver", "Bad Name"])
    assert stopped.value.code == 2
    assert "InvalidDriverNameError: Invalid driver name 'Bad Name'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_use_exits_2_and_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["new-driver", "mydb", "--path", str(tmp_path)])
    assert stopped.value.code == 2
    assert "already exists and is not an empty folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_python_m_coodie_new_driver(tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "coodie", "new-driver", "mydb", "--path", str(tmp_path / "p")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "p" / "src" / "coodie_driver_mydb" / "plugin.py").exists()
