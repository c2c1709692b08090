"""What the acsylla driver reports to its request_observer (no database)."""

from __future__ import annotations

from coodie.drivers import BatchStatement, BatchType, Consistency, Statement
from coodie_driver_acsylla.requests import DEFAULT_PAGE_SIZE, sent_request


def test_a_statement_reports_the_options_applied() -> None:
    statement = Statement(
        "SELECT v FROM t WHERE k = ?",
        [1],
        consistency=Consistency.ONE,
        serial_consistency=Consistency.LOCAL_SERIAL,
        timeout=0.0000001,
        paging_state=b"s",
        idempotent=True,
    )
    native = object()
    request = sent_request(statement, native)
    assert request.statement is statement
    assert request.request is native
    assert request.consistency is Consistency.ONE
    assert request.serial_consistency is Consistency.LOCAL_SERIAL
    assert request.timeout == 0.001  # the floor acsylla is given
    assert request.fetch_size == DEFAULT_PAGE_SIZE  # acsylla always gets a page size
    assert request.paging_state == b"s"
    assert request.idempotent is True


def test_a_batch_reports_its_type() -> None:
    batch = BatchStatement([], BatchType.UNLOGGED, serial_consistency=Consistency.SERIAL)
    request = sent_request(batch, None)
    assert request.batch_type is BatchType.UNLOGGED
    assert request.serial_consistency is Consistency.SERIAL
    assert request.idempotent is False
    assert request.fetch_size is None
