"""connect(): option handling and error messages (no database: Cluster is faked)."""

from __future__ import annotations

from typing import Any

import pytest
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import EXEC_PROFILE_DEFAULT, NoHostAvailable, _ConfigMode
from cassandra.policies import DCAwareRoundRobinPolicy, RoundRobinPolicy, TokenAwarePolicy
from cassandra.query import UNSET_VALUE, named_tuple_factory, tuple_factory

from coodie.drivers import BatchStatement, Consistency, Statement
from coodie.exceptions import ConfigurationError, DriverError, SchemaError
from coodie_driver_cassandra import connecting, prepare
from coodie_driver_cassandra.driver import (
    CONSISTENCY_LEVELS,
    CassandraDriver,
    connect,
    consistency_level,
    parse_hosts,
)


class FakeClusterClass:
    """Stands in for cassandra.cluster.Cluster: records kwargs, connect() is configurable."""

    instances: list[FakeClusterClass] = []
    connect_error: BaseException | None = None

    def __init__(self, **kwargs: Any) -> None:
        if "bogus" in kwargs:
            raise TypeError("__init__() got an unexpected keyword argument 'bogus'")
        self.kwargs = kwargs
        self.contact_points = kwargs["contact_points"]
        self.shutdown_calls = 0
        self.session: Any = None
        FakeClusterClass.instances.append(self)

    def connect(self) -> Any:
        if FakeClusterClass.connect_error is not None:
            raise FakeClusterClass.connect_error
        self.session = ClusterSession(self)
        return self.session

    def shutdown(self) -> None:
        self.shutdown_calls += 1


class ClusterSession:
    def __init__(self, cluster: FakeClusterClass) -> None:
        self.cluster = cluster
        self.keyspace: str | None = None
        self.set_keyspace_calls: list[str] = []
        self.profile = cluster.kwargs["execution_profiles"][EXEC_PROFILE_DEFAULT]

    def get_execution_profile(self, name: Any) -> Any:
        assert name is EXEC_PROFILE_DEFAULT
        return self.profile

    def set_keyspace(self, keyspace: str) -> None:
        from cassandra import InvalidRequest

        if keyspace == "missing":
            raise InvalidRequest("Keyspace 'missing' does not exist")
        self.set_keyspace_calls.append(keyspace)
        self.keyspace = keyspace


@pytest.fixture
def fake_cluster(monkeypatch: pytest.MonkeyPatch) -> type[FakeClusterClass]:
    FakeClusterClass.instances = []
    FakeClusterClass.connect_error = None
    monkeypatch.setattr(connecting, "Cluster", FakeClusterClass)
    return FakeClusterClass


# -- hosts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hosts", "expected"),
    [
        ("127.0.0.1", [("127.0.0.1", 9042)]),
        ("a, b:9043", [("a", 9042), ("b", 9043)]),
        (["a:1", "b"], [("a", 1), ("b", 9042)]),
        (["[::1]:9043", "[::1]", "::1"], [("::1", 9043), ("::1", 9042), ("::1", 9042)]),
        ([("c", 9044), ("d", "9045")], [("c", 9044), ("d", 9045)]),
    ],
)
def test_parse_hosts(hosts: Any, expected: list[tuple[str, int]]) -> None:
    assert parse_hosts(hosts) == expected


def test_parse_hosts_default_port() -> None:
    assert parse_hosts(["a", "b:2"], default_port=19042) == [("a", 19042), ("b", 2)]


@pytest.mark.parametrize(
    ("hosts", "message"),
    [
        ("", "hosts is empty"),
        ([], "hosts is empty"),
        (["a:notaport"], "Bad port"),
        (["a:0"], "Bad port"),
        (["a:70000"], "Bad port"),
        (["[::1"], "missing"),
        (["[::1]x"], "expected ':port'"),
        ([123], "Bad contact point"),
        (42, "hosts must be a string"),
    ],
)
def test_parse_hosts_errors(hosts: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        parse_hosts(hosts)


# -- argument errors -----------------------------------------------------------------------


def test_neither_hosts_nor_session() -> None:
    with pytest.raises(ConfigurationError, match=r"needs hosts=.*or session="):
        connect()


def test_hosts_and_session(session: Any) -> None:
    with pytest.raises(ConfigurationError, match="not both"):
        connect(hosts=["a"], session=session)


def test_unknown_consistency_lists_valid_names() -> None:
    with pytest.raises(ConfigurationError, match=r"Unknown consistency level 'MOST'.*LOCAL_QUORUM"):
        connect(hosts=["a"], consistency="MOST")


@pytest.mark.parametrize("timeout", [0, -1, "10", True])
def test_bad_request_timeout(timeout: Any) -> None:
    with pytest.raises(ConfigurationError, match="request_timeout"):
        connect(hosts=["a"], request_timeout=timeout)


def test_bad_port() -> None:
    with pytest.raises(ConfigurationError, match="Bad port"):
        connect(hosts=["a"], port=99999)


def test_username_without_password(fake_cluster: Any) -> None:
    with pytest.raises(ConfigurationError, match="both username= and password="):
        connect(hosts=["a"], username="u")


@pytest.mark.parametrize("option", ["contact_points", "execution_profiles", "auth_provider"])
def test_reserved_cluster_options(fake_cluster: Any, option: str) -> None:
    with pytest.raises(ConfigurationError, match=option):
        connect(hosts=["a"], **{option: object()})


def test_unknown_cluster_option(fake_cluster: Any) -> None:
    with pytest.raises(ConfigurationError, match=r"Bad option.*bogus.*Cluster"):
        connect(hosts=["a"], bogus=1)


def test_session_with_cluster_options(session: Any) -> None:
    with pytest.raises(ConfigurationError, match=r"local_dc, username.*existing session="):
        connect(session=session, username="u", local_dc="dc1")


def test_session_with_non_default_port(session: Any) -> None:
    with pytest.raises(ConfigurationError, match="port"):
        connect(session=session, port=9043)


def test_session_of_wrong_type() -> None:
    with pytest.raises(ConfigurationError, match=r"cassandra.cluster.Session.*got str"):
        connect(session="not a session")


def test_shut_down_session(session: Any) -> None:
    session.is_shutdown = True
    with pytest.raises(ConfigurationError, match="shut down"):
        connect(session=session)


def test_bad_prepared_cache_size(session: Any) -> None:
    with pytest.raises(ConfigurationError, match="prepared_cache_size"):
        connect(session=session, prepared_cache_size=-1)


def test_bad_async_prepare(session: Any) -> None:
    with pytest.raises(ConfigurationError, match="async_prepare"):
        connect(session=session, async_prepare="sometimes")


def test_async_prepare_message_needs_known_internals(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prepare, "from_message_params", lambda: None)
    with pytest.raises(ConfigurationError, match="async_prepare='thread'"):
        connect(session=session, async_prepare="message")


# -- consistency ---------------------------------------------------------------------------


def test_every_consistency_maps_to_the_same_named_level() -> None:
    from cassandra import ConsistencyLevel

    for member in Consistency:
        assert consistency_level(member) == getattr(ConsistencyLevel, member.value)
        assert ConsistencyLevel.value_to_name[CONSISTENCY_LEVELS[member]] == member.value


def test_consistency_names_any_case() -> None:
    from cassandra import ConsistencyLevel

    assert consistency_level("local_quorum") == ConsistencyLevel.LOCAL_QUORUM
    assert consistency_level("ONE") == ConsistencyLevel.ONE
    assert consistency_level(None) is None


@pytest.mark.parametrize("value", ["nope", 1, object()])
def test_consistency_errors(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="Unknown consistency level"):
        consistency_level(value)


# -- a new Cluster -------------------------------------------------------------------------


def test_cluster_built_from_options(fake_cluster: Any) -> None:
    import ssl

    from cassandra import ConsistencyLevel

    context = ssl.create_default_context()
    driver = connect(
        hosts="h1,h2:9043",
        port=19042,
        username="u",
        password="p",
        ssl_context=context,
        local_dc="dc1",
        protocol_version=4,
        compression=False,
        consistency=Consistency.LOCAL_QUORUM,
        request_timeout=3.5,
        connect_timeout=7,
    )
    (cluster,) = fake_cluster.instances
    kwargs = cluster.kwargs
    assert kwargs["contact_points"] == [("h1", 19042), ("h2", 9043)]
    assert isinstance(kwargs["auth_provider"], PlainTextAuthProvider)
    assert kwargs["auth_provider"].username == "u"
    assert kwargs["ssl_context"] is context
    assert kwargs["protocol_version"] == 4
    assert kwargs["compression"] is False
    assert kwargs["connect_timeout"] == 7
    profile = kwargs["execution_profiles"][EXEC_PROFILE_DEFAULT]
    assert profile.row_factory is tuple_factory
    assert profile.consistency_level == ConsistencyLevel.LOCAL_QUORUM
    assert profile.request_timeout == 3.5
    policy = profile.load_balancing_policy
    assert isinstance(policy, TokenAwarePolicy)
    assert isinstance(policy._child_policy, DCAwareRoundRobinPolicy)
    assert policy._child_policy.local_dc == "dc1"
    assert driver.keyspace is None
    assert driver.unset_value is UNSET_VALUE
    driver.close()
    driver.close()  # idempotent
    assert cluster.shutdown_calls == 1


def test_profile_level_cluster_options_go_to_the_profile(fake_cluster: Any) -> None:
    policy = RoundRobinPolicy()
    driver = connect(hosts=["h"], load_balancing_policy=policy)
    profile = fake_cluster.instances[0].kwargs["execution_profiles"][EXEC_PROFILE_DEFAULT]
    assert profile.load_balancing_policy is policy
    assert "load_balancing_policy" not in fake_cluster.instances[0].kwargs
    driver.close()


def test_keyspace_is_used(fake_cluster: Any) -> None:
    driver = connect(hosts=["h"], keyspace="shop")
    assert driver.keyspace == "shop"
    assert driver.session.set_keyspace_calls == ["shop"]
    driver.close()


def test_missing_keyspace_is_a_configuration_error(fake_cluster: Any) -> None:
    with pytest.raises(ConfigurationError, match=r"Keyspace 'missing' does not exist.*CREATE"):
        connect(hosts=["h"], keyspace="missing")
    assert fake_cluster.instances[0].shutdown_calls == 1


def test_invalid_keyspace_name(fake_cluster: Any) -> None:
    with pytest.raises(SchemaError, match="not a valid CQL identifier"):
        connect(hosts=["h"], keyspace="no-dashes")
    assert fake_cluster.instances == []  # checked by core before any Cluster exists


def test_connection_failure(fake_cluster: Any) -> None:
    fake_cluster.connect_error = NoHostAvailable("Unable to connect to any servers", {})
    with pytest.raises(
        DriverError, match=r"Could not connect .* at h:9042.*NoHostAvailable"
    ) as info:
        connect(hosts=["h"])
    assert isinstance(info.value.__cause__, NoHostAvailable)
    assert fake_cluster.instances[0].shutdown_calls == 1


async def test_connect_async_runs_connect(fake_cluster: Any) -> None:
    from coodie_driver_cassandra.driver import connect_async

    driver = await connect_async(hosts=["h"], keyspace="shop")
    assert isinstance(driver, CassandraDriver)
    assert driver.keyspace == "shop"
    await driver.close_async()
    assert fake_cluster.instances[0].shutdown_calls == 1


# -- an existing Session -------------------------------------------------------------------


def test_existing_session_is_not_owned(session: Any) -> None:
    driver = connect(session=session)
    driver.close()
    assert session.cluster.shutdown_calls == 0
    assert driver.closed


async def test_existing_session_close_async(session: Any) -> None:
    driver = connect(session=session)
    await driver.close_async()
    assert session.cluster.shutdown_calls == 0


def test_existing_session_keeps_its_row_factory(session: Any) -> None:
    from cassandra import ConsistencyLevel

    session.default_profile.row_factory = named_tuple_factory
    driver = connect(session=session, consistency="QUORUM", request_timeout=4.0)
    assert session.default_profile.row_factory is named_tuple_factory
    driver.execute(Statement("SELECT 1", prepare=False))
    _, kwargs = session.executed[0]
    profile = kwargs["execution_profile"]
    assert profile is not session.default_profile
    assert profile.row_factory is tuple_factory
    assert profile.consistency_level == ConsistencyLevel.QUORUM
    assert profile.request_timeout == 4.0
    assert profile.load_balancing_policy is session.default_profile.load_balancing_policy


def test_existing_session_keyspace(session: Any) -> None:
    session.keyspace = "already"
    assert connect(session=session).keyspace == "already"
    assert session.set_keyspace_calls == []
    driver = connect(session=session, keyspace="other")
    assert driver.keyspace == "other"
    assert session.set_keyspace_calls == ["other"]


def test_legacy_session(session: Any) -> None:
    """A Cluster configured with legacy parameters rejects execution_profile= per request."""
    from cassandra import ConsistencyLevel

    session.cluster._config_mode = _ConfigMode.LEGACY
    session.rows = [{"id": 1, "name": "a"}]  # e.g. the user's dict_factory
    driver = connect(session=session, consistency="TWO", request_timeout=2.0)
    page = driver.execute(Statement("SELECT * FROM t", prepare=False))
    query, kwargs = session.executed[0]
    assert "execution_profile" not in kwargs
    assert kwargs["timeout"] == 2.0
    assert query.consistency_level == ConsistencyLevel.TWO
    assert page.rows == [(1, "a")]


def test_legacy_session_keeps_the_serial_consistency_default(session: Any) -> None:
    """serial_consistency= with a legacy-mode session= reaches every request that sets none
    (statements and batches), and a statement's own level wins. Before, it was dropped."""
    from cassandra import ConsistencyLevel

    session.cluster._config_mode = _ConfigMode.LEGACY
    driver = connect(session=session, serial_consistency="LOCAL_SERIAL")
    insert = "INSERT INTO t (k) VALUES (?) IF NOT EXISTS"
    driver.execute(Statement(insert, [1]))
    driver.execute(Statement(insert, [2], serial_consistency=Consistency.SERIAL))
    driver.execute(BatchStatement([Statement(insert, [3])]))
    levels = [query.serial_consistency_level for query, _ in session.executed]
    assert levels == [
        ConsistencyLevel.LOCAL_SERIAL,
        ConsistencyLevel.SERIAL,
        ConsistencyLevel.LOCAL_SERIAL,
    ]
