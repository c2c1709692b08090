"""coodie.sync and coodie.aio behave the same: one scenario, run through each API against a
RecordingDriver answering with the same pages, sends the same statements (CQL, values,
options) and gives the same results (or raises the same error).

test_parity.py compares signatures; this compares what the calls do.
"""

import datetime as dt
import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from uuid import UUID

import pytest
from pydantic import BaseModel, Field

import coodie.aio
import coodie.sync
from coodie import connections
from coodie.api.queryset import Page
from coodie.drivers.statement import BatchStatement, ResultPage, Statement
from coodie.fields import ClusteringKey, Counter, Indexed, PrimaryKey
from coodie.testing import RecordingDriver

PID = UUID("11111111-2222-3333-4444-555555555555")
PID2 = UUID("22222222-2222-3333-4444-555555555555")
PID3 = UUID("33333333-2222-3333-4444-555555555555")
ITEM_COLS = ["id", "name", "price", "category", "tags", "note"]
EVENT_COLS = ["stream", "at", "kind", "size"]
AT = dt.datetime(2024, 3, 1, 10, 30)


class ItemFields(BaseModel):
    id: Annotated[UUID, PrimaryKey()]
    name: str
    price: float = 0.0
    category: Annotated[str, Indexed()] = "misc"
    tags: set[str] = Field(default_factory=set)
    note: str | None = None


class EventFields(BaseModel):
    stream: Annotated[str, PrimaryKey()]
    at: Annotated[dt.datetime, ClusteringKey(order="DESC")]
    kind: str = "x"
    size: int = 0


class HitsFields(BaseModel):
    page: Annotated[str, PrimaryKey()]
    hits: Annotated[int, Counter()] = 0


def _models(base: Any) -> dict[str, Any]:
    class ParityItem(ItemFields, base):
        pass

    class ParityEvent(EventFields, base):
        pass

    class ParityHits(HitsFields, base):
        pass

    return {"Item": ParityItem, "Event": ParityEvent, "Hits": ParityHits}


MODELS = {"sync": _models(coodie.sync.Document), "aio": _models(coodie.aio.Document)}


class Side:
    """One API as a scenario sees it: its module, its models, and how to get a result."""

    def __init__(self, name: str, driver: RecordingDriver) -> None:
        self.name = name
        self.module: Any = coodie.aio if name == "aio" else coodie.sync
        self.m = MODELS[name]
        self.driver = driver

    async def __call__(self, value: Any) -> Any:
        if self.name == "aio":
            assert inspect.isawaitable(value), f"aio returned {value!r}"
            return await value
        assert not inspect.isawaitable(value)
        return value

    async def iterate(self, queryset: Any) -> list[Any]:
        if self.name == "aio":
            return [row async for row in queryset]
        return list(iter(queryset))

    async def batch(self, body: Callable[[Any], None], *args: Any) -> None:
        batch = self.module.BatchQuery(*args)
        if self.name == "aio":
            async with batch as entered:
                body(entered)
        else:
            with batch as entered:
                body(entered)


Scenario = Callable[[Side], Awaitable[Any]]


def item_row(**changes: Any) -> tuple[Any, ...]:
    row = {"id": PID, "name": "pen", "price": 1.5, "category": "office", "tags": ["b"]}
    row |= {"note": None, **changes}
    return tuple(row[c] for c in ITEM_COLS)


def event_rows(count: int) -> list[tuple[Any, ...]]:
    return [("s", AT + dt.timedelta(minutes=i), "k", i) for i in range(count)]


APPLIED = ResultPage(["[applied]"], [(True,)])
NOT_APPLIED = ResultPage(["[applied]", *ITEM_COLS], [(False, *item_row(name="old"))])


async def schema(side: Side) -> Any:
    side.driver.queue(ResultPage(["column_name", "kind", "position", "type"], []))
    created = await side(side.m["Item"].sync_table())
    await side(side.m["Event"].drop_table())
    return created


async def writes(side: Side) -> Any:
    item = side.m["Item"](id=PID, name="pen", tags={"a"})
    await side(item.save(ttl=60, timestamp=AT))
    side.driver.queue(APPLIED)
    await side(item.insert())
    await side(item.update(price=2.0, tags__add={"b"}))
    side.driver.queue(APPLIED)
    await side(item.update({"note": "n"}, if_exists=True, ttl=5))
    await side(item.delete_columns("note"))
    await side(item.delete(timestamp=AT))
    side.driver.queue(APPLIED)
    await side(item.delete(if_conditions={"price": 2.0}))
    await side(side.m["Hits"](page="/").increment(hits=3))
    return item


async def not_applied(side: Side) -> Any:
    item = side.m["Item"](id=PID, name="new")
    side.driver.queue(NOT_APPLIED)
    await side(item.insert())


async def lwt_update_not_applied(side: Side) -> Any:
    item = side.m["Item"](id=PID, name="new")
    side.driver.queue(NOT_APPLIED)
    await side(item.update(name="newer", if_conditions={"name": "new"}))


async def reads(side: Side) -> Any:
    Item, Event = side.m["Item"], side.m["Event"]
    driver = side.driver
    driver.queue_rows(ITEM_COLS, [item_row()])
    got = await side(Item.get(id=PID))
    driver.queue_rows(ITEM_COLS, [item_row(name="other")])
    await side(got.refresh())
    driver.queue_rows(ITEM_COLS, [item_row()])
    one = await side(Item.find_one(id=PID))
    none = await side(Item.find_one(id=PID))
    query = Event.find(stream="s").order_by("at").limit(10).fetch_size(2).consistency("ONE")
    driver.queue_rows(EVENT_COLS, event_rows(2), b"p1").queue_rows(EVENT_COLS, event_rows(1))
    everything = await side(query.all())
    driver.queue_rows(EVENT_COLS, event_rows(2), b"p1").queue_rows(EVENT_COLS, event_rows(3))
    streamed = await side.iterate(query)
    driver.queue_rows(EVENT_COLS, event_rows(2), b"p1")
    first = await side(query.first())
    driver.queue_rows(["count"], [(7,)])
    counted = await side(Event.find(stream="s").count())
    driver.queue_rows(EVENT_COLS, event_rows(2), b"next")
    page = await side(Event.find(stream="s").page(paging_state=b"prev", page_size=2))
    driver.queue_rows(["kind", "size"], [("k", 1), ("j", 2)])
    tuples = await side(Event.find(stream="s").values_list("kind", "size").all())
    driver.queue_rows(["size"], [(1,), (2,)])
    flat = await side.iterate(Event.find(stream="s").values_list("size", flat=True))
    driver.queue_rows(["kind"], [("k",)])
    dicts = await side(Event.find(stream="s").values("kind").first())
    driver.queue_rows(["stream"], [("s",), ("t",)])
    distinct = await side(Event.find().values_list("stream", flat=True).distinct().all())
    return [got, one, none, everything, streamed, first, counted, page, tuples, flat, dicts,
            distinct]  # fmt: skip


async def get_missing(side: Side) -> Any:
    await side(side.m["Item"].get(id=PID))


async def query_writes(side: Side) -> Any:
    Event = side.m["Event"]
    await side(Event.find(stream="s").delete())
    await side(Event.find(stream="s", at=AT).update(size=3, kind="y"))
    side.driver.queue(ResultPage(["[applied]", "size"], [(False, 9)]))
    await side(Event.find(stream="s", at=AT).update(size=4, if_conditions={"size": 3}))


async def bulk(side: Side) -> Any:
    Event = side.m["Event"]
    docs = [Event(stream="s", at=AT + dt.timedelta(seconds=i), size=i) for i in range(6)]
    one_by_one = await side(Event.insert_many(docs, ttl=9, concurrency=1))
    pooled = await side(Event.insert_many(iter(docs[:3]), concurrency=4))
    nothing = await side(Event.insert_many([]))
    return [one_by_one, pooled, nothing]


async def bad_concurrency(side: Side) -> Any:
    Event = side.m["Event"]
    await side(Event.insert_many([Event(stream="s", at=AT)], concurrency=0))


async def batches(side: Side) -> Any:
    Item = side.m["Item"]

    def body(batch: Any) -> None:
        # three rows: two writes of one cell in a batch are refused
        batch.save(Item(id=PID, name="a"), ttl=3)
        batch.update(Item(id=PID2, name="a"), price=1.0)
        batch.delete(Item(id=PID3, name="a"))

    await side.batch(body, "unlogged")
    await side.batch(lambda batch: None)  # nothing queued: nothing sent
    await side.batch(lambda batch: batch.increment(side.m["Hits"](page="/"), hits=1), "counter")


async def module_functions(side: Side) -> Any:
    await side(side.module.create_keyspace("ks", replication_factor=3, durable_writes=False))
    await side(side.module.create_keyspace("ks2", strategy="NetworkTopologyStrategy",
                                           datacenters={"dc1": 2}))  # fmt: skip
    await side(side.module.drop_keyspace("ks"))
    side.driver.queue_rows(["now"], [(1,)])
    return await side(side.module.execute(Statement("SELECT now() FROM t WHERE k = ?", [1])))


SCENARIOS: dict[str, Scenario] = {
    fn.__name__: fn
    for fn in (
        schema,
        writes,
        not_applied,
        lwt_update_not_applied,
        reads,
        get_missing,
        query_writes,
        bulk,
        bad_concurrency,
        batches,
        module_functions,
    )
}


#: The scenarios that end in an error (the same one through both APIs).
RAISING = {not_applied, lwt_update_not_applied, get_missing, query_writes, bad_concurrency}


def describe_statement(statement: Statement | BatchStatement) -> tuple[Any, ...]:
    if isinstance(statement, BatchStatement):
        children = tuple(describe_statement(s) for s in statement.statements)
        options = (statement.consistency, statement.serial_consistency, statement.timeout)
        return ("BATCH", statement.batch_type, options, children)
    return (
        statement.cql,
        tuple(statement.values),
        statement.consistency,
        statement.serial_consistency,
        statement.timeout,
        statement.fetch_size,
        statement.paging_state,
        statement.idempotent,
        statement.prepare,
        statement.unset_free,
    )


def normalise(value: Any) -> Any:
    """Results in a form that compares across the APIs (their model classes differ)."""
    if isinstance(value, BaseModel):
        return (type(value).__name__, value.model_dump(), sorted(value.model_fields_set))
    if isinstance(value, Page):
        return ("Page", normalise(value.items), value.paging_state)
    if isinstance(value, ResultPage):
        return ("ResultPage", tuple(value.columns), [tuple(r) for r in value.rows])
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    if isinstance(value, BaseException):
        return (type(value).__name__, str(value))
    return value


async def run(name: str, scenario: Scenario) -> tuple[Any, list[tuple[Any, ...]]]:
    previous = connections.unregister_driver()
    driver = RecordingDriver()
    connections.register_driver(driver)
    try:
        try:
            outcome = normalise(await scenario(Side(name, driver)))
        except Exception as error:
            outcome = ("raised", normalise(error))
        return outcome, [describe_statement(s) for s in driver.statements]
    finally:
        connections.unregister_driver()
        if previous is not None:
            connections.register_driver(previous)


@pytest.fixture(params=sorted(SCENARIOS))
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return SCENARIOS[request.param]


async def test_sync_and_aio_send_the_same_statements_and_give_the_same_results(
    scenario: Scenario,
) -> None:
    sync_outcome, sync_statements = await run("sync", scenario)
    aio_outcome, aio_statements = await run("aio", scenario)
    raised = isinstance(sync_outcome, tuple) and sync_outcome[0] == "raised"
    assert raised == (scenario in RAISING), sync_outcome  # no scenario passes by failing early
    assert sync_statements or scenario is bad_concurrency
    assert sync_statements == aio_statements
    assert sync_outcome == aio_outcome


def test_the_comparison_can_fail() -> None:
    # The statement description sees options and values, not only the CQL text.
    a = Statement("SELECT 1", [1])
    assert describe_statement(a) != describe_statement(Statement("SELECT 1", [2]))
    assert describe_statement(a) != describe_statement(Statement("SELECT 1", [1], timeout=1.0))
    assert describe_statement(a) != describe_statement(Statement("SELECT 1", [1], fetch_size=5))
    assert normalise(ValueError("a")) != normalise(ValueError("b"))
