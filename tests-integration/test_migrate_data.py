"""Data migrations on the node, for every driver and both APIs: a token-range scan that
crashes half-way resumes from its checkpoints, doing every row exactly once."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

import pytest

from coodie.connections import get_driver
from coodie.fields import PrimaryKey
from coodie.migrate import Operations, scan_async

pytestmark = pytest.mark.integration

ROWS = 300


class Crash(Exception):
    """What the test's row function raises to stand for a process dying mid-scan."""


async def _model(api: Any, cleanup: list[Any]) -> Any:
    class Item(api.Document):
        id: Annotated[int, PrimaryKey()]
        label: str
        Settings = api.settings(name=api.table("scan_items"))

    cleanup.append(Item)
    await api(Item.sync_table())
    await api(Item.insert_many([Item(id=i, label=f"item {i}") for i in range(ROWS)]))
    return Item


async def _scan(api: Any, source: Any, fn: Any, **options: Any) -> Any:
    driver = get_driver(api.connection)
    if api.kind == "aio":
        return await scan_async(driver, source, fn, keyspace=api.keyspace, **options)
    return Operations(driver, api.keyspace).scan(source, fn, **options)


async def test_a_crashed_scan_resumes_and_does_every_row_once(api: Any, cleanup: list[Any]) -> None:
    model = await _model(api, cleanup)
    job = api.table("job")
    seen: Counter[int] = Counter()

    def crash_after_120(doc: Any) -> None:
        if sum(seen.values()) == 120:
            raise Crash
        seen[doc.id] += 1

    with pytest.raises(Crash):
        await _scan(api, model, crash_after_120, job=job, splits=8, concurrency=3, page_size=20)
    assert sum(seen.values()) == 120

    def count(doc: Any) -> None:
        assert isinstance(doc, model)
        seen[doc.id] += 1

    report = await _scan(api, model, count, job=job, splits=8, concurrency=3, page_size=20)
    assert sorted(seen) == list(range(ROWS))
    assert set(seen.values()) == {1}, [k for k, v in seen.items() if v > 1]
    assert report.rows == ROWS - 120
    # Finished: a third run does nothing.
    again = await _scan(api, model, count, job=job, splits=8)
    assert (again.rows, again.ranges_skipped) == (0, 8)


async def test_a_table_scan_in_batches_with_a_coroutine_function(
    api: Any, cleanup: list[Any]
) -> None:
    model = await _model(api, cleanup)
    batches: list[list[dict[str, Any]]] = []

    async def keep(batch: list[dict[str, Any]]) -> None:
        batches.append(batch)

    table = model.coodie_schema().table
    report = await _scan(
        api,
        table,
        keep,
        job=api.table("batch"),
        batch=True,
        page_size=50,
        splits=4,
        rows_per_second=5000,
    )
    rows = [row for batch in batches for row in batch]
    assert report.rows == ROWS == len(rows)
    assert {row["id"] for row in rows} == set(range(ROWS))
    assert rows[0]["label"].startswith("item ")
    assert max(len(b) for b in batches) <= 50
