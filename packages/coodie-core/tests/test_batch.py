"""BatchQuery (sync ``with`` / aio ``async with``) and bounded-concurrency bulk writes."""

import asyncio
from typing import Any
from uuid import UUID, uuid4

import pytest

from coodie import connections
from coodie.drivers.statement import BatchStatement, BatchType, Consistency, Statement
from coodie.exceptions import ConditionalWriteFailed, InvalidQueryError
from coodie.testing import RecordingDriver
from coodie.testing.recording import UNSET

PID = UUID("11111111-2222-3333-4444-555555555555")
TS = 1_700_000_000_000_007  # a USING TIMESTAMP in microseconds


def only_batch(driver: RecordingDriver) -> BatchStatement:
    assert len(driver.statements) == 1
    batch = driver.statements[0]
    assert isinstance(batch, BatchStatement)
    return batch


async def test_batch_sends_one_batch_statement(api: Any, driver: RecordingDriver) -> None:
    m = api.m
    a = m.Product(id=PID, name="a")
    b = m.Product(id=uuid4(), name="b")
    c = m.Product(id=uuid4(), name="c", tags={"x"})
    async with api.batch() as batch:
        batch.save(a, ttl=10)
        batch.update(b, price=9.0)
        batch.delete(c)
        batch.delete_columns(c, "tags")
        assert driver.statements == []  # nothing is sent before the block ends
        assert b.price == 0.0  # nor mirrored
    sent = only_batch(driver)
    assert sent.batch_type is BatchType.LOGGED
    assert [s.cql for s in sent.statements] == [
        "INSERT INTO test.product (id, name, price, category, tags, description) "
        "VALUES (?, ?, ?, ?, ?, ?) USING TTL ?",
        "UPDATE test.product SET price = ? WHERE id = ?",
        "DELETE FROM test.product WHERE id = ?",
        "DELETE tags FROM test.product WHERE id = ?",
    ]
    assert list(sent.statements[0].values) == [PID, "a", 0.0, "misc", set(), UNSET, 10]
    assert list(sent.statements[1].values) == [9.0, b.id]
    assert b.price == 9.0  # mirrored after the batch was applied
    assert c.tags == set()
    assert driver.cql == [
        "LOGGED BATCH[" + "; ".join(s.cql for s in sent.statements) + "]",
    ]


async def test_batch_not_sent_on_exception(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="a")
    other = api.m.Product(id=uuid4(), name="b")  # a save and an update of one cell: refused
    with pytest.raises(ZeroDivisionError):  # noqa: PT012
        async with api.batch() as batch:
            batch.save(other)
            batch.update(doc, name="changed")
            1 / 0  # noqa: B018
    assert driver.statements == []
    assert doc.name == "a"


async def test_empty_batch_sends_nothing(api: Any, driver: RecordingDriver) -> None:
    async with api.batch("unlogged"):
        pass
    assert driver.statements == []


async def test_batch_options_and_explicit_execute(api: Any, driver: RecordingDriver) -> None:
    batch = api.module.BatchQuery(
        "unlogged", consistency=Consistency.QUORUM, serial_consistency=Consistency.SERIAL, timeout=3
    )
    batch.save(api.m.Product(id=PID, name="a"))
    batch.add(Statement("UPDATE x SET y = ? WHERE z = ?", [1, 2]))
    await api(batch.execute())
    sent = only_batch(driver)
    assert sent.batch_type is BatchType.UNLOGGED
    assert sent.consistency is Consistency.QUORUM
    assert sent.serial_consistency is Consistency.SERIAL
    assert sent.timeout == 3
    assert [s.cql for s in sent.statements][1] == "UPDATE x SET y = ? WHERE z = ?"
    assert batch.statements == []  # cleared after sending
    await api(batch.execute())  # nothing queued: nothing sent
    assert len(driver.statements) == 1


async def test_batch_of_only_hand_written_statements(api: Any, driver: RecordingDriver) -> None:
    async with api.batch() as batch:
        batch.add(Statement("DELETE FROM t WHERE k = ?", [1]))
    assert only_batch(driver).statements[0].cql == "DELETE FROM t WHERE k = ?"


async def test_lwt_in_batch_applied(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="a")
    driver.queue_rows(["[applied]"], [(True,)])
    async with api.batch() as batch:
        batch.insert(doc)
        batch.update(doc, description="b", if_exists=True)  # a cell the insert leaves unset
    sent = only_batch(driver)
    assert sent.statements[0].cql.endswith(" IF NOT EXISTS")
    assert sent.statements[1].cql.endswith(" IF EXISTS")
    assert doc.description == "b"


async def test_lwt_failure_in_batch_raises(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="a", price=1.0)
    driver.queue_rows(["[applied]", "id", "price"], [(False, PID, 5.0)])
    with pytest.raises(ConditionalWriteFailed, match="batch was not applied") as info:
        async with api.batch() as batch:
            batch.update(doc, price=2.0, if_conditions={"price": 1.0})
    assert info.value.existing == {"id": PID, "price": 5.0}
    assert doc.price == 1.0  # not mirrored
    only_batch(driver)


async def test_counter_batch(api: Any, driver: RecordingDriver) -> None:
    home = api.m.PageView(page="home")
    about = api.m.PageView(page="about", views=10)
    async with api.batch(BatchType.COUNTER) as batch:
        batch.increment(home, views=1)
        batch.increment(about, views=2, clicks=1)
    sent = only_batch(driver)
    assert sent.batch_type is BatchType.COUNTER
    assert [list(s.values) for s in sent.statements] == [[1, "home"], [2, 1, "about"]]
    assert home.views == 1
    assert (about.views, about.clicks) == (12, 1)


async def test_counter_and_regular_writes_do_not_mix(api: Any, driver: RecordingDriver) -> None:
    with pytest.raises(InvalidQueryError, match="Counter updates need a counter batch"):
        async with api.batch() as batch:
            batch.increment(api.m.PageView(page="p"), views=1)
    with pytest.raises(InvalidQueryError, match="counter batch can only hold counter updates"):
        async with api.batch("COUNTER") as batch:
            batch.delete(api.m.Product(id=PID, name="x"))
    assert driver.statements == []


async def test_batch_rejects_two_connections(api: Any, driver: RecordingDriver) -> None:
    other = RecordingDriver()
    connections.register_driver(other, "other")
    try:
        with pytest.raises(  # noqa: PT012
            InvalidQueryError, match="only hold statements for one connection"
        ):
            async with api.batch() as batch:
                batch.save(api.m.Product(id=PID, name="a"))
                batch.save(_ROW_MODELS[api.name + "_other"](id=1))
    finally:
        connections.unregister_driver("other")
    assert driver.statements == []
    assert other.statements == []


async def test_settings_connection_routes_to_its_driver(api: Any, driver: RecordingDriver) -> None:
    other = RecordingDriver()
    connections.register_driver(other, "other")
    try:
        model = _ROW_MODELS[api.name + "_other"]
        await api(model(id=5).save())
        other.queue_rows(["id"], [(5,)])
        assert await api(model.get(id=5)) == model(id=5)
    finally:
        connections.unregister_driver("other")
    assert driver.statements == []
    assert [list(s.values) for s in other.statements] == [[5], [5]]  # type: ignore[union-attr]


# -- insert_many concurrency (aio) ---------------------------------------------------------


class SlowDriver(RecordingDriver):
    """Each execute_async waits for a gate; tracks how many requests are in flight."""

    def __init__(self, fail_at: int | None = None) -> None:
        super().__init__()
        self.in_flight = 0
        self.max_in_flight = 0
        self.started = 0
        self.fail_at = fail_at
        self.cancelled = 0

    async def execute_async(self, statement: Any) -> Any:
        self.started += 1
        number = self.started
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.001 if number != self.fail_at else 0)
            if number == self.fail_at:
                raise RuntimeError(f"request {number} failed")
            return self.execute(statement)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1


@pytest.fixture
def slow() -> Any:
    previous = connections.unregister_driver()
    driver = SlowDriver()
    connections.register_driver(driver)
    yield driver
    connections.unregister_driver()
    if previous is not None:
        connections.register_driver(previous)


async def test_aio_insert_many_bounds_concurrency(slow: SlowDriver) -> None:
    model = _row_model()
    docs = [model(id=i) for i in range(40)]
    assert await model.insert_many(docs, concurrency=4) == 40
    assert slow.max_in_flight == 4
    assert sorted(s.values[0] for s in slow.statements) == list(range(40))  # type: ignore[union-attr]


async def test_aio_insert_many_concurrency_one_is_sequential(slow: SlowDriver) -> None:
    model = _row_model()
    assert await model.insert_many((model(id=i) for i in range(5)), concurrency=1) == 5
    assert slow.max_in_flight == 1
    assert [s.values[0] for s in slow.statements] == [0, 1, 2, 3, 4]  # type: ignore[union-attr]


async def test_aio_insert_many_error_cancels_the_rest(slow: SlowDriver) -> None:
    model = _row_model()
    slow.fail_at = 3
    docs = [model(id=i) for i in range(50)]
    with pytest.raises(RuntimeError, match="request 3 failed"):
        await model.insert_many(docs, concurrency=4)
    assert slow.in_flight == 0  # nothing left running
    assert slow.cancelled >= 1  # the requests in flight were cancelled
    assert slow.started < 50  # and the remaining documents never sent


async def test_aio_insert_many_validation_error_propagates(slow: SlowDriver) -> None:
    model = _row_model()
    bad = model(id=1)
    bad.id = None  # type: ignore[assignment]
    docs = [model(id=0), bad, *(model(id=i) for i in range(2, 30))]
    with pytest.raises(InvalidQueryError, match="primary key column 'id' is None"):
        await model.insert_many(docs, concurrency=2)
    assert slow.in_flight == 0
    assert slow.started < 30


def _row_model() -> Any:
    return _ROW_MODELS["aio"]


def _make_row_models() -> dict[str, Any]:
    from typing import Annotated

    import coodie.aio
    import coodie.sync
    from coodie.fields import PrimaryKey

    class AioRow(coodie.aio.Document):
        id: Annotated[int, PrimaryKey()]

    class SyncRow(coodie.sync.Document):
        id: Annotated[int, PrimaryKey()]

    class AioOther(coodie.aio.Document):
        id: Annotated[int, PrimaryKey()]

        class Settings:
            connection = "other"

    class SyncOther(coodie.sync.Document):
        id: Annotated[int, PrimaryKey()]

        class Settings:
            connection = "other"

    return {"aio": AioRow, "sync": SyncRow, "aio_other": AioOther, "sync_other": SyncOther}


_ROW_MODELS = _make_row_models()


def test_sync_insert_many_defaults_to_sequential_execution(driver: RecordingDriver) -> None:
    model = _ROW_MODELS["sync"]
    assert model.insert_many((model(id=i) for i in range(3)), concurrency=8) == 3
    assert [s.values[0] for s in driver.statements] == [0, 1, 2]  # type: ignore[union-attr]


class ManyDriver(RecordingDriver):
    """Records what execute_many was given."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[list[Any], int]] = []

    def execute_many(self, statements: Any, concurrency: int) -> int:
        taken = list(statements)
        self.calls.append((taken, concurrency))
        return len(taken)

    async def execute_many_async(self, statements: Any, concurrency: int) -> int:
        return self.execute_many(statements, concurrency) + 1000  # tells the hooks apart


def test_sync_insert_many_hands_the_statements_to_execute_many() -> None:
    previous = connections.unregister_driver()
    driver = connections.register_driver(ManyDriver())
    try:
        model = _ROW_MODELS["sync"]
        assert model.insert_many([model(id=i) for i in range(5)], ttl=9, concurrency=3) == 5
        ((statements, concurrency),) = driver.calls
        assert concurrency == 3
        assert [list(s.values) for s in statements] == [[i, 9] for i in range(5)]
        assert {s.cql for s in statements} == {
            "INSERT INTO test.sync_row (id) VALUES (?) USING TTL ?"
        }
    finally:
        connections.unregister_driver()
        if previous is not None:
            connections.register_driver(previous)


async def test_aio_insert_many_hands_the_statements_to_execute_many_async() -> None:
    previous = connections.unregister_driver()
    driver = connections.register_driver(ManyDriver())
    try:
        model = _ROW_MODELS["aio"]
        docs = (model(id=i) for i in range(4))
        assert await model.insert_many(docs, timestamp=TS, concurrency=2) == 1004
        ((statements, concurrency),) = driver.calls
        assert concurrency == 2
        assert [list(s.values) for s in statements] == [[i, TS] for i in range(4)]
        assert driver.statements == []  # nothing went through execute / execute_async
    finally:
        connections.unregister_driver()
        if previous is not None:
            connections.register_driver(previous)


@pytest.mark.parametrize("concurrency", [0, -1, 2.5, "8", True])
async def test_aio_insert_many_refuses_bad_concurrency_before_sending(
    driver: RecordingDriver, concurrency: Any
) -> None:
    model = _ROW_MODELS["aio"]
    with pytest.raises(InvalidQueryError, match="must be a positive int"):
        await model.insert_many([model(id=1)], concurrency=concurrency)
    assert driver.statements == []


@pytest.mark.parametrize("concurrency", [0, -1, 2.5, "8", True])
def test_sync_insert_many_refuses_bad_concurrency_before_sending(
    driver: RecordingDriver, concurrency: Any
) -> None:
    model = _ROW_MODELS["sync"]
    with pytest.raises(InvalidQueryError, match="must be a positive int"):
        model.insert_many([model(id=1)], concurrency=concurrency)
    assert driver.statements == []


def test_sync_insert_many_stops_at_a_document_that_cannot_be_written(
    driver: RecordingDriver,
) -> None:
    model = _ROW_MODELS["sync"]
    bad = model(id=1)
    bad.id = None  # type: ignore[assignment]
    # A lazy iterable is checked as it is read: what came before the bad document is sent.
    with pytest.raises(InvalidQueryError, match="primary key column 'id' is None"):
        model.insert_many(iter([model(id=0), bad, model(id=2)]))
    assert [s.values[0] for s in driver.statements] == [0]  # type: ignore[union-attr]
    # A list is checked whole first: nothing is sent (issue 10).
    driver.reset()
    with pytest.raises(InvalidQueryError, match="primary key column 'id' is None"):
        model.insert_many([model(id=0), bad, model(id=2)])
    assert driver.statements == []
