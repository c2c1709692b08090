"""coodie.drivers.kit.cassandra: the connect record in cassandra-driver terms, open_session's
failures, result pages (no database; the codecs and the error table are tested with the
cassandra driver, which uses them, and on the node by the conformance suite)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("cassandra")

from cassandra import ConsistencyLevel, InvalidRequest
from cassandra.cluster import EXEC_PROFILE_DEFAULT, NoHostAvailable
from cassandra.query import tuple_factory

from coodie.connect import build_connect_options
from coodie.drivers.kit.cassandra import (
    CONSISTENCY_LEVELS,
    cluster_contact_points,
    cluster_settings,
    open_session,
    result_page,
)
from coodie.exceptions import ConfigurationError, NoHostAvailableError


def record(hosts: Any = ("10.0.0.1",), **options: Any) -> Any:
    return build_connect_options(list(hosts), None, options.pop("keyspace", None), options)


def test_contact_points_share_one_port_or_go_as_pairs() -> None:
    assert cluster_contact_points(record(["a:9043", "b:9043"])) == {
        "contact_points": ["a", "b"],
        "port": 9043,
    }
    assert cluster_contact_points(record(["a:9043", "b"])) == {
        "contact_points": [("a", 9043), ("b", 9042)],
        "port": 9042,
    }


def test_cluster_settings_carry_the_record() -> None:
    options = record(
        username="u",
        password="p",
        consistency="LOCAL_QUORUM",
        serial_consistency="LOCAL_SERIAL",
        request_timeout=3.0,
        connect_timeout=2.0,
        protocol_version=5,
    )
    settings = cluster_settings(options, retry_policy="mine")
    profile = settings["execution_profiles"][EXEC_PROFILE_DEFAULT]
    assert profile.row_factory is tuple_factory
    assert profile.consistency_level == ConsistencyLevel.LOCAL_QUORUM
    assert profile.serial_consistency_level == ConsistencyLevel.LOCAL_SERIAL
    assert profile.request_timeout == 3.0
    assert profile.retry_policy == "mine"
    assert settings["auth_provider"].username == "u"
    assert settings["connect_timeout"] == 2.0
    assert settings["protocol_version"] == 5
    assert "ssl_context" not in settings
    assert CONSISTENCY_LEVELS.level("two") == ConsistencyLevel.TWO


class FakeCluster:
    def __init__(self, session: Any = None, error: BaseException | None = None) -> None:
        self.session, self.error, self.shut = session, error, False

    def connect(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.session

    def shutdown(self) -> None:
        self.shut = True


class FakeSession:
    keyspace = None

    def __init__(self, missing: bool = False) -> None:
        self.missing = missing

    def set_keyspace(self, keyspace: str) -> None:
        if self.missing:
            raise InvalidRequest(f"Keyspace '{keyspace}' does not exist")
        self.keyspace = keyspace  # type: ignore[assignment]


def test_open_session_binds_the_keyspace() -> None:
    cluster = FakeCluster(FakeSession())
    found, session = open_session(record(keyspace="shop"), cluster)
    assert found is cluster
    assert session.keyspace == "shop"
    assert not cluster.shut


def test_a_missing_keyspace_shuts_the_cluster_down() -> None:
    cluster = FakeCluster(FakeSession(missing=True))
    with pytest.raises(ConfigurationError, match="Keyspace 'nope' does not exist"):
        open_session(record(keyspace="nope"), cluster)
    assert cluster.shut


def test_a_failed_connect_is_coodies_error_naming_the_hosts() -> None:
    cluster = FakeCluster(error=NoHostAvailable("refused", {"10.0.0.1:9042": OSError("x")}))
    with pytest.raises(NoHostAvailableError, match=r"10\.0\.0\.1:9042"):
        open_session(record(), cluster)
    assert cluster.shut


def test_result_pages() -> None:
    write = SimpleNamespace(column_names=None)
    assert result_page(write).columns == ()
    read = SimpleNamespace(column_names=["k"], current_rows=[(1,)], paging_state=b"next")
    page = result_page(read)
    assert (page.columns, page.rows, page.paging_state) == (("k",), [(1,)], b"next")
