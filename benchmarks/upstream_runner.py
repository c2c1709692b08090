"""Upstream coodie 1.9.3 (PyPI ``coodie==1.9.3``) doing the benchmark operations.

``real_node.py`` starts this module with the Python of its own venv
(``~/.cache/coodie/bench-upstream/...``), where ``coodie`` is the upstream package: coodie 2
and coodie 1.9.3 share an import name, so they cannot live in one environment. This module
imports only upstream coodie, cassandra-driver and ``bench_rows``.

Protocol: one JSON object per line on stdin, one JSON reply per line on stdout (anything
upstream or the driver prints goes to stderr instead).

- ``{"cmd": "setup", "hosts": ["127.0.0.1:9042"]}``: connect (tables exist: the parent made
  them) -> ``{"version": ..., "python": ...}``
- ``{"cmd": "sanity", "index": 7}``: read one item with both APIs -> the field values as text
  and type names, for the parent to compare with its own variants
- ``{"cmd": "prepare", "op": "get", "api": "sync", "n": 80}``: build the arguments (untimed)
- ``{"cmd": "run"}``: run what was prepared -> ``[items, wall s, process CPU s, thread CPU s]``
  measured here, around the operation only (the pipe is outside the timing)
- ``{"cmd": "quit"}``
"""

from __future__ import annotations

import asyncio
import datetime as dt  # noqa: TC003  (pydantic resolves the model annotations at runtime)
import json
import os
import sys
import time
import uuid  # noqa: TC003  (as above)
from typing import TYPE_CHECKING, Annotated, Any

from bench_rows import (
    CATEGORIES,
    FETCH,
    ITEM_COLS,
    ITEM_IDS,
    ITEMS,
    KEYSPACE,
    STREAM_PARTITIONS,
    STREAM_ROWS,
    WIDE_COLS,
    batch_fields,
    existing_fields,
    new_fields,
)
from document_ops import aio_document_ops, sync_document_ops

import coodie
import coodie.aio
import coodie.sync
from coodie import BigInt, ClusteringKey, Indexed, PrimaryKey

if TYPE_CHECKING:
    from collections.abc import Callable

CONNECTION = "bench_upstream"


def make_models(base: type[Any]) -> dict[str, type[Any]]:
    """The benchmark tables as upstream Documents (the same columns as real_node.py's)."""

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
            connection = CONNECTION

    def wide(table: str) -> type[Any]:
        class Wide(base):  # type: ignore[misc, valid-type]
            bucket: Annotated[int, PrimaryKey()]
            seq: Annotated[int, ClusteringKey()]
            name: str
            price: float
            qty: Annotated[int, BigInt()]
            created: dt.datetime

            class Settings:
                keyspace = KEYSPACE
                name = table
                connection = CONNECTION

        return Wide

    return {"item": Item, "wide": wide("bench_wide"), "batch": wide("bench_batch")}


def check_stream(count: int) -> int:
    if count != STREAM_ROWS:
        raise AssertionError(f"streamed {count} rows, expected {STREAM_ROWS}")
    return count


def sync_ops(m: dict[str, type[Any]]) -> dict[str, Callable[[Any], int]]:
    item, wide = m["item"], m["wide"]

    def batch(groups: list[list[Any]]) -> int:
        for g in groups:
            with coodie.sync.BatchQuery(logged=False) as b:
                for d in g:
                    d.save(batch=b)
        return len(groups)

    def stream(_: Any) -> int:
        # Upstream's only bounded-memory way through a table: paged_all() page by page.
        count, state = 0, None
        while True:
            page = wide.find().fetch_size(FETCH).page(state).paged_all()
            count += len(page.data)
            state = page.paging_state
            if state is None:
                return check_stream(count)

    def stream_values(_: Any) -> int:
        # paged_all() ignores values_list(), so tuples come from all(): every page at once.
        return check_stream(len(wide.find().values_list(*WIDE_COLS.split(", ")).all()))

    return {
        **sync_document_ops(item, wide),
        "batch": batch,
        "stream": stream,
        "stream_values": stream_values,
    }


def aio_ops(m: dict[str, type[Any]]) -> dict[str, Callable[[Any], Any]]:
    item, wide = m["item"], m["wide"]

    async def batch(groups: list[list[Any]]) -> int:
        for g in groups:
            async with coodie.aio.AsyncBatchQuery(logged=False) as b:
                for d in g:
                    await d.save(batch=b)
        return len(groups)

    async def insert_many(docs: list[Any]) -> int:
        # Upstream has no insert_many: 64 workers awaiting save(), as the raw baseline does.
        source = iter(docs)

        async def worker() -> None:
            for d in source:
                await d.save()

        await asyncio.gather(*(worker() for _ in range(64)))
        return len(docs)

    async def stream(_: Any) -> int:
        count, state = 0, None
        while True:
            page = await wide.find().fetch_size(FETCH).page(state).paged_all()
            count += len(page.data)
            state = page.paging_state
            if state is None:
                return check_stream(count)

    return {
        **aio_document_ops(item, wide),
        "batch": batch,
        "insert_many": insert_many,
        "stream": stream,
        # No "stream_values": upstream's aio all() returns only the first page (the driver's
        # callback delivers one), 5,000 of the 100,000 rows, and paged_all() ignores
        # values_list(): upstream has no aio way to read a table as tuples.
    }


def raw_ops(session: Any) -> dict[str, Callable[[Any], Any]]:
    """The parent's raw cassandra-driver writes, run in this process on upstream's session: a
    calibration that tells what this process itself (its own interpreter, heap and I/O
    thread) does to the figures, apart from upstream coodie's code."""
    from cassandra.query import BatchStatement, BatchType

    ps = {k: session.prepare(v) for k, v in RAW_CQL.items()}

    def bridge(response_future: Any) -> asyncio.Future[Any]:
        running = asyncio.get_running_loop()
        future = running.create_future()

        def done(rows: Any) -> None:
            running.call_soon_threadsafe(_resolve, future, rows)

        def failed(error: BaseException) -> None:
            running.call_soon_threadsafe(_reject, future, error)

        response_future.add_callbacks(done, failed)
        return future

    def insert(rows: list[tuple[Any, ...]]) -> int:
        execute, insert_ps = session.execute, ps["insert"]
        for r in rows:
            execute(insert_ps, r)
        return len(rows)

    def update(rows: list[tuple[Any, ...]]) -> int:
        execute, update_ps = session.execute, ps["update"]
        for n, r in enumerate(rows):
            execute(update_ps, (f"renamed {n}", float(n), r[0]))
        return len(rows)

    def delete(rows: list[tuple[Any, ...]]) -> int:
        execute, delete_ps = session.execute, ps["delete"]
        for r in rows:
            execute(delete_ps, (r[0],))
        return len(rows)

    def batch(groups: list[list[tuple[Any, ...]]]) -> int:
        for g in groups:
            b = BatchStatement(batch_type=BatchType.UNLOGGED)
            for r in g:
                b.add(ps["batch_insert"], r)
            session.execute(b)
        return len(groups)

    async def a_insert(rows: list[tuple[Any, ...]]) -> int:
        execute_async, insert_ps = session.execute_async, ps["insert"]
        for r in rows:
            await bridge(execute_async(insert_ps, r))
        return len(rows)

    async def a_update(rows: list[tuple[Any, ...]]) -> int:
        execute_async, update_ps = session.execute_async, ps["update"]
        for n, r in enumerate(rows):
            await bridge(execute_async(update_ps, (f"renamed {n}", float(n), r[0])))
        return len(rows)

    async def a_delete(rows: list[tuple[Any, ...]]) -> int:
        execute_async, delete_ps = session.execute_async, ps["delete"]
        for r in rows:
            await bridge(execute_async(delete_ps, (r[0],)))
        return len(rows)

    async def a_batch(groups: list[list[tuple[Any, ...]]]) -> int:
        for g in groups:
            b = BatchStatement(batch_type=BatchType.UNLOGGED)
            for r in g:
                b.add(ps["batch_insert"], r)
            await bridge(session.execute_async(b))
        return len(groups)

    async def a_insert_many(rows: list[tuple[Any, ...]]) -> int:
        execute_async, insert_ps, source = session.execute_async, ps["insert"], iter(rows)

        async def worker() -> None:
            for r in source:
                await bridge(execute_async(insert_ps, r))

        await asyncio.gather(*(worker() for _ in range(64)))
        return len(rows)

    return {
        "sync insert": insert,
        "sync update": update,
        "sync delete": delete,
        "sync batch": batch,
        "aio insert": a_insert,
        "aio update": a_update,
        "aio delete": a_delete,
        "aio batch": a_batch,
        "aio insert_many": a_insert_many,
    }


RAW_CQL = {
    "insert": f"INSERT INTO {KEYSPACE}.bench_item ({ITEM_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "update": f"UPDATE {KEYSPACE}.bench_item SET name = ?, price = ? WHERE id = ?",
    "delete": f"DELETE FROM {KEYSPACE}.bench_item WHERE id = ?",
    "batch_insert": f"INSERT INTO {KEYSPACE}.bench_batch ({WIDE_COLS}) VALUES (?, ?, ?, ?, ?, ?)",
}


def _resolve(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


def _reject(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


class Runner:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.models = {"sync": make_models(coodie.sync.Document)}
        self.models["aio"] = make_models(coodie.aio.Document)
        self.ops = {"sync": sync_ops(self.models["sync"]), "aio": aio_ops(self.models["aio"])}
        self.prepared: tuple[str, Callable[[Any], Any], Any] | None = None
        self.raw: dict[str, Callable[[Any], Any]] = {}

    def setup(self, hosts: list[str]) -> dict[str, Any]:
        host_names = [h.rsplit(":", 1)[0] for h in hosts]
        port = int(hosts[0].rsplit(":", 1)[1]) if ":" in hosts[0] else 9042
        coodie.sync.init_coodie(
            hosts=host_names, driver_type="cassandra", name=CONNECTION, port=port
        )
        from coodie.drivers import get_driver

        self.raw = raw_ops(get_driver(CONNECTION)._session)  # type: ignore[attr-defined]
        return {"version": coodie.__version__, "python": sys.version.split()[0]}

    def arguments(self, op: str, api: str, n: int) -> Any:
        m = self.models[api]
        if op in ("insert", "delete", "insert_many"):
            return [m["item"](**f) for f in new_fields(n)]
        if op == "lwt":
            return [m["item"](**f) for f in new_fields(n, fresh=True)]
        if op == "update":
            return [m["item"](**f) for f in existing_fields(n)]
        if op == "get":
            return [ITEM_IDS[i % ITEMS] for i in range(n)]
        if op == "filter":
            return [f"cat{i % CATEGORIES}" for i in range(n)]
        if op == "query":
            return [i % STREAM_PARTITIONS for i in range(n)]
        if op == "batch":
            return [[m["batch"](**f) for f in g] for g in batch_fields(n)]
        return None

    def prepare(self, op: str, api: str, n: int) -> None:
        if api.startswith("raw "):  # "raw sync" / "raw aio": the calibration
            kind = api.split()[1]
            if op == "batch":
                arg: Any = [[tuple(f.values()) for f in g] for g in batch_fields(n)]
            elif op == "update":
                arg = [tuple(f.values()) for f in existing_fields(n)]
            else:
                arg = [tuple(f.values()) for f in new_fields(n)]
            self.prepared = (kind, self.raw[f"{kind} {op}"], arg)
            return
        self.prepared = (api, self.ops[api][op], self.arguments(op, api, n))

    def run(self) -> list[float]:
        assert self.prepared is not None, "prepare before run"
        api, fn, arg = self.prepared
        self.prepared = None
        if api == "aio":

            async def timed() -> list[float]:
                c0, t0, h0 = time.process_time(), time.perf_counter(), time.thread_time()
                count = await fn(arg)
                h1, t1, c1 = time.thread_time(), time.perf_counter(), time.process_time()
                return [count, t1 - t0, c1 - c0, h1 - h0]

            return self.loop.run_until_complete(timed())
        c0, t0, h0 = time.process_time(), time.perf_counter(), time.thread_time()
        count = fn(arg)
        h1, t1, c1 = time.thread_time(), time.perf_counter(), time.process_time()
        return [count, t1 - t0, c1 - c0, h1 - h0]

    def sanity(self, index: int) -> dict[str, Any]:
        key = ITEM_IDS[index]
        sync_doc = self.models["sync"]["item"].get(id=key)
        aio_doc = self.loop.run_until_complete(self.models["aio"]["item"].get(id=key))
        return {api: describe(doc) for api, doc in (("sync", sync_doc), ("aio", aio_doc))}


def describe(doc: Any) -> dict[str, list[str]]:
    """Each field as [repr of the value as a builtin, type name], for a cross-process check."""
    out = {}
    for name, value in doc.model_dump().items():
        # Upstream hands over cassandra-driver's SortedSet as it is: compare its members.
        is_set = isinstance(value, (set, frozenset)) or type(value).__name__ == "SortedSet"
        plain = sorted(value) if is_set else value
        out[name] = [repr(plain), type(value).__name__]
    return out


def main() -> int:
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # nothing but replies on the protocol stream
    runner = Runner()
    for line in sys.stdin:
        request = json.loads(line)
        cmd = request["cmd"]
        try:
            if cmd == "quit":
                break
            if cmd == "setup":
                reply: Any = runner.setup(request["hosts"])
            elif cmd == "sanity":
                reply = runner.sanity(request["index"])
            elif cmd == "prepare":
                runner.prepare(request["op"], request["api"], request["n"])
                reply = None
            elif cmd == "run":
                reply = runner.run()
            else:
                raise ValueError(f"unknown command {cmd!r}")
            protocol.write(json.dumps({"ok": reply}) + "\n")
        except Exception as exc:
            protocol.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
