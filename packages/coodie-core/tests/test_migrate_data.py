"""Token-range scans against a fake table that answers token-range pages (no database)."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter
from typing import Any

import pytest

from coodie.drivers.statement import ResultPage, Statement
from coodie.exceptions import ConfigurationError
from coodie.migrate import scan_async, token_ranges
from coodie.migrate.data import MAX_TOKEN, MIN_TOKEN
from coodie.testing import RecordingDriver

COLUMNS = ["column_name", "kind", "position", "clustering_order", "type"]


class FakeTable:
    """``rows`` partitions with tokens spread over the ring, paged like Cassandra pages."""

    def __init__(self, rows: int) -> None:
        step = (MAX_TOKEN - MIN_TOKEN) // (rows + 1)
        self.rows = [(MIN_TOKEN + (i + 1) * step, i, f"row {i}") for i in range(rows)]
        self.progress: dict[tuple[str, int], tuple[int, bool]] = {}

    def __call__(self, statement: Statement) -> ResultPage | None:
        cql, values = statement.cql, list(statement.values)
        if "system_schema.columns" in cql:
            return ResultPage(
                COLUMNS,
                [
                    ("id", "partition_key", 0, "none", "int"),
                    ("label", "regular", -1, "none", "text"),
                ],
            )
        if cql.startswith("SELECT range_start"):
            found = [(s, p, f) for (job, s), (p, f) in self.progress.items() if job == values[0]]
            return ResultPage(["range_start", "position", "finished"], found)
        if cql.startswith("INSERT INTO ks.coodie_scan_progress"):
            self.progress[(values[0], values[1])] = (values[2], values[3])
        elif cql.startswith("SELECT token(id), id, label FROM ks.items"):
            low, high = values
            match = [r for r in self.rows if low < r[0] <= high]
            start = int(statement.paging_state or b"0")
            size = statement.fetch_size or len(match)
            more = str(start + size).encode() if start + size < len(match) else None
            return ResultPage(["token", "id", "label"], match[start : start + size], more)
        return None


def run(table: FakeTable, fn: Any, **options: Any) -> Any:
    driver = RecordingDriver(keyspace="ks", responder=table)
    options.setdefault("job", "job")
    return asyncio.run(scan_async(driver, "items", fn, progress=False, **options))


def test_token_ranges_cover_the_ring_without_gaps() -> None:
    ranges = token_ranges(7)
    assert ranges[0][0] == MIN_TOKEN
    assert ranges[-1][1] == MAX_TOKEN
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert token_ranges(1) == [(MIN_TOKEN, MAX_TOKEN)]


def test_every_row_once_with_pages_and_logged_progress(caplog: pytest.LogCaptureFixture) -> None:
    table = FakeTable(100)
    seen: Counter[int] = Counter()
    with caplog.at_level(logging.INFO, logger="coodie.migrate"):
        report = run(table, lambda row: seen.update([row["id"]]), splits=5, page_size=7)
    assert report.rows == 100
    assert seen == Counter(range(100))
    assert "scan job: 5/5 ranges, 100 rows" in caplog.text


@pytest.mark.parametrize("batch", [False, True])
def test_a_crash_resumes_after_the_last_finished_row(batch: bool) -> None:
    table = FakeTable(200)
    seen: Counter[int] = Counter()
    calls = 0

    def crash_on_the_ninth(item: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 9:
            raise RuntimeError("crash")
        seen.update(r["id"] for r in (item if batch else [item]))

    with pytest.raises(RuntimeError, match="crash"):
        run(table, crash_on_the_ninth, splits=4, concurrency=2, page_size=5, batch=batch)
    assert 0 < sum(seen.values()) < 200
    report = run(
        table,
        lambda i: seen.update(r["id"] for r in (i if batch else [i])),
        splits=4,
        page_size=5,
        batch=batch,
    )
    assert seen == Counter(range(200))
    assert report.rows + (8 * 5 if batch else 8) == 200


def test_a_progress_bar_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    driver = RecordingDriver(keyspace="ks", responder=FakeTable(10))
    asyncio.run(scan_async(driver, "items", lambda row: None, job="bar", progress=True))
    assert "scan bar" in capsys.readouterr().err


def test_throttle_bounds_the_rate() -> None:
    import time

    start = time.monotonic()
    run(FakeTable(20), lambda row: None, rows_per_second=100, splits=2)
    assert time.monotonic() - start >= 0.15


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"splits": 0}, "splits=0"),
        ({"concurrency": 0}, "concurrency=0"),
        ({"page_size": -1}, "page_size=-1"),
        ({"rows_per_second": 0}, "rows_per_second=0"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        run(FakeTable(1), lambda row: None, **options)


def test_a_missing_table_is_named() -> None:
    driver = RecordingDriver(keyspace="ks", responder=lambda s: ResultPage(COLUMNS, []))
    with pytest.raises(ConfigurationError, match=r"the table ks\.items does not exist"):
        asyncio.run(scan_async(driver, "items", print, job="j"))


@pytest.mark.parametrize("crash_at", [6, 9, 10, 11, 12, 15])
def test_a_range_stopped_by_another_range_keeps_its_last_row_done(crash_at: int) -> None:
    """A range that sees another range fail right after a page ends must record the
    page's last row as done (it ran), or the resume runs it a second time."""
    table = FakeTable(200)
    seen: Counter[int] = Counter()
    calls = 0

    async def alternate(row: Any) -> None:
        nonlocal calls
        await asyncio.sleep(0)  # the two ranges take turns, row by row
        calls += 1
        if calls == crash_at:
            raise RuntimeError("crash")
        seen.update([row["id"]])

    with pytest.raises(RuntimeError, match="crash"):
        run(table, alternate, splits=2, concurrency=2, page_size=5)
    run(table, lambda row: seen.update([row["id"]]), splits=2, page_size=5)
    assert seen == Counter(range(200))
