"""The part of the driver conformance suite that checks what a driver *sends*.

Some options leave no trace in the rows on a single test node: ``idempotent`` only matters
when a request is retried, and ``serial_consistency`` only when replicas disagree. The suite
therefore installs the driver's ``request_observer`` (:mod:`coodie.drivers.sent`) and checks
that every request carries the statement's options: a driver that drops one fails here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coodie.connect import Capability
from coodie.drivers.statement import BatchStatement, BatchType, Consistency, Statement
from coodie.testing.conformance_statements import requires

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.drivers.base import AbstractDriver
    from coodie.drivers.sent import SentRequest
    from coodie.plugins.spec import DriverSpec

__all__ = ["RequestConformance"]


def _options(table: str, **extra: object) -> Statement:
    return Statement(
        f"SELECT k FROM {table} WHERE k = ?",
        [1],
        consistency=Consistency.LOCAL_QUORUM,
        serial_consistency=Consistency.LOCAL_SERIAL,
        timeout=7.5,
        fetch_size=3,
        idempotent=True,
        **extra,  # type: ignore[arg-type]
    )


def _only(sent: list[SentRequest], statement: Statement | BatchStatement) -> SentRequest:
    """The one request reported for ``statement`` (matched by its text, as a driver may pass
    a copy on)."""
    if isinstance(statement, BatchStatement):
        mine = [request for request in sent if isinstance(request.statement, BatchStatement)]
    else:
        mine = [
            request
            for request in sent
            if isinstance(request.statement, Statement) and request.statement.cql == statement.cql
        ]
    assert mine, (
        "the driver reported no request to its request_observer: call it once per request "
        "sent, with a coodie.drivers.SentRequest (see docs/writing-a-driver.md)"
    )
    assert len(mine) == 1, f"one statement was reported {len(mine)} times"
    return mine[0]


def _check(request: SentRequest) -> None:
    assert request.consistency == Consistency.LOCAL_QUORUM, "consistency not sent"
    assert request.serial_consistency == Consistency.LOCAL_SERIAL, (
        f"serial_consistency LOCAL_SERIAL was sent as {request.serial_consistency}"
    )
    assert request.idempotent is True, "the idempotent flag was dropped"
    assert request.timeout == pytest.approx(7.5), f"timeout 7.5 s was sent as {request.timeout}"
    assert request.fetch_size == 3, f"fetch_size 3 was sent as {request.fetch_size}"


class RequestConformance:
    """Needs the ``driver``, ``driver_spec`` and ``table`` fixtures of the suite."""

    @pytest.fixture
    def sent(self, driver: AbstractDriver) -> Iterator[list[SentRequest]]:
        """Every request the driver reports while the test runs."""
        requests: list[SentRequest] = []
        previous = driver.request_observer
        driver.request_observer = requests.append
        try:
            yield requests
        finally:
            driver.request_observer = previous

    def test_requests_carry_the_statement_options(
        self, driver: AbstractDriver, table: str, sent: list[SentRequest]
    ) -> None:
        statement = _options(table)
        driver.execute(statement)
        _check(_only(sent, statement))

    @pytest.mark.asyncio
    async def test_async_requests_carry_the_statement_options(
        self, driver: AbstractDriver, table: str, sent: list[SentRequest]
    ) -> None:
        statement = _options(table)
        await driver.execute_async(statement)
        _check(_only(sent, statement))

    def test_requests_carry_no_options_the_statement_left_out(
        self, driver: AbstractDriver, table: str, sent: list[SentRequest]
    ) -> None:
        """A write not marked idempotent must not be sent as one (it could be applied
        twice on a retry)."""
        statement = Statement(f"INSERT INTO {table} (k, c, n) VALUES (?, ?, ?)", [1, 1, 1])
        driver.execute(statement)
        request = _only(sent, statement)
        assert request.idempotent is False, "a statement not marked idempotent was sent as one"
        assert request.paging_state is None

    def test_requests_carry_the_paging_state(
        self, driver: AbstractDriver, driver_spec: DriverSpec, table: str, sent: list[SentRequest]
    ) -> None:
        requires(driver_spec, Capability.PAGING_STATE)
        insert = f"INSERT INTO {table} (k, c) VALUES (?, ?)"
        for c in range(3):
            driver.execute(Statement(insert, [60, c]))
        select = f"SELECT c FROM {table} WHERE k = ?"
        state = driver.execute(Statement(select, [60], fetch_size=2)).paging_state
        assert state is not None
        statement = Statement(select, [60], fetch_size=2, paging_state=state)
        sent.clear()
        driver.execute(statement)
        assert _only(sent, statement).paging_state == state

    @pytest.mark.asyncio
    async def test_batches_carry_their_options(
        self, driver: AbstractDriver, driver_spec: DriverSpec, table: str, sent: list[SentRequest]
    ) -> None:
        requires(driver_spec, Capability.UNLOGGED_BATCH)
        insert = f"INSERT INTO {table} (k, c, n) VALUES (?, ?, ?)"
        batch = BatchStatement(
            [Statement(insert, [70, c, c]) for c in range(2)],
            BatchType.UNLOGGED,
            consistency=Consistency.LOCAL_QUORUM,
            serial_consistency=Consistency.LOCAL_SERIAL,
            idempotent=True,
        )
        await driver.execute_async(batch)
        request = _only(sent, batch)
        assert request.batch_type == BatchType.UNLOGGED
        assert request.consistency == Consistency.LOCAL_QUORUM
        assert request.serial_consistency == Consistency.LOCAL_SERIAL, (
            "the batch's serial_consistency was not sent"
        )
        assert request.idempotent is True, "the batch's idempotent flag was dropped"
