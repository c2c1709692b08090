"""QuerySet.update(): an UPDATE of one row by its key, without reading it first."""

import datetime as dt
from typing import Any
from uuid import UUID

import pytest

from coodie.drivers.statement import Statement
from coodie.exceptions import ConditionalWriteFailed, InvalidQueryError
from coodie.testing import RecordingDriver

PID = UUID("11111111-2222-3333-4444-555555555555")
AT = dt.datetime(2024, 3, 1, 10, 30)


def last(driver: RecordingDriver) -> Statement:
    statement = driver.last
    assert isinstance(statement, Statement)
    return statement


async def test_update_by_key_sends_one_update(api: Any, driver: RecordingDriver) -> None:
    assert await api(api.m.Product.find(id=PID).update(price=9.5, name="pen")) is None
    statement = last(driver)
    assert statement.cql == "UPDATE test.product SET name = ?, price = ? WHERE id = ?"
    assert list(statement.values) == ["pen", 9.5, PID]
    assert statement.idempotent is True
    assert len(driver.statements) == 1  # nothing was read


async def test_update_by_composite_key_with_options_and_operators(
    api: Any, driver: RecordingDriver
) -> None:
    query = api.m.Review.find(product_id=PID, region="eu", created_at=AT, author="ann")
    await api(query.update(rating=5, ttl=60))
    statement = last(driver)
    assert statement.cql == (
        "UPDATE test.review USING TTL ? SET rating = ? WHERE product_id = ? AND region = ? "
        "AND created_at = ? AND author = ?"
    )
    assert list(statement.values) == [60, 5, PID, "eu", AT, "ann"]
    await api(api.m.Product.find(id=PID).update(tags__add={"new"}))
    assert last(driver).cql == "UPDATE test.product SET tags = tags + ? WHERE id = ?"
    assert list(last(driver).values) == [{"new"}, PID]


async def test_conditional_update_by_key_reports_failure(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["[applied]", "price"], [(False, 3.0)])
    with pytest.raises(ConditionalWriteFailed):
        await api(api.m.Product.find(id=PID).update(price=4.0, if_conditions={"price": 2.0}))
    assert last(driver).cql == "UPDATE test.product SET price = ? WHERE id = ? IF price = ?"
    driver.queue_rows(["[applied]"], [(True,)])
    await api(api.m.Product.find(id=PID).update(price=4.0, if_exists=True))
    assert last(driver).cql.endswith(" IF EXISTS")


@pytest.mark.parametrize(
    ("query", "changes", "message"),
    [
        (lambda m: m.Product.find(), {"price": 1.0}, r"needs the whole primary key; add .* id"),
        (
            lambda m: m.Review.find(product_id=PID, region="eu"),
            {"rating": 1},
            r"add filters for created_at, author",
        ),
        (lambda m: m.Product.find(id__in=[PID]), {"price": 1.0}, r"needs id=<value>, not __in"),
        (
            lambda m: m.Product.find(id=PID, category="x").allow_filtering(),
            {"price": 1.0},
            r"only filter on primary key columns; 'category' is not one",
        ),
        (lambda m: m.Product.find(id=PID).limit(1), {"price": 1.0}, r"cannot use limit\(\)"),
        (lambda m: m.Product.find(id=PID), {}, r"needs at least one field"),
        (lambda m: m.Product.find(id=PID), {"id": PID}, r"part of the primary key"),
        (lambda m: m.Product.find(id=PID), {"price": "cheap"}, r"not a valid value"),
        (lambda m: m.PageView.find(page="p"), {"views": 1}, r"counter; change it with increment"),
    ],
)
async def test_bad_updates_by_query_are_refused_before_sending(
    api: Any, driver: RecordingDriver, query: Any, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        await api(query(api.m).update(**changes))
    assert driver.statements == []
