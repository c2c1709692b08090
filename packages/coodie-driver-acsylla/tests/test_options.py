"""Option parsing: no database needed."""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

import pytest

from coodie.connect import Capability, build_connect_options
from coodie.drivers import Consistency
from coodie.exceptions import ConfigurationError
from coodie_driver_acsylla import connect, connect_async
from coodie_driver_acsylla.options import DEFAULT_PORT, cluster_kwargs

if TYPE_CHECKING:
    from pathlib import Path


def kwargs_of(hosts: object = ("h",), **options: object) -> dict[str, object]:
    """create_cluster kwargs for init_coodie-style arguments, the way connect() builds them."""
    return cluster_kwargs(build_connect_options(hosts=hosts, options=options))


@pytest.mark.parametrize(
    ("hosts", "port", "expected"),
    [
        ("127.0.0.1", None, (["127.0.0.1"], DEFAULT_PORT)),
        ("a, b", None, (["a", "b"], DEFAULT_PORT)),
        (["a:9142", "b:9142"], None, (["a", "b"], 9142)),
        (["a"], 19042, (["a"], 19042)),
        (["a:19042"], 19042, (["a"], 19042)),
        # port= is the port of hosts that name none, on every driver: all hosts use 9043.
        (["a:9043"], 9042, (["a"], 9043)),
        (["::1"], None, (["::1"], DEFAULT_PORT)),
        (["[::1]:9043"], None, (["::1"], 9043)),
        (["[2001:db8::1]"], None, (["2001:db8::1"], DEFAULT_PORT)),
        (("node1.example.com:9042",), None, (["node1.example.com"], 9042)),
    ],
)
def test_contact_points_and_port(
    hosts: object, port: int | None, expected: tuple[list[str], int]
) -> None:
    options = {} if port is None else {"port": port}
    kwargs = kwargs_of(hosts, **options)
    assert (kwargs["contact_points"], kwargs["port"]) == expected


@pytest.mark.parametrize(
    ("hosts", "port", "message"),
    [
        ([], None, "at least one contact point"),
        ([" "], None, "at least one contact point"),
        (["a:9042", "b:9043"], None, "same port"),
        (["a:9142", "b"], None, "same port"),  # b is on the default port 9042
        (["a:http"], None, "between 1 and 65535"),
        (["a:0"], None, "between 1 and 65535"),
        (["a"], 70000, "between 1 and 65535"),
        (["[::1"], None, "missing ']'"),
        (["[::1]9042"], None, "write '[address]:port'"),
        ([":9042"], None, "empty address"),
        ([42], None, "must be strings"),
    ],
)
def test_contact_point_errors(hosts: object, port: int | None, message: str) -> None:
    options = {} if port is None else {"port": port}
    with pytest.raises(ConfigurationError, match=message.replace("[", r"\[")):
        connect(hosts=hosts, **options)


def test_cluster_kwargs_maps_coodie_options() -> None:
    kwargs = kwargs_of(
        ["h1:9142", "h2:9142"],
        username="u",
        password="p",
        local_dc="dc1",
        protocol_version="v4",
        consistency=Consistency.LOCAL_QUORUM,
        serial_consistency="local_serial",
        request_timeout=3,
        connect_timeout=1.5,
        num_threads_io=2,
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
        ({"consistency": "MOST"}, "Unknown consistency level"),
        ({"serial_consistency": "QUORUM"}, "SERIAL or LOCAL_SERIAL"),
        ({"request_timeout": -1}, "request_timeout must be"),
        ({"request_timeout": "soon"}, "request_timeout must be"),
        ({"local_dc": ""}, "local_dc must be"),
        ({"contact_points": "x"}, "use hosts= instead"),
        ({"load_balance_dc_aware": "x"}, "use local_dc= instead"),
        ({"ssl": False, "ssl_trusted_cert": "x"}, "pass ssl=True"),
    ],
)
def test_cluster_kwargs_errors(options: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"hosts": ["h"], **options}
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(")):
        connect(**arguments)  # type: ignore[arg-type]


def test_unknown_options_are_named_with_a_suggestion() -> None:
    with pytest.raises(
        ConfigurationError, match=r"'num_thread_io' \(did you mean 'num_threads_io'"
    ):
        cluster_kwargs(
            build_connect_options(hosts=["h"], options={"num_thread_io": 1}),
            allowed={"num_threads_io", "log_level"},
        )


def test_ssl_options_enable_tls_and_read_pem_files(tmp_path: Path) -> None:
    pem = "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n"
    ca = tmp_path / "ca.pem"
    ca.write_text(pem)
    kwargs = kwargs_of(ssl_trusted_cert=str(ca), ssl_cert=ca, ssl_verify_flags="NONE")
    assert kwargs["ssl_enabled"] is True
    assert kwargs["ssl_trusted_cert"] == pem
    assert kwargs["ssl_cert"] == pem
    assert kwargs["ssl_verify_flags"] == "NONE"
    inline = kwargs_of(ssl=True, ssl_trusted_cert=pem)
    assert inline["ssl_trusted_cert"] == pem
    assert kwargs_of(ssl=True)["ssl_enabled"] is True
    assert "ssl_enabled" not in kwargs_of()


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


def test_every_record_field_is_translated_or_refused() -> None:
    """Each field of core's connect record reaches create_cluster, or core refuses it for
    acsylla (a field added to the record must be handled here)."""
    import dataclasses

    from coodie.connect import ConnectOptions
    from coodie_driver_acsylla.plugin import CAPABILITIES

    handled = {
        "contact_points": "contact_points",
        "port": "port",
        "username": "username",
        "password": "password",
        "local_dc": "load_balance_dc_aware",
        "protocol_version": "protocol_version",
        "consistency": "consistency",
        "serial_consistency": "serial_consistency",
        "connect_timeout": "connect_timeout",
        "request_timeout": "request_timeout",
    }
    # Not create_cluster options: the driver itself uses these.
    own = {"session", "keyspace", "prepared_cache_size", "extras"}
    # Used by core only (it signs page tokens), never by a driver.
    own |= {"page_token_key"}
    refused = {"ssl_context"}
    fields = {f.name for f in dataclasses.fields(ConnectOptions)}
    assert fields == set(handled) | own | refused
    assert Capability.SSL_CONTEXT not in CAPABILITIES
    kwargs = kwargs_of(
        ["h:9142"],
        username="u",
        password="p",
        local_dc="dc",
        protocol_version=4,
        consistency="ONE",
        serial_consistency="SERIAL",
        connect_timeout=1,
        request_timeout=2,
    )
    assert set(kwargs) == set(handled.values())


def test_per_host_ports_are_refused_by_core_in_its_words() -> None:
    with pytest.raises(
        ConfigurationError,
        match=r"The acsylla driver cannot honour hosts on different ports \(9042, 9043\).*"
        r"driver_type='cassandra'",
    ):
        connect(hosts=["a:9042", "b:9043"])


async def test_a_borrowed_session_is_bound_to_the_keyspace_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``USE`` itself runs on the node in test_borrowed_session.py; here: when it runs."""
    import coodie_driver_acsylla.driver as driver_module

    used: list[tuple[object, str]] = []

    async def use(acsylla: object, session: object, keyspace: str) -> None:
        used.append((session, keyspace))

    monkeypatch.setattr(driver_module, "_use_keyspace", use)
    session = object()
    await connect_async(session=session, keyspace="shop")
    await connect_async(session=session)
    assert used == [(session, "shop")]
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        connect(session=session, loop=loop, keyspace="books")
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
    assert used[-1] == (session, "books")
