"""QuerySet.values_list() / values(): rows as tuples, bare values or dicts of declared types."""

import enum
from typing import Annotated, Any
from uuid import UUID

import pytest

from coodie.api.queryset import Page
from coodie.drivers.statement import Statement
from coodie.exceptions import InvalidQueryError
from coodie.fields import PrimaryKey
from coodie.sync import Document
from coodie.testing import RecordingDriver

PID = UUID("11111111-2222-3333-4444-555555555555")
OTHER = UUID("99999999-2222-3333-4444-555555555555")
PRODUCT_COLS = ["id", "name", "price", "category", "tags", "description"]


def product_row(uid: UUID = PID, name: str = "pen", tags: Any = ("b", "a")) -> tuple[Any, ...]:
    return (uid, name, 1.5, "office", tags, None)


def last(driver: RecordingDriver) -> Statement:
    statement = driver.last
    assert isinstance(statement, Statement)
    return statement


async def test_values_list_reads_every_column_as_decoded_tuples(
    api: Any, driver: RecordingDriver
) -> None:
    driver.queue_rows(PRODUCT_COLS, [product_row(), product_row(OTHER, "ink", None)])
    rows = await api(api.m.Product.find(category="office").values_list().all())
    assert last(driver).cql == (
        "SELECT id, name, price, category, tags, description FROM test.product WHERE category = ?"
    )
    assert list(last(driver).values) == ["office"]
    assert rows == [
        (PID, "pen", 1.5, "office", {"a", "b"}, None),
        (OTHER, "ink", 1.5, "office", set(), None),  # a null collection reads back empty
    ]
    assert all(type(row) is tuple for row in rows)
    assert type(rows[0][4]) is set  # the driver's list became the declared set


async def test_values_list_selects_only_the_named_columns(
    api: Any, driver: RecordingDriver
) -> None:
    driver.queue_rows(["name", "id"], [("pen", PID), ("ink", OTHER)])
    rows = await api(api.m.Product.find(category="office").values_list("name", "id").all())
    assert last(driver).cql == "SELECT name, id FROM test.product WHERE category = ?"
    assert rows == [("pen", PID), ("ink", OTHER)]


async def test_flat_values_list_hands_out_bare_values(api: Any, driver: RecordingDriver) -> None:
    qs = api.m.Product.find(category="office").values_list("tags", flat=True)
    driver.queue_rows(["tags"], [(["x"],), (None,)])
    assert await api(qs.all()) == [{"x"}, set()]
    driver.queue_rows(["tags"], [(["y", "z"],)])
    assert await api(qs.first()) == {"y", "z"}
    assert last(driver).cql == "SELECT tags FROM test.product WHERE category = ? LIMIT ?"
    assert list(last(driver).values) == ["office", 1]
    assert await api(qs.first()) is None  # no row


async def test_values_hands_out_dicts(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["id", "price"], [(PID, 2.5)])
    rows = await api(api.m.Product.find(id=PID).values("id", "price").all())
    assert last(driver).cql == "SELECT id, price FROM test.product WHERE id = ?"
    assert rows == [{"id": PID, "price": 2.5}]
    driver.queue_rows(PRODUCT_COLS, [product_row()])
    (everything,) = await api(api.m.Product.find(id=PID).values().all())
    assert list(everything) == PRODUCT_COLS
    assert everything["tags"] == {"a", "b"}


async def test_chaining_keeps_the_projection(api: Any, driver: RecordingDriver) -> None:
    qs = api.m.Review.find(product_id=PID, region="eu").values_list("author", flat=True)
    chained = qs.order_by("-created_at").limit(2).fetch_size(50)
    assert type(chained) is type(qs)
    driver.queue_rows(["author"], [("ann",), ("bob",)])
    assert await api(chained.all()) == ["ann", "bob"]
    statement = last(driver)
    assert statement.cql == (
        "SELECT author FROM test.review WHERE product_id = ? AND region = ? "
        "ORDER BY created_at DESC LIMIT ?"
    )
    assert statement.fetch_size == 50
    assert list(statement.values) == [PID, "eu", 2]


async def test_values_stream_and_page_through_every_page(api: Any, driver: RecordingDriver) -> None:
    def queue() -> None:
        driver.queue_rows(["name"], [("a",), ("b",)], paging_state=b"p1")
        driver.queue_rows(["name"], [("c",)])

    qs = api.m.Product.find(category="office").values_list("name", flat=True)
    queue()
    assert await api.collect(qs) == ["a", "b", "c"]
    assert [s.paging_state for s in driver.statements] == [None, b"p1"]  # type: ignore[union-attr]
    queue()
    assert await api(qs.all()) == ["a", "b", "c"]
    queue()
    page = await api(qs.page(page_size=2))
    assert page == Page(["a", "b"], b"p1")
    nxt = await api(qs.page(page.paging_state, page_size=2))
    assert nxt == Page(["c"], None)
    assert last(driver).paging_state == b"p1"


async def test_count_of_a_values_query_counts_rows(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["count"], [(3,)])
    assert await api(api.m.Product.find(category="office").values("name").count()) == 3
    assert last(driver).cql == "SELECT COUNT(*) FROM test.product WHERE category = ?"


def test_values_queries_cannot_delete_or_be_projected_again(api: Any) -> None:
    qs = api.m.Product.find(category="office").values_list("name")
    assert not hasattr(qs, "delete")
    assert not hasattr(qs, "values_list")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda qs: qs.values_list("nope"), "Product has no column 'nope'"),
        (lambda qs: qs.values("name", "nope"), "Product has no column 'nope'"),
        (lambda qs: qs.values_list("name", "name"), "names 'name' more than once"),
        (lambda qs: qs.values_list(flat=True), "needs exactly one column, got 0"),
        (lambda qs: qs.values_list("id", "name", flat=True), "needs exactly one column, got 2"),
        (lambda qs: qs.values_list(1), "takes column names as strings, got 1"),
    ],
)
def test_bad_projections_are_refused_before_any_statement(
    api: Any, driver: RecordingDriver, call: Any, message: str
) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        call(api.m.Product.find(category="office"))
    assert driver.statements == []


class Mood(str, enum.Enum):
    HAPPY = "happy"
    SAD = "sad"


class Diary(Document):
    id: Annotated[UUID, PrimaryKey()]
    mood: Mood = Mood.HAPPY
    scores: dict[str, int] = {}


def test_values_decode_like_documents(driver: RecordingDriver) -> None:
    """Enums, maps given as (key, value) pairs: the same decoders as hydration."""
    row = (PID, "sad", [("a", 1)])
    driver.queue_rows(["id", "mood", "scores"], [row])
    (doc,) = Diary.find(id=PID).all()
    driver.queue_rows(["id", "mood", "scores"], [row])
    (values,) = Diary.find(id=PID).values_list().all()
    assert values == (doc.id, doc.mood, doc.scores) == (PID, Mood.SAD, {"a": 1})
    assert values[1] is Mood.SAD


def test_rows_with_undeclared_columns_are_a_schema_error(driver: RecordingDriver) -> None:
    from coodie.exceptions import SchemaError

    driver.queue_rows(["id", "surprise"], [(PID, 1)])
    with pytest.raises(SchemaError, match=r"columns \['surprise'\] that the model does not"):
        Diary.find(id=PID).values().all()


# -- distinct() ------------------------------------------------------------------------------


async def test_distinct_reads_one_row_per_partition(api: Any, driver: RecordingDriver) -> None:
    qs = api.m.Review.find().values_list("product_id", "region").distinct()
    driver.queue_rows(["product_id", "region"], [(PID, "eu"), (OTHER, "us")])
    assert await api(qs.all()) == [(PID, "eu"), (OTHER, "us")]
    assert last(driver).cql == "SELECT DISTINCT product_id, region FROM test.review"
    scan = qs.token_range(None, 0).limit(10)
    driver.queue_rows(["product_id", "region"], [])
    assert await api(scan.all()) == []
    assert last(driver).cql == (
        "SELECT DISTINCT product_id, region FROM test.review "
        "WHERE token(product_id, region) <= ? LIMIT ?"
    )
    assert list(last(driver).values) == [0, 10]
    one = api.m.Product.find(id=PID).values("id").distinct()
    driver.queue_rows(["id"], [(PID,)])
    assert await api(one.all()) == [{"id": PID}]
    assert last(driver).cql == "SELECT DISTINCT id FROM test.product WHERE id = ?"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda m: m.Review.find().values_list("product_id", "region", "author").distinct(),
            r"only select partition key and static columns; drop author",
        ),
        (
            lambda m: m.Review.find().values_list("product_id", flat=True).distinct(),
            r"must select the whole partition key; add region",
        ),
        (
            lambda m: (
                m.Review.find(product_id=PID, region="eu", author="ann")
                .values_list("product_id", "region")
                .distinct()
            ),
            r"only filter on the partition key .* author is not part of it",
        ),
        (
            lambda m: (
                m.Review.find(product_id=PID, region="eu")
                .values_list("product_id", "region")
                .distinct()
                .order_by("-created_at")
            ),
            r"cannot use order_by\(\)",
        ),
    ],
)
async def test_bad_distinct_queries_are_refused(
    api: Any, driver: RecordingDriver, build: Any, message: str
) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        await api(build(api.m).all())
    assert driver.statements == []


async def test_distinct_cannot_count(api: Any, driver: RecordingDriver) -> None:
    qs = api.m.Product.find().values_list("id").distinct()
    with pytest.raises(InvalidQueryError, match=r"count\(\) of a distinct\(\) query"):
        await api(qs.count())
    assert driver.statements == []
