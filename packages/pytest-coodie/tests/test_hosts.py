"""COODIE_TEST_HOSTS parsing and the provider's first choice."""

from __future__ import annotations

import pytest

from pytest_coodie import InvalidHostsError, hosts_from_env, parse_hosts, provide_cluster


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1", [("127.0.0.1", 9042)]),
        ("db:19042", [("db", 19042)]),
        (" a:1 , b ,c:3,", [("a", 1), ("b", 9042), ("c", 3)]),
        ("[::1]:9043,[fe80::1]", [("::1", 9043), ("fe80::1", 9042)]),
    ],
)
def test_parse_hosts(value: str, expected: list[tuple[str, int]]) -> None:
    assert parse_hosts(value) == expected


@pytest.mark.parametrize("value", ["", " , ", "h:0", "h:70000", "h:x", ":9042", "::1", "[::1"])
def test_parse_hosts_rejects(value: str) -> None:
    with pytest.raises(InvalidHostsError):
        parse_hosts(value)


def test_hosts_from_env() -> None:
    assert hosts_from_env({}) is None
    assert hosts_from_env({"COODIE_TEST_HOSTS": "   "}) is None
    assert hosts_from_env({"COODIE_TEST_HOSTS": "h1,h2:1"}) == [("h1", 9042), ("h2", 1)]


def test_provide_cluster_prefers_env_hosts() -> None:
    env = {"COODIE_TEST_HOSTS": "db1:9142,db2", "COODIE_BACKEND": "local"}
    with provide_cluster(env=env) as cluster:
        assert cluster.kind == "env"
        assert cluster.contact_points == [("db1", 9142), ("db2", 9042)]
        assert cluster.hosts == ["db1:9142", "db2:9042"]
    assert cluster.stopped
