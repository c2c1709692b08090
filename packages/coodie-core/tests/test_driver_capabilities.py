"""Capability flags: core refuses, per statement, what a driver does not declare."""

import logging
import re
import uuid
from typing import Any

import pytest

from coodie import connections
from coodie.connect import ALL_CAPABILITIES, Capability
from coodie.drivers.statement import BatchStatement, BatchType, Statement
from coodie.exceptions import UnsupportedByDriverError
from coodie.plugins import DriverRegistry, DriverSpec, hookimpl
from coodie.plugins.registry import lacking
from coodie.plugins.uses import STATEMENT_CAPABILITIES, needs
from coodie.testing import RecordingDriver
from coodie.testing.conformance_statements import requires


class Plugin:
    def __init__(self, spec: DriverSpec) -> None:
        self.spec = spec

    @hookimpl
    def coodie_drivers(self) -> list[DriverSpec]:
        return [self.spec]


def spec_without(*missing: Capability, **kwargs: Any) -> DriverSpec:
    def connect(options: Any) -> RecordingDriver:
        return RecordingDriver(keyspace=options.keyspace)

    async def connect_async(options: Any) -> RecordingDriver:
        return connect(options)

    return DriverSpec(
        name="lesser",
        connect=connect,
        connect_async=connect_async,
        capabilities=ALL_CAPABILITIES - set(missing),
        **kwargs,
    )


@pytest.fixture
def clean_default_connection() -> Any:
    previous = connections.unregister_driver()
    yield
    connections.unregister_driver()
    if previous is not None:
        connections.register_driver(previous)


async def connect(api: Any, registry: DriverRegistry, spec: DriverSpec, **options: Any) -> Any:
    registry.register(Plugin(spec), "lesser", distribution="coodie-driver-lesser", version="0.1")
    return await api(api.module.init_coodie(hosts=["h"], driver_type="lesser", **options))


async def send(api: Any, statement: Statement | BatchStatement) -> Any:
    """Through the connection's driver, the way core sends (batches included)."""
    driver = connections.get_driver()
    return await api(driver.execute_async(statement) if api.is_async else driver.execute(statement))


SELECT = Statement("SELECT v FROM t WHERE k = ?", [1])
INSERT = Statement("INSERT INTO t (k, v) VALUES (?, ?)", [1, 2])

REFUSED = [
    (Capability.PAGING_STATE, Statement("SELECT v FROM t", paging_state=b"\x01")),
    (Capability.LWT, Statement("INSERT INTO t (k) VALUES (?) IF NOT EXISTS", [1])),
    (Capability.LWT, Statement("update t SET v = ? WHERE k = ?\n  if v = ?", [1, 2, 3])),
    (Capability.LWT, BatchStatement([INSERT, Statement("DELETE FROM t WHERE k = 1 IF EXISTS")])),
    (Capability.LOGGED_BATCH, BatchStatement([INSERT])),
    (Capability.UNLOGGED_BATCH, BatchStatement([INSERT], BatchType.UNLOGGED)),
    (Capability.COUNTER_BATCH, BatchStatement([INSERT], BatchType.COUNTER)),
    (
        Capability.VECTOR,
        Statement("CREATE TABLE t (k int PRIMARY KEY, e vector<float, 3>)", prepare=False),
    ),
]


@pytest.mark.parametrize(("capability", "statement"), REFUSED)
async def test_a_statement_needing_an_undeclared_capability_is_refused(
    api: Any,
    registry: DriverRegistry,
    clean_default_connection: None,
    capability: Capability,
    statement: Any,
) -> None:
    driver = await connect(api, registry, spec_without(capability))
    with pytest.raises(UnsupportedByDriverError) as info:
        await send(api, statement)
    message = str(info.value)
    assert message.startswith(
        f"The lesser driver (coodie-driver-lesser 0.1) does not support {capability.value}"
    )
    assert "nothing was sent" in message
    assert driver.cql == []
    await api(api.module.execute(SELECT))  # other statements still go through
    assert driver.cql == [SELECT.cql]


@pytest.mark.parametrize(
    "statement",
    [
        SELECT,
        INSERT,
        Statement("CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY)", prepare=False),
        Statement("SELECT * FROM t WHERE k = ?", [1], fetch_size=10),
        Statement("INSERT INTO t (k, v) VALUES (?, ?)", [1, "IF"]),  # the value is not CQL
    ],
)
def test_plain_statements_need_nothing(statement: Statement) -> None:
    assert needs(statement) == set()


async def test_the_model_api_is_refused_too(
    api: Any, registry: DriverRegistry, clean_default_connection: None
) -> None:
    driver = await connect(api, registry, spec_without(Capability.LWT))
    product = api.m.Product(id=uuid.uuid4(), name="x")
    await api(product.save())
    with pytest.raises(UnsupportedByDriverError, match="lightweight transactions"):
        await api(product.insert())
    assert len(driver.cql) == 1


async def test_bulk_writes_are_checked(
    api: Any, registry: DriverRegistry, clean_default_connection: None
) -> None:
    driver = await connect(api, registry, spec_without(Capability.LOGGED_BATCH))
    statements = [INSERT, BatchStatement([INSERT])]
    many = driver.execute_many_async if api.is_async else driver.execute_many
    with pytest.raises(UnsupportedByDriverError, match="logged batches"):
        await api(many(statements, 1))
    assert driver.cql == [INSERT.cql]


async def test_the_driver_advice_is_given(
    api: Any, registry: DriverRegistry, clean_default_connection: None
) -> None:
    spec = spec_without(
        Capability.COUNTER_BATCH, advice={Capability.COUNTER_BATCH: "Send counters one by one."}
    )
    await connect(api, registry, spec)
    with pytest.raises(UnsupportedByDriverError, match="Send counters one by one"):
        await send(api, BatchStatement([INSERT], BatchType.COUNTER))


async def test_a_driver_declaring_everything_is_left_untouched(
    api: Any, registry: DriverRegistry, clean_default_connection: None
) -> None:
    driver = await connect(api, registry, spec_without())
    assert "execute" not in vars(driver)
    assert "execute_async" not in vars(driver)


async def test_refused_before_the_statement_is_logged(
    api: Any,
    registry: DriverRegistry,
    clean_default_connection: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await connect(api, registry, spec_without(Capability.LWT), log_cql=True)
    with caplog.at_level(logging.DEBUG, logger="coodie.cql"):
        await api(api.module.execute(SELECT))
        with pytest.raises(UnsupportedByDriverError):
            await api(api.module.execute(REFUSED[1][1]))
    assert [r.cql for r in caplog.records] == [SELECT.cql]  # type: ignore[attr-defined]


def test_the_listing_names_what_a_driver_lacks(registry: DriverRegistry) -> None:
    spec = DriverSpec(
        name="lesser",
        connect=None,
        connect_async=spec_without().connect_async,
        capabilities=ALL_CAPABILITIES - {Capability.LWT, Capability.VECTOR},
    )
    registry.register(Plugin(spec), "lesser")
    assert lacking(registry.resolve("lesser")) == [
        "the sync API",
        "lightweight transactions (IF conditions)",
        "vector columns",
    ]
    assert "does not support: the sync API, lightweight transactions" in registry.report()


def test_the_suite_skips_what_a_driver_does_not_declare() -> None:
    for capability in STATEMENT_CAPABILITIES:
        requires(spec_without(), capability)  # declared: no skip
        with pytest.raises(pytest.skip.Exception, match=re.escape(capability.value)):
            requires(spec_without(capability), capability)
