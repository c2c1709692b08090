"""The driver reports each request it sends to its request_observer (no database)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coodie.drivers import BatchStatement, BatchType, Consistency, SentRequest, Statement

if TYPE_CHECKING:
    from coodie_driver_cassandra.driver import CassandraDriver


def _statement() -> Statement:
    return Statement(
        "SELECT v FROM t WHERE k = ?",
        [1],
        consistency=Consistency.QUORUM,
        serial_consistency=Consistency.LOCAL_SERIAL,
        timeout=2.5,
        fetch_size=7,
        paging_state=b"state",
        idempotent=True,
    )


def _expect_options(request: SentRequest) -> None:
    assert request.consistency is Consistency.QUORUM
    assert request.serial_consistency is Consistency.LOCAL_SERIAL
    assert request.timeout == 2.5
    assert request.fetch_size == 7
    assert request.paging_state == b"state"
    assert request.idempotent is True
    assert request.request is not None


def test_execute_reports_what_the_request_carries(driver: CassandraDriver) -> None:
    sent: list[SentRequest] = []
    driver.request_observer = sent.append
    statement = _statement()
    driver.execute(statement)
    assert [request.statement for request in sent] == [statement]
    _expect_options(sent[0])


@pytest.mark.asyncio
async def test_execute_async_reports_what_the_request_carries(driver: CassandraDriver) -> None:
    sent: list[SentRequest] = []
    driver.request_observer = sent.append
    await driver.execute_async(_statement())
    _expect_options(sent[0])


def test_defaults_are_reported_as_unset(driver: CassandraDriver) -> None:
    sent: list[SentRequest] = []
    driver.request_observer = sent.append
    driver.execute_many([Statement("INSERT INTO t (k) VALUES (?)", [1])], 4)
    (request,) = sent
    assert (request.consistency, request.serial_consistency, request.timeout) == (None,) * 3
    assert (request.fetch_size, request.paging_state, request.idempotent) == (None, None, False)


def test_batches_report_their_type_and_options(driver: CassandraDriver) -> None:
    sent: list[SentRequest] = []
    driver.request_observer = sent.append
    batch = BatchStatement(
        [Statement("INSERT INTO t (k) VALUES (?)", [1])],
        BatchType.COUNTER,
        serial_consistency=Consistency.SERIAL,
        idempotent=True,
    )
    driver.execute(batch)
    (request,) = sent
    assert request.batch_type is BatchType.COUNTER
    assert request.serial_consistency is Consistency.SERIAL
    assert request.idempotent is True


def test_no_observer_by_default(driver: CassandraDriver) -> None:
    assert driver.request_observer is None
    driver.execute(_statement())
