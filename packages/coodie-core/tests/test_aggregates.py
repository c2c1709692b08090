"""QuerySet.sum() / avg() / min() / max(): CQL aggregates, checked and converted."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import pytest

from coodie.drivers.statement import Statement
from coodie.exceptions import InvalidQueryError
from coodie.testing import RecordingDriver

PID = UUID("11111111-2222-3333-4444-555555555555")


def last(driver: RecordingDriver) -> Statement:
    statement = driver.last
    assert isinstance(statement, Statement)
    return statement


async def test_sum_of_an_integer_column_is_exact(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["s"], [(2**40,)])
    total = await api(api.m.Review.find(product_id=PID, region="eu").sum("rating"))
    assert last(driver).cql == (
        "SELECT sum(CAST(rating AS varint)) FROM test.review WHERE product_id = ? AND region = ?"
    )
    assert list(last(driver).values) == [PID, "eu"]
    assert total == 2**40


async def test_avg_of_an_integer_column_is_a_float(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["a", "n"], [(2.5, 2)])
    mean = await api(api.m.Review.find(product_id=PID, region="eu").avg("rating"))
    assert last(driver).cql.startswith(
        "SELECT avg(CAST(rating AS double)), COUNT(rating) FROM test.review"
    )
    assert mean == 2.5
    driver.queue_rows(["a", "n"], [(0.0, 0)])
    assert await api(api.m.Review.find(product_id=PID, region="eu").avg("rating")) is None


async def test_min_max_keep_the_column_type(api: Any, driver: RecordingDriver) -> None:
    when = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)
    driver.queue_rows(["m"], [(when,)])
    first = await api(api.m.Review.find(product_id=PID, region="eu").min("created_at"))
    assert last(driver).cql.startswith("SELECT min(created_at) FROM test.review")
    assert first == when
    driver.queue_rows(["m"], [("zed",)])
    assert await api(api.m.Product.find(category="x").max("name")) == "zed"
    assert last(driver).cql == "SELECT max(name) FROM test.product WHERE category = ?"
    driver.queue_rows(["m"], [(None,)])
    assert await api(api.m.Product.find(category="x").max("name")) is None


async def test_sum_of_floats_and_of_nothing(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["s"], [(4.5,)])
    assert await api(api.m.Product.find().allow_filtering().sum("price")) == 4.5
    assert last(driver).cql == (
        "SELECT sum(CAST(price AS double)) FROM test.product ALLOW FILTERING"
    )
    driver.queue_rows(["s"], [(None,)])
    assert await api(api.m.Product.find(category="none").sum("price")) == 0


def test_decimal_plan_is_not_cast() -> None:
    from coodie.fields import PrimaryKey
    from coodie.query.aggregates import plan_aggregate
    from coodie.query.state import QueryState
    from coodie.sync import Document

    class Ledger(Document):
        id: Annotated[int, PrimaryKey()]
        amount: Decimal = Decimal(0)

    schema = Ledger.coodie_schema()
    plan = plan_aggregate(schema, QueryState(), "avg", "amount")
    assert (plan.cast, plan.result_type, plan.result_cast) == (None, "decimal", "text")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda q: q.sum("name"), r"sum\(\) needs a numeric column.*name is text"),
        (lambda q: q.avg("tags"), r"avg\(\) needs a numeric column"),
        (lambda q: q.min("tags"), r"min\(\) compares single values"),
        (lambda q: q.max("nope"), r"max\('nope'\) names no column.*use one of"),
        (lambda q: q.limit(3).sum("price"), r"limit\(\) would not limit them"),
    ],
)
async def test_aggregates_are_checked_before_sending(
    api: Any, driver: RecordingDriver, call: Any, message: str
) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        await api(call(api.m.Product.find(category="x")))
    assert driver.cql == []


async def test_counters_sum_exactly(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["s"], [(7,)])
    assert await api(api.m.PageView.find(page="home").sum("views")) == 7
    assert last(driver).cql == (
        "SELECT sum(CAST(views AS varint)) FROM test.page_view WHERE page = ?"
    )


async def test_aggregates_take_the_query_options(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["m"], [(3,)])
    query = api.m.Review.find(product_id=PID, region="eu").consistency("ONE").timeout(2.0)
    assert await api(query.max("rating")) == 3
    assert (last(driver).consistency, last(driver).timeout) == ("ONE", 2.0)
