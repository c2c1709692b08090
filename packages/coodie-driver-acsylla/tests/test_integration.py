"""acsylla-specific behaviour against a real node (beyond the conformance suite)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import uuid
from decimal import Decimal
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING, Annotated, Any

import pytest

from coodie.drivers import BatchStatement, BatchType, Consistency, Statement
from coodie.exceptions import BlockingCallOnLoopError, ConfigurationError, DriverError
from coodie.fields import VarInt
from coodie.mapping.codecs import build_decoder, build_encoder
from coodie.model.types import cql_type_for
from coodie_driver_acsylla import UNSET, AcsyllaDriver, connect, connect_async

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.integration


@pytest.fixture
def table(sync_driver: AcsyllaDriver) -> Iterator[str]:
    name = f"{sync_driver.keyspace}.t_{uuid.uuid4().hex[:10]}"
    sync_driver.execute(
        Statement(
            f"CREATE TABLE {name} (k int, c int, v text, n int, PRIMARY KEY (k, c))", prepare=False
        )
    )
    yield name
    sync_driver.execute(Statement(f"DROP TABLE IF EXISTS {name}", prepare=False))


def _round_trip(driver: AcsyllaDriver, annotation: Any, values: list[Any]) -> list[Any]:
    t = cql_type_for(annotation)
    name = f"{driver.keyspace}.rt_{uuid.uuid4().hex[:10]}"
    driver.execute(Statement(f"CREATE TABLE {name} (k int PRIMARY KEY, v {t.cql})", prepare=False))
    try:
        encode = build_encoder(t, driver) or (lambda v: v)
        decode = build_decoder(t, driver) or (lambda v: v)
        for k, value in enumerate(values):
            driver.execute(
                Statement(f"INSERT INTO {name} (k, v) VALUES (?, ?)", [k, encode(value)])
            )
        page = driver.execute(Statement(f"SELECT k, v FROM {name}"))
        got = dict(page.rows)
        return [decode(got[k]) for k in range(len(values))]
    finally:
        driver.execute(Statement(f"DROP TABLE IF EXISTS {name}", prepare=False))


# -- value types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "values"),
    [
        (
            dt.timedelta,
            [
                dt.timedelta(0),
                dt.timedelta(days=-1, seconds=5),
                dt.timedelta(microseconds=-1),
                dt.timedelta(days=400, microseconds=1),
                -dt.timedelta(days=3, hours=2),
            ],
        ),
        (Annotated[int, VarInt()], [0, -1, 255, -(2**70), 10**40 + 7]),
        (
            dt.datetime,
            [
                dt.datetime(1970, 1, 1),
                dt.datetime(1969, 12, 31, 23, 59, 59, 999000),
                dt.datetime(2024, 2, 29, 13, 45, 12, 345000),
                dt.datetime(2100, 12, 31, 23, 59, 59, 999000),
            ],
        ),
        (dt.date, [dt.date(1, 1, 1), dt.date(1969, 12, 31), dt.date(9999, 12, 31)]),
        (dt.time, [dt.time(0), dt.time(0, 0, 0, 1), dt.time(23, 59, 59, 999999)]),
        (IPv6Address, [IPv6Address("::1"), IPv6Address("2001:db8::ff")]),
        (set[uuid.UUID], [{uuid.uuid4(), uuid.uuid1()}, set()]),
        (dict[str, IPv4Address], [{"a": IPv4Address("10.0.0.1")}]),
        (list[dt.timedelta], [[dt.timedelta(seconds=1), -dt.timedelta(days=2)]]),
        (
            tuple[uuid.UUID, Annotated[int, VarInt()], dt.timedelta],
            [(uuid.UUID(int=3), -(2**65), dt.timedelta(1))],
        ),
        (dict[uuid.UUID, list[Annotated[int, VarInt()]]], [{uuid.UUID(int=9): [2**80, -5]}]),
    ],
)
def test_value_round_trips(sync_driver: AcsyllaDriver, annotation: Any, values: list[Any]) -> None:
    assert _round_trip(sync_driver, annotation, values) == values


def test_acsylla_still_corrupts_decimals(sync_driver: AcsyllaDriver) -> None:
    """Why decimal is in UNSUPPORTED_TYPES. When acsylla fixes its decimal binding this fails:
    then lift the refusal (and test decimals across both drivers)."""
    name = f"{sync_driver.keyspace}.dec_{uuid.uuid4().hex[:10]}"
    sync_driver.execute(
        Statement(f"CREATE TABLE {name} (k int PRIMARY KEY, v decimal)", prepare=False)
    )
    try:
        sync_driver.execute(Statement(f"INSERT INTO {name} (k, v) VALUES (?, ?)", [1, Decimal(6)]))
        page = sync_driver.execute(Statement(f"SELECT CAST(v AS text) FROM {name} WHERE k = 1"))
        assert page.rows[0][0] == "54"  # the server holds 0x36, the ASCII code of "6"
    finally:
        sync_driver.execute(Statement(f"DROP TABLE IF EXISTS {name}", prepare=False))


def test_aware_timestamps_are_stored_in_utc(sync_driver: AcsyllaDriver) -> None:
    aware = dt.datetime(2024, 5, 6, 7, 8, 9, 1000, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert _round_trip(sync_driver, dt.datetime, [aware]) == [
        dt.datetime(2024, 5, 6, 5, 8, 9, 1000)
    ]


def test_duration_with_months_is_a_clear_error(sync_driver: AcsyllaDriver, table: str) -> None:
    name = f"{sync_driver.keyspace}.dur_{uuid.uuid4().hex[:8]}"
    sync_driver.execute(
        Statement(f"CREATE TABLE {name} (k int PRIMARY KEY, d duration)", prepare=False)
    )
    try:
        sync_driver.execute(
            Statement(f"INSERT INTO {name} (k, d) VALUES (1, 1mo2d)", prepare=False)
        )
        raw = sync_driver.execute(Statement(f"SELECT d FROM {name}")).rows[0][0]
        decode = build_decoder(cql_type_for(dt.timedelta), sync_driver)
        assert decode is not None
        with pytest.raises(ValueError, match="months"):
            decode(raw)
    finally:
        sync_driver.execute(Statement(f"DROP TABLE IF EXISTS {name}", prepare=False))


# -- statements ------------------------------------------------------------------------------


def test_unset_in_unprepared_statement(sync_driver: AcsyllaDriver, table: str) -> None:
    insert = f"INSERT INTO {table} (k, c, v, n) VALUES (?, ?, ?, ?)"
    sync_driver.execute(Statement(insert, [1, 1, "kept", 1]))
    sync_driver.execute(Statement(insert, [1, 1, UNSET, 2], prepare=False))
    page = sync_driver.execute(Statement(f"SELECT v, n FROM {table} WHERE k = 1"))
    assert [tuple(r) for r in page.rows] == [("kept", 2)]


def test_unset_in_batch_children(sync_driver: AcsyllaDriver, table: str) -> None:
    insert = f"INSERT INTO {table} (k, c, v, n) VALUES (?, ?, ?, ?)"
    sync_driver.execute(Statement(insert, [2, 1, "kept", 1]))
    sync_driver.execute(BatchStatement([Statement(insert, [2, 1, UNSET, 5])], BatchType.UNLOGGED))
    page = sync_driver.execute(Statement(f"SELECT v, n FROM {table} WHERE k = 2"))
    assert [tuple(r) for r in page.rows] == [("kept", 5)]


def test_batch_options_and_timeout(sync_driver: AcsyllaDriver, table: str) -> None:
    insert = f"INSERT INTO {table} (k, c, v) VALUES (?, ?, ?)"
    batch = BatchStatement(
        [Statement(insert, [3, i, "x"]) for i in range(3)],
        BatchType.LOGGED,
        consistency=Consistency.ONE,
        serial_consistency=Consistency.LOCAL_SERIAL,
        timeout=5.0,
    )
    assert list(sync_driver.execute(batch).rows) == []
    assert len(sync_driver.execute(Statement(f"SELECT c FROM {table} WHERE k = 3")).rows) == 3


def test_unsatisfiable_consistency_is_a_driver_error(
    sync_driver: AcsyllaDriver, table: str
) -> None:
    with pytest.raises(DriverError):
        sync_driver.execute(
            Statement(f"SELECT * FROM {table} WHERE k = 1", consistency=Consistency.THREE)
        )


def test_bind_errors_are_driver_errors(sync_driver: AcsyllaDriver, table: str) -> None:
    with pytest.raises(DriverError, match="INSERT INTO"):
        sync_driver.execute(
            Statement(f"INSERT INTO {table} (k, c, n) VALUES (?, ?, ?)", [1, 1, "not an int"])
        )


def test_syntax_error_names_the_statement(sync_driver: AcsyllaDriver) -> None:
    with pytest.raises(DriverError, match="SELEC") as caught:
        sync_driver.execute(Statement("SELEC nothing", prepare=False))
    assert caught.value.__cause__ is not None


def test_prepared_cache_prepares_each_cql_once(sync_driver: AcsyllaDriver, table: str) -> None:
    select = f"SELECT v FROM {table} WHERE k = ? AND c = ?"
    before = sync_driver.prepared_cache.prepares

    async def many() -> None:
        await asyncio.gather(
            *(sync_driver.execute_async(Statement(select, [1, i])) for i in range(30))
        )

    asyncio.run(many())
    sync_driver.execute(Statement(select, [1, 1]))
    assert sync_driver.prepared_cache.prepares == before + 1
    assert select in sync_driver.prepared_cache


def test_prepared_cache_is_bounded(acsylla_hosts: list[str], acsylla_keyspace: str) -> None:
    driver = connect(hosts=acsylla_hosts, keyspace=acsylla_keyspace, prepared_cache_size=2)
    try:
        for i in range(5):
            driver.execute(
                Statement(
                    f"SELECT release_version AS v{i} FROM system.local WHERE key = ?", ["local"]
                )
            )
        assert len(driver.prepared_cache) == 2
    finally:
        driver.close()


def test_paging_state_round_trip_and_fetch_size(sync_driver: AcsyllaDriver, table: str) -> None:
    insert = f"INSERT INTO {table} (k, c, n) VALUES (?, ?, ?)"
    for c in range(7):
        sync_driver.execute(Statement(insert, [9, c, c]))
    select = f"SELECT c FROM {table} WHERE k = ?"
    first = sync_driver.execute(Statement(select, [9], fetch_size=3))
    assert [r[0] for r in first.rows] == [0, 1, 2]
    assert isinstance(first.paging_state, bytes)
    second = sync_driver.execute(
        Statement(select, [9], fetch_size=3, paging_state=first.paging_state)
    )
    assert [r[0] for r in second.rows] == [3, 4, 5]
    everything = sync_driver.execute(Statement(select, [9]))
    assert len(everything.rows) == 7
    assert everything.paging_state is None


def test_keyspace_is_used_for_unqualified_cql(sync_driver: AcsyllaDriver, table: str) -> None:
    short = table.split(".", 1)[1]
    sync_driver.execute(Statement(f"INSERT INTO {short} (k, c, v) VALUES (?, ?, ?)", [5, 1, "ks"]))
    page = sync_driver.execute(Statement(f"SELECT v FROM {table} WHERE k = 5"))
    assert page.rows[0][0] == "ks"


def test_missing_keyspace_fails_fast(acsylla_hosts: list[str]) -> None:
    # Same as the cassandra driver: a ConfigurationError that says how to create it.
    with pytest.raises(ConfigurationError, match=r"'coodie_no_such_keyspace_yet' does not exist"):
        connect(hosts=acsylla_hosts, keyspace="coodie_no_such_keyspace_yet")


async def test_missing_keyspace_fails_fast_async(acsylla_hosts: list[str]) -> None:
    with pytest.raises(ConfigurationError, match="create_keyspace"):
        await connect_async(hosts=acsylla_hosts, keyspace="coodie_no_such_keyspace_yet")


# -- loops, threads and closing ------------------------------------------------------------------


def test_sync_driver_runs_on_its_own_thread(sync_driver: AcsyllaDriver) -> None:
    assert sync_driver.owns_loop
    assert sync_driver.loop.is_running()

    results: list[Any] = []

    def worker() -> None:
        page = sync_driver.execute(Statement("SELECT release_version FROM system.local"))
        results.append(page.rows[0][0])

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8


async def test_sync_driver_is_usable_from_a_test_loop(sync_driver: AcsyllaDriver) -> None:
    page = await sync_driver.execute_async(Statement("SELECT release_version FROM system.local"))
    assert page.columns == ("release_version",)


async def test_connect_async_uses_the_callers_loop(
    acsylla_hosts: list[str], acsylla_keyspace: str
) -> None:
    driver = await connect_async(hosts=acsylla_hosts, keyspace=acsylla_keyspace)
    try:
        assert driver.loop is asyncio.get_running_loop()
        assert not driver.owns_loop
        query = Statement("SELECT release_version FROM system.local")
        assert (await driver.execute_async(query)).rows
        # a sync call from inside the home loop would deadlock: refused
        with pytest.raises(BlockingCallOnLoopError, match="inside the event loop"):
            driver.execute(query)
        # ... but a worker thread may block on the (running) home loop
        page = await asyncio.to_thread(driver.execute, query)
        assert page.rows
    finally:
        await driver.close_async()
    assert driver.closed
    with pytest.raises(DriverError, match="closed"):
        await driver.execute_async(Statement("SELECT release_version FROM system.local"))


async def test_connect_async_background_loop(acsylla_hosts: list[str]) -> None:
    driver = await connect_async(hosts=acsylla_hosts, background_loop=True)
    try:
        assert driver.owns_loop
        assert driver.loop is not asyncio.get_running_loop()
        query = Statement("SELECT release_version FROM system.local")
        assert (await driver.execute_async(query)).rows
        assert (await asyncio.to_thread(driver.execute, query)).rows
    finally:
        await driver.close_async()
    assert not driver._thread.thread.is_alive()  # type: ignore[union-attr]


def test_a_driver_whose_loop_ended_says_so(acsylla_hosts: list[str]) -> None:
    async def open_it() -> AcsyllaDriver:
        return await connect_async(hosts=acsylla_hosts)

    driver = asyncio.run(open_it())
    with pytest.raises(DriverError, match="no longer running"):
        driver.execute(Statement("SELECT release_version FROM system.local"))

    async def use_it() -> None:
        await driver.execute_async(Statement("SELECT release_version FROM system.local"))

    with pytest.raises(DriverError, match="no longer running"):
        asyncio.run(use_it())
    driver.close()
    driver.close()


def test_existing_session_with_its_loop(acsylla_hosts: list[str]) -> None:
    owner = connect(hosts=acsylla_hosts)
    try:
        borrowed = connect(session=owner.session, loop=owner.loop)
        page = borrowed.execute(Statement("SELECT release_version FROM system.local"))
        assert page.rows
        borrowed.close()  # does not close a session it does not own
        assert owner.execute(Statement("SELECT release_version FROM system.local")).rows
    finally:
        owner.close()


def test_close_is_idempotent_and_stops_the_thread(acsylla_hosts: list[str]) -> None:
    driver = connect(hosts=acsylla_hosts)
    thread = driver._thread
    assert thread is not None
    driver.close()
    driver.close()
    assert not thread.thread.is_alive()
    assert driver.loop.is_closed()
    with pytest.raises(DriverError, match="closed"):
        driver.execute(Statement("SELECT release_version FROM system.local"))


def test_unreachable_host_is_a_driver_error() -> None:
    with pytest.raises(DriverError, match="could not connect"):
        connect(hosts=["127.0.0.1:1"], connect_timeout=1)
