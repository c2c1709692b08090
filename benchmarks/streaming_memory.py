"""Streaming memory: the tracemalloc peak of iterating N and 2N rows, per driver and API.

Usage (a node at 127.0.0.1:9042 unless COODIE_TEST_HOSTS says otherwise)::

    uv run python benchmarks/streaming_memory.py              # N = 50,000
    uv run python benchmarks/streaming_memory.py --rows 20000 --drivers acsylla

Fills one partition of ``coodie_bench_stream.rows`` with 2N rows once (later runs reuse
them), then streams N and 2N rows (``for`` / ``async for``, nothing kept) as documents and as
``values_list()`` tuples, each with the driver's default page size. Memory is flat when the
peak over 2N rows is within 20 % of the peak over N; the script prints the table and exits 1
when a cell is not (DESIGN: streaming must not grow with the result).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tracemalloc
from typing import Annotated, Any

import coodie.aio
import coodie.sync
from coodie import ClusteringKey, PrimaryKey

KEYSPACE = "coodie_bench_stream"
TOLERANCE = 1.2


class SyncRow(coodie.sync.Document):
    p: Annotated[int, PrimaryKey()]
    c: Annotated[int, ClusteringKey()]
    v: str = ""

    class Settings:
        keyspace = KEYSPACE
        name = "rows"
        connection = "bench"


class AsyncRow(coodie.aio.Document):
    p: Annotated[int, PrimaryKey()]
    c: Annotated[int, ClusteringKey()]
    v: str = ""

    class Settings:
        keyspace = KEYSPACE
        name = "rows"
        connection = "bench"


def _peak_sync(query: Any) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        for _ in query:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def _peak_async(query: Any) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        async for _ in query:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _fill(rows: int) -> None:
    SyncRow.sync_table()
    if SyncRow.find(p=0).count() < rows:
        SyncRow.insert_many((SyncRow(p=0, c=i, v="x" * 20) for i in range(rows)), concurrency=64)


def measure(driver_type: str, hosts: list[str], n: int) -> list[tuple[str, str, int, int]]:
    """(api, form, peak over n, peak over 2n) for one driver."""
    coodie.sync.init_coodie(hosts=hosts, driver_type=driver_type, name="bench")
    try:
        coodie.sync.create_keyspace(KEYSPACE, connection="bench")
        _fill(2 * n)
        results = []
        for form in ("documents", "values_list"):
            peaks = []
            for rows in (n, 2 * n):
                query = SyncRow.find(p=0).limit(rows)
                peaks.append(_peak_sync(query.values_list() if form == "values_list" else query))
            results.append(("sync", form, peaks[0], peaks[1]))
            peaks = []
            for rows in (n, 2 * n):
                aquery = AsyncRow.find(p=0).limit(rows)
                target = aquery.values_list() if form == "values_list" else aquery
                peaks.append(asyncio.run(_peak_async(target)))
            results.append(("aio", form, peaks[0], peaks[1]))
        return results
    finally:
        coodie.sync.close_coodie("bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="N (default 50,000)")
    parser.add_argument("--drivers", nargs="+", default=["cassandra", "acsylla"])
    args = parser.parse_args(argv)
    hosts = os.environ.get("COODIE_TEST_HOSTS", "127.0.0.1:9042").split(",")
    n = args.rows
    print(f"| driver | API | rows as | peak, {n:,} rows | peak, {2 * n:,} rows | ratio |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    flat = True
    for driver_type in args.drivers:
        for api, form, small, large in measure(driver_type, hosts, n):
            ratio = large / small
            flat = flat and ratio <= TOLERANCE
            print(
                f"| {driver_type} | {api} | {form} | {small / 1e6:.2f} MB | "
                f"{large / 1e6:.2f} MB | {ratio:.2f} |"
            )
    print("flat" if flat else f"NOT flat: a peak over 2N rows exceeds {TOLERANCE:.0%} of N's")
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
