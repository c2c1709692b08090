"""The paging, batch and lightweight-transaction part of the driver conformance suite.

:class:`~coodie.testing.conformance.DriverConformanceSuite` includes these tests; they use
its ``driver`` and ``table`` fixtures.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from coodie.connect import Capability
from coodie.drivers.statement import BatchStatement, BatchType, Consistency, Statement

if TYPE_CHECKING:
    from coodie.drivers.base import AbstractDriver
    from coodie.plugins.spec import DriverSpec

__all__ = ["StatementKindsConformance", "requires"]

#: More pages than any paged read here may take: a driver that ignores ``paging_state``
#: (handing back the first page again and again) fails instead of looping forever.
MAX_PAGES = 10

_BATCH_NEEDS = {
    BatchType.LOGGED: Capability.LOGGED_BATCH,
    BatchType.UNLOGGED: Capability.UNLOGGED_BATCH,
    BatchType.COUNTER: Capability.COUNTER_BATCH,
}


def requires(spec: DriverSpec, capability: Capability) -> None:
    """Skip the calling test unless the driver declares ``capability``."""
    if capability not in spec.capabilities:
        pytest.skip(f"the {spec.name} driver does not declare {capability.value}")


class StatementKindsConformance:
    """Paged reads, batches of each kind and LWT outcomes, sync and async."""

    # -- paging --------------------------------------------------------------------------

    def _fill(self, driver: AbstractDriver, table: str, rows: int) -> None:
        insert = f"INSERT INTO {table} (k, c, n) VALUES (?, ?, ?)"
        for c in range(rows):
            driver.execute(Statement(insert, [50, c, c]))

    def test_paging_sync(self, driver: AbstractDriver, driver_spec: DriverSpec, table: str) -> None:
        requires(driver_spec, Capability.PAGING_STATE)
        self._fill(driver, table, 25)
        select = f"SELECT c FROM {table} WHERE k = ?"
        seen: list[int] = []
        sizes = []
        state = None
        for _ in range(MAX_PAGES):
            page = driver.execute(Statement(select, [50], fetch_size=10, paging_state=state))
            sizes.append(len(page.rows))
            seen.extend(row[0] for row in page.rows)
            state = page.paging_state
            if state is None:
                break
            assert isinstance(state, bytes)
        else:
            pytest.fail(f"25 rows 10 per page still had a paging_state after {MAX_PAGES} pages")
        assert seen == list(range(25))
        assert sizes[:2] == [10, 10]
        assert sum(sizes) == 25

    @pytest.mark.asyncio
    async def test_paging_async(
        self, driver: AbstractDriver, driver_spec: DriverSpec, table: str
    ) -> None:
        requires(driver_spec, Capability.PAGING_STATE)
        self._fill(driver, table, 25)
        select = f"SELECT c FROM {table} WHERE k = ?"
        seen: list[int] = []
        state = None
        pages = 0
        for _ in range(MAX_PAGES):
            page = await driver.execute_async(
                Statement(select, [50], fetch_size=10, paging_state=state)
            )
            pages += 1
            seen.extend(row[0] for row in page.rows)
            state = page.paging_state
            if state is None:
                break
        else:
            pytest.fail(f"25 rows 10 per page still had a paging_state after {MAX_PAGES} pages")
        assert seen == list(range(25))
        assert pages >= 3

    # -- batches and lightweight transactions --------------------------------------------

    @pytest.mark.parametrize("batch_type", [BatchType.LOGGED, BatchType.UNLOGGED])
    def test_batch(
        self, driver: AbstractDriver, driver_spec: DriverSpec, table: str, batch_type: BatchType
    ) -> None:
        requires(driver_spec, _BATCH_NEEDS[batch_type])
        insert = f"INSERT INTO {table} (k, c, v) VALUES (?, ?, ?)"
        children = [Statement(insert, [60, i, f"b{i}"]) for i in range(5)]
        children.append(Statement(f"DELETE FROM {table} WHERE k = ? AND c = ?", [60, 0]))
        driver.execute(BatchStatement(children, batch_type))
        page = driver.execute(Statement(f"SELECT c FROM {table} WHERE k = ?", [60]))
        assert [row[0] for row in page.rows] == [1, 2, 3, 4]

    @pytest.mark.asyncio
    async def test_counter_batch_async(
        self, driver: AbstractDriver, driver_spec: DriverSpec
    ) -> None:
        requires(driver_spec, Capability.COUNTER_BATCH)
        name = f"{driver.keyspace}.conformance_counter_{uuid.uuid4().hex[:8]}"
        await driver.execute_async(
            Statement(f"CREATE TABLE {name} (k int PRIMARY KEY, hits counter)", prepare=False)
        )
        try:
            bump = f"UPDATE {name} SET hits = hits + ? WHERE k = ?"
            await driver.execute_async(
                BatchStatement(
                    [Statement(bump, [2, 1]), Statement(bump, [3, 1])], BatchType.COUNTER
                )
            )
            page = await driver.execute_async(
                Statement(f"SELECT hits FROM {name} WHERE k = ?", [1])
            )
            assert page.rows[0][0] == 5
        finally:
            await driver.execute_async(Statement(f"DROP TABLE IF EXISTS {name}", prepare=False))

    def test_lwt_reports_applied_and_existing_row(
        self, driver: AbstractDriver, driver_spec: DriverSpec, table: str
    ) -> None:
        requires(driver_spec, Capability.LWT)
        insert = f"INSERT INTO {table} (k, c, v) VALUES (?, ?, ?) IF NOT EXISTS"
        first = driver.execute(
            Statement(insert, [70, 1, "first"], serial_consistency=Consistency.SERIAL)
        )
        assert first.columns[0] == "[applied]"
        assert first.rows[0][0] is True
        second = driver.execute(Statement(insert, [70, 1, "second"]))
        assert second.columns[0] == "[applied]"
        assert second.rows[0][0] is False
        existing = dict(zip(second.columns, second.rows[0], strict=False))
        assert existing["v"] == "first"

    @pytest.mark.asyncio
    async def test_lwt_update_async(
        self, driver: AbstractDriver, driver_spec: DriverSpec, table: str
    ) -> None:
        requires(driver_spec, Capability.LWT)
        await driver.execute_async(
            Statement(f"INSERT INTO {table} (k, c, v) VALUES (?, ?, ?)", [71, 1, "a"])
        )
        update = f"UPDATE {table} SET v = ? WHERE k = ? AND c = ? IF v = ?"
        ok = await driver.execute_async(Statement(update, ["b", 71, 1, "a"]))
        assert ok.rows[0][0] is True
        missed = await driver.execute_async(Statement(update, ["c", 71, 1, "a"]))
        assert missed.rows[0][0] is False
        assert dict(zip(missed.columns, missed.rows[0], strict=False))["v"] == "b"
