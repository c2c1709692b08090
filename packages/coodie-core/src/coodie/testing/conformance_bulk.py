"""The bulk-write part of the driver conformance suite: ``execute_many`` (sync) and
``execute_many_async`` keep one contract (see ``AbstractDriver``): they return how many
statements ran, build statements lazily, stop at the first failure and raise it once their
requests ended, and keep at most ``concurrency`` requests in flight.

:class:`~coodie.testing.conformance.DriverConformanceSuite` includes these tests.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import pytest

from coodie.drivers.statement import Statement
from coodie.exceptions import DriverError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.drivers.base import AbstractDriver

__all__ = ["BulkWriteConformance"]


#: ``_Pulled(failing=ALL)``: every statement is refused by the node.
ALL = -1


class _Pulled:
    """Insert statements for one partition, built lazily; records how many were taken."""

    def __init__(self, table: str, k: int, total: int, failing: int | None = None) -> None:
        self.insert = f"INSERT INTO {table} (k, c, n) VALUES (?, ?, ?)"
        self.k, self.total, self.failing = k, total, failing
        self.taken: list[int] = []
        self.at_raise: int | None = None
        self.rows_at_raise = 0

    def statements(self) -> Iterator[Statement]:
        for i in range(self.total):
            self.taken.append(i)
            if self.failing in (i, ALL):  # prepares fine; the node refuses it when it runs
                yield Statement(f"{self.insert} USING TTL ?", [self.k, i, i, -5])
            else:
                yield Statement(self.insert, [self.k, i, i])


def _check_bounded(pulled: _Pulled, concurrency: int) -> None:
    """Every statement was refused by the node, so no request ever freed a slot by
    succeeding: a hook keeping at most ``concurrency`` in flight built at most that many,
    plus the one it may hold while it waits for a free slot, before it saw the first
    failure and stopped."""
    assert len(pulled.taken) <= concurrency + 1, (
        f"{len(pulled.taken)} statements were taken with concurrency={concurrency}"
    )


async def _many(
    driver: AbstractDriver, hook: str, statements: Iterator[Statement], concurrency: int
) -> int:
    """``driver.<hook>(statements, concurrency)``; the sync hook in a worker thread, as a
    blocking program would call it."""
    if hook == "execute_many":
        return await asyncio.to_thread(driver.execute_many, statements, concurrency)
    return await driver.execute_many_async(statements, concurrency)


async def _stops_at_the_first_failure(
    driver: AbstractDriver, hook: str, table: str, k: int
) -> None:
    """A statement the node refuses ends the run (nothing much is built after it), so
    does one that cannot be built, and so does one refused before it is sent; partition
    ``k`` and ``k + 1`` are used."""
    insert = f"INSERT INTO {table} (k, c, n) VALUES (?, ?, ?)"
    sent: list[int] = []

    def statements() -> Iterator[Statement]:
        for i in range(400):
            sent.append(i)
            if i == 5:  # prepares fine; the node refuses it when it runs
                yield Statement(f"{insert} USING TTL ?", [k, i, i, -5])
            else:
                yield Statement(insert, [k, i, i])

    with pytest.raises(DriverError):
        await _many(driver, hook, statements(), 4)
    assert len(sent) < 400  # nothing much is built after the failure

    def broken() -> Iterator[Statement]:
        yield Statement(insert, [k + 1, 0, 0])
        raise ValueError("building a statement failed")

    with pytest.raises(ValueError, match="building a statement failed"):
        await _many(driver, hook, broken(), 4)

    unknown_column = Statement(f"INSERT INTO {table} (k, nope) VALUES (?, ?)", [1, 2])
    with pytest.raises(DriverError):  # refused before it is sent
        await _many(driver, hook, iter([unknown_column]), 2)


class BulkWriteConformance:
    """Needs the ``driver`` and ``table`` fixtures of ``DriverConformanceSuite``."""

    def test_execute_many_runs_every_statement(self, driver: AbstractDriver, table: str) -> None:
        insert = f"INSERT INTO {table} (k, c, n) VALUES (?, ?, ?)"
        statements = (Statement(insert, [300, i, i]) for i in range(120))
        assert driver.execute_many(statements, 16) == 120
        page = driver.execute(Statement(f"SELECT COUNT(*) FROM {table} WHERE k = ?", [300]))
        assert page.rows[0][0] == 120
        assert driver.execute_many(iter([]), 4) == 0

    @pytest.mark.asyncio
    async def test_execute_many_stops_at_the_first_failure(
        self, driver: AbstractDriver, table: str
    ) -> None:
        await _stops_at_the_first_failure(driver, "execute_many", table, 301)

    def _count(self, driver: AbstractDriver, table: str, k: int) -> int:
        page = driver.execute(Statement(f"SELECT COUNT(*) FROM {table} WHERE k = ?", [k]))
        return int(page.rows[0][0])

    @pytest.mark.asyncio
    async def test_execute_many_async_runs_every_statement(
        self, driver: AbstractDriver, table: str
    ) -> None:
        insert = f"INSERT INTO {table} (k, c, n) VALUES (?, ?, ?)"
        statements = (Statement(insert, [303, i, i]) for i in range(120))
        assert await driver.execute_many_async(statements, 16) == 120
        page = await driver.execute_async(
            Statement(f"SELECT COUNT(*) FROM {table} WHERE k = ?", [303])
        )
        assert page.rows[0][0] == 120
        assert await driver.execute_many_async(iter([]), 4) == 0

    @pytest.mark.asyncio
    async def test_execute_many_async_stops_at_the_first_failure(
        self, driver: AbstractDriver, table: str
    ) -> None:
        await _stops_at_the_first_failure(driver, "execute_many_async", table, 304)

    def test_execute_many_ends_its_requests_before_raising(
        self, driver: AbstractDriver, table: str
    ) -> None:
        pulled, concurrency = self._failing_bulk(table, 306)
        with pytest.raises(DriverError):
            driver.execute_many(pulled.statements(), concurrency)
        self._check_nothing_goes_on(pulled, self._count(driver, table, 306), concurrency)
        time.sleep(0.3)
        self._check_nothing_goes_on(pulled, self._count(driver, table, 306), concurrency)

    @pytest.mark.asyncio
    async def test_execute_many_async_ends_its_requests_before_raising(
        self, driver: AbstractDriver, table: str
    ) -> None:
        pulled, concurrency = self._failing_bulk(table, 307)
        tasks_before = asyncio.all_tasks()
        with pytest.raises(DriverError):
            await driver.execute_many_async(pulled.statements(), concurrency)
        assert asyncio.all_tasks() <= tasks_before, "tasks of the hook are still running"
        count = f"SELECT COUNT(*) FROM {table} WHERE k = ?"
        page = await driver.execute_async(Statement(count, [307]))
        self._check_nothing_goes_on(pulled, page.rows[0][0], concurrency)
        await asyncio.sleep(0.3)
        page = await driver.execute_async(Statement(count, [307]))
        self._check_nothing_goes_on(pulled, page.rows[0][0], concurrency)

    def _failing_bulk(self, table: str, k: int) -> tuple[_Pulled, int]:
        """Statements of partition ``k`` whose 20th fails on the node, with a concurrency."""
        return _Pulled(table, k, total=2000, failing=20), 4

    def _check_nothing_goes_on(self, pulled: _Pulled, rows: int, concurrency: int) -> None:
        """After the hook raised, nothing more is built; a request still in flight when the
        failure arrived (cancelled on the client, maybe not on the node) may still land."""
        if pulled.at_raise is None:
            pulled.at_raise, pulled.rows_at_raise = len(pulled.taken), rows
        assert len(pulled.taken) == pulled.at_raise, "statements were built after the raise"
        assert len(pulled.taken) < pulled.total
        assert rows <= pulled.rows_at_raise + concurrency, "writes went on after the raise"

    def test_execute_many_bounds_requests_in_flight(
        self, driver: AbstractDriver, table: str
    ) -> None:
        pulled, concurrency = _Pulled(table, 308, total=200, failing=ALL), 3
        with pytest.raises(DriverError):
            driver.execute_many(pulled.statements(), concurrency)
        _check_bounded(pulled, concurrency)

    @pytest.mark.asyncio
    async def test_execute_many_async_bounds_requests_in_flight(
        self, driver: AbstractDriver, table: str
    ) -> None:
        pulled, concurrency = _Pulled(table, 309, total=200, failing=ALL), 3
        with pytest.raises(DriverError):
            await driver.execute_many_async(pulled.statements(), concurrency)
        _check_bounded(pulled, concurrency)
