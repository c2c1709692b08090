"""Data migrations: scan a table by token ranges, apply a function, resume after a crash.

The token ring is cut into ``splits`` ranges, scanned ``concurrency`` at a time. After each
page the scan stores, per range, the token of the last partition it finished; a rerun with
the same ``job`` skips finished ranges and continues the others after that token. When the
function raises, the other ranges stop where their next partition begins, every range
checkpoints the rows it finished, and the error propagates: the rerun does each remaining
row once.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coodie.drivers.statement import Statement
from coodie.exceptions import ConfigurationError
from coodie.mapping.schema_drift import COLUMNS_QUERY, live_columns
from coodie.model.identifiers import check_identifier, quote

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.drivers.base import AbstractDriver

__all__ = ["ScanReport", "scan_async", "token_ranges"]

log = logging.getLogger("coodie.migrate")
PROGRESS = "coodie_scan_progress"
MIN_TOKEN = -(2**63)  # Murmur3 never gives a key this token, so (MIN, ...] covers all
MAX_TOKEN = 2**63 - 1


@dataclass
class ScanReport:
    """What a data migration scan did: rows handed to the function, token ranges done and skipped
    (done by an earlier run)."""

    rows: int = 0
    ranges_done: int = 0
    ranges_skipped: int = 0


def token_ranges(splits: int) -> list[tuple[int, int]]:
    """``splits`` contiguous ``(start, end]`` ranges covering the whole Murmur3 ring."""
    if not isinstance(splits, int) or splits < 1:
        raise ConfigurationError(f"splits={splits!r}: give a positive number of ranges.")
    width = (MAX_TOKEN - MIN_TOKEN) // splits
    bounds = [MIN_TOKEN + i * width for i in range(splits)] + [MAX_TOKEN]
    return list(itertools.pairwise(bounds))


class _Throttle:
    """At most ``rate`` rows a second, shared by every range."""

    def __init__(self, rate: float | None) -> None:
        if rate is not None and rate <= 0:
            raise ConfigurationError(f"rows_per_second={rate!r}: give a positive rate or None.")
        self.rate = rate
        self.start = time.monotonic()
        self.count = 0

    async def wait(self, rows: int) -> None:
        if self.rate is None:
            return
        self.count += rows
        ahead = self.count / self.rate - (time.monotonic() - self.start)
        if ahead > 0:
            await asyncio.sleep(ahead)


class _Scan:
    """One scan job over one table."""

    def __init__(self, driver: AbstractDriver, keyspace: str, table: str, job: str) -> None:
        self.driver = driver
        self.space = quote(check_identifier(keyspace, "keyspace", "scan"))
        self.table_name = check_identifier(table, "table", "scan")
        self.table = f"{self.space}.{quote(table)}"
        self.keyspace = keyspace
        self.job = job
        self.failed = False
        self.columns: list[str] = []
        self.token = ""

    def stopped(self) -> bool:
        """Another range failed: stop at the next row (a method, so the check is re-read)."""
        return self.failed

    async def prepare(self) -> None:
        page = await self.driver.execute_async(
            Statement(COLUMNS_QUERY, [self.keyspace, self.table_name])
        )
        live = live_columns(page)
        if not live:
            raise ConfigurationError(f"scan: the table {self.table} does not exist.")
        key = sorted((c for c in live.values() if c.kind == "partition_key"), key=_pos)
        self.token = f"token({', '.join(quote(c.name) for c in key)})"
        self.columns = sorted(live)
        await self.driver.execute_async(
            Statement(
                f"CREATE TABLE IF NOT EXISTS {self.space}.{PROGRESS} (job text, range_start "
                "bigint, position bigint, finished boolean, rows bigint, "
                "PRIMARY KEY (job, range_start))",
                prepare=False,
            )
        )

    async def progress(self) -> dict[int, tuple[int, bool]]:
        page = await self.driver.execute_async(
            Statement(
                f"SELECT range_start, position, finished FROM {self.space}.{PROGRESS} "
                "WHERE job = ?",
                [self.job],
            )
        )
        return {row[0]: (row[1], bool(row[2])) for row in page.rows}

    async def checkpoint(self, start: int, position: int, finished: bool, rows: int) -> None:
        await self.driver.execute_async(
            Statement(
                f"INSERT INTO {self.space}.{PROGRESS} (job, range_start, position, finished, "
                "rows) VALUES (?, ?, ?, ?, ?)",
                [self.job, start, position, finished, rows],
            )
        )

    async def run_range(
        self, start: int, end: int, position: int, work: _Work, report: ScanReport
    ) -> bool:
        """Scan ``(position, end]``; True when the range is finished."""
        selected = ", ".join([self.token, *(quote(c) for c in self.columns)])
        cql = f"SELECT {selected} FROM {self.table} WHERE {self.token} > ? AND {self.token} <= ?"
        done_token, previous, paging, rows = position, None, None, 0
        while True:
            # Row by row, a range stops where a partition begins (below): here, between pages,
            # the last partition may go on in the next page, so only a batch scan (which
            # checkpoints whole pages) or a range with no row done yet stops at once.
            if self.stopped() and (work.batch or previous is None):
                await self.checkpoint(start, done_token, False, rows)
                return False
            # What a failed batch checkpoints: the partitions finished before this page,
            # known once its first row shows whether the last one goes on.
            page_start: int | None = None
            page = await self.driver.execute_async(
                Statement(cql, [position, end], fetch_size=work.page_size, paging_state=paging)
            )
            items = []
            for raw in page.rows:
                new_partition = raw[0] != previous
                if new_partition and previous is not None:
                    done_token = previous  # a new partition: the one before is complete
                if page_start is None:
                    page_start = done_token
                if self.stopped() and not work.batch and new_partition:
                    await self.checkpoint(start, done_token, False, rows)
                    return False
                previous = raw[0]
                items.append(work.make(dict(zip(self.columns, raw[1:], strict=True))))
                if not work.batch:
                    await self._apply(work, items[-1], start, done_token, rows)
                    rows += 1
                    report.rows += 1
            if work.batch and items:
                await self._apply(
                    work, items, start, done_token if page_start is None else page_start, rows
                )
                rows += len(items)
                report.rows += len(items)
            paging = page.paging_state
            if paging is None:
                await self.checkpoint(start, end, True, rows)
                return True
            await self.checkpoint(start, done_token, False, rows)

    async def _apply(self, work: _Work, item: Any, start: int, done: int, rows: int) -> None:
        await work.throttle.wait(len(item) if work.batch else 1)
        try:
            result = work.fn(item)
            if inspect.isawaitable(result):
                await result
        except BaseException:
            self.failed = True
            await self.checkpoint(start, done, False, rows)
            raise


def _pos(column: Any) -> int:
    return int(column.position)


@dataclass
class _Work:
    fn: Callable[[Any], Any]
    make: Callable[[dict[str, Any]], Any]
    batch: bool
    page_size: int
    throttle: _Throttle


async def scan_async(
    driver: AbstractDriver,
    source: type | str,
    fn: Callable[[Any], Any],
    *,
    job: str,
    keyspace: str | None = None,
    splits: int = 16,
    concurrency: int = 4,
    batch: bool = False,
    page_size: int = 500,
    rows_per_second: float | None = None,
    progress: bool | None = None,
) -> ScanReport:
    """Apply ``fn`` to every row of a table, by token range, resumable under ``job``.

    ``source`` is a Document class (``fn`` gets documents) or a table name (``fn`` gets
    ``{column: value}`` dicts). ``batch=True`` calls ``fn`` once per page with a list.
    ``fn`` may be a coroutine function. At most ``concurrency`` ranges run at once and at
    most ``rows_per_second`` rows are handed to ``fn``. ``progress``: a bar (default on a
    terminal), else a log line per finished range on the ``coodie.migrate`` logger.
    """
    if not isinstance(concurrency, int) or concurrency < 1:
        raise ConfigurationError(f"concurrency={concurrency!r}: give a positive number.")
    if not isinstance(page_size, int) or page_size < 1:
        raise ConfigurationError(f"page_size={page_size!r}: give a positive number.")
    ranges = token_ranges(splits)
    make: Callable[[dict[str, Any]], Any] = dict
    if isinstance(source, type):
        schema = source.coodie_schema()  # type: ignore[attr-defined]
        table, keyspace = schema.table, schema.keyspace or keyspace
        make = source.model_validate  # type: ignore[attr-defined]
    else:
        table = source
    keyspace = keyspace or driver.keyspace
    if not keyspace:
        raise ConfigurationError("scan: no keyspace. Pass keyspace=... or connect with one.")
    scan = _Scan(driver, keyspace, table, job)
    await scan.prepare()
    work = _Work(fn, make, batch, page_size, _Throttle(rows_per_second))
    known = await scan.progress()
    report = ScanReport()
    todo = []
    for start, end in ranges:
        position, finished = known.get(start, (start, False))
        if finished:
            report.ranges_skipped += 1
        else:
            todo.append((start, end, position))
    bar = _Progress(len(ranges), report, job, progress)
    limit = asyncio.Semaphore(concurrency)

    async def one(start: int, end: int, position: int) -> None:
        async with limit:
            if scan.failed:
                return
            if await scan.run_range(start, end, position, work, report):
                report.ranges_done += 1
                bar.step()

    try:
        results = await asyncio.gather(*(one(*r) for r in todo), return_exceptions=True)
    finally:
        bar.close()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return report


class _Progress:
    def __init__(self, total: int, report: ScanReport, job: str, show: bool | None) -> None:
        self.total, self.report, self.job = total, report, job
        self.bar: Any = None
        if show or (show is None and sys.stderr.isatty()):
            import click

            self.bar = click.progressbar(length=total, label=f"scan {job}", file=sys.stderr)
            self.bar.update(report.ranges_skipped)

    def step(self) -> None:
        if self.bar is not None:
            self.bar.update(1)
        else:
            done = self.report.ranges_done + self.report.ranges_skipped
            log.info("scan %s: %d/%d ranges, %d rows", self.job, done, self.total, self.report.rows)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
