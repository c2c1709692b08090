"""Against a real node (``-m integration``; COODIE_TEST_HOSTS=host:port or pytest-coodie)."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from coodie.drivers import BatchStatement, BatchType, Consistency, ResultPage, Statement
from coodie.exceptions import ConfigurationError, DriverError
from coodie.model.types import CqlType
from coodie_driver_cassandra.driver import CassandraDriver, connect, connect_async

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.integration

KS = "coodie_driver_cassandra_tests"


def ddl(driver: CassandraDriver, cql: str) -> None:
    driver.execute(Statement(cql, prepare=False, timeout=60))


@pytest.fixture(scope="module")
def driver(contact_points: list[str]) -> Iterator[CassandraDriver]:
    drv = connect(hosts=contact_points, request_timeout=30)
    ddl(
        drv,
        f"CREATE KEYSPACE IF NOT EXISTS {KS} WITH replication = "
        "{'class': 'SimpleStrategy', 'replication_factor': 1}",
    )
    yield drv
    drv.close()


@pytest.fixture(scope="module")
def tables(driver: CassandraDriver) -> None:
    ddl(
        driver,
        f"""CREATE TABLE IF NOT EXISTS {KS}.scalars (
            id int PRIMARY KEY, v_text text, v_ascii ascii, v_int int, v_bigint bigint,
            v_smallint smallint, v_tinyint tinyint, v_varint varint, v_double double,
            v_float float, v_boolean boolean, v_uuid uuid, v_timeuuid timeuuid, v_blob blob,
            v_decimal decimal, v_timestamp timestamp, v_date date, v_time time,
            v_duration duration, v_inet4 inet, v_inet6 inet)""",
    )
    ddl(
        driver,
        f"""CREATE TABLE IF NOT EXISTS {KS}.colls (
            id int PRIMARY KEY, l list<int>, s set<text>, m map<text, int>,
            t frozen<tuple<int, text>>, ld list<frozen<list<date>>>)""",
    )
    ddl(
        driver,
        f"CREATE TABLE IF NOT EXISTS {KS}.pages (p int, c int, v text, PRIMARY KEY (p, c))",
    )
    ddl(driver, f"CREATE TABLE IF NOT EXISTS {KS}.counters (id int PRIMARY KEY, n counter)")
    ddl(driver, f"CREATE TABLE IF NOT EXISTS {KS}.kv (k text PRIMARY KEY, a int, b text)")


SCALARS: list[tuple[str, str, type, Any]] = [
    ("v_text", "text", str, "héllo ☃"),
    ("v_ascii", "ascii", str, "plain"),
    ("v_int", "int", int, -(2**31)),
    ("v_bigint", "bigint", int, 2**63 - 1),
    ("v_smallint", "smallint", int, -(2**15)),
    ("v_tinyint", "tinyint", int, 127),
    ("v_varint", "varint", int, 10**40),
    ("v_double", "double", float, 1.5e300),
    ("v_float", "float", float, 0.5),
    ("v_boolean", "boolean", bool, True),
    ("v_uuid", "uuid", uuid.UUID, uuid.uuid4()),
    ("v_timeuuid", "timeuuid", uuid.UUID, uuid.uuid1()),
    ("v_blob", "blob", bytes, b"\x00\xffbytes"),
    ("v_decimal", "decimal", Decimal, Decimal("-12345.678901234567890")),
    ("v_timestamp", "timestamp", dt.datetime, dt.datetime(2024, 2, 29, 12, 30, 1, 123000)),
    ("v_date", "date", dt.date, dt.date(1969, 7, 20)),
    ("v_time", "time", dt.time, dt.time(23, 59, 58, 999999)),
    ("v_duration", "duration", dt.timedelta, dt.timedelta(days=-3, hours=-4, microseconds=-5)),
    ("v_inet4", "inet", ipaddress.IPv4Address, ipaddress.IPv4Address("10.1.2.3")),
    ("v_inet6", "inet", ipaddress.IPv6Address, ipaddress.IPv6Address("2001:db8::7")),
]


def encode(driver: CassandraDriver, cql_type: str, py: type, value: Any) -> Any:
    fn = driver.encoder_for(CqlType(cql_type, python_type=py))
    return value if fn is None else fn(value)


def decode(driver: CassandraDriver, cql_type: str, py: type, value: Any) -> Any:
    fn = driver.decoder_for(CqlType(cql_type, python_type=py))
    return value if fn is None or value is None else fn(value)


def insert_scalars(row_id: int, driver: CassandraDriver) -> Statement:
    columns = ", ".join(c for c, *_ in SCALARS)
    markers = ", ".join("?" for _ in SCALARS)
    values = [row_id] + [encode(driver, ct, py, v) for _, ct, py, v in SCALARS]
    return Statement(f"INSERT INTO {KS}.scalars (id, {columns}) VALUES (?, {markers})", values)


def check_scalars(driver: CassandraDriver, page: ResultPage) -> None:
    (row,) = page.rows
    got = dict(zip(page.columns, row, strict=True))
    for column, cql_type, py, value in SCALARS:
        decoded = decode(driver, cql_type, py, got[column])
        assert decoded == value, column
        assert type(decoded) is py, column


@pytest.mark.usefixtures("tables")
def test_every_scalar_type_round_trips(driver: CassandraDriver) -> None:
    driver.execute(insert_scalars(1, driver))
    page = driver.execute(Statement(f"SELECT * FROM {KS}.scalars WHERE id = ?", [1]))
    check_scalars(driver, page)


@pytest.mark.usefixtures("tables")
async def test_every_scalar_type_round_trips_async(driver: CassandraDriver) -> None:
    await driver.execute_async(insert_scalars(2, driver))
    page = await driver.execute_async(Statement(f"SELECT * FROM {KS}.scalars WHERE id = ?", [2]))
    check_scalars(driver, page)


@pytest.mark.usefixtures("tables")
def test_collections(driver: CassandraDriver) -> None:
    date_decoder = driver.decoder_for(CqlType("date", python_type=dt.date))
    assert date_decoder is not None
    driver.execute(
        Statement(
            f"INSERT INTO {KS}.colls (id, l, s, m, t, ld) VALUES (?, ?, ?, ?, ?, ?)",
            [1, [3, 1, 2], {"b", "a"}, {"x": 1, "y": 2}, (7, "seven"), [[dt.date(2020, 1, 1)]]],
        )
    )
    page = driver.execute(Statement(f"SELECT l, s, m, t, ld FROM {KS}.colls WHERE id = ?", [1]))
    (row,) = page.rows
    lst, st, mp, tup, nested = row
    assert list(lst) == [3, 1, 2]
    assert set(st) == {"a", "b"}
    assert dict(mp) == {"x": 1, "y": 2}
    assert tuple(tup) == (7, "seven")
    assert [[date_decoder(d) for d in inner] for inner in nested] == [[dt.date(2020, 1, 1)]]
    driver.execute(
        Statement(f"INSERT INTO {KS}.colls (id, l, s, m) VALUES (?, ?, ?, ?)", [2, [], set(), {}])
    )
    page = driver.execute(Statement(f"SELECT l, s, m FROM {KS}.colls WHERE id = ?", [2]))
    assert page.rows == [(None, None, None)]  # empty collections read back as null


@pytest.fixture(scope="module")
def paged_partition(driver: CassandraDriver, tables: None) -> int:
    ddl(driver, f"DELETE FROM {KS}.pages WHERE p = 1")
    batch = BatchStatement(
        [
            Statement(f"INSERT INTO {KS}.pages (p, c, v) VALUES (?, ?, ?)", [1, c, f"v{c}"])
            for c in range(25)
        ],
        BatchType.UNLOGGED,
    )
    driver.execute(batch)
    return 25


def test_paging_sync(driver: CassandraDriver, paged_partition: int) -> None:
    cql = f"SELECT c FROM {KS}.pages WHERE p = ?"
    seen: list[int] = []
    pages = 0
    state: bytes | None = None
    while True:
        page = driver.execute(Statement(cql, [1], fetch_size=10, paging_state=state))
        pages += 1
        assert len(page.rows) <= 10
        seen.extend(r[0] for r in page.rows)
        state = page.paging_state
        if state is None:
            break
    assert seen == list(range(paged_partition))
    assert pages >= 3


async def test_paging_async(driver: CassandraDriver, paged_partition: int) -> None:
    cql = f"SELECT c, v FROM {KS}.pages WHERE p = ?"
    seen: list[int] = []
    state: bytes | None = None
    pages = 0
    while True:
        page = await driver.execute_async(Statement(cql, [1], fetch_size=7, paging_state=state))
        pages += 1
        seen.extend(r[0] for r in page.rows)
        state = page.paging_state
        if state is None:
            break
    assert seen == list(range(paged_partition))
    assert pages >= 4


def test_default_page_size_is_not_unbounded(driver: CassandraDriver, paged_partition: int) -> None:
    page = driver.execute(Statement(f"SELECT c FROM {KS}.pages WHERE p = ?", [1], fetch_size=5))
    assert len(page.rows) == 5
    assert page.paging_state is not None


@pytest.mark.usefixtures("tables")
@pytest.mark.parametrize("batch_type", [BatchType.LOGGED, BatchType.UNLOGGED])
async def test_batches(driver: CassandraDriver, batch_type: BatchType) -> None:
    insert = f"INSERT INTO {KS}.kv (k, a, b) VALUES (?, ?, ?)"
    keys = [f"batch-{batch_type.value}-{i}" for i in range(3)]
    batch = BatchStatement(
        [Statement(insert, [k, i, "x"]) for i, k in enumerate(keys)],
        batch_type,
        consistency=Consistency.ONE,
    )
    await driver.execute_async(batch)
    page = driver.execute(Statement(f"SELECT k, a FROM {KS}.kv WHERE k IN ?", [keys]))
    assert sorted(page.rows) == [(k, i) for i, k in enumerate(keys)]


@pytest.mark.usefixtures("tables")
def test_counter_batch(driver: CassandraDriver) -> None:
    ddl(driver, f"TRUNCATE {KS}.counters")
    update = f"UPDATE {KS}.counters SET n = n + ? WHERE id = ?"
    batch = BatchStatement(
        [Statement(update, [5, 1]), Statement(update, [2, 1])], BatchType.COUNTER
    )
    driver.execute(batch)
    page = driver.execute(Statement(f"SELECT n FROM {KS}.counters WHERE id = ?", [1]))
    assert page.rows == [(7,)]


@pytest.mark.usefixtures("tables")
async def test_lightweight_transactions(driver: CassandraDriver) -> None:
    key = f"lwt-{uuid.uuid4()}"
    insert = Statement(
        f"INSERT INTO {KS}.kv (k, a, b) VALUES (?, ?, ?) IF NOT EXISTS",
        [key, 1, "first"],
        serial_consistency=Consistency.LOCAL_SERIAL,
        consistency=Consistency.ONE,
    )
    first = driver.execute(insert)
    assert first.columns[0] == "[applied]"
    assert first.rows[0][0] is True
    second = await driver.execute_async(
        Statement(
            f"INSERT INTO {KS}.kv (k, a, b) VALUES (?, ?, ?) IF NOT EXISTS",
            [key, 2, "second"],
            serial_consistency=Consistency.SERIAL,
        )
    )
    existing = dict(zip(second.columns, second.rows[0], strict=True))
    assert existing["[applied]"] is False
    assert existing["a"] == 1
    assert existing["b"] == "first"
    update = await driver.execute_async(
        Statement(f"UPDATE {KS}.kv SET a = ? WHERE k = ? IF a = ?", [3, key, 99])
    )
    assert dict(zip(update.columns, update.rows[0], strict=True)) == {"[applied]": False, "a": 1}


@pytest.mark.usefixtures("tables")
def test_unset_values_leave_columns_alone(driver: CassandraDriver) -> None:
    key = f"unset-{uuid.uuid4()}"
    insert = f"INSERT INTO {KS}.kv (k, a, b) VALUES (?, ?, ?)"
    driver.execute(Statement(insert, [key, 1, "keep"]))
    driver.execute(Statement(insert, [key, 2, driver.unset_value]))
    page = driver.execute(Statement(f"SELECT a, b FROM {KS}.kv WHERE k = ?", [key]))
    assert page.rows == [(2, "keep")]


@pytest.mark.usefixtures("tables")
async def test_request_options_are_accepted(driver: CassandraDriver) -> None:
    stmt = Statement(
        f"SELECT k FROM {KS}.kv WHERE k = ?",
        ["nothing"],
        consistency=Consistency.LOCAL_ONE,
        timeout=12.5,
        fetch_size=100,
        idempotent=True,
    )
    assert driver.execute(stmt).rows == []
    assert (await driver.execute_async(stmt)).rows == []


@pytest.mark.usefixtures("tables")
async def test_unreachable_consistency_fails_with_driver_error(driver: CassandraDriver) -> None:
    stmt = Statement(f"SELECT k FROM {KS}.kv WHERE k = ?", ["x"], consistency=Consistency.THREE)
    with pytest.raises(DriverError, match=r"Unavailable|consistency"):
        driver.execute(stmt)
    with pytest.raises(DriverError, match=r"Unavailable|consistency"):
        await driver.execute_async(stmt)


@pytest.mark.usefixtures("tables")
async def test_tiny_timeout_fails_with_driver_error(driver: CassandraDriver) -> None:
    stmt = Statement(f"SELECT * FROM {KS}.pages WHERE p = ?", [1], timeout=1e-6)
    with pytest.raises(DriverError, match="OperationTimedOut"):
        await driver.execute_async(stmt)


@pytest.mark.usefixtures("tables")
async def test_async_prepare_never_calls_blocking_prepare(
    driver: CassandraDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert driver.async_prepare == "message"

    def forbidden(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("Session.prepare() would block the event loop")

    monkeypatch.setattr(driver.session, "prepare", forbidden)
    cql = f"SELECT a FROM {KS}.kv WHERE k = ? /* {uuid.uuid4()} */"
    assert cql not in driver.prepared_cache
    pages = await asyncio.gather(
        *(driver.execute_async(Statement(cql, [f"k{i}"])) for i in range(30))
    )
    assert all(p.rows == [] for p in pages)
    assert cql in driver.prepared_cache
    # The statement is registered with the cluster, so the driver can re-prepare it itself.
    prepared = driver.prepared_cache.get(cql)
    assert driver.session.cluster._prepared_statements.get(prepared.query_id) is prepared


@pytest.mark.usefixtures("tables")
async def test_async_prepare_error(driver: CassandraDriver) -> None:
    with pytest.raises(DriverError, match=r"InvalidRequest|SyntaxException|unconfigured"):
        await driver.execute_async(Statement(f"SELECT nope FROM {KS}.kv WHERE k = ?", ["x"]))


@pytest.mark.usefixtures("tables")
async def test_event_loop_keeps_running_during_requests(driver: CassandraDriver) -> None:
    ticks = 0
    stop = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    for i in range(20):
        await driver.execute_async(Statement(f"SELECT a FROM {KS}.kv WHERE k = ? /* {i} */", ["x"]))
    stop.set()
    await task
    assert ticks > 20


def test_existing_session_is_wrapped_not_owned(contact_points: list[str], tables: None) -> None:
    from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
    from cassandra.policies import RoundRobinPolicy
    from cassandra.query import named_tuple_factory

    from coodie_driver_cassandra.driver import parse_hosts

    profile = ExecutionProfile(load_balancing_policy=RoundRobinPolicy())
    cluster = Cluster(
        contact_points=parse_hosts(contact_points),
        execution_profiles={EXEC_PROFILE_DEFAULT: profile},
    )
    try:
        session = cluster.connect()
        drv = connect(session=session, keyspace=KS)
        assert drv.keyspace == KS
        page = drv.execute(Statement("SELECT k FROM kv WHERE k = ?", ["none"]))  # unqualified
        assert page.rows == []
        page = drv.execute(Statement("SELECT release_version FROM system.local", prepare=False))
        assert type(page.rows[0]) is tuple
        drv.close()
        assert not cluster.is_shutdown
        row = session.execute("SELECT release_version FROM system.local").one()
        assert hasattr(row, "release_version")  # the user's row factory is untouched
        assert session.get_execution_profile(EXEC_PROFILE_DEFAULT).row_factory is (
            named_tuple_factory
        )
    finally:
        cluster.shutdown()


async def test_connect_async_with_keyspace(contact_points: list[str], tables: None) -> None:
    drv = await connect_async(hosts=contact_points, keyspace=KS, consistency="LOCAL_ONE")
    try:
        assert drv.keyspace == KS
        page = await drv.execute_async(Statement("SELECT k FROM kv WHERE k = ?", ["none"]))
        assert page.rows == []
    finally:
        await drv.close_async()
    assert drv.cluster.is_shutdown


def test_missing_keyspace(contact_points: list[str]) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        connect(hosts=contact_points, keyspace="coodie_no_such_keyspace_here")


def test_unreachable_host() -> None:
    with pytest.raises(DriverError, match=r"Could not connect .*127\.0\.0\.1:1"):
        connect(hosts=["127.0.0.1:1"], connect_timeout=2)
