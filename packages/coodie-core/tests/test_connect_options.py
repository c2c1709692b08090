"""Core's connect record: every spelling of hosts, every validation error, driver refusals."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import coodie.aio
import coodie.sync
from coodie.connect import (
    ALL_CAPABILITIES,
    Capability,
    ConnectOptions,
    ContactPoint,
    build_connect_options,
    check_supported,
    missing_keyspace,
    parse_contact_points,
)
from coodie.drivers.statement import Consistency
from coodie.exceptions import ConfigurationError, InvalidKeyspaceError, SchemaError


@pytest.mark.parametrize(
    ("hosts", "expected"),
    [
        ("127.0.0.1", [("127.0.0.1", 9042)]),
        ("a, b:9043", [("a", 9042), ("b", 9043)]),
        (" a ,, b ", [("a", 9042), ("b", 9042)]),
        (["a:1", "b"], [("a", 1), ("b", 9042)]),
        (("a:65535",), [("a", 65535)]),
        (["[::1]:9043", "[::1]", "::1"], [("::1", 9043), ("::1", 9042), ("::1", 9042)]),
        (["2001:db8::1"], [("2001:db8::1", 9042)]),
        ([("c", 9044), ("d", "9045")], [("c", 9044), ("d", 9045)]),
        (["node1.example.com:19042"], [("node1.example.com", 19042)]),
    ],
)
def test_every_form_of_hosts(hosts: Any, expected: list[tuple[str, int]]) -> None:
    assert parse_contact_points(hosts, 9042) == tuple(ContactPoint(h, p) for h, p in expected)


def test_hosts_without_a_port_get_the_default_port() -> None:
    options = build_connect_options(["a", "b:2"], options={"port": 19042})
    assert options.contact_points == (ContactPoint("a", 19042), ContactPoint("b", 2))
    assert options.shared_port is None
    assert options.ports == {2, 19042}


def test_shared_port() -> None:
    assert build_connect_options(["a:19042", "b:19042"]).shared_port == 19042
    assert build_connect_options("a").shared_port == 9042
    assert build_connect_options(["a:19042", "b:19043"]).shared_port is None


def test_contact_point_text() -> None:
    assert str(ContactPoint("::1", 9042)) == "[::1]:9042"
    assert str(ContactPoint("a", 1)) == "a:1"


@pytest.mark.parametrize(
    ("hosts", "message"),
    [
        ("", "hosts is empty"),
        ([], "hosts is empty"),
        ([" "], "hosts is empty"),
        (["a:notaport"], r"Bad port 'notaport' in contact point 'a:notaport'.*1 and 65535"),
        (["a:0"], "Bad port '0'"),
        (["a:70000"], "Bad port '70000'"),
        (["a:-1"], "Bad port"),
        ([("a", True)], "Bad port True"),
        ([("", 9042)], "empty host"),
        (["[::1"], "missing ']'"),
        (["[::1]x"], "expected ':port' after ']'"),
        (["[]:9042"], "empty address"),
        ([":9042"], "empty address before ':port'"),
        ([123], "contact points must be strings"),
        (42, "hosts must be a string or a list"),
    ],
)
def test_bad_hosts(hosts: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        parse_contact_points(hosts, 9042)


def test_the_record_holds_every_option() -> None:
    options = build_connect_options(
        "h",
        keyspace="shop",
        options={
            "port": 19042,
            "username": "u",
            "password": "secret",
            "ssl_context": "ctx",
            "local_dc": "dc1",
            "protocol_version": "v4",
            "consistency": "local_quorum",
            "serial_consistency": "LOCAL_SERIAL",
            "connect_timeout": 2,
            "request_timeout": 3.5,
            "prepared_cache_size": 10,
            "num_threads_io": 2,
        },
    )
    assert options == ConnectOptions(
        contact_points=(ContactPoint("h", 19042),),
        port=19042,
        keyspace="shop",
        username="u",
        password="secret",
        ssl_context="ctx",
        local_dc="dc1",
        protocol_version=4,
        consistency=Consistency.LOCAL_QUORUM,
        serial_consistency=Consistency.LOCAL_SERIAL,
        connect_timeout=2.0,
        request_timeout=3.5,
        prepared_cache_size=10,
        extras={"num_threads_io": 2},
    )
    assert "secret" not in repr(options)
    with pytest.raises(TypeError):
        options.extras["more"] = 1  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.port = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({}, ConfigurationError, r"needs hosts=\[\.\.\.\] \(contact points\) or session="),
        ({"hosts": "h", "session": object()}, ConfigurationError, "not both"),
        ({"hosts": "h", "port": 0}, ConfigurationError, "Bad port 0 in port="),
        ({"hosts": "h", "port": "x"}, ConfigurationError, "Bad port 'x' in port="),
        ({"hosts": "h", "username": "u"}, ConfigurationError, "both username= and password="),
        ({"hosts": "h", "password": "p"}, ConfigurationError, "both username= and password="),
        ({"hosts": "h", "username": 1, "password": "p"}, ConfigurationError, "username="),
        ({"hosts": "h", "local_dc": ""}, ConfigurationError, "local_dc must be"),
        ({"hosts": "h", "protocol_version": 0}, ConfigurationError, "protocol_version"),
        ({"hosts": "h", "protocol_version": "x"}, ConfigurationError, "protocol_version"),
        ({"hosts": "h", "consistency": "MOST"}, ConfigurationError, r"'MOST'.*LOCAL_QUORUM"),
        ({"hosts": "h", "serial_consistency": "ONE"}, ConfigurationError, "SERIAL or LOCAL"),
        ({"hosts": "h", "request_timeout": 0}, ConfigurationError, "request_timeout must be"),
        ({"hosts": "h", "connect_timeout": True}, ConfigurationError, "connect_timeout must"),
        ({"hosts": "h", "prepared_cache_size": -1}, ConfigurationError, "prepared_cache_size"),
        (
            {"session": object(), "local_dc": "dc", "username": "u", "password": "p"},
            ConfigurationError,
            r"Options local_dc, username configure a new connection.*existing session=",
        ),
        ({"session": object(), "port": 9043}, ConfigurationError, "Options port"),
        ({"hosts": "h", "keyspace": "bad-ks"}, SchemaError, "keyspace name 'bad-ks'"),
        ({"hosts": "h", "keyspace": ""}, ConfigurationError, "not a valid CQL identifier"),
        ({"hosts": "h", "keyspace": "k" * 49}, InvalidKeyspaceError, "at most 48"),
    ],
)
def test_bad_options(arguments: dict[str, Any], error: type[Exception], message: str) -> None:
    hosts = arguments.pop("hosts", None)
    session = arguments.pop("session", None)
    keyspace = arguments.pop("keyspace", None)
    with pytest.raises(error, match=message):
        build_connect_options(hosts, session, keyspace, arguments)


def test_a_session_with_the_default_port_is_fine() -> None:
    session = object()
    assert build_connect_options(session=session, options={"port": 9042}).session is session


def test_capabilities_cover_every_optional_field() -> None:
    everything = build_connect_options(
        ["a:1", "b:2"],
        options={
            "username": "u",
            "password": "p",
            "ssl_context": "ctx",
            "local_dc": "dc",
            "protocol_version": 4,
            "consistency": "ONE",
            "serial_consistency": "SERIAL",
            "connect_timeout": 1,
            "request_timeout": 1,
        },
    )
    with pytest.raises(ConfigurationError) as info:
        check_supported("tiny", everything, frozenset())
    message = str(info.value)
    assert message.startswith("The tiny driver cannot honour these options:")
    for asked in ("hosts on different ports (1, 2)", "username=", "ssl_context=", "local_dc="):
        assert asked in message
    assert "python -m coodie drivers" in message
    check_supported("big", everything, ALL_CAPABILITIES)  # no error


def test_refusal_names_the_driver_and_its_advice() -> None:
    options = build_connect_options(session=object(), options={"consistency": "ONE"})
    with pytest.raises(
        ConfigurationError,
        match=r"^The mini driver cannot honour consistency= with session=: do it elsewhere$",
    ):
        check_supported(
            "mini",
            options,
            ALL_CAPABILITIES - {Capability.SESSION_DEFAULTS},
            {Capability.SESSION_DEFAULTS: "do it elsewhere"},
        )


def test_baseline_needs_no_capability() -> None:
    check_supported("any", build_connect_options(["a:19042", "b:19042"], keyspace="k"), frozenset())


def test_missing_keyspace_message() -> None:
    error = missing_keyspace("shop", "no such keyspace")
    assert isinstance(error, ConfigurationError)
    assert "Keyspace 'shop' does not exist (or cannot be used) (no such keyspace)" in str(error)
    assert "create_keyspace('shop'" in str(error)
    assert "CREATE KEYSPACE shop" in str(error)


def test_init_coodie_refuses_what_the_driver_cannot_honour(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from coodie.plugins.registry import get_registry
    from coodie.plugins.spec import DriverSpec

    def never(options: ConnectOptions) -> Any:
        raise AssertionError("the driver must not be called")

    async def never_async(options: ConnectOptions) -> Any:
        raise AssertionError("the driver must not be called")

    spec = DriverSpec(name="oneport", connect=never, connect_async=never_async)
    monkeypatch.setattr(get_registry(), "resolve", lambda name: spec)
    with pytest.raises(ConfigurationError, match="The oneport driver cannot honour hosts on"):
        coodie.sync.init_coodie(["a:1", "b:2"], driver_type="oneport")


async def test_aio_init_coodie_refuses_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from coodie.plugins.registry import get_registry
    from coodie.plugins.spec import DriverSpec

    async def never_async(options: ConnectOptions) -> Any:
        raise AssertionError("the driver must not be called")

    spec = DriverSpec(name="nossl", connect=lambda o: None, connect_async=never_async)  # type: ignore[arg-type,return-value]
    monkeypatch.setattr(get_registry(), "resolve", lambda name: spec)
    with pytest.raises(ConfigurationError, match="The nossl driver cannot honour ssl_context="):
        await coodie.aio.init_coodie("a", driver_type="nossl", ssl_context=object())
