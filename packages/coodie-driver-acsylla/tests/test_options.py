"""Option parsing: no database needed."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from coodie.exceptions import ConfigurationError
from coodie.statement import Consistency
from coodie_driver_acsylla import connect, connect_async
from coodie_driver_acsylla.options import DEFAULT_PORT, cluster_kwargs, parse_hosts

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("hosts", "port", "expected"),
    [
        ("127.0.0.1", None, (["127.0.0.1"], DEFAULT_PORT)),
        ("a, b", None, (["a", "b"], DEFAULT_PORT)),
        (["a:9142", "b:9142"], None, (["a", "b"], 9142)),
        (["a:9142", "b"], None, (["a", "b"], 9142)),
        (["a"], 19042, (["a"], 19042)),
        (["a:19042"], 19042, (["a"], 19042)),
        (["::1"], None, (["::1"], DEFAULT_PORT)),
        (["[::1]:9043"], None, (["::1"], 9043)),
        (["[2001:db8::1]"], None, (["2001:db8::1"], DEFAULT_PORT)),
        (("node1.example.com:9042",), None, (["node1.example.com"], 9042)),
    ],
)
def test_parse_hosts(hosts: object, port: int | None, expected: tuple[list[str], int]) -> None:
    assert parse_hosts(hosts, port) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("hosts", "port", "message"),
    [
        ([], None, "at least one contact point"),
        ([" "], None, "at least one contact point"),
        (["a:9042", "b:9043"], None, "same port"),
        (["a:9043"], 9042, "same port"),
        (["a:http"], None, "not a number"),
        (["a:0"], None, "between 1 and 65535"),
        (["a"], 70000, "between 1 and 65535"),
        (["[::1"], None, "missing ']'"),
        (["[::1]9042"], None, "expected '[address]:port'"),
        ([":9042"], None, "empty address"),
        ([42], None, "must be strings"),
    ],
)
def test_parse_hosts_errors(hosts: object, port: int | None, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message.replace("[", r"\[")):
        parse_hosts(hosts, port)  # type: ignore[arg-type]


def test_cluster_kwargs_maps_coodie_options() -> None:
    kwargs = cluster_kwargs(
        hosts=["h1:9142", "h2"],
        username="u",
        password="p",
        local_dc="dc1",
        protocol_version="v4",
        consistency=Consistency.LOCAL_QUORUM,
        serial_consistency="local_serial",
        request_timeout=3,
        connect_timeout=1.5,
        extra={"num_threads_io": 2},
    )
    assert kwargs == {
        "contact_points": ["h1", "h2"],
        "port": 9142,
        "username": "u",
        "password": "p",
        "load_balance_dc_aware": "dc1",
        "protocol_version": 4,
        "consistency": "LOCAL_QUORUM",
        "serial_consistency": "LOCAL_SERIAL",
        "request_timeout": 3.0,
        "connect_timeout": 1.5,
        "num_threads_io": 2,
    }


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"hosts": None}, "needs hosts="),
        ({"username": "u"}, "both username= and password="),
        ({"ssl_context": object()}, "cannot use an ssl.SSLContext"),
        ({"protocol_version": 2}, "protocol_version must be 3, 4 or 5"),
        ({"protocol_version": "v9"}, "protocol_version must be 3, 4 or 5"),
        ({"consistency": "MOST"}, "consistency must be"),
        ({"serial_consistency": "QUORUM"}, "SERIAL or LOCAL_SERIAL"),
        ({"request_timeout": -1}, "request_timeout must be"),
        ({"request_timeout": "soon"}, "request_timeout must be"),
        ({"local_dc": ""}, "local_dc must be"),
        ({"extra": {"contact_points": "x"}}, "use hosts= instead"),
        ({"extra": {"load_balance_dc_aware": "x"}}, "use local_dc= instead"),
        ({"ssl": False, "extra": {"ssl_trusted_cert": "x"}}, "pass ssl=True"),
    ],
)
def test_cluster_kwargs_errors(options: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"hosts": ["h"], **options}
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(")):
        cluster_kwargs(**arguments)  # type: ignore[arg-type]


def test_unknown_options_are_named_with_a_suggestion() -> None:
    with pytest.raises(
        ConfigurationError, match=r"'num_thread_io' \(did you mean 'num_threads_io'"
    ):
        cluster_kwargs(
            hosts=["h"], allowed={"num_threads_io", "log_level"}, extra={"num_thread_io": 1}
        )


def test_ssl_options_enable_tls_and_read_pem_files(tmp_path: Path) -> None:
    pem = "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n"
    ca = tmp_path / "ca.pem"
    ca.write_text(pem)
    kwargs = cluster_kwargs(
        hosts=["h"],
        extra={"ssl_trusted_cert": str(ca), "ssl_cert": ca, "ssl_verify_flags": "NONE"},
    )
    assert kwargs["ssl_enabled"] is True
    assert kwargs["ssl_trusted_cert"] == pem
    assert kwargs["ssl_cert"] == pem
    assert kwargs["ssl_verify_flags"] == "NONE"
    inline = cluster_kwargs(hosts=["h"], ssl=True, extra={"ssl_trusted_cert": pem})
    assert inline["ssl_trusted_cert"] == pem
    assert cluster_kwargs(hosts=["h"], ssl=True)["ssl_enabled"] is True
    assert "ssl_enabled" not in cluster_kwargs(hosts=["h"])


def test_connect_rejects_bad_options_before_connecting() -> None:
    with pytest.raises(ConfigurationError, match="did you mean 'num_threads_io'"):
        connect(hosts=["127.0.0.1"], num_thread_io=1)
    with pytest.raises(ConfigurationError, match="keyspace"):
        connect(hosts=["127.0.0.1"], keyspace="no spaces allowed")
    with pytest.raises(ConfigurationError, match="prepared_cache_size"):
        connect(hosts=["127.0.0.1"], prepared_cache_size=0)
    with pytest.raises(ConfigurationError, match="loop="):
        connect(session=object())
    loop = asyncio.new_event_loop()
    try:
        with pytest.raises(ConfigurationError, match="not both"):
            connect(hosts=["h"], session=object(), loop=loop)
    finally:
        loop.close()


async def test_connect_async_rejects_bad_options() -> None:
    with pytest.raises(ConfigurationError, match="same port"):
        await connect_async(hosts=["a:1", "b:2"])
    with pytest.raises(ConfigurationError, match="not both"):
        await connect_async(hosts=["h"], session=object())


def test_connect_functions_pass_every_named_option_on() -> None:
    """connect() and connect_async() hand their named options to cluster_kwargs through
    _CLUSTER_OPTIONS; a parameter added to one of them must be added there too."""
    import inspect

    from coodie_driver_acsylla import driver as acsylla_driver
    from coodie_driver_acsylla.options import cluster_kwargs

    own = {"session", "keyspace", "prepared_cache_size", "loop", "background_loop"}
    expected = set(inspect.signature(cluster_kwargs).parameters) - {"allowed", "extra"}
    assert set(acsylla_driver._CLUSTER_OPTIONS) == expected
    for connect_function in (acsylla_driver.connect, acsylla_driver.connect_async):
        parameters = inspect.signature(connect_function).parameters
        named = {n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY} - own
        assert named == expected, connect_function.__name__
