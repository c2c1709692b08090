"""Sync execution against a fake Session: statements, options, prepared cache, batches, errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from cassandra import ConsistencyLevel, InvalidRequest
from cassandra.query import BatchStatement as DriverBatch
from cassandra.query import BatchType as DriverBatchType
from cassandra.query import BoundStatement, SimpleStatement

from coodie.drivers import BatchStatement, BatchType, Consistency, ResultPage, Statement
from coodie.drivers.kit import PreparedCache
from coodie.exceptions import ConfigurationError, DriverError

if TYPE_CHECKING:
    from coodie_driver_cassandra.driver import CassandraDriver


def test_rows_columns_and_paging_state(driver: CassandraDriver, session: Any) -> None:
    session.paging_state = b"next"
    page = driver.execute(Statement("SELECT id, name FROM t WHERE id = ?", [1]))
    assert isinstance(page, ResultPage)
    assert page.columns == ("id", "name")
    assert page.rows == [(1, "a"), (2, "b")]
    assert page.paging_state == b"next"


def test_void_result(driver: CassandraDriver, session: Any) -> None:
    session.columns, session.rows = None, []
    page = driver.execute(Statement("CREATE TABLE t (id int PRIMARY KEY)", prepare=False))
    assert page.columns == ()
    assert list(page.rows) == []
    assert page.paging_state is None


def test_prepared_statement_is_bound_with_options(driver: CassandraDriver, session: Any) -> None:
    stmt = Statement(
        "SELECT * FROM t WHERE id = ?",
        [7],
        consistency=Consistency.LOCAL_QUORUM,
        serial_consistency=Consistency.LOCAL_SERIAL,
        timeout=1.5,
        fetch_size=10,
        paging_state=b"state",
        idempotent=True,
    )
    driver.execute(stmt)
    query, kwargs = session.executed[0]
    assert isinstance(query, BoundStatement)
    assert query.prepared_statement.query_string == stmt.cql
    assert query.consistency_level == ConsistencyLevel.LOCAL_QUORUM
    assert query.serial_consistency_level == ConsistencyLevel.LOCAL_SERIAL
    assert query.fetch_size == 10
    assert query.is_idempotent is True
    assert kwargs["timeout"] == 1.5
    assert kwargs["paging_state"] == b"state"
    assert kwargs["execution_profile"].row_factory.__name__ == "tuple_factory"


def test_defaults_are_left_to_the_profile(driver: CassandraDriver, session: Any) -> None:
    driver.execute(Statement("SELECT * FROM t WHERE id = ?", [7]))
    query, kwargs = session.executed[0]
    assert query.consistency_level is None  # the execution profile's level applies
    assert query.is_idempotent is False
    assert "timeout" not in kwargs  # the profile's request_timeout applies
    assert "paging_state" not in kwargs


def test_unset_value_is_bound(driver: CassandraDriver, session: Any) -> None:
    driver.execute(Statement("INSERT INTO t (a, b) VALUES (?, ?)", [1, driver.unset_value]))
    query, _ = session.executed[0]
    assert query.values[1] is driver.unset_value or query.values[1] == b""  # UNSET marker


def test_simple_statement_when_not_prepared(driver: CassandraDriver, session: Any) -> None:
    driver.execute(Statement("DROP TABLE t", prepare=False, consistency=Consistency.ALL))
    query, _ = session.executed[0]
    assert isinstance(query, SimpleStatement)
    assert query.query_string == "DROP TABLE t"
    assert query.consistency_level == ConsistencyLevel.ALL
    assert session.prepared == []


def test_not_prepared_with_values_is_prepared_but_not_cached(
    driver: CassandraDriver, session: Any
) -> None:
    stmt = Statement("SELECT * FROM t WHERE id IN (?, ?)", [1, "b"], prepare=False)
    driver.execute(stmt)
    driver.execute(stmt)
    assert session.prepared == [stmt.cql, stmt.cql]
    assert stmt.cql not in driver.prepared_cache
    assert isinstance(session.executed[0][0], BoundStatement)


def test_prepared_statements_are_cached_per_cql(driver: CassandraDriver, session: Any) -> None:
    for i in range(5):
        driver.execute(Statement("SELECT * FROM t WHERE id = ?", [i]))
    driver.execute(Statement("SELECT * FROM t WHERE name = ?", [1]))
    assert session.prepared == ["SELECT * FROM t WHERE id = ?", "SELECT * FROM t WHERE name = ?"]
    assert len(driver.prepared_cache) == 2


def test_prepared_cache_is_bounded_lru(make_driver: Any, session: Any) -> None:
    driver = make_driver(prepared_cache_size=2)
    a, b, c = (f"SELECT * FROM {t} WHERE id = ?" for t in "abc")
    for cql in (a, b, a, c):  # c evicts b (least recently used), not a
        driver.execute(Statement(cql, [1]))
    assert driver.prepared_cache.keys() == [a, c]
    driver.execute(Statement(b, [1]))
    assert session.prepared == [a, b, c, b]
    assert len(driver.prepared_cache) == 2


def test_default_cache_size(driver: CassandraDriver) -> None:
    assert driver.prepared_cache.maxsize == 1000


def test_cache_size_zero_disables_caching(make_driver: Any, session: Any) -> None:
    driver = make_driver(prepared_cache_size=0)
    driver.execute(Statement("SELECT * FROM t WHERE id = ?", [1]))
    driver.execute(Statement("SELECT * FROM t WHERE id = ?", [1]))
    assert len(session.prepared) == 2


def test_prepared_cache_unit() -> None:
    cache: PreparedCache[int] = PreparedCache(3)
    for i, key in enumerate("abcd"):
        cache.put(key, i)
    assert cache.keys() == ["b", "c", "d"]
    assert cache.get("a") is None
    assert cache.get("b") == 1
    assert cache.keys() == ["c", "d", "b"]
    assert "c" in cache
    cache.clear()
    assert len(cache) == 0
    with pytest.raises(ConfigurationError):
        PreparedCache(True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("batch_type", "expected"),
    [
        (BatchType.LOGGED, DriverBatchType.LOGGED),
        (BatchType.UNLOGGED, DriverBatchType.UNLOGGED),
        (BatchType.COUNTER, DriverBatchType.COUNTER),
    ],
)
def test_batch(driver: CassandraDriver, session: Any, batch_type: BatchType, expected: Any) -> None:
    insert = "INSERT INTO t (id, name) VALUES (?, ?)"
    batch = BatchStatement(
        [
            Statement(insert, [1, "a"]),
            Statement(insert, [2, "b"]),
            Statement("DELETE FROM u", prepare=False),
        ],
        batch_type,
        consistency=Consistency.QUORUM,
        serial_consistency=Consistency.SERIAL,
        timeout=9.0,
    )
    driver.execute(batch)
    query, kwargs = session.executed[0]
    assert isinstance(query, DriverBatch)
    assert query.batch_type == expected
    assert query.consistency_level == ConsistencyLevel.QUORUM
    assert query.serial_consistency_level == ConsistencyLevel.SERIAL
    assert len(query._statements_and_parameters) == 3
    prepared_flags = [entry[0] for entry in query._statements_and_parameters]
    assert prepared_flags == [True, True, False]
    assert session.prepared == [insert]  # children share one prepared statement
    assert kwargs["timeout"] == 9.0
    assert "paging_state" not in kwargs


def test_empty_batch_sends_nothing(driver: CassandraDriver, session: Any) -> None:
    page = driver.execute(BatchStatement([]))
    assert page.rows == ()
    assert session.executed == []


def test_errors_are_wrapped(driver: CassandraDriver, session: Any) -> None:
    session.error = InvalidRequest("Undefined column name nope")
    with pytest.raises(DriverError, match=r"'SELECT nope FROM t'.*InvalidRequest.*nope") as info:
        driver.execute(Statement("SELECT nope FROM t", prepare=False))
    assert info.value.__cause__ is session.error


def test_prepare_errors_are_wrapped(driver: CassandraDriver, session: Any) -> None:
    session.prepare_error = InvalidRequest("unconfigured table t")
    with pytest.raises(DriverError, match="unconfigured table") as info:
        driver.execute(Statement("SELECT * FROM t WHERE id = ?", [1]))
    assert info.value.__cause__ is session.prepare_error
    assert len(driver.prepared_cache) == 0


def test_bind_errors_are_wrapped(driver: CassandraDriver) -> None:
    with pytest.raises(DriverError, match="SELECT"):
        driver.execute(Statement("SELECT * FROM t WHERE id = ?", ["not an int"]))


def test_bad_serial_consistency_is_wrapped(driver: CassandraDriver) -> None:
    stmt = Statement(
        "UPDATE t SET a = ? WHERE id = ?", [1, "b"], serial_consistency=Consistency.ONE
    )
    with pytest.raises(DriverError, match="serial"):
        driver.execute(stmt)


def test_long_cql_is_shortened_in_errors(driver: CassandraDriver, session: Any) -> None:
    session.error = RuntimeError("boom")
    cql = "SELECT " + ", ".join(f"c{i}" for i in range(200)) + " FROM t"
    with pytest.raises(DriverError) as info:
        driver.execute(Statement(cql, prepare=False))
    assert "..." in str(info.value)
    assert len(str(info.value)) < 400


def test_batch_errors_name_the_batch(driver: CassandraDriver, session: Any) -> None:
    session.error = RuntimeError("boom")
    with pytest.raises(DriverError, match="a LOGGED batch of 1"):
        driver.execute(BatchStatement([Statement("INSERT INTO t (id) VALUES (?)", [1])]))


def test_closed_driver(driver: CassandraDriver) -> None:
    driver.close()
    with pytest.raises(ConfigurationError, match="closed"):
        driver.execute(Statement("SELECT 1", prepare=False))


def test_repr(driver: CassandraDriver) -> None:
    assert "open" in repr(driver)
