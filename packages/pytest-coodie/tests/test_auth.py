"""The authentication option: the yaml switch, the credentials' parsing and role set-up,
and how they reach the CLI and the handle (the probe's login: test_cqlprobe.py)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from pytest_coodie import InvalidAuthError, auth_from_env, parse_auth, provide_cluster
from pytest_coodie.auth import role_setup_cql
from pytest_coodie.cli import main
from pytest_coodie.config import cassandra_yaml, node_specs

if TYPE_CHECKING:
    from pathlib import Path


def test_yaml_switches_the_authenticator(tmp_path: Path) -> None:
    (spec,) = node_specs(1, tmp_path)
    assert "authenticator: AllowAllAuthenticator" in cassandra_yaml(spec)
    auth = cassandra_yaml(spec, auth=True)
    assert "authenticator: PasswordAuthenticator" in auth.splitlines()
    assert "role_manager: CassandraRoleManager" in auth.splitlines()


def test_parse_auth() -> None:
    assert parse_auth("cassandra:cassandra") == ("cassandra", "cassandra")
    assert parse_auth("app:pa:ss") == ("app", "pa:ss")
    for bad in ("cassandra", ":pw", "user:", ""):
        with pytest.raises(InvalidAuthError, match="USER:PASSWORD"):
            parse_auth(bad)
    assert auth_from_env({}) is None
    assert auth_from_env({"COODIE_CASSANDRA_AUTH": " app:pw "}) == ("app", "pw")


def test_role_setup_statements() -> None:
    assert role_setup_cql(("cassandra", "cassandra")) is None
    assert role_setup_cql(("cassandra", "it's")) == ("ALTER ROLE cassandra WITH PASSWORD = 'it''s'")
    assert role_setup_cql(('a"b', "pw")) == (
        'CREATE ROLE IF NOT EXISTS "a""b" WITH PASSWORD = \'pw\' AND LOGIN = true '
        "AND SUPERUSER = true"
    )


def test_user_hosts_carry_the_credentials() -> None:
    env = {"COODIE_TEST_HOSTS": "db1:9142", "COODIE_CASSANDRA_AUTH": "app:pw"}
    handle = provide_cluster(env=env)
    assert (handle.kind, handle.credentials) == ("env", ("app", "pw"))
    assert provide_cluster(env={"COODIE_TEST_HOSTS": "db1"}).credentials is None


def test_docker_backend_refuses_auth() -> None:
    with pytest.raises(Exception, match="only set up on the local backend"):
        provide_cluster(env={"COODIE_BACKEND": "docker"}, auth=("cassandra", "cassandra"))


def test_cli_start_auth_records_the_credentials(
    state_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COODIE_TEST_HOSTS", "db1:19142")
    assert main(["start", "--auth"]) == 0
    assert capsys.readouterr().out.strip() == "db1:19142"
    assert json.loads(state_path.read_text())["credentials"] == ["cassandra", "cassandra"]
    monkeypatch.delenv("COODIE_TEST_HOSTS")
    # A recorded node with other authentication than asked is not silently reused.
    assert main(["start"]) == 2
    assert "COODIE_STATE_FILE" in capsys.readouterr().err
    assert main(["start", "--auth", "nocolon"]) == 2
    assert "USER:PASSWORD" in capsys.readouterr().err
