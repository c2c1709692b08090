"""The ``coodie`` command line without a database: usage, offline commands, and errors
printed on one line with their exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coodie.cli import main

MODELS = """
from typing import Annotated
from coodie.fields import Indexed, PrimaryKey
from coodie.sync import Document

class Shoe(Document):
    id: Annotated[int, PrimaryKey()]
    size: Annotated[int, Indexed()] = 0
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "cli_shoe_models.py").write_text(MODELS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_cql_prints_the_ddl_of_a_model(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cql", "cli_shoe_models:Shoe"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "CREATE TABLE IF NOT EXISTS shoe (id int, size int, PRIMARY KEY (id));",
        "CREATE INDEX IF NOT EXISTS shoe_size_idx ON shoe (size);",
    ]


def test_migrate_init_and_new_need_no_database(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate", "init", "--models", "cli_shoe_models", "-k", "shop"]) == 0
    assert main(["migrate", "new", "first"]) == 0
    assert main(["migrate", "new", "second"]) == 0
    files = sorted((project / "migrations" / "versions").glob("*.py"))
    assert [f.name.split("_", 1)[-1] for f in files] == ["first.py", "second.py"]
    assert main(["migrate", "init", "--models", "x", "-k", "shop"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "coodie: error: ConfigurationError: migrations/coodie.ini already "
        "exists: the folder is set up."
    ]


def test_a_missing_config_is_one_line_and_exit_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate", "new", "x", "--dir", "elsewhere"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("coodie: error: ConfigurationError: elsewhere/coodie.ini does not")
    assert err.count("\n") == 1


def test_a_connection_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["schema", "diff", "coodie.exceptions", "--hosts", "127.0.0.1:1", "--connect-timeout", "1"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("coodie: error: ConnectTimeoutError: ")
    assert err.count("\n") == 1


def test_bad_connection_options_are_typed_errors_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "coodie.exceptions", "--driver", "nosuchdriver"]) == 2
    assert capsys.readouterr().err.startswith("coodie: error: DriverNotFoundError: ")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["migrate", "bogus"])
    assert exit_.value.code == 2
    assert "No such command 'bogus'" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert "migrate" in capsys.readouterr().out


def test_the_console_script_is_installed() -> None:
    script = shutil.which("coodie", path=str(Path(sys.executable).parent))
    assert script is not None
    done = subprocess.run([script, "drivers"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "recording" in done.stdout
