"""The asyncio bridge and async execution, with callbacks fired from other threads."""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

import pytest
from cassandra import OperationTimedOut
from cassandra.query import BatchStatement as DriverBatch

from coodie.drivers import BatchStatement, BatchType, Consistency, Statement
from coodie.drivers.kit.cassandra import to_asyncio_future
from coodie.exceptions import ConfigurationError, DriverError

if TYPE_CHECKING:
    from coodie_driver_cassandra.driver import CassandraDriver


@pytest.fixture
def loop_errors() -> list[dict[str, Any]]:
    return []


def capture_loop_errors(errors: list[dict[str, Any]]) -> None:
    asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: errors.append(ctx))


# -- the bridge ------------------------------------------------------------------------------


async def test_callback_from_another_thread_resolves_the_future(fake_future: Any) -> None:
    rf = fake_future()
    loop = asyncio.get_running_loop()
    future = to_asyncio_future(rf, loop)
    seen: list[int] = []

    def resolve() -> None:
        seen.append(threading.get_ident())
        rf.resolve([(1,)])

    thread = threading.Thread(target=resolve)
    thread.start()
    assert await asyncio.wait_for(future, 5) == [(1,)]
    thread.join()
    assert seen
    assert seen[0] != threading.get_ident()


async def test_errback_from_another_thread_raises_in_the_awaiter(fake_future: Any) -> None:
    rf = fake_future()
    future = to_asyncio_future(rf, asyncio.get_running_loop())
    error = OperationTimedOut("timed out")
    rf.fail_in_thread(error)
    with pytest.raises(OperationTimedOut) as info:
        await asyncio.wait_for(future, 5)
    assert info.value is error


async def test_already_finished_response_future(fake_future: Any) -> None:
    rf = fake_future()
    rf.resolve(None)  # e.g. a void result, before callbacks are attached
    assert await to_asyncio_future(rf, asyncio.get_running_loop()) is None


async def test_cancelled_awaiter_does_not_break_the_io_thread(
    loop_errors: list[dict[str, Any]], fake_future: Any
) -> None:
    capture_loop_errors(loop_errors)
    rf = fake_future()
    future = to_asyncio_future(rf, asyncio.get_running_loop())
    task = asyncio.ensure_future(future)
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    rf.resolve_in_thread([(1,)], delay=0).join()  # must not raise InvalidStateError anywhere
    await asyncio.sleep(0.01)
    assert future.cancelled()
    assert loop_errors == []


async def test_cancelled_awaiter_then_error(
    loop_errors: list[dict[str, Any]], fake_future: Any
) -> None:
    capture_loop_errors(loop_errors)
    rf = fake_future()
    future = to_asyncio_future(rf, asyncio.get_running_loop())
    future.cancel()
    rf.fail_in_thread(RuntimeError("late"), delay=0).join()
    await asyncio.sleep(0.01)
    assert loop_errors == []


def test_callback_after_the_loop_closed_is_ignored(fake_future: Any) -> None:
    loop = asyncio.new_event_loop()
    rf = fake_future()
    to_asyncio_future(rf, loop)
    loop.close()
    rf.resolve([(1,)])  # called on the "I/O thread": must not raise
    rf2 = fake_future()
    loop2 = asyncio.new_event_loop()
    to_asyncio_future(rf2, loop2)
    loop2.close()
    rf2.fail(RuntimeError("x"))


async def test_many_concurrent_requests(fake_future: Any) -> None:
    loop = asyncio.get_running_loop()
    futures = [fake_future() for _ in range(200)]
    waiters = [to_asyncio_future(rf, loop) for rf in futures]
    threads = [rf.resolve_in_thread([(i,)], delay=0) for i, rf in enumerate(futures)]
    results = await asyncio.wait_for(asyncio.gather(*waiters), 10)
    for thread in threads:
        thread.join()
    assert results == [[(i,)] for i in range(200)]


# -- execute_async ---------------------------------------------------------------------------


async def test_execute_async_page(driver: CassandraDriver, session: Any) -> None:
    session.paging_state = b"more"
    page = await driver.execute_async(
        Statement("SELECT * FROM t WHERE id = ?", [1], fetch_size=2, paging_state=b"prev")
    )
    assert page.columns == ("id", "name")
    assert page.rows == [(1, "a"), (2, "b")]
    assert page.paging_state == b"more"
    query, kwargs = session.executed[0]
    assert query.fetch_size == 2
    assert kwargs["paging_state"] == b"prev"


async def test_execute_async_void(driver: CassandraDriver, session: Any) -> None:
    session.columns, session.rows = None, None
    page = await driver.execute_async(Statement("TRUNCATE t", prepare=False))
    assert page.columns == ()
    assert list(page.rows) == []
    assert page.paging_state is None


async def test_execute_async_error_is_wrapped(driver: CassandraDriver, session: Any) -> None:
    session.error = OperationTimedOut("Client request timeout")
    with pytest.raises(DriverError, match="OperationTimedOut") as info:
        await driver.execute_async(Statement("SELECT * FROM t", prepare=False, timeout=0.1))
    assert info.value.__cause__ is session.error
    assert session.executed[0][1]["timeout"] == 0.1


async def test_execute_async_batch(driver: CassandraDriver, session: Any) -> None:
    insert = "UPDATE c SET n = n + ? WHERE id = ?"
    batch = BatchStatement(
        [Statement(insert, [1, "a"]), Statement(insert, [2, "b"])],
        BatchType.COUNTER,
        consistency=Consistency.ONE,
    )
    await driver.execute_async(batch)
    query, _ = session.executed[0]
    assert isinstance(query, DriverBatch)
    assert session.prepared == [insert]


async def test_execute_async_empty_batch(driver: CassandraDriver, session: Any) -> None:
    page = await driver.execute_async(BatchStatement([]))
    assert page.rows == ()
    assert session.executed == []


async def test_cancelled_execute_async(
    driver: CassandraDriver, session: Any, loop_errors: list[dict[str, Any]]
) -> None:
    capture_loop_errors(loop_errors)
    session.auto_resolve = False
    task = asyncio.create_task(driver.execute_async(Statement("SELECT 1", prepare=False)))
    while not session.futures:
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    session.futures[0].resolve_in_thread([(1,)], delay=0).join()
    await asyncio.sleep(0.01)
    assert loop_errors == []


async def test_closed_driver_async(driver: CassandraDriver) -> None:
    await driver.close_async()
    with pytest.raises(ConfigurationError, match="closed"):
        await driver.execute_async(Statement("SELECT 1", prepare=False))


# -- async prepare ---------------------------------------------------------------------------


async def test_fake_sessions_prepare_on_a_thread(driver: CassandraDriver) -> None:
    assert driver.async_prepare == "thread"


def test_installed_client_supports_the_prepare_message_path() -> None:
    from coodie_driver_cassandra.prepare import from_message_params

    params = from_message_params()
    assert params is not None
    assert params[:3] == ("query_id", "column_metadata", "pk_indexes")


def test_unknown_prepare_internals_fall_back_to_a_thread(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cassandra.cluster import Session

    from coodie_driver_cassandra import driver as driver_module
    from coodie_driver_cassandra import prepare as prepare_module

    class FutureDriverVersion:
        @classmethod
        def from_message(cls, query_id: Any, something_new: Any) -> None:
            raise AssertionError("not called")

    monkeypatch.setattr(prepare_module, "PreparedStatement", FutureDriverVersion)
    assert prepare_module.from_message_params() is None

    class RealLookingSession(type(session), Session):  # type: ignore[misc]
        def __init__(self) -> None:
            type(session).__init__(self)

    assert driver_module.connect(session=RealLookingSession()).async_prepare == "thread"


async def test_concurrent_cold_prepares_share_one_request(
    driver: CassandraDriver, session: Any
) -> None:
    session.prepare_delay = 0.05
    cql = "SELECT * FROM t WHERE id = ?"
    pages = await asyncio.gather(*(driver.execute_async(Statement(cql, [i])) for i in range(20)))
    assert len(pages) == 20
    assert session.prepared == [cql]
    assert cql in driver.prepared_cache
    await driver.execute_async(Statement(cql, [1]))
    assert session.prepared == [cql]


async def test_failed_async_prepare_is_wrapped_and_not_cached(
    driver: CassandraDriver, session: Any
) -> None:
    session.prepare_error = RuntimeError("unconfigured table t")
    cql = "SELECT * FROM t WHERE id = ?"
    for _ in range(2):
        with pytest.raises(DriverError, match="unconfigured table"):
            await driver.execute_async(Statement(cql, [1]))
    assert session.prepared == [cql, cql]
    assert cql not in driver.prepared_cache


async def test_cancelled_waiter_does_not_cancel_a_shared_prepare(
    driver: CassandraDriver, session: Any
) -> None:
    session.prepare_delay = 0.05
    cql = "SELECT * FROM t WHERE id = ?"
    first = asyncio.create_task(driver.execute_async(Statement(cql, [1])))
    second = asyncio.create_task(driver.execute_async(Statement(cql, [2])))
    await asyncio.sleep(0.01)
    first.cancel()
    page = await second
    assert page.rows
    assert session.prepared == [cql]
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_async_uncached_prepare(driver: CassandraDriver, session: Any) -> None:
    cql = "SELECT * FROM t WHERE id IN (?, ?)"
    await driver.execute_async(Statement(cql, [1, "b"], prepare=False))
    assert session.prepared == [cql]
    assert cql not in driver.prepared_cache
