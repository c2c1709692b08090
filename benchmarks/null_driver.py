"""coodie's own overhead per operation, against a driver that does no I/O.

Runs coodie.sync and coodie.aio against ``coodie.testing.RecordingDriver(record=False)``
whose responder hands back pre-built result pages (a null round trip), and prints the cost
per operation in µs beside a floor: the same work done by hand with a plain
``@dataclass(slots=True)``.

    uv run python benchmarks/null_driver.py [--rounds N] [--min-time S] [--json PATH]

See benchmarks/README.md for what each operation measures.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import inspect
import json
import os
import platform
import queue
import statistics
import sys
import threading
import time
import uuid
from collections import namedtuple
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from itertools import repeat
from typing import Annotated, Any

import pydantic
import vector_rows

import coodie.aio
import coodie.sync
from coodie import connections
from coodie.drivers import BatchStatement, ResultPage, Statement
from coodie.drivers.statement import bound
from coodie.fields import BigInt, Indexed, PrimaryKey
from coodie.testing import RecordingDriver
from coodie.testing.recording import UNSET

QUERY_ROWS = 1_000
#: The figure reported per cell: the fastest round, as timeit recommends for CPU-bound code
#: (slower rounds measure whatever else the machine was doing); the median is kept as well.
STAT = "min_us"
#: operation -> target for coodie.sync in µs (per row for "query").
TARGETS_US = {"save": 1.0, "get": 2.5, "query": 1.0, "update": 1.5, "delete": 1.0}
LABELS = {
    "save": "save (built instance)",
    "get": "get by primary key",
    "query": f"query, per row ({QUERY_ROWS:,} rows)",
    "values": "same, as tuples (values_list), per row",
    "scalar_col": f"query key, kind, text column, per row ({QUERY_ROWS:,})",
    "udt_col": "same with a UDT column (3 fields) for the text",
    "flat_col": "same with the UDT's 3 fields as 3 columns",
    "update": "update two columns",
    "delete": "delete by key",
    "roundtrip": "null round trip (driver only)",
    "vector_base": f"query, per row ({vector_rows.PAGE_ROWS} rows)",
    "vector": f"same + vector<float, {vector_rows.DIMENSION}> as list, per row",
    "vector_bytes": "same, vector as bytes (acsylla), per row",
}
PER_CALL = {
    "query": QUERY_ROWS,
    "values": QUERY_ROWS,
    "scalar_col": QUERY_ROWS,
    "udt_col": QUERY_ROWS,
    "flat_col": QUERY_ROWS,
    "vector_base": vector_rows.PAGE_ROWS,
    "vector": vector_rows.PAGE_ROWS,
    "vector_bytes": vector_rows.PAGE_ROWS,
}
#: A row with a vector or UDT column may cost coodie at most this many times (sync minus the
#: hand-written floor) the row it is compared with (issue 11).
VECTOR_LIMIT = 2.0

# -- the model -------------------------------------------------------------------------------


def make_model(base: type[Any]) -> type[Any]:
    """The same 9-column table on coodie.sync.Document or coodie.aio.Document."""

    class Product(base):  # type: ignore[misc, valid-type]
        id: Annotated[uuid.UUID, PrimaryKey()]
        name: str
        category: Annotated[str, Indexed()]
        price: float
        views: Annotated[int, BigInt()] = 0
        tags: list[str] = []
        labels: set[str] = set()
        created_at: dt.datetime
        note: str | None = None

        class Settings:
            name = "bench_product"
            keyspace = "bench"

    return Product


SyncProduct = make_model(coodie.sync.Document)
AioProduct = make_model(coodie.aio.Document)


class BenchAddress(coodie.sync.UserType):
    street: str
    city: str
    zip: int


def make_column_models(base: type[Any]) -> tuple[type[Any], type[Any], type[Any]]:
    """Beside the key: a text column, a user-defined type (issue 11 asks a UDT column to cost
    at most twice a scalar one), and the UDT's three fields as three columns of their own."""

    class Located(base):  # type: ignore[misc, valid-type]
        id: Annotated[uuid.UUID, PrimaryKey()]
        kind: Annotated[str, Indexed()]
        city: str

        class Settings:
            keyspace = "bench"

    class Addressed(base):  # type: ignore[misc, valid-type]
        id: Annotated[uuid.UUID, PrimaryKey()]
        kind: Annotated[str, Indexed()]
        address: BenchAddress

        class Settings:
            keyspace = "bench"

    class Spread(base):  # type: ignore[misc, valid-type]
        id: Annotated[uuid.UUID, PrimaryKey()]
        kind: Annotated[str, Indexed()]
        street: str
        city: str
        zip: int

        class Settings:
            keyspace = "bench"

    return Located, Addressed, Spread


SyncLocated, SyncAddressed, SyncSpread = make_column_models(coodie.sync.Document)
AioLocated, AioAddressed, _ = make_column_models(coodie.aio.Document)
#: cassandra-driver hands a UDT over as a named tuple (acsylla as a dict).
AddressRow = namedtuple("AddressRow", "street city zip")
SCALAR_ROWS = ResultPage(
    ("id", "kind", "city"),
    [(uuid.UUID(int=i), "home", f"city {i}") for i in range(QUERY_ROWS)],
)
UDT_ROWS = ResultPage(
    ("id", "kind", "address"),
    [
        (uuid.UUID(int=i), "home", AddressRow(f"{i} Main St", f"city {i}", i))
        for i in range(QUERY_ROWS)
    ],
)
FLAT_ROWS = ResultPage(
    ("id", "kind", "street", "city", "zip"),
    [(uuid.UUID(int=i), "home", f"{i} Main St", f"city {i}", i) for i in range(QUERY_ROWS)],
)


@dataclass(slots=True)
class PlainLocated:
    """The floor of the text-column row."""

    id: uuid.UUID
    kind: str
    city: str


@dataclass(slots=True)
class PlainSpread:
    """The floor of the row with the UDT's fields as columns."""

    id: uuid.UUID
    kind: str
    street: str
    city: str
    zip: int


@dataclass(slots=True)
class PlainAddress:
    """The floor's UDT value: what hand-written code would map a named tuple to."""

    street: str
    city: str
    zip: int


@dataclass(slots=True)
class PlainAddressed:
    """The floor of the UDT-column row."""

    id: uuid.UUID
    kind: str
    address: PlainAddress


@dataclass(slots=True)
class PlainProduct:
    """The floor: what hand-written code would map rows to."""

    id: uuid.UUID
    name: str
    category: str
    price: float
    views: int
    tags: list[str]
    labels: set[str]
    created_at: dt.datetime
    note: str | None


# -- data and the null driver ----------------------------------------------------------------

KEY = uuid.UUID("6f1c9b9e-3c1a-4f25-9a53-0c2a54b1e001")
CREATED = dt.datetime(2026, 11, 26, 12, 0, 0, tzinfo=dt.timezone.utc)
FIELDS = {
    "id": KEY,
    "name": "espresso machine",
    "category": "kitchen",
    "price": 249.5,
    "views": 1_234_567,
    "tags": ["coffee", "steel"],
    "labels": {"new", "sale"},
    "created_at": CREATED,
    "note": None,
}
COLUMNS = tuple(FIELDS)


def raw_row(i: int) -> tuple[Any, ...]:
    """A row as a driver hands it over: tuple in column order, a set column as a list."""
    return (
        uuid.UUID(int=KEY.int + i),
        f"product {i}",
        "kitchen",
        1.5 * i,
        i,
        ["coffee", f"t{i % 7}"],
        ["new", f"l{i % 5}"],  # set<text> arrives as a list-like; the decoder makes a set
        CREATED,
        None if i % 2 else f"note {i}",
    )


ONE_ROW = ResultPage(COLUMNS, [raw_row(0)])
MANY_ROWS = ResultPage(COLUMNS, [raw_row(i) for i in range(QUERY_ROWS)])


def install_driver() -> tuple[RecordingDriver, dict[str, str]]:
    """Register the null driver and return it with the CQL of each statement shape."""
    pages: dict[str, ResultPage] = {}
    driver = RecordingDriver(
        keyspace="bench",
        record=False,
        responder=lambda statement: pages.get(getattr(statement, "cql", "")),
    )
    connections.register_driver(driver)
    mapper = SyncProduct._mapper()
    cql = {
        "save": mapper.writes.cql_save,
        "get": mapper.reads.cql_get,
        "query": mapper.reads.select_statement(SyncProduct.find(category="kitchen").state).cql,
    }
    doc = SyncProduct(**FIELDS)
    cql["update"] = mapper.updates.update_write(
        doc, None, {"name": "x", "price": 1.0}
    ).statement.cql
    cql["delete"] = mapper.writes.delete_write(doc).statement.cql
    pages[cql["get"]] = ONE_ROW
    pages[cql["query"]] = MANY_ROWS
    for model, filters, page in (
        (SyncLocated, {"kind": "home"}, SCALAR_ROWS),
        (SyncAddressed, {"kind": "home"}, UDT_ROWS),
        (SyncSpread, {"kind": "home"}, FLAT_ROWS),
    ):
        pages[model._mapper().reads.select_statement(model.find(**filters).state).cql] = page
    return driver, cql


class BridgedDriver(RecordingDriver):
    """The recording driver with a real cross-thread asyncio bridge.

    ``execute_async`` hands the statement to a worker thread, which answers it and completes
    the caller's future with ``loop.call_soon_threadsafe``: the path a cassandra-driver
    request takes (its I/O thread resolves a ``ResponseFuture``, a callback posts the result
    to the event loop). Timing it beside the plain aio column shows what the bridge costs.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._worker = threading.Thread(target=self._serve, name="bench-bridge", daemon=True)
        self._worker.start()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            loop, future, statement = job
            loop.call_soon_threadsafe(_complete, future, self.execute(statement))

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._jobs.put((loop, future, statement))
        return await future  # type: ignore[no-any-return]

    def close(self) -> None:
        self._jobs.put(None)
        self._worker.join()
        super().close()


def _complete(future: asyncio.Future[Any], page: ResultPage) -> None:
    if not future.done():
        future.set_result(page)


def install_bridged(driver: RecordingDriver) -> BridgedDriver:
    """Replace the registered null driver by a bridged one answering the same pages."""
    bridged = BridgedDriver(keyspace="bench", record=False, responder=driver.responder)
    connections.register_driver(bridged)
    return bridged


# -- timing ----------------------------------------------------------------------------------

Timer = Callable[[int], int]  # runs an operation n times, returns elapsed ns
AsyncTimer = Callable[[int], Awaitable[int]]


def summarise(samples_ns: list[int], number: int, per_call: int) -> dict[str, Any]:
    per_op = [s / number / per_call / 1000 for s in samples_ns]
    return {
        "median_us": statistics.median(per_op),
        "min_us": min(per_op),
        "rounds_us": per_op,
        "number": number,
    }


class Settings:
    """How to time: rounds per cell, minimum seconds per round, and whether the cyclic
    garbage collector runs during timed rounds (timeit switches it off; a service keeps it)."""

    def __init__(self, rounds: int, min_time: float, keep_gc: bool) -> None:
        self.rounds = rounds
        self.min_time = min_time
        self.keep_gc = keep_gc


Cell = tuple[str, str]  # (operation, column)


async def measure_interleaved(
    timers: dict[Cell, Timer | AsyncTimer], how: Settings
) -> dict[Cell, dict[str, Any]]:
    """Time every cell, one round of each in turn, ``how.rounds`` times.

    Interleaving spreads each cell's rounds over the whole run, so a burst of load on the
    host slows some rounds of every cell instead of all rounds of a few cells.
    """

    async def once(timer: Timer | AsyncTimer, n: int) -> int:
        result = timer(n)
        return await result if inspect.isawaitable(result) else result  # type: ignore[return-value]

    numbers: dict[Cell, int] = {}
    for cell, timer in timers.items():
        number = 1
        while await once(timer, number) < how.min_time * 1e9:
            number *= 2
        numbers[cell] = number
    samples: dict[Cell, list[int]] = {cell: [] for cell in timers}
    for _ in range(how.rounds):
        for cell, timer in timers.items():
            gc.collect()
            if not how.keep_gc:
                gc.disable()
            try:
                samples[cell].append(await once(timer, numbers[cell]))
            finally:
                gc.enable()
    return {
        cell: summarise(samples[cell], numbers[cell], PER_CALL.get(cell[0], 1)) for cell in timers
    }


# -- the operations ----------------------------------------------------------------------------


def floor_timers(cql: dict[str, str]) -> dict[str, Timer]:
    """Hand-written equivalents: statement tuples and a slots dataclass."""
    plain = PlainProduct(**FIELDS)
    save_cql, get_cql, query_cql = cql["save"], cql["get"], cql["query"]
    update_cql, delete_cql = cql["update"], cql["delete"]
    one, many = ONE_ROW.rows, MANY_ROWS.rows
    sink: list[Any] = []  # keeps the last result of each loop, so nothing is optimised away

    def save(n: int) -> int:
        p = plain
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            note = p.note
            statement = (
                save_cql,
                [
                    p.id,
                    p.name,
                    p.category,
                    p.price,
                    p.views,
                    p.tags,
                    p.labels,
                    p.created_at,
                    UNSET if note is None else note,
                ],
            )
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [statement]
        return elapsed

    def get(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            statement = (get_cql, [KEY])
            i, na, c, pr, v, t, la, cr, no = one[0]
            doc = PlainProduct(i, na, c, pr, v, t, set(la), cr, no)
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [statement, doc]
        return elapsed

    def query(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            statement = (query_cql, ["kitchen"])
            docs = [
                PlainProduct(i, na, c, pr, v, t, set(la), cr, no)
                for i, na, c, pr, v, t, la, cr, no in many
            ]
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [statement, docs]
        return elapsed

    def values(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            statement = (query_cql, ["kitchen"])
            rows = [
                (i, na, c, pr, v, t, set(la), cr, no) for i, na, c, pr, v, t, la, cr, no in many
            ]
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [statement, rows]
        return elapsed

    def update(n: int) -> int:
        p = plain
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            name, price = "renamed", 9.5
            statement = (update_cql, [name, price, p.id])
            p.name = name
            p.price = price
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [statement]
        return elapsed

    def delete(n: int) -> int:
        p = plain
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            statement = (delete_cql, [p.id])
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [statement]
        return elapsed

    located, addressed, spread = SCALAR_ROWS.rows, UDT_ROWS.rows, FLAT_ROWS.rows

    def scalar_col(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            docs = [PlainLocated(i, k, c) for i, k, c in located]
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [docs]
        return elapsed

    def udt_col(n: int) -> int:
        address = PlainAddress
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            docs = [PlainAddressed(i, k, address(a.street, a.city, a.zip)) for i, k, a in addressed]
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [docs]
        return elapsed

    def flat_col(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            docs = [PlainSpread(i, k, st, c, z) for i, k, st, c, z in spread]
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [docs]
        return elapsed

    return {
        "save": save,
        "get": get,
        "query": query,
        "values": values,
        "update": update,
        "delete": delete,
        "scalar_col": scalar_col,
        "udt_col": udt_col,
        "flat_col": flat_col,
    }


def inlined_timers(driver: RecordingDriver) -> dict[str, Timer]:
    """Each operation's irreducible steps, inlined by hand into the timing loop: the model's
    mapper from the cache dict, coodie's generated functions for this model, the statement,
    the driver call, and for update the cached plan and the mirror on the instance. What the
    public methods add on top of this is coodie's structure (calls, option checks)."""
    from coodie.api.document import _mappers

    model = SyncProduct
    doc = model(**FIELDS)
    execute = driver.execute
    mapper = model._mapper()
    state = model.find(category="kitchen").state
    doc.update(name="renamed", price=9.5)  # caches the update plan
    sink: list[Any] = []

    def save(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            m = _mappers[doc.__class__]
            execute(m.writes.save_statement(doc, None, None))
        return time.perf_counter_ns() - t0

    def get(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            m = _mappers[model]
            r = m.reads
            page = execute(bound(r.cql_get, m.values.lookup_values({"id": KEY}), True))
            found = m.readers.hydrators(page.columns).one(page.rows[0])
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [found]
        return elapsed

    def query(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            m = _mappers[model]
            page = execute(m.reads.select_statement(state))
            docs = m.readers.hydrators(page.columns).to_list(page.rows)
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [docs]
        return elapsed

    def values(n: int) -> int:
        values_state = model.find(category="kitchen").values_list().state
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            m = _mappers[model]
            page = execute(m.reads.select_statement(values_state))
            rows = m.readers.readers(page.columns, "tuple").to_list(page.rows)
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [rows]
        return elapsed

    def update(n: int) -> int:
        plan = mapper.updates.plans[("name", "price")]
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            m = _mappers[doc.__class__]
            changes = {"name": "renamed", "price": 9.5}
            encoded, checked = m.updates.plans[("name", "price")].values(changes, doc.__dict__)
            execute(bound(plan.cql, encoded, True))
            doc.__dict__.update(checked)
            doc.__pydantic_fields_set__.update(checked)
        return time.perf_counter_ns() - t0

    def delete(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            m = _mappers[doc.__class__]
            execute(bound(m.writes.cql_delete, m.values.key_values(doc.__dict__), True))
        return time.perf_counter_ns() - t0

    return {
        "save": save,
        "get": get,
        "query": query,
        "values": values,
        "update": update,
        "delete": delete,
    }


def sync_timers(driver: RecordingDriver) -> dict[str, Timer]:
    model = SyncProduct
    doc = model(**FIELDS)
    statement = Statement(model._mapper().writes.cql_save, [])
    execute = driver.execute

    def save(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            doc.save()
        return time.perf_counter_ns() - t0

    def get(n: int) -> int:
        get_ = model.get
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            get_(id=KEY)
        return time.perf_counter_ns() - t0

    def query(n: int) -> int:
        find = model.find
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            find(category="kitchen").all()
        return time.perf_counter_ns() - t0

    def values(n: int) -> int:
        find = model.find
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            find(category="kitchen").values_list().all()
        return time.perf_counter_ns() - t0

    def update(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            doc.update(name="renamed", price=9.5)
        return time.perf_counter_ns() - t0

    def delete(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            doc.delete()
        return time.perf_counter_ns() - t0

    def roundtrip(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            execute(statement)
        return time.perf_counter_ns() - t0

    def scalar_col(n: int) -> int:
        query = SyncLocated.find(kind="home")
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            query.all()
        return time.perf_counter_ns() - t0

    def udt_col(n: int) -> int:
        query = SyncAddressed.find(kind="home")
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            query.all()
        return time.perf_counter_ns() - t0

    def flat_col(n: int) -> int:
        query = SyncSpread.find(kind="home")
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            query.all()
        return time.perf_counter_ns() - t0

    return {
        "save": save,
        "get": get,
        "query": query,
        "values": values,
        "update": update,
        "delete": delete,
        "roundtrip": roundtrip,
        "scalar_col": scalar_col,
        "udt_col": udt_col,
        "flat_col": flat_col,
    }


def aio_timers(driver: RecordingDriver) -> dict[str, AsyncTimer]:
    model = AioProduct
    doc = model(**FIELDS)
    statement = Statement(model._mapper().writes.cql_save, [])
    execute = driver.execute_async

    async def save(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            await doc.save()
        return time.perf_counter_ns() - t0

    async def get(n: int) -> int:
        get_ = model.get
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            await get_(id=KEY)
        return time.perf_counter_ns() - t0

    async def query(n: int) -> int:
        find = model.find
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            await find(category="kitchen").all()
        return time.perf_counter_ns() - t0

    async def values(n: int) -> int:
        find = model.find
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            await find(category="kitchen").values_list().all()
        return time.perf_counter_ns() - t0

    async def update(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            await doc.update(name="renamed", price=9.5)
        return time.perf_counter_ns() - t0

    async def delete(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            await doc.delete()
        return time.perf_counter_ns() - t0

    async def roundtrip(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            await execute(statement)
        return time.perf_counter_ns() - t0

    async def scalar_col(n: int) -> int:
        query = AioLocated.find(kind="home")
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            await query.all()
        return time.perf_counter_ns() - t0

    async def udt_col(n: int) -> int:
        query = AioAddressed.find(kind="home")
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            await query.all()
        return time.perf_counter_ns() - t0

    return {
        "save": save,
        "get": get,
        "query": query,
        "values": values,
        "update": update,
        "delete": delete,
        "roundtrip": roundtrip,
        "scalar_col": scalar_col,
        "udt_col": udt_col,
    }


# -- sanity checks: the benchmark measures what it claims ------------------------------------


def check_sync(driver: RecordingDriver, cql: dict[str, str]) -> None:
    driver.record = True
    try:
        doc = SyncProduct(**FIELDS)
        doc.save()
        assert driver.last.cql == cql["save"]
        assert driver.last.values[-1] is UNSET  # None is sent as unset
        got = SyncProduct.get(id=KEY)
        expected = dict(zip(COLUMNS, raw_row(0), strict=True))
        assert got == SyncProduct(**expected)  # what validation would give
        assert type(got.labels) is set
        assert got.labels == {"new", "l0"}
        rows = SyncProduct.find(category="kitchen").all()
        assert len(rows) == QUERY_ROWS
        assert all(type(r.labels) is set for r in rows)
        assert rows[7].model_dump()["labels"] == {"new", "l2"}
        tuples = SyncProduct.find(category="kitchen").values_list().all()
        assert driver.last.cql == cql["query"]
        assert tuples[7] == tuple(rows[7].model_dump().values())
        doc.update(name="renamed", price=9.5)
        assert driver.last.cql == cql["update"]
        assert list(driver.last.values) == ["renamed", 9.5, KEY]
        assert (doc.name, doc.price) == ("renamed", 9.5)
        doc.delete()
        assert driver.last.cql == cql["delete"]
        assert list(driver.last.values) == [KEY]
        located = SyncLocated.find(kind="home").all()
        assert len(located) == QUERY_ROWS
        assert located[3].city == "city 3"
        addressed = SyncAddressed.find(kind="home").all()
        assert len(addressed) == QUERY_ROWS
        assert addressed[3].address == BenchAddress(street="3 Main St", city="city 3", zip=3)
        spread = SyncSpread.find(kind="home").all()
        assert (spread[3].street, spread[3].zip) == ("3 Main St", 3)
    finally:
        driver.record = False
        driver.reset()


async def check_aio(driver: RecordingDriver, cql: dict[str, str]) -> None:
    driver.record = True
    try:
        doc = AioProduct(**FIELDS)
        await doc.save()
        assert driver.last.cql == cql["save"]
        got = await AioProduct.get(id=KEY)
        assert type(got.labels) is set
        rows = await AioProduct.find(category="kitchen").all()
        assert len(rows) == QUERY_ROWS
        await doc.update(name="renamed", price=9.5)
        assert driver.last.cql == cql["update"]
        await doc.delete()
        assert driver.last.cql == cql["delete"]
    finally:
        driver.record = False
        driver.reset()


# -- main --------------------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "pydantic": pydantic.VERSION,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "date": dt.date.today().isoformat(),
    }


def run(how: Settings) -> dict[str, Any]:
    driver, cql = install_driver()
    check_sync(driver, cql)
    vector_pages = vector_rows.install(SyncProduct, MANY_ROWS.rows[: vector_rows.PAGE_ROWS])
    vector_rows.check(vector_rows.PAGE_ROWS)
    results: dict[str, dict[str, Any]] = {op: {} for op in LABELS}

    async def same_loop() -> None:
        await check_aio(driver, cql)
        columns: dict[str, dict[str, Any]] = {
            "floor": floor_timers(cql),
            "inlined": inlined_timers(driver),
            "sync": sync_timers(driver),
            "aio": aio_timers(driver),
        }
        columns["sync"].update(vector_rows.sync_timers())
        columns["floor"].update(vector_rows.floor_timers(PlainProduct, vector_pages))
        columns["rows_only"] = vector_rows.conversion_timers(vector_pages)
        timers = {(op, col): t for col, ts in columns.items() for op, t in ts.items()}
        for (op, col), summary in (await measure_interleaved(timers, how)).items():
            results[op][col] = summary

    asyncio.run(same_loop())
    trip = results["roundtrip"]["sync"][STAT]
    for op in TARGETS_US:  # coodie's own cost: the operation minus the null driver's
        cost = results[op]["sync"][STAT] - (0 if op in PER_CALL else trip)
        results[op]["overhead"] = {STAT: cost}

    bridged = install_bridged(driver)

    async def aio_bridged() -> None:
        await check_aio(bridged, cql)
        timers = {(op, "aio_bridge"): t for op, t in aio_timers(bridged).items()}
        for (op, col), summary in (await measure_interleaved(timers, how)).items():
            results[op][col] = summary
        # The bridge's wall time is mostly two thread wake-ups (scheduler latency); its cost
        # in CPU, all threads of the process, is what it adds to the machine's work.
        for (op, _), timer in timers.items():
            n = QUERY_ROWS // PER_CALL.get(op, 1) * 2
            cpu0 = time.process_time_ns()
            await timer(n)
            per_op = (time.process_time_ns() - cpu0) / n / PER_CALL.get(op, 1) / 1000
            results[op]["aio_bridge_cpu"] = {STAT: per_op}

    try:
        asyncio.run(aio_bridged())
    finally:
        bridged.close()
    connections.unregister_driver()
    vector_rows.uninstall()
    # coodie's own cost per row (sync minus the hand-written floor), vector rows against the
    # same query without the vector, at the same rows a query (each pays the same share of
    # the query's own cost): what a vector column adds beyond the floats any code builds.
    base = results["vector_base"]
    scalar = base["sync"][STAT] - base["floor"][STAT]
    base["overhead"] = {STAT: scalar}
    scalar_rows = base["rows_only"][STAT] - base["floor"][STAT]
    for op in ("vector", "vector_bytes"):
        row = results[op]
        own = row["sync"][STAT] - row["floor"][STAT]
        row["overhead"] = {STAT: own}
        row["ratio_to_scalar"] = own / scalar
        # Split in two: converting the rows (the generated converter alone, minus the
        # floor), and the rest, the query's own code (the same statement for all three).
        row["rows_ratio_to_scalar"] = (row["rows_only"][STAT] - row["floor"][STAT]) / scalar_rows
    for op in ("vector_base", "vector", "vector_bytes"):
        row = results[op]
        row["query_code_per_query"] = {
            STAT: (row["sync"][STAT] - row["rows_only"][STAT]) * vector_rows.PAGE_ROWS
        }
    # The UDT row the same way, against the row that holds a text column in its place: what
    # reading the UDT adds beyond the nested object any code has to build.
    text_own = results["scalar_col"]["sync"][STAT] - results["scalar_col"]["floor"][STAT]
    udt_own = results["udt_col"]["sync"][STAT] - results["udt_col"]["floor"][STAT]
    results["udt_col"]["overhead"] = {STAT: udt_own}
    results["udt_col"]["ratio_to_scalar"] = udt_own / text_own
    results["udt_col"]["row_ratio"] = (
        results["udt_col"]["sync"][STAT] / results["scalar_col"]["sync"][STAT]
    )
    results["udt_col"]["floor_row_ratio"] = (
        results["udt_col"]["floor"][STAT] / results["scalar_col"]["floor"][STAT]
    )
    # And against the same three values read as three columns: what nesting them costs.
    flat_own = results["flat_col"]["sync"][STAT] - results["flat_col"]["floor"][STAT]
    results["udt_col"]["ratio_to_flat"] = udt_own / flat_own
    return {
        "environment": environment(),
        "rounds": how.rounds,
        "gc_during_rounds": how.keep_gc,
        "results": results,
    }


def fmt(entry: dict[str, Any] | None) -> str:
    return "-" if entry is None else f"{entry[STAT]:.3f}"


def print_table(report: dict[str, Any]) -> None:
    env = report["environment"]
    print(
        f"Python {env['python']} ({env['implementation']}), pydantic {env['pydantic']}, "
        f"{env['platform']}, {env['machine']}, {env['cpu_count']} CPUs, "
        f"load average {env['load_average_1min']} (at the end)"
    )
    gc_state = "on" if report["gc_during_rounds"] else "off (timeit-style)"
    print(
        f"fastest of {report['rounds']} rounds of per-operation means (JSON: every round and "
        f"the median), garbage collector {gc_state}; µs per operation (query: per row). "
        "'sync - round trip' is coodie's own cost, what the target applies to.\n"
    )
    header = (
        "operation",
        "floor",
        "hand-inlined",
        "sync",
        "sync - round trip",
        "aio",
        "aio + thread bridge",
        "(its CPU)",
        "target",
        "met?",
    )
    lines = []
    for op, label in LABELS.items():
        row = report["results"][op]
        target = TARGETS_US.get(op)
        verdict = "-"
        if target is not None:
            verdict = "yes" if row["overhead"][STAT] <= target else "NO"
        lines.append(
            (
                label,
                fmt(row.get("floor")),
                fmt(row.get("inlined")),
                fmt(row.get("sync")),
                fmt(row.get("overhead")),
                fmt(row.get("aio")),
                fmt(row.get("aio_bridge")),
                fmt(row.get("aio_bridge_cpu")),
                "-" if target is None else f"{target:.1f}",
                verdict,
            )
        )
    widths = [max(len(str(cells[i])) for cells in [header, *lines]) for i in range(len(header))]
    rule = "-+-".join("-" * w for w in widths)
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(rule)
    for cells in lines:
        print(
            " | ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
    print()
    per_query = {
        op: report["results"][op]["query_code_per_query"][STAT]
        for op in ("vector_base", "vector", "vector_bytes")
    }
    for op in ("vector", "vector_bytes"):
        row = report["results"][op]
        ratio, rows_ratio = row["ratio_to_scalar"], row["rows_ratio_to_scalar"]
        print(
            f"{LABELS[op]}: coodie's own cost (sync - floor) is {ratio:.2f}x the same query's "
            f"without the vector, {vector_rows.PAGE_ROWS} rows a query (limit "
            f"{VECTOR_LIMIT:.0f}x, met? {'yes' if ratio <= VECTOR_LIMIT else 'NO'}); "
            f"converting the rows alone: {rows_ratio:.2f}x (met? "
            f"{'yes' if rows_ratio <= VECTOR_LIMIT else 'NO'})"
        )
    # The query's own code is the same for the three models; what it costs after each page
    # shows how much of the difference is the CPU caches refilling after a page of floats.
    after = {"vector_base": "scalar rows", "vector": "vector lists", "vector_bytes": "bytes"}
    print(
        "the query's own code (sync minus converting the rows), µs a query, after a page of: "
        + ", ".join(f"{after[op]} {per_query[op]:.1f}" for op in per_query)
        + " (see benchmarks/README.md: the same code, served from L3 after decoded vectors)"
    )
    # The UDT's three values nested against the same values as three columns: the like-for-
    # like comparison the limit applies to. Against one text column, even hand-written code
    # pays well over twice for the row (a second object per row), as the next lines show.
    udt, label = report["results"]["udt_col"], LABELS["udt_col"]
    verdict = "yes" if udt["ratio_to_flat"] <= VECTOR_LIMIT else "NO"
    print(
        f"{label}: coodie's own cost is {udt['ratio_to_flat']:.2f}x the row holding the same "
        f"three values as columns (limit {VECTOR_LIMIT:.0f}x, met? {verdict})"
    )
    print(
        f"{label}: the whole row (sync) is {udt['row_ratio']:.2f}x the text-column row; "
        f"hand-written code's (floor) is {udt['floor_row_ratio']:.2f}x"
    )
    print(
        f"{label}: coodie's own cost (sync - floor) is {udt['ratio_to_scalar']:.2f}x the "
        "text-column row's"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=60, help="timed rounds per cell (the fastest is shown)"
    )
    parser.add_argument(
        "--min-time",
        type=float,
        default=0.005,
        help="seconds one round should at least take (sets the iteration count)",
    )
    parser.add_argument(
        "--gc",
        action="store_true",
        help="keep the garbage collector running during timed rounds (default: off, as timeit)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    report = run(Settings(args.rounds, args.min_time, args.gc))
    print_table(report)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2)
            handle.write("\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
