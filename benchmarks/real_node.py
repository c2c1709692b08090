# ruff: noqa: RUF001  (the printed tables use the multiplication sign and en dashes)
"""coodie against a real node, side by side with the client libraries it runs on.

For every operation group this prints one table: coodie sync and coodie aio on each
installed driver (cassandra-driver, acsylla), next to the raw client doing the same work
the fastest way it can (prepared statements, tuple rows unpacked into dataclasses with the
same Python types coodie returns), and cqlengine (shipped inside cassandra-driver) where it
has the operation, and upstream coodie 1.9.3 (PyPI) in its own venv and process (upstream.py,
upstream_runner.py). Each cell is the median of several rounds; within a round every variant
runs once, in a rotating order, so machine drift hits all of them alike.

    uv run python benchmarks/real_node.py                  # full run (about 11 minutes)
    uv run python benchmarks/real_node.py --quick          # smoke test (under 3 minutes)
    uv run python benchmarks/real_node.py --json out.json --drivers cassandra

The node is the one the tests use: ``COODIE_TEST_HOSTS`` (``host:port,...``), else
``127.0.0.1:9042``. Everything lives in the keyspace ``coodie_bench`` (created if needed).
See benchmarks/README.md for what each variant does exactly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import gc
import json
import os
import platform
import statistics
import sys
import threading
import time
import tracemalloc
import uuid
import warnings
from typing import TYPE_CHECKING, Annotated, Any

from bench_rows import (  # benchmarks/ is the script's folder, so it is on sys.path
    CATEGORIES,
    FETCH,
    ITEM_COLS,
    ITEM_IDS,
    ITEMS,
    KEYSPACE,
    ROWS_PER_PARTITION,
    STREAM_PARTITIONS,
    STREAM_ROWS,
    WIDE_COLS,
    item_fields,
    wide_fields,
)
from document_ops import aio_document_ops, sync_document_ops
from pydantic import BaseModel
from upstream import UPSTREAM_VERSION, UpstreamProcess, ensure_venv

import coodie.aio
import coodie.sync
from coodie import BigInt, ClusteringKey, Indexed, PrimaryKey

if TYPE_CHECKING:
    from collections.abc import Callable

CQL = {
    "insert": f"INSERT INTO {KEYSPACE}.bench_item ({ITEM_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "lwt": f"INSERT INTO {KEYSPACE}.bench_item ({ITEM_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "IF NOT EXISTS",
    "get": f"SELECT {ITEM_COLS} FROM {KEYSPACE}.bench_item WHERE id = ?",
    "filter": f"SELECT {ITEM_COLS} FROM {KEYSPACE}.bench_item WHERE category = ?",
    "update": f"UPDATE {KEYSPACE}.bench_item SET name = ?, price = ? WHERE id = ?",
    "delete": f"DELETE FROM {KEYSPACE}.bench_item WHERE id = ?",
    "query": f"SELECT {WIDE_COLS} FROM {KEYSPACE}.bench_wide WHERE bucket = ?",
    "stream": f"SELECT {WIDE_COLS} FROM {KEYSPACE}.bench_wide",
    "wide_insert": f"INSERT INTO {KEYSPACE}.bench_wide ({WIDE_COLS}) VALUES (?, ?, ?, ?, ?, ?)",
    "batch_insert": f"INSERT INTO {KEYSPACE}.bench_batch ({WIDE_COLS}) VALUES (?, ?, ?, ?, ?, ?)",
}

# -- models ---------------------------------------------------------------------------------


class WideFields(BaseModel):
    """The columns of the two wide tables (one partition = many clustering rows)."""

    bucket: Annotated[int, PrimaryKey()]
    seq: Annotated[int, ClusteringKey()]
    name: str
    price: float
    qty: Annotated[int, BigInt()]
    created: dt.datetime


def make_models(base: type[Any], conn_name: str) -> dict[str, type[Any]]:
    """The three benchmark tables as coodie Documents of ``base`` on connection ``conn_name``."""

    class Item(base):  # type: ignore[misc, valid-type]
        id: Annotated[uuid.UUID, PrimaryKey()]
        name: str
        category: Annotated[str, Indexed()]
        price: float
        qty: Annotated[int, BigInt()]
        tags: list[str] = []
        labels: set[str] = set()
        created: dt.datetime
        note: str | None = None

        class Settings:
            keyspace = KEYSPACE
            name = "bench_item"
            connection = conn_name

    class Wide(WideFields, base):  # type: ignore[misc, valid-type]
        class Settings:
            keyspace = KEYSPACE
            name = "bench_wide"
            connection = conn_name

    class BatchRow(WideFields, base):  # type: ignore[misc, valid-type]
        class Settings:
            keyspace = KEYSPACE
            name = "bench_batch"
            connection = conn_name

    return {"item": Item, "wide": Wide, "batch": BatchRow}


@dataclasses.dataclass(slots=True)
class PlainItem:
    id: uuid.UUID
    name: str
    category: str
    price: float
    qty: int
    tags: list[str]
    labels: set[str]
    created: dt.datetime
    note: str | None


@dataclasses.dataclass(slots=True)
class PlainWide:
    bucket: int
    seq: int
    name: str
    price: float
    qty: int
    created: dt.datetime


# -- measuring ------------------------------------------------------------------------------


@dataclasses.dataclass
class Variant:
    """One way of doing an operation. ``make(n)`` builds, untimed, a zero-argument callable
    (a coroutine function when ``aio``) that performs the work and returns the item count."""

    label: str  # e.g. "cassandra/coodie sync"
    aio: bool
    make: Callable[[int], Callable[[], Any]]
    # remote: the callable runs the work in another process, which times it itself and
    # returns (items, wall s, process CPU s, thread CPU s): upstream coodie
    remote: bool = False


@dataclasses.dataclass
class Op:
    key: str
    title: str
    group: str
    n: int  # operations (or calls) per round
    unit: str  # "ops" or "rows"
    variants: list[Variant]
    rounds: int
    chunks: int = 1
    samples: dict[str, list[tuple[float, float, float]]] = dataclasses.field(default_factory=dict)


class Bench:
    """Times variants. Each round is cut into ``chunks``; within a chunk every variant runs
    once (rotating order), so drift on a shared machine hits all variants alike."""

    def __init__(self, runner: LoopRunner) -> None:
        self.runner = runner

    def time_variant(self, variant: Variant, n: int) -> tuple[int, float, float, float]:
        """(items, wall s, process CPU s, calling-thread CPU s) of one chunk."""
        fn = variant.make(n)
        if variant.remote:
            return fn()  # type: ignore[no-any-return]
        if variant.aio:

            async def timed() -> tuple[int, float, float, float]:
                c0, t0, h0 = time.process_time(), time.perf_counter(), time.thread_time()
                count = await fn()
                h1, t1, c1 = time.thread_time(), time.perf_counter(), time.process_time()
                return count, t1 - t0, c1 - c0, h1 - h0

            return self.runner.run(timed())  # type: ignore[no-any-return]
        c0, t0, h0 = time.process_time(), time.perf_counter(), time.thread_time()
        count = fn()
        h1, t1, c1 = time.thread_time(), time.perf_counter(), time.process_time()
        return count, t1 - t0, c1 - c0, h1 - h0

    def run(self, op: Op, log: Callable[[str], None]) -> None:
        variants = op.variants
        chunks = max(1, min(op.chunks, op.n))
        for r in range(op.rounds):
            totals = {v.label: [0, 0.0, 0.0, 0.0] for v in variants}
            gc.collect()
            for c in range(chunks):
                size = op.n // chunks + (1 if c < op.n % chunks else 0)
                shift = (r * chunks + c) % len(variants)
                for variant in variants[shift:] + variants[:shift]:
                    got = self.time_variant(variant, size)
                    acc = totals[variant.label]
                    for i in range(4):
                        acc[i] += got[i]
            for label, (count, wall, cpu, thread) in totals.items():
                op.samples.setdefault(label, []).append(
                    (count / wall, cpu * 1e6 / count, thread * 1e6 / count)
                )
        log(f"  {op.title}: done")


def median_rate(samples: list[tuple[float, float, float]]) -> float:
    return statistics.median(s[0] for s in samples)


def median_cpu(samples: list[tuple[float, float, float]], which: int = 1) -> float:
    return statistics.median(s[which] for s in samples)


class LoopRunner:
    """One event loop for every aio variant (asyncio.Runner exists only from Python 3.11).

    acsylla binds a session to the loop it was opened on, so the loop must outlive the run.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def __enter__(self) -> LoopRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        finally:
            self.loop.close()


# -- the cassandra-driver side --------------------------------------------------------------


def _cass_bridge(response_future: Any, loop: asyncio.AbstractEventLoop) -> asyncio.Future[Any]:
    """The minimal asyncio bridge anyone writes for cassandra-driver (raw async baseline)."""
    future = loop.create_future()

    def done(rows: Any) -> None:
        loop.call_soon_threadsafe(_resolve, future, rows)

    def failed(error: BaseException) -> None:
        loop.call_soon_threadsafe(_reject, future, error)

    response_future.add_callbacks(done, failed)
    return future


def _resolve(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


def _reject(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


def cass_item(row: Any) -> PlainItem:
    i, name, cat, price, qty, tags, labels, created, note = row
    return PlainItem(i, name, cat, price, qty, list(tags or ()), set(labels or ()), created, note)


class CassandraRaw:
    """cassandra-driver used directly: prepared statements, tuple rows -> dataclasses."""

    def __init__(self, session: Any) -> None:
        from cassandra.query import BatchStatement, BatchType

        self.session = session
        self.ps = {k: session.prepare(v) for k, v in CQL.items()}
        self.BatchStatement, self.UNLOGGED = BatchStatement, BatchType.UNLOGGED

    # sync ----------------------------------------------------------------------------------
    def insert(self, items: list[PlainItem]) -> int:
        execute, ps = self.session.execute, self.ps["insert"]
        for it in items:
            execute(
                ps,
                (
                    it.id,
                    it.name,
                    it.category,
                    it.price,
                    it.qty,
                    it.tags,
                    it.labels,
                    it.created,
                    it.note,
                ),
            )
        return len(items)

    def lwt(self, items: list[PlainItem]) -> int:
        execute, ps = self.session.execute, self.ps["lwt"]
        for it in items:
            row = execute(
                ps,
                (
                    it.id,
                    it.name,
                    it.category,
                    it.price,
                    it.qty,
                    it.tags,
                    it.labels,
                    it.created,
                    it.note,
                ),
            ).one()
            if not row[0]:
                raise AssertionError("not applied")
        return len(items)

    def get(self, keys: list[uuid.UUID]) -> int:
        execute, ps = self.session.execute, self.ps["get"]
        for key in keys:
            rows = execute(ps, (key,)).current_rows
            if len(rows) != 1:
                raise AssertionError("get")
            cass_item(rows[0])
        return len(keys)

    def filter(self, cats: list[str]) -> int:
        execute, ps = self.session.execute, self.ps["filter"]
        for cat in cats:
            [cass_item(r) for r in execute(ps, (cat,)).current_rows]
        return len(cats)

    def update(self, items: list[PlainItem]) -> int:
        execute, ps = self.session.execute, self.ps["update"]
        for n, it in enumerate(items):
            name, price = f"renamed {n}", float(n)
            execute(ps, (name, price, it.id))
            it.name, it.price = name, price
        return len(items)

    def delete(self, keys: list[uuid.UUID]) -> int:
        execute, ps = self.session.execute, self.ps["delete"]
        for key in keys:
            execute(ps, (key,))
        return len(keys)

    def query(self, buckets: list[int]) -> int:
        execute, ps = self.session.execute, self.ps["query"]
        for b in buckets:
            out = [PlainWide(*r) for r in execute(ps, (b,)).current_rows]
            if len(out) != ROWS_PER_PARTITION:
                raise AssertionError(len(out))
        return len(buckets)

    def batch(self, groups: list[list[PlainWide]]) -> int:
        execute, ps = self.session.execute, self.ps["batch_insert"]
        for rows in groups:
            batch = self.BatchStatement(batch_type=self.UNLOGGED)
            for w in rows:
                batch.add(ps, (w.bucket, w.seq, w.name, w.price, w.qty, w.created))
            execute(batch)
        return len(groups)

    def stream(self) -> int:
        bound = self.ps["stream"].bind(())
        bound.fetch_size = FETCH
        count = 0
        for row in self.session.execute(bound):
            PlainWide(*row)
            count += 1
        return count

    # async ---------------------------------------------------------------------------------
    async def a_insert(self, items: list[PlainItem]) -> int:
        loop, execute_async, ps = (
            asyncio.get_running_loop(),
            self.session.execute_async,
            self.ps["insert"],
        )
        for it in items:
            await _cass_bridge(
                execute_async(
                    ps,
                    (
                        it.id,
                        it.name,
                        it.category,
                        it.price,
                        it.qty,
                        it.tags,
                        it.labels,
                        it.created,
                        it.note,
                    ),
                ),
                loop,
            )
        return len(items)

    async def a_lwt(self, items: list[PlainItem]) -> int:
        loop, execute_async, ps = (
            asyncio.get_running_loop(),
            self.session.execute_async,
            self.ps["lwt"],
        )
        for it in items:
            rows = await _cass_bridge(
                execute_async(
                    ps,
                    (
                        it.id,
                        it.name,
                        it.category,
                        it.price,
                        it.qty,
                        it.tags,
                        it.labels,
                        it.created,
                        it.note,
                    ),
                ),
                loop,
            )
            if not rows[0][0]:
                raise AssertionError("not applied")
        return len(items)

    async def a_get(self, keys: list[uuid.UUID]) -> int:
        loop, execute_async, ps = (
            asyncio.get_running_loop(),
            self.session.execute_async,
            self.ps["get"],
        )
        for key in keys:
            rows = await _cass_bridge(execute_async(ps, (key,)), loop)
            cass_item(rows[0])
        return len(keys)

    async def a_filter(self, cats: list[str]) -> int:
        loop, execute_async, ps = (
            asyncio.get_running_loop(),
            self.session.execute_async,
            self.ps["filter"],
        )
        for cat in cats:
            [cass_item(r) for r in await _cass_bridge(execute_async(ps, (cat,)), loop)]
        return len(cats)

    async def a_update(self, items: list[PlainItem]) -> int:
        loop, execute_async, ps = (
            asyncio.get_running_loop(),
            self.session.execute_async,
            self.ps["update"],
        )
        for n, it in enumerate(items):
            name, price = f"renamed {n}", float(n)
            await _cass_bridge(execute_async(ps, (name, price, it.id)), loop)
            it.name, it.price = name, price
        return len(items)

    async def a_delete(self, keys: list[uuid.UUID]) -> int:
        loop, execute_async, ps = (
            asyncio.get_running_loop(),
            self.session.execute_async,
            self.ps["delete"],
        )
        for key in keys:
            await _cass_bridge(execute_async(ps, (key,)), loop)
        return len(keys)

    async def a_query(self, buckets: list[int]) -> int:
        loop, execute_async, ps = (
            asyncio.get_running_loop(),
            self.session.execute_async,
            self.ps["query"],
        )
        for b in buckets:
            out = [PlainWide(*r) for r in await _cass_bridge(execute_async(ps, (b,)), loop)]
            if len(out) != ROWS_PER_PARTITION:
                raise AssertionError(len(out))
        return len(buckets)

    async def a_batch(self, groups: list[list[PlainWide]]) -> int:
        loop, execute_async, ps = (
            asyncio.get_running_loop(),
            self.session.execute_async,
            self.ps["batch_insert"],
        )
        for rows in groups:
            batch = self.BatchStatement(batch_type=self.UNLOGGED)
            for w in rows:
                batch.add(ps, (w.bucket, w.seq, w.name, w.price, w.qty, w.created))
            await _cass_bridge(execute_async(batch), loop)
        return len(groups)

    async def a_insert_many(self, items: list[PlainItem], concurrency: int) -> int:
        loop, execute_async, ps = (
            asyncio.get_running_loop(),
            self.session.execute_async,
            self.ps["insert"],
        )
        source = iter(items)

        async def worker() -> None:
            for it in source:
                await _cass_bridge(
                    execute_async(
                        ps,
                        (
                            it.id,
                            it.name,
                            it.category,
                            it.price,
                            it.qty,
                            it.tags,
                            it.labels,
                            it.created,
                            it.note,
                        ),
                    ),
                    loop,
                )

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return len(items)

    async def a_stream(self) -> int:
        """Paging the documented way: start_fetching_next_page() on the same ResponseFuture."""
        loop = asyncio.get_running_loop()
        bound = self.ps["stream"].bind(())
        bound.fetch_size = FETCH
        response_future = self.session.execute_async(bound)
        box: list[asyncio.Future[Any]] = [loop.create_future()]

        def done(rows: Any) -> None:
            loop.call_soon_threadsafe(_resolve, box[0], rows)

        def failed(error: BaseException) -> None:
            loop.call_soon_threadsafe(_reject, box[0], error)

        response_future.add_callbacks(done, failed)
        count = 0
        while True:
            rows = await box[0]
            for row in rows:
                PlainWide(*row)
                count += 1
            if not response_future.has_more_pages:
                return count
            box[0] = loop.create_future()
            response_future.start_fetching_next_page()


# -- the acsylla side -----------------------------------------------------------------------


def _naive(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=None)


def acs_item(row: tuple[Any, ...]) -> PlainItem:
    i, name, cat, price, qty, tags, labels, created, note = row
    return PlainItem(
        uuid.UUID(i),
        name,
        cat,
        price,
        qty,
        list(tags or ()),
        set(labels or ()),
        created.replace(tzinfo=None),
        note,
    )


def acs_wide(row: tuple[Any, ...]) -> PlainWide:
    b, s, name, price, qty, created = row
    return PlainWide(b, s, name, price, qty, created.replace(tzinfo=None))


class AcsyllaRaw:
    """acsylla used directly: prepared statements, Row.as_tuple() -> dataclasses with the same
    Python types coodie returns (uuid str -> UUID, aware -> naive UTC datetime)."""

    def __init__(self, acsylla: Any, session: Any, prepared: dict[str, Any]) -> None:
        self.acsylla = acsylla
        self.session = session
        self.ps = prepared
        self.as_tuple = acsylla._cython.cyacsylla.Row.as_tuple

    @classmethod
    async def create(cls, acsylla: Any, session: Any) -> AcsyllaRaw:
        prepared = {k: await session.create_prepared(v) for k, v in CQL.items()}
        return cls(acsylla, session, prepared)

    async def insert(self, items: list[PlainItem]) -> int:
        execute, ps = self.session.execute, self.ps["insert"]
        for it in items:
            await execute(
                ps.bind(
                    [
                        it.id,
                        it.name,
                        it.category,
                        it.price,
                        it.qty,
                        it.tags,
                        it.labels,
                        it.created,
                        it.note,
                    ]
                )
            )
        return len(items)

    async def lwt(self, items: list[PlainItem]) -> int:
        execute, ps, as_tuple = self.session.execute, self.ps["lwt"], self.as_tuple
        for it in items:
            result = await execute(
                ps.bind(
                    [
                        it.id,
                        it.name,
                        it.category,
                        it.price,
                        it.qty,
                        it.tags,
                        it.labels,
                        it.created,
                        it.note,
                    ]
                )
            )
            if not as_tuple(result.first())[0]:
                raise AssertionError("not applied")
        return len(items)

    async def get(self, keys: list[uuid.UUID]) -> int:
        execute, ps, as_tuple = self.session.execute, self.ps["get"], self.as_tuple
        for key in keys:
            rows = [acs_item(as_tuple(r)) for r in await execute(ps.bind([key]))]
            if len(rows) != 1:
                raise AssertionError("get")
        return len(keys)

    async def filter(self, cats: list[str]) -> int:
        execute, ps, as_tuple = self.session.execute, self.ps["filter"], self.as_tuple
        for cat in cats:
            [acs_item(as_tuple(r)) for r in await execute(ps.bind([cat]))]
        return len(cats)

    async def update(self, items: list[PlainItem]) -> int:
        execute, ps = self.session.execute, self.ps["update"]
        for n, it in enumerate(items):
            name, price = f"renamed {n}", float(n)
            await execute(ps.bind([name, price, it.id]))
            it.name, it.price = name, price
        return len(items)

    async def delete(self, keys: list[uuid.UUID]) -> int:
        execute, ps = self.session.execute, self.ps["delete"]
        for key in keys:
            await execute(ps.bind([key]))
        return len(keys)

    async def query(self, buckets: list[int]) -> int:
        execute, ps, as_tuple = self.session.execute, self.ps["query"], self.as_tuple
        for b in buckets:
            out = [acs_wide(as_tuple(r)) for r in await execute(ps.bind([b]))]
            if len(out) != ROWS_PER_PARTITION:
                raise AssertionError(len(out))
        return len(buckets)

    async def batch(self, groups: list[list[PlainWide]]) -> int:
        ps, create = self.ps["batch_insert"], self.acsylla.create_batch_unlogged
        for rows in groups:
            batch = create()
            for w in rows:
                batch.add_statement(ps.bind([w.bucket, w.seq, w.name, w.price, w.qty, w.created]))
            await self.session.execute_batch(batch)
        return len(groups)

    async def insert_many(self, items: list[PlainItem], concurrency: int) -> int:
        execute, ps = self.session.execute, self.ps["insert"]
        source = iter(items)

        async def worker() -> None:
            for it in source:
                await execute(
                    ps.bind(
                        [
                            it.id,
                            it.name,
                            it.category,
                            it.price,
                            it.qty,
                            it.tags,
                            it.labels,
                            it.created,
                            it.note,
                        ]
                    )
                )

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return len(items)

    async def stream(self) -> int:
        execute, ps, as_tuple = self.session.execute, self.ps["stream"], self.as_tuple
        statement = ps.bind()
        statement.set_page_size(FETCH)
        count = 0
        while True:
            result = await execute(statement)
            for row in result:
                acs_wide(as_tuple(row))
                count += 1
            if not result.has_more_pages():
                return count
            statement.set_page_state(result.page_state())

    async def _page(self, statement: Any) -> tuple[list[tuple[Any, ...]], bytes | None]:
        result = await self.session.execute(statement)
        rows = list(map(self.as_tuple, result))
        return rows, result.page_state() if result.has_more_pages() else None

    def stream_sync(self, loop: asyncio.AbstractEventLoop) -> int:
        """Sync paging: one hop to the loop thread per page, rows converted by the caller."""
        statement = self.ps["stream"].bind()
        statement.set_page_size(FETCH)
        count = 0
        while True:
            rows, state = on_loop(loop, self._page(statement))
            for row in rows:
                acs_wide(row)
                count += 1
            if state is None:
                return count
            statement.set_page_state(state)


def on_loop(loop: asyncio.AbstractEventLoop, coro: Any) -> Any:
    """How sync code uses acsylla: submit to the loop thread that owns the session, wait."""
    return asyncio.run_coroutine_threadsafe(coro, loop).result()


# -- cqlengine ------------------------------------------------------------------------------


class CqlEngine:
    """cqlengine on its own Cluster (it insists on dict rows and keeps global state)."""

    def __init__(self, hosts: list[tuple[str, int]]) -> None:
        from cassandra.cqlengine import columns, connection, models, query

        port = hosts[0][1]
        connection.register_connection(
            "coodie_bench_cqle",
            hosts=[h for h, _ in hosts],
            cluster_options={"port": port},
            default=True,
        )
        self.connection = connection
        self.query = query

        class CqlItem(models.Model):
            __keyspace__ = KEYSPACE
            __table_name__ = "bench_item"
            __connection__ = "coodie_bench_cqle"
            id = columns.UUID(primary_key=True)
            name = columns.Text()
            category = columns.Text(index=True)
            price = columns.Double()
            qty = columns.BigInt()
            tags = columns.List(columns.Text)
            labels = columns.Set(columns.Text)
            created = columns.DateTime()
            note = columns.Text()

        class CqlWide(models.Model):
            __keyspace__ = KEYSPACE
            __table_name__ = "bench_wide"
            __connection__ = "coodie_bench_cqle"
            bucket = columns.Integer(primary_key=True)
            seq = columns.Integer(primary_key=True, clustering_order="ASC")
            name = columns.Text()
            price = columns.Double()
            qty = columns.BigInt()
            created = columns.DateTime()

        class CqlBatchRow(CqlWide):
            __table_name__ = "bench_batch"

        self.Item, self.Wide, self.BatchRow = CqlItem, CqlWide, CqlBatchRow

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.connection.unregister_connection("coodie_bench_cqle")


# -- the benchmark --------------------------------------------------------------------------


class Suite:
    def __init__(self, args: argparse.Namespace, runner: LoopRunner) -> None:
        self.args = args
        self.runner = runner
        self.quick = args.quick
        self.hosts = [h.strip() for h in args.hosts.split(",") if h.strip()]
        self.drivers = [d.strip() for d in args.drivers.split(",") if d.strip()]
        self.ops: list[Op] = []
        self.memory: dict[str, dict[str, float]] = {}
        self.cleanups: list[Callable[[], None]] = []
        self.checks: list[str] = []

    def log(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    # -- setup -------------------------------------------------------------------------------
    def setup(self) -> None:
        name = "bench_cassandra"
        self.cass_driver = coodie.sync.init_coodie(
            hosts=self.hosts, driver_type="cassandra", name=name
        )
        self.cleanups.append(lambda: coodie.sync.close_coodie(name))
        coodie.sync.create_keyspace(KEYSPACE, replication_factor=1, connection=name)
        self.models: dict[str, dict[str, type[Any]]] = {
            "cassandra/sync": make_models(coodie.sync.Document, name),
            "cassandra/aio": make_models(coodie.aio.Document, name),
        }
        for model in self.models["cassandra/sync"].values():
            model.sync_table()
        session = self.cass_driver.session  # type: ignore[attr-defined]
        self.cass_raw = CassandraRaw(session)
        self.populate(session)
        if "acsylla" in self.drivers:
            import acsylla

            self.acsylla = acsylla
            self.acs_sync_driver = coodie.sync.init_coodie(
                hosts=self.hosts, keyspace=KEYSPACE, driver_type="acsylla", name="bench_acs_sync"
            )
            self.cleanups.append(lambda: coodie.sync.close_coodie("bench_acs_sync"))

            async def open_aio() -> Any:
                return await coodie.aio.init_coodie(
                    hosts=self.hosts,
                    keyspace=KEYSPACE,
                    driver_type="acsylla",
                    name="bench_acs_aio",
                )

            self.acs_aio_driver = self.runner.run(open_aio())
            self.cleanups.insert(
                0, lambda: self.runner.run(coodie.aio.close_coodie("bench_acs_aio"))
            )
            self.models["acsylla/sync"] = make_models(coodie.sync.Document, "bench_acs_sync")
            self.models["acsylla/aio"] = make_models(coodie.aio.Document, "bench_acs_aio")
            loop = self.acs_sync_driver.loop  # type: ignore[attr-defined]
            self.acs_loop = loop
            self.acs_raw_sync = on_loop(
                loop,
                AcsyllaRaw.create(acsylla, self.acs_sync_driver.session),  # type: ignore[attr-defined]
            )
            self.acs_raw_aio = self.runner.run(
                AcsyllaRaw.create(acsylla, self.acs_aio_driver.session)
            )
        self.cqle: CqlEngine | None = None
        if not self.args.no_cqlengine and "cassandra" in self.drivers:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed = [
                    (h.rsplit(":", 1)[0], int(h.rsplit(":", 1)[1])) if ":" in h else (h, 9042)
                    for h in self.hosts
                ]
                self.cqle = CqlEngine(parsed)
            self.cleanups.insert(0, self.cqle.close)
        self.upstream: UpstreamProcess | None = None
        if not self.args.no_upstream and "cassandra" in self.drivers:
            import cassandra

            python = ensure_venv(cassandra.__version__, self.log)
            self.upstream = UpstreamProcess(python, self.hosts)
            self.cleanups.insert(0, self.upstream.close)
            self.log(f"upstream coodie {self.upstream.info['version']} on {python}")

    def populate(self, session: Any) -> None:
        from cassandra.concurrent import execute_concurrent_with_args

        count = session.execute(f"SELECT count(*) FROM {KEYSPACE}.bench_wide").one()[0]
        if count != STREAM_ROWS:
            self.log(f"populating {KEYSPACE}.bench_wide with {STREAM_ROWS:,} rows ...")
            session.execute(f"TRUNCATE {KEYSPACE}.bench_wide")
            args = [
                tuple(wide_fields(b, s).values())
                for b in range(STREAM_PARTITIONS)
                for s in range(ROWS_PER_PARTITION)
            ]
            execute_concurrent_with_args(
                session, self.cass_raw.ps["wide_insert"], args, concurrency=128
            )
        session.execute(f"TRUNCATE {KEYSPACE}.bench_item")
        session.execute(f"TRUNCATE {KEYSPACE}.bench_batch")
        args = [tuple(item_fields(k, i).values()) for i, k in enumerate(ITEM_IDS)]
        execute_concurrent_with_args(session, self.cass_raw.ps["insert"], args, concurrency=64)

    def close(self) -> None:
        for cleanup in self.cleanups:
            with contextlib.suppress(Exception):
                cleanup()

    # -- sanity checks: every variant reads the same, correctly typed values ----------------
    def sanity(self) -> None:
        key = ITEM_IDS[7]
        expected = PlainItem(**item_fields(key, 7))
        got: dict[str, Any] = {}
        for where, models in self.models.items():
            item = models["item"]
            if where.endswith("aio"):

                async def fetch(model: Any = item) -> Any:
                    return await model.get(id=key)

                doc = self.runner.run(fetch())
            else:
                doc = item.get(id=key)
            got[f"{where} coodie"] = doc.model_dump()
        got["cassandra raw"] = dataclasses.asdict(
            cass_item(self.cass_raw.session.execute(self.cass_raw.ps["get"], (key,)).one())
        )
        if "acsylla" in self.drivers:

            async def acs_get() -> Any:
                result = await self.acs_raw_aio.session.execute(
                    self.acs_raw_aio.ps["get"].bind([key])
                )
                return acs_item(self.acs_raw_aio.as_tuple(result.first()))

            got["acsylla raw"] = dataclasses.asdict(self.runner.run(acs_get()))
        if self.cqle is not None:
            obj = self.cqle.Item.get(id=key)
            got["cqlengine"] = {k: obj[k] for k in expected.__slots__}  # type: ignore[attr-defined]
        want = dataclasses.asdict(expected)
        for where, value in got.items():
            if value != want or any(type(value[k]) is not type(want[k]) for k in want):
                raise AssertionError(f"{where} read {value!r}, expected {want!r}")
        self.checks.append(f"get returns equal, same-typed values in {len(got)} variants")
        if self.upstream is not None:
            self.checks.append(self.upstream_sanity(7, want))

    def upstream_sanity(self, index: int, want: dict[str, Any]) -> str:
        """Upstream reads the same values; the Python types it returns are its own business
        (reported, not required), since the column measures upstream as users get it."""
        expected = {
            k: [repr(sorted(v) if isinstance(v, set) else v), type(v).__name__]
            for k, v in want.items()
        }
        notes = []
        for api, fields in self.upstream.call(cmd="sanity", index=index).items():  # type: ignore[union-attr]
            for name, (value, type_name) in fields.items():
                if value != expected[name][0]:
                    raise AssertionError(
                        f"upstream {api} read {name}={value}, expected {expected[name][0]}"
                    )
                if type_name != expected[name][1]:
                    notes.append(f"{api} {name}: {type_name} (coodie 2: {expected[name][1]})")
        return "upstream get returns equal values" + (
            f"; types differ: {', '.join(notes)}" if notes else ", same types"
        )

    # -- variants ---------------------------------------------------------------------------
    def build(self) -> None:
        q = self.quick
        single = 150 if q else 800
        rounds = 3 if q else 5
        lwt_n = 50 if q else 250
        filt_n = 50 if q else 200
        query_n = 10 if q else 50
        batch_n = 10 if q else 50
        many_n = 2_000 if q else 10_000
        stream_rounds = 1 if q else 3
        drivers = [d for d in ("cassandra", "acsylla") if d in self.drivers]

        def pool(n: int, fresh: bool = False) -> list[uuid.UUID]:
            return [uuid.uuid4() if fresh else uuid.UUID(int=10**9 + i) for i in range(n)]

        op_specs = [
            ("insert", "single insert", "single-row", single, "ops"),
            ("get", "get by primary key", "single-row", single, "ops"),
            ("update", "partial update (2 columns)", "single-row", single, "ops"),
            ("delete", "delete by key", "single-row", single, "ops"),
            ("lwt", "insert IF NOT EXISTS", "single-row", lwt_n, "ops"),
            ("filter", "filter by secondary index (10 rows)", "multi-row", filt_n, "ops"),
            ("query", "query returning 1,000 rows", "multi-row", query_n, "ops"),
            ("batch", "batch of 100 rows (one partition)", "multi-row", batch_n, "ops"),
            (
                "insert_many",
                "insert_many 10,000 rows, concurrency 64 (aio)",
                "bulk",
                many_n,
                "rows",
            ),
            ("stream", f"stream {STREAM_ROWS:,} rows", "bulk", STREAM_ROWS, "rows"),
            (
                "stream_values",
                f"stream {STREAM_ROWS:,} rows as tuples (coodie: values_list)",
                "bulk",
                STREAM_ROWS,
                "rows",
            ),
        ]
        for key, title, group, n, unit in op_specs:
            variants: list[Variant] = []
            for driver in drivers:
                variants += self.variants_for(key, driver, pool)
            if self.cqle is not None:
                variants += self.cqle_variants(key, pool)
            variants += self.upstream_variants(key)
            r = stream_rounds if key.startswith("stream") else rounds
            chunks = 1 if group == "bulk" else (5 if q else 10)
            self.ops.append(Op(key, title, group, n, unit, variants, r, chunks))

    def variants_for(
        self, key: str, driver: str, pool: Callable[..., list[uuid.UUID]]
    ) -> list[Variant]:
        sync_m, aio_m = self.models[f"{driver}/sync"], self.models[f"{driver}/aio"]
        out: list[Variant] = []

        def items(n: int, fresh: bool = False) -> list[dict[str, Any]]:
            return [item_fields(k, i) for i, k in enumerate(pool(n, fresh))]

        def existing(n: int) -> list[dict[str, Any]]:
            return [item_fields(ITEM_IDS[i % ITEMS], i % ITEMS) for i in range(n)]

        def batches(n: int) -> list[list[dict[str, Any]]]:
            return [[wide_fields(b, s) for s in range(100)] for b in range(n)]

        sources = {
            "insert": lambda n: items(n),
            "lwt": lambda n: items(n, fresh=True),
            "update": existing,
            "delete": lambda n: items(n),
            "insert_many": lambda n: items(n),
        }
        raw_sync: Callable[[Any], Any]
        raw_aio: Callable[[Any], Any]
        if driver == "cassandra":
            raw = self.cass_raw
            sync_fns = {
                "insert": raw.insert,
                "lwt": raw.lwt,
                "update": raw.update,
                "get": raw.get,
                "delete": raw.delete,
                "filter": raw.filter,
                "query": raw.query,
                "batch": raw.batch,
            }
            aio_fns = {
                "insert": raw.a_insert,
                "lwt": raw.a_lwt,
                "update": raw.a_update,
                "get": raw.a_get,
                "delete": raw.a_delete,
                "filter": raw.a_filter,
                "query": raw.a_query,
                "batch": raw.a_batch,
            }
            if key in sync_fns:
                fn = sync_fns[key]
                raw_sync = lambda arg, fn=fn: lambda: fn(arg)  # noqa: E731
                afn = aio_fns[key]
                raw_aio = lambda arg, afn=afn: lambda: afn(arg)  # noqa: E731
            elif key == "insert_many":
                raw_aio = lambda arg: lambda: raw.a_insert_many(arg, 64)  # noqa: E731
            elif key.startswith("stream"):
                raw_sync = lambda arg: raw.stream  # noqa: E731
                raw_aio = lambda arg: raw.a_stream  # noqa: E731
        else:
            sraw, araw, loop = self.acs_raw_sync, self.acs_raw_aio, self.acs_loop
            if key == "insert_many":
                raw_aio = lambda arg: lambda: araw.insert_many(arg, 64)  # noqa: E731
            elif key.startswith("stream"):
                raw_sync = lambda arg: lambda: sraw.stream_sync(loop)  # noqa: E731
                raw_aio = lambda arg: araw.stream  # noqa: E731
            else:
                one = getattr(sraw, key)

                def raw_sync(arg: Any) -> Callable[[], int]:
                    def run() -> int:  # one hop to the loop thread per operation
                        for x in arg:
                            on_loop(loop, one([x]))
                        return len(arg)

                    return run

                raw_aio = lambda arg: lambda: getattr(araw, key)(arg)  # noqa: E731

        def raw_arg(n: int) -> Any:
            if key in sources:
                plain = [PlainItem(**f) for f in sources[key](n)]
                return [p.id for p in plain] if key == "delete" else plain
            if key == "get":
                return [ITEM_IDS[i % ITEMS] for i in range(n)]
            if key == "filter":
                return [f"cat{i % CATEGORIES}" for i in range(n)]
            if key == "query":
                return [i % STREAM_PARTITIONS for i in range(n)]
            if key == "batch":
                return [[PlainWide(**f) for f in g] for g in batches(n)]
            return None

        cs, ca = self.coodie_sync(key, sync_m), self.coodie_aio(key, aio_m)

        def coodie_arg(models: dict[str, type[Any]]) -> Callable[[int], Any]:
            def make(n: int) -> Any:
                if key in sources:
                    return [models["item"](**f) for f in sources[key](n)]
                if key == "batch":
                    return [[models["batch"](**f) for f in g] for g in batches(n)]
                return raw_arg(n)

            return make

        if key != "insert_many":
            out.append(Variant(f"{driver}/raw sync", False, lambda n: raw_sync(raw_arg(n))))
            sm = coodie_arg(sync_m)
            out.append(Variant(f"{driver}/coodie sync", False, lambda n: cs(sm(n))))
        out.append(Variant(f"{driver}/raw aio", True, lambda n: raw_aio(raw_arg(n))))
        am = coodie_arg(aio_m)
        out.append(Variant(f"{driver}/coodie aio", True, lambda n: ca(am(n))))
        return out

    @staticmethod
    def coodie_sync(key: str, m: dict[str, type[Any]]) -> Callable[[Any], Callable[[], int]]:
        wide = m["wide"]

        def batch(groups: list[list[Any]]) -> int:
            for g in groups:
                with coodie.sync.BatchQuery("unlogged") as b:
                    for d in g:
                        b.save(d)
            return len(groups)

        def stream(_: Any) -> int:
            count = 0
            for _doc in wide.find().fetch_size(FETCH):
                count += 1
            return count

        def stream_values(_: Any) -> int:
            count = 0
            for _row in wide.find().values_list().fetch_size(FETCH):
                count += 1
            return count

        fns = {
            **sync_document_ops(m["item"], wide),
            "batch": batch,
            "stream": stream,
            "stream_values": stream_values,
        }
        fn = fns.get(key)
        return lambda arg: lambda: fn(arg)  # type: ignore[misc]

    @staticmethod
    def coodie_aio(key: str, m: dict[str, type[Any]]) -> Callable[[Any], Callable[[], Any]]:
        item, wide = m["item"], m["wide"]

        async def batch(groups: list[list[Any]]) -> int:
            for g in groups:
                async with coodie.aio.BatchQuery("unlogged") as b:
                    for d in g:
                        b.save(d)
            return len(groups)

        async def insert_many(docs: list[Any]) -> int:
            return await item.insert_many(docs, concurrency=64)  # type: ignore[no-any-return]

        async def stream(_: Any) -> int:
            count = 0
            async for _doc in wide.find().fetch_size(FETCH):
                count += 1
            return count

        async def stream_values(_: Any) -> int:
            count = 0
            async for _row in wide.find().values_list().fetch_size(FETCH):
                count += 1
            return count

        fns = {
            **aio_document_ops(item, wide),
            "batch": batch,
            "stream": stream,
            "stream_values": stream_values,
            "insert_many": insert_many,
        }
        fn = fns[key]
        return lambda arg: lambda: fn(arg)

    def upstream_variants(self, key: str) -> list[Variant]:
        """Upstream coodie 1.9.3 on cassandra-driver, in its subprocess (see upstream.py)."""
        up = self.upstream
        if up is None:
            return []
        apis = {"insert_many": ["aio"], "stream_values": ["sync"]}.get(key, ["sync", "aio"])
        out = [
            Variant(
                f"cassandra/upstream {api}",
                api == "aio",
                lambda n, api=api: up.timed(key, api, n),  # type: ignore[misc]
                remote=True,
            )
            for api in apis
        ]
        if self.args.calibrate and key in CALIBRATED:
            out += [
                Variant(
                    f"cassandra/raw {api} in upstream's process",
                    api == "aio",
                    lambda n, api=api: up.timed(key, f"raw {api}", n),  # type: ignore[misc]
                    remote=True,
                )
                for api in apis
            ]
        return out

    def cqle_variants(self, key: str, pool: Callable[..., list[uuid.UUID]]) -> list[Variant]:
        cq = self.cqle
        assert cq is not None
        Item, Wide, BatchRow, query = cq.Item, cq.Wide, cq.BatchRow, cq.query

        def lwt(objs: list[Any]) -> int:
            for o in objs:
                o.if_not_exists().save()
            return len(objs)

        def filter_(cats: list[str]) -> int:
            for c in cats:
                list(Item.objects.filter(category=c))
            return len(cats)

        def query_(buckets: list[int]) -> int:
            for b in buckets:
                if len(list(Wide.objects.filter(bucket=b))) != ROWS_PER_PARTITION:
                    raise AssertionError("cqlengine query")
            return len(buckets)

        def batch(groups: list[list[Any]]) -> int:
            for g in groups:
                with query.BatchQuery(batch_type=query.BatchType.Unlogged) as b:
                    for o in g:
                        o.batch(b).save()
            return len(groups)

        def stream(_: Any) -> int:
            count = 0
            for _obj in Wide.objects.all().limit(None).fetch_size(FETCH):
                count += 1
            return count

        def stream_values(_: Any) -> int:
            count = 0
            rows = Wide.objects.all().limit(None).fetch_size(FETCH)
            for _row in rows.values_list(*WIDE_COLS.split(", ")):
                count += 1
            return count

        def items(n: int, fresh: bool = False) -> list[Any]:
            return [Item(**item_fields(k, i)) for i, k in enumerate(pool(n, fresh))]

        def existing(n: int) -> list[Any]:
            objs = [Item(**item_fields(ITEM_IDS[i % ITEMS], i % ITEMS)) for i in range(n)]
            for o in objs:
                o._is_persisted = True
            return objs

        args: dict[str, Callable[[int], Any]] = {
            "insert": items,
            "lwt": lambda n: items(n, fresh=True),
            "get": lambda n: [ITEM_IDS[i % ITEMS] for i in range(n)],
            "update": existing,
            "delete": items,
            "filter": lambda n: [f"cat{i % CATEGORIES}" for i in range(n)],
            "query": lambda n: [i % STREAM_PARTITIONS for i in range(n)],
            "batch": lambda n: [
                [BatchRow(**wide_fields(b, s)) for s in range(100)] for b in range(n)
            ],
            "stream": lambda n: None,
            "stream_values": lambda n: None,
        }
        fns = {
            # cqlengine spells save, get, update and delete as coodie does.
            **sync_document_ops(Item, Wide),
            "lwt": lwt,
            "filter": filter_,
            "query": query_,
            "batch": batch,
            "stream": stream,
            "stream_values": stream_values,
        }
        if key not in fns:
            return []
        fn, make_arg = fns[key], args[key]

        def make(n: int) -> Callable[[], int]:
            arg = make_arg(n)

            def run() -> int:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return fn(arg)

            return run

        return [Variant("cassandra/cqlengine", False, make)]

    # -- memory -----------------------------------------------------------------------------
    def measure_memory(self) -> None:
        stream = next(op for op in self.ops if op.key == "stream")
        for variant in stream.variants:
            if "coodie" not in variant.label and ("raw" not in variant.label or self.quick):
                continue
            fn = variant.make(STREAM_ROWS)
            gc.collect()
            rss0 = _rss_bytes()
            peak = [rss0]
            stop = threading.Event()

            def sample(peak: list[int] = peak, stop: threading.Event = stop) -> None:
                while not stop.wait(0.005):
                    peak[0] = max(peak[0], _rss_bytes())

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            tracemalloc.start()
            try:
                if variant.aio:
                    self.runner.run(fn())
                else:
                    fn()
                _, traced_peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
                stop.set()
                sampler.join()
            self.memory[variant.label] = {
                "tracemalloc_peak_mb": traced_peak / 2**20,
                "rss_peak_growth_mb": (peak[0] - rss0) / 2**20,
            }


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# -- report ---------------------------------------------------------------------------------

TARGETS = {"single-row": 0.95, "insert_many": 0.90, "stream": 0.85, "stream_values": 0.85}


def fmt_rate(rate: float | None) -> str:
    if rate is None:
        return "–"
    return f"{rate:,.0f}" if rate >= 100 else f"{rate:,.1f}"


def fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def summarise(suite: Suite) -> dict[str, Any]:
    results = []
    for op in suite.ops:
        cells = {}
        for label, samples in op.samples.items():
            cells[label] = {
                "rate_median": median_rate(samples),
                "cpu_us_median": median_cpu(samples),
                "thread_cpu_us_median": median_cpu(samples, 2),
                "rates": [s[0] for s in samples],
                "cpu_us": [s[1] for s in samples],
                "thread_cpu_us": [s[2] for s in samples],
            }
        results.append(
            {
                "key": op.key,
                "title": op.title,
                "group": op.group,
                "n": op.n,
                "unit": op.unit,
                "rounds": op.rounds,
                "cells": cells,
            }
        )
    return {"results": results, "memory": suite.memory}


def ratio(cells: dict[str, Any], a: str, b: str, what: str = "rate_median") -> float | None:
    if a in cells and b in cells:
        return cells[a][what] / cells[b][what]
    return None


def print_report(summary: dict[str, Any], drivers: list[str], env: dict[str, Any]) -> list[str]:
    out: list[str] = []
    p = out.append
    groups = {
        "single-row": "Single-row operations",
        "multi-row": "Multi-row operations",
        "bulk": "Bulk operations",
    }
    for group, heading in groups.items():
        rows = [r for r in summary["results"] if r["group"] == group]
        if not rows:
            continue
        p(f"\n### {heading}: ops/s (rows/s for bulk), median; × = coodie ÷ raw client\n")
        p(
            "| operation | driver | raw sync | coodie sync | × | raw aio | coodie aio | × "
            "| cqlengine | × vs raw sync |"
        )
        p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            c = r["cells"]
            for d in drivers:

                def rate(lbl: str, c: dict[str, Any] = c, d: str = d) -> float | None:
                    cell = c.get(f"{d}/{lbl}")
                    return None if cell is None else cell["rate_median"]

                cq = c.get("cassandra/cqlengine") if d == "cassandra" else None
                cq_rate = None if cq is None else cq["rate_median"]
                cq_x = ratio(c, "cassandra/cqlengine", "cassandra/raw sync") if cq else None
                sync_x = ratio(c, f"{d}/coodie sync", f"{d}/raw sync")
                aio_x = ratio(c, f"{d}/coodie aio", f"{d}/raw aio")
                p(
                    f"| {r['title']} | {d} | {fmt_rate(rate('raw sync'))} | "
                    f"{fmt_rate(rate('coodie sync'))} | {fmt_ratio(sync_x)} | "
                    f"{fmt_rate(rate('raw aio'))} | {fmt_rate(rate('coodie aio'))} | "
                    f"{fmt_ratio(aio_x)} | {fmt_rate(cq_rate)} | {fmt_ratio(cq_x)} |"
                )
    out += upstream_table(summary)
    cpu_tables = [
        ("cpu_us_median", "process CPU µs per op (per row for bulk), all threads"),
        (
            "thread_cpu_us_median",
            "CPU µs of the calling thread per op (sync: the caller; aio: the event loop). "
            "acsylla sync does its work on the driver's loop thread, so it shows little here",
        ),
    ]
    for field, heading in cpu_tables:
        p(f"\n### {heading}, median\n")
        p(
            "| operation | driver | raw sync | coodie sync | +µs | raw aio | coodie aio | +µs "
            "| cqlengine |"
        )
        p("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in summary["results"]:
            c = r["cells"]
            for d in drivers:

                def cpu(
                    lbl: str, c: dict[str, Any] = c, d: str = d, field: str = field
                ) -> float | None:
                    cell = c.get(lbl if "/" in lbl else f"{d}/{lbl}")
                    return None if cell is None else cell[field]

                def f(v: float | None) -> str:
                    return "–" if v is None else f"{v:,.1f}"

                def diff(a: float | None, b: float | None) -> str:
                    return "–" if a is None or b is None else f"{a - b:+,.1f}"

                cq = cpu("cassandra/cqlengine") if d == "cassandra" else None
                p(
                    f"| {r['title']} | {d} | {f(cpu('raw sync'))} | {f(cpu('coodie sync'))} | "
                    f"{diff(cpu('coodie sync'), cpu('raw sync'))} | {f(cpu('raw aio'))} | "
                    f"{f(cpu('coodie aio'))} | {diff(cpu('coodie aio'), cpu('raw aio'))} | "
                    f"{f(cq)} |"
                )
    if summary["memory"]:
        p(f"\n### Memory while streaming {STREAM_ROWS:,} rows (one pass each)\n")
        p("| variant | tracemalloc peak MB | peak RSS growth MB |")
        p("|---|---:|---:|")
        for label, m in summary["memory"].items():
            p(f"| {label} | {m['tracemalloc_peak_mb']:.1f} | {m['rss_peak_growth_mb']:.1f} |")
    p("\n### Targets\n")
    for line in check_targets(summary, drivers):
        p(f"- {line}")
    p(
        f"\n{env['date']}, {env['machine']}, Python {env['python']}, "
        f"load average {env['load_before']} before / {env['load_after']} after."
    )
    print("\n".join(out))
    return out


#: writes the upstream runner can also do with raw cassandra-driver (--calibrate)
CALIBRATED = ("insert", "update", "delete", "batch", "insert_many")
UPSTREAM_GOAL = 1.2  # coodie 2 at least 1.2x upstream coodie's ops/s, every operation


def upstream_table(summary: dict[str, Any]) -> list[str]:
    """coodie 2 beside upstream coodie 1.9.3, both on cassandra-driver, with raw and cqlengine."""
    rows = [r for r in summary["results"] if any("upstream" in k for k in r["cells"])]
    if not rows:
        return []
    out = [
        f"\n### Against upstream coodie {UPSTREAM_VERSION}, all on cassandra-driver: ops/s "
        "(rows/s for bulk), median; ÷up = coodie ÷ upstream, ÷raw = coodie ÷ raw client\n",
        "| operation | raw sync | cqlengine | upstream sync | coodie sync | ÷up | ÷raw "
        "| raw÷up | raw aio | upstream aio | coodie aio | ÷up | ÷raw | raw÷up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        c = r["cells"]

        def rate(lbl: str, c: dict[str, Any] = c) -> str:
            cell = c.get(f"cassandra/{lbl}")
            return fmt_rate(None if cell is None else cell["rate_median"])

        def x(a: str, b: str, c: dict[str, Any] = c) -> str:
            return fmt_ratio(ratio(c, f"cassandra/{a}", f"cassandra/{b}"))

        out.append(
            f"| {r['title']} | {rate('raw sync')} | {rate('cqlengine')} | "
            f"{rate('upstream sync')} | {rate('coodie sync')} | "
            f"{x('coodie sync', 'upstream sync')} | {x('coodie sync', 'raw sync')} | "
            f"{x('raw sync', 'upstream sync')} | "
            f"{rate('raw aio')} | {rate('upstream aio')} | {rate('coodie aio')} | "
            f"{x('coodie aio', 'upstream aio')} | {x('coodie aio', 'raw aio')} | "
            f"{x('raw aio', 'upstream aio')} |"
        )
    calibrated = [r for r in rows if any("process" in k for k in r["cells"])]
    if calibrated:
        out += [
            "\n#### Calibration: the raw client in upstream's process (--calibrate), ops/s\n",
            "| operation | raw sync | same in upstream's process | raw aio "
            "| same in upstream's process |",
            "|---|---:|---:|---:|---:|",
        ]
        for r in calibrated:
            c = r["cells"]

            def crate(lbl: str, c: dict[str, Any] = c) -> str:
                cell = c.get(f"cassandra/{lbl}")
                return fmt_rate(None if cell is None else cell["rate_median"])

            here = [crate(f"raw {api} in upstream's process") for api in ("sync", "aio")]
            out.append(
                f"| {r['title']} | {crate('raw sync')} | {here[0]} | {crate('raw aio')} | "
                f"{here[1]} |"
            )
    out.append(
        "\nraw÷up is the ceiling of ÷up: where the raw client itself is not 1.2× upstream "
        "(round-trip or server-bound operations), no client library on it can be."
    )
    return out


def check_targets(summary: dict[str, Any], drivers: list[str]) -> list[str]:
    lines = []
    for r in summary["results"]:
        c = r["cells"]
        goal = TARGETS.get(r["group"] if r["group"] == "single-row" else r["key"])
        for d in drivers:
            for api in ("sync", "aio"):
                x = ratio(c, f"{d}/coodie {api}", f"{d}/raw {api}")
                if goal is not None and x is not None:
                    ok = "holds" if x >= goal else "**missed**"
                    lines.append(f"{r['title']}, {d} {api}: {x:.2f} ≥ {goal} {ok}")
        for api in ("sync", "aio"):
            x = ratio(c, f"cassandra/coodie {api}", f"cassandra/upstream {api}")
            if x is not None:
                ok = "holds" if x >= UPSTREAM_GOAL else "**missed**"
                lines.append(
                    f"{r['title']}, cassandra {api}: {x:.2f}× upstream ≥ {UPSTREAM_GOAL} {ok}"
                )
        cq = c.get("cassandra/cqlengine")
        if cq:
            # cqlengine runs on cassandra-driver, so it is compared with coodie on the same
            # client library; acsylla's own speed is visible in its raw columns.
            slower = [
                f"{label} {cell['rate_median'] / cq['rate_median']:.2f}×"
                for label, cell in c.items()
                if label.startswith("cassandra/coodie") and cell["rate_median"] <= cq["rate_median"]
            ]
            lines.append(
                f"{r['title']}: every coodie variant faster than cqlengine"
                if not slower
                else f"{r['title']}: **not faster than cqlengine**: {', '.join(slower)}"
            )
    for label, m in summary["memory"].items():
        if "coodie" in label:
            grew = max(m["tracemalloc_peak_mb"], m["rss_peak_growth_mb"])
            ok = "holds" if grew < 50 else "**missed**"
            lines.append(f"memory, {label}: {grew:.1f} MB < 50 MB {ok}")
    return lines


def environment(hosts: list[str]) -> dict[str, Any]:
    import cassandra
    import pydantic

    versions = {"cassandra-driver": cassandra.__version__, "pydantic": pydantic.VERSION}
    with contextlib.suppress(Exception):
        from importlib import metadata

        versions["acsylla"] = metadata.version("acsylla")
    cpu = platform.processor() or "?"
    with contextlib.suppress(Exception), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "versions": versions,
        "hosts": hosts,
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run (< 3 minutes)")
    parser.add_argument("--json", metavar="PATH", help="also write every round as JSON")
    parser.add_argument(
        "--drivers",
        default="cassandra,acsylla",
        help="comma-separated: cassandra, acsylla (default: both)",
    )
    parser.add_argument("--hosts", default=os.environ.get("COODIE_TEST_HOSTS", "127.0.0.1:9042"))
    parser.add_argument("--no-cqlengine", action="store_true", help="leave cqlengine out")
    parser.add_argument(
        "--no-upstream",
        action="store_true",
        help=f"leave upstream coodie {UPSTREAM_VERSION} out (its venv is not created)",
    )
    parser.add_argument("--only", default="", help="comma-separated operation keys to run")
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="also run the raw client's writes inside upstream's subprocess",
    )
    parser.add_argument(
        "--report", metavar="JSON", help="only print the tables of an earlier --json file"
    )
    args = parser.parse_args(argv)
    if args.report:
        with open(args.report) as f:
            saved = json.load(f)
        ran = sorted({k.split("/")[0] for r in saved["results"] for k in r["cells"]})
        print_report(saved, [d for d in ("cassandra", "acsylla") if d in ran], saved["environment"])
        return 0
    drivers = [d.strip() for d in args.drivers.split(",") if d.strip()]
    unknown = set(drivers) - {"cassandra", "acsylla"}
    if unknown:
        parser.error(f"unknown drivers: {', '.join(sorted(unknown))}")
    env = environment(args.hosts.split(","))
    started = time.perf_counter()
    with LoopRunner() as runner:
        suite = Suite(args, runner)
        try:
            suite.setup()
            suite.sanity()
            suite.build()
            bench = Bench(runner)
            only = {k for k in args.only.split(",") if k}
            suite.log(f"running ({'quick' if args.quick else 'full'}) ...")
            for op in suite.ops:
                if only and op.key not in only:
                    continue
                bench.run(op, suite.log)
            if not only or "stream" in only:
                suite.measure_memory()
        finally:
            suite.close()
    env["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    env["seconds"] = round(time.perf_counter() - started, 1)
    env["mode"] = "quick" if args.quick else "full"
    env["checks"] = suite.checks
    if suite.upstream is not None:
        env["upstream"] = suite.upstream.info
    summary = summarise(suite)
    summary["results"] = [r for r in summary["results"] if r["cells"]]
    print_report(summary, drivers, env)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {"environment": env, **summary, "targets": check_targets(summary, drivers)},
                f,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
