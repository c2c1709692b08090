"""Where a small query's time goes on a real node, phase by phase (coodie.aio).

    uv run python benchmarks/query_phases.py [--driver acsylla|cassandra] [--queries N]

Runs ``Item.find(category=...).all()`` against the node the tests use (``COODIE_TEST_HOSTS``,
else ``127.0.0.1:9042``), 10 rows a query, and reports the calling thread's CPU time per
query (``time.thread_time_ns``: the drivers' own I/O threads are not counted) for each
phase: building the QuerySet (``find``), checking it and building its statement
(``statement``), the driver call (``execute``, the round trip included as CPU only), and
converting the rows (``feed``). Between two queries the thread waits for the network, so
every phase runs with cold CPU caches: ``null_driver.py``, which never waits, shows the same
code several times cheaper (``find`` 3 us there against 17 us here).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from typing import Annotated

import coodie.aio as aio
from coodie.api.document import mapper_of
from coodie.fields import Indexed, PrimaryKey
from coodie.mapping.paging import Pager

PHASES = ("find", "statement", "execute", "feed")


class PhaseItem(aio.Document):
    id: Annotated[uuid.UUID, PrimaryKey()]
    category: Annotated[str, Indexed()]
    name: str = ""
    price: float = 0.0

    class Settings:
        name = "phase_item"
        keyspace = "coodie_bench"


async def measure(driver_type: str, queries: int, rounds: int) -> list[dict[str, float]]:
    hosts = os.environ.get("COODIE_TEST_HOSTS", "127.0.0.1:9042")
    driver = await aio.init_coodie(
        hosts=hosts,
        driver_type=driver_type,
        keyspace="coodie_bench",
        models=[PhaseItem],
        create_keyspace=True,
    )
    try:
        for i in range(100):  # upserts: the same 100 rows on every run
            await PhaseItem(id=uuid.UUID(int=i), category=f"c{i % 10}", name=f"n{i}").save()
        reads, clock = mapper_of(PhaseItem).reads, time.thread_time_ns
        results = []
        for _ in range(rounds):
            spent = dict.fromkeys(PHASES, 0)
            for i in range(queries):
                t0 = clock()
                query = PhaseItem.find(category=f"c{i % 10}")
                t1 = clock()
                pager = Pager(reads, query.state)
                statement = pager.next_statement()
                t2 = clock()
                assert statement is not None
                page = await driver.execute_async(statement)
                t3 = clock()
                rows = pager.feed(page)
                t4 = clock()
                assert len(rows) == 10
                for phase, took in zip(PHASES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                    spent[phase] += took
            results.append({phase: spent[phase] / queries / 1000 for phase in PHASES})
        return results
    finally:
        await driver.close_async()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--driver", default="acsylla", choices=("acsylla", "cassandra"))
    parser.add_argument("--queries", type=int, default=2000, help="queries per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.driver}, coodie.aio, 10-row query; calling thread's CPU µs per query:")
    print(" | ".join(f"{p:>9}" for p in PHASES))
    for result in asyncio.run(measure(args.driver, args.queries, args.rounds)):
        print(" | ".join(f"{result[p]:9.1f}" for p in PHASES))


if __name__ == "__main__":
    main()
