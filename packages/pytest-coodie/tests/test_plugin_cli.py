"""The pytest fixture and the CLI, using COODIE_TEST_HOSTS so no node is started."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

from pytest_coodie.cli import main

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def run_pytest(tmp_path: Path, test_source: str, env_hosts: str | None, *args: str) -> str:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(test_source), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "COODIE_BACKEND": "local", "COODIE_TEST_HOSTS": ""}
    env["COODIE_CASSANDRA_CACHE"] = str(tmp_path / "no-cache")
    if env_hosts is not None:
        env["COODIE_TEST_HOSTS"] = env_hosts
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_fixture_returns_env_hosts(tmp_path: Path) -> None:
    out = run_pytest(
        tmp_path,
        """
        def test_points(coodie_contact_points, coodie_cluster):
            assert coodie_contact_points == ["db1:9042", "db2:19042"]
            assert coodie_cluster.kind == "env"
            assert coodie_cluster.contact_points == [("db1", 9042), ("db2", 19042)]
        """,
        "db1,db2:19042",
    )
    assert "1 passed" in out


def test_node_is_not_started_unless_requested(tmp_path: Path) -> None:
    # No hosts, no JVM/Maven reachable on PATH, empty cache: only laziness lets this pass.
    out = run_pytest(tmp_path, "def test_plain():\n    assert True\n", None, "--coodie-nodes=3")
    assert "1 passed" in out


def test_cli_start_status_stop_with_env_hosts(
    state_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COODIE_TEST_HOSTS", "db1:9042")
    assert main(["status"]) == 1
    assert capsys.readouterr().out.strip() == "stopped"
    assert main(["start"]) == 0
    assert capsys.readouterr().out.strip() == "db1:9042"
    assert json.loads(state_path.read_text())["kind"] == "env"
    assert main(["stop"]) == 0
    assert not state_path.exists()


def test_cli_reports_typed_errors(
    state_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COODIE_TEST_HOSTS", "db1:notaport")
    assert main(["start"]) == 2
    assert "bad port" in capsys.readouterr().err


def test_plugin_option_reaches_the_handle(tmp_path: Path) -> None:
    out = run_pytest(
        tmp_path,
        """
        def test_credentials(coodie_cluster):
            assert coodie_cluster.credentials == ("app", "secret")
        """,
        "db1:19142",
        "--coodie-auth=app:secret",
    )
    assert "1 passed" in out
