"""Document and QuerySet behaviour against the recording driver, for coodie.sync and coodie.aio.

Every test runs twice through the ``api`` fixture (see conftest.py): ``await api(x)`` awaits
what the aio API returns and passes the sync API's results through.
"""

import datetime as dt
import re
from typing import Any
from uuid import UUID, uuid4

import pytest

from coodie.api.queryset import Page
from coodie.drivers.statement import Statement
from coodie.exceptions import (
    ConditionalWriteFailed,
    DocumentNotFound,
    InvalidQueryError,
    MultipleDocumentsFound,
    SchemaError,
)
from coodie.query.state import QueryState
from coodie.testing import RecordingDriver
from coodie.testing.recording import UNSET

PID = UUID("11111111-2222-3333-4444-555555555555")
PRODUCT_COLS = ["id", "name", "price", "category", "tags", "description"]
REVIEW_COLS = ["product_id", "region", "created_at", "author", "rating", "body"]
AT = dt.datetime(2024, 3, 1, 10, 30)


def last(driver: RecordingDriver) -> Statement:
    statement = driver.last
    assert isinstance(statement, Statement)
    return statement


def product_row(**changes: Any) -> tuple[Any, ...]:
    row = {
        "id": PID,
        "name": "pen",
        "price": 1.5,
        "category": "office",
        "tags": ["blue"],
        "description": None,
    }
    row.update(changes)
    return tuple(row[c] for c in PRODUCT_COLS)


LIVE_COLUMNS = ["column_name", "kind", "position", "clustering_order", "type"]
PRODUCT_LIVE = {
    "id": ("partition_key", 0, "none", "uuid"),
    "name": ("regular", -1, "none", "text"),
    "price": ("regular", -1, "none", "double"),
    "category": ("regular", -1, "none", "text"),
    "tags": ("regular", -1, "none", "set<text>"),
    "description": ("regular", -1, "none", "text"),
}


def queue_live_product(driver: RecordingDriver, columns: list[str]) -> None:
    """What system_schema.columns reports for the product table with ``columns``."""
    driver.queue_rows(LIVE_COLUMNS, [(c, *PRODUCT_LIVE[c]) for c in columns])


def review_row(author: str, rating: int = 3) -> tuple[Any, ...]:
    return (PID, "eu", AT, author, rating, None)


# -- schema ------------------------------------------------------------------------------


async def test_sync_table_fresh_creates_table_and_indexes(
    api: Any, driver: RecordingDriver
) -> None:
    ddl = await api(api.m.Product.sync_table())
    assert ddl == [
        "CREATE TABLE IF NOT EXISTS test.product (id uuid, name text, price double, category text, "
        "tags set<text>, description text, PRIMARY KEY (id))",
        "CREATE INDEX IF NOT EXISTS product_category_idx ON test.product (category)",
    ]
    probe, *rest = driver.statements
    assert isinstance(probe, Statement)
    assert probe.cql == (
        "SELECT column_name, kind, position, clustering_order, type FROM system_schema.columns "
        "WHERE keyspace_name = ? AND table_name = ?"
    )
    assert list(probe.values) == ["test", "product"]
    assert [s.cql for s in rest] == ddl  # type: ignore[union-attr]
    assert all(isinstance(s, Statement) and not s.prepare for s in rest)


async def test_sync_table_existing_table_adds_missing_column_only(
    api: Any, driver: RecordingDriver
) -> None:
    existing = [c for c in PRODUCT_COLS if c != "description"]
    queue_live_product(driver, existing)
    driver.queue_rows(["index_name"], [("product_category_idx",)])
    ddl = await api(api.m.Product.sync_table())
    assert ddl == ["ALTER TABLE test.product ADD description text"]
    assert driver.cql[1] == (
        "SELECT index_name FROM system_schema.indexes WHERE keyspace_name = ? AND table_name = ?"
    )
    assert driver.cql[2:] == ddl
    assert len(driver.statements) == 3


async def test_sync_table_existing_table_missing_index(api: Any, driver: RecordingDriver) -> None:
    queue_live_product(driver, PRODUCT_COLS)
    driver.queue_rows(["index_name"], [])
    ddl = await api(api.m.Product.sync_table())
    assert ddl == ["CREATE INDEX IF NOT EXISTS product_category_idx ON test.product (category)"]


async def test_sync_table_complete_table_runs_no_ddl(api: Any, driver: RecordingDriver) -> None:
    queue_live_product(driver, PRODUCT_COLS)
    driver.queue_rows(["index_name"], [("product_category_idx",)])
    assert await api(api.m.Product.sync_table()) == []
    assert len(driver.statements) == 2  # only the two system_schema reads


async def test_sync_table_refuses_to_change_the_primary_key(
    api: Any, driver: RecordingDriver
) -> None:
    queue_live_product(driver, ["name", "price"])
    with pytest.raises(SchemaError, match=r"lacks primary key columns \['id'\]"):
        await api(api.m.Product.sync_table())
    assert len(driver.statements) == 1


async def test_drop_table(api: Any, driver: RecordingDriver) -> None:
    assert await api(api.m.Review.drop_table()) is None
    assert driver.cql == ["DROP TABLE IF EXISTS test.review"]


# -- writes ------------------------------------------------------------------------------


async def test_save_binds_unset_for_none(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="pen", tags={"a"})
    assert await api(doc.save()) is None
    s = last(driver)
    assert s.cql.startswith(
        "INSERT INTO test.product (id, name, price, category, tags, description)"
    )
    assert list(s.values) == [PID, "pen", 0.0, "misc", {"a"}, UNSET]
    assert None not in s.values


async def test_save_with_ttl_and_datetime_timestamp(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="pen")
    when = dt.datetime(2020, 1, 1, 0, 0, 1, tzinfo=dt.timezone.utc)
    await api(doc.save(ttl=3600, timestamp=when))
    s = last(driver)
    assert s.cql.endswith(" USING TTL ? AND TIMESTAMP ?")
    assert list(s.values)[-2:] == [3600, 1_577_836_801_000_000]


async def test_insert_applied(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["[applied]"], [(True,)])
    doc = api.m.Product(id=PID, name="pen")
    await api(doc.insert())
    assert last(driver).cql.endswith(" IF NOT EXISTS")


async def test_insert_not_applied_carries_existing_row(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["[applied]", *PRODUCT_COLS], [(False, *product_row())])
    doc = api.m.Product(id=PID, name="new pen")
    with pytest.raises(ConditionalWriteFailed) as info:
        await api(doc.insert())
    error = info.value
    assert error.existing == {
        "id": PID,
        "name": "pen",
        "price": 1.5,
        "category": "office",
        "tags": {"blue"},  # converted to the declared type
        "description": None,
    }
    assert error.document == api.m.Product(
        id=PID, name="pen", price=1.5, category="office", tags={"blue"}
    )
    assert isinstance(error.document, api.m.Product)
    assert "insert was not applied" in str(error)
    assert "name='pen'" in str(error)
    assert doc.name == "new pen"


async def test_insert_not_applied_without_row_values(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["[applied]", "name"], [(False, "old")])
    with pytest.raises(ConditionalWriteFailed) as info:
        await api(api.m.Product(id=PID, name="pen").insert())
    assert info.value.existing == {"name": "old"}
    assert info.value.document is None


async def test_insert_without_applied_row_is_reported(api: Any, driver: RecordingDriver) -> None:
    with pytest.raises(ConditionalWriteFailed, match=r"no \[applied\] row") as info:
        await api(api.m.Product(id=PID, name="pen").insert())
    assert info.value.existing == {}


async def test_update_mirrors_on_instance_after_success(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="pen")
    assert doc.model_fields_set == {"id", "name"}
    await api(doc.update(price=2.5, description="blue ink"))
    assert doc.price == 2.5
    assert doc.description == "blue ink"
    assert doc.model_fields_set == {"id", "name", "price", "description"}
    assert last(driver).cql == "UPDATE test.product SET price = ?, description = ? WHERE id = ?"
    # Values given as a dict (for fields named like an option) and coerced like pydantic.
    await api(doc.update({"price": 3}, tags=["x", "y"]))
    assert doc.price == 3.0
    assert type(doc.price) is float
    assert doc.tags == {"x", "y"}
    assert list(last(driver).values) == [3.0, {"x", "y"}, PID]


async def test_update_lwt_not_applied_leaves_instance_unchanged(
    api: Any, driver: RecordingDriver
) -> None:
    doc = api.m.Product(id=PID, name="pen", price=1.0)
    driver.queue_rows(["[applied]", "price"], [(False, 9.0)])
    with pytest.raises(ConditionalWriteFailed) as info:
        await api(doc.update(price=2.0, if_conditions={"price": 1.0}))
    assert info.value.existing == {"price": 9.0}
    assert doc.price == 1.0
    assert doc.model_fields_set == {"id", "name", "price"}
    assert last(driver).cql == "UPDATE test.product SET price = ? WHERE id = ? IF price = ?"

    driver.queue_rows(["[applied]"], [(False,)])
    with pytest.raises(ConditionalWriteFailed, match=r"update was not applied.*no row"):
        await api(doc.update(name="gone", if_exists=True))
    assert doc.name == "pen"

    driver.queue_rows(["[applied]"], [(True,)])
    await api(doc.update(name="kept", if_exists=True))
    assert doc.name == "kept"


async def test_update_failure_in_driver_leaves_instance_unchanged(api: Any) -> None:
    from coodie import connections

    class Boom(RecordingDriver):
        def execute(self, statement: Any) -> Any:
            raise RuntimeError("connection lost")

    boom = Boom()
    previous = connections.unregister_driver()
    connections.register_driver(boom)
    try:
        doc = api.m.Product(id=PID, name="pen")
        with pytest.raises(RuntimeError, match="connection lost"):
            await api(doc.update(name="other"))
        assert doc.name == "pen"
    finally:
        connections.unregister_driver()
        if previous is not None:
            connections.register_driver(previous)


async def test_delete(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="pen")
    await api(doc.delete())
    assert last(driver).cql == "DELETE FROM test.product WHERE id = ?"
    assert list(last(driver).values) == [PID]
    driver.queue_rows(["[applied]"], [(False,)])
    with pytest.raises(ConditionalWriteFailed, match="delete was not applied"):
        await api(doc.delete(if_exists=True))


async def test_delete_columns_reads_back_empty(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="pen", tags={"a"}, description="d")
    await api(doc.delete_columns("tags", "description"))
    assert last(driver).cql == "DELETE tags, description FROM test.product WHERE id = ?"
    assert doc.tags == set()
    assert doc.description is None


async def test_increment(api: Any, driver: RecordingDriver) -> None:
    view = api.m.PageView(page="home")
    await api(view.increment(views=2))
    await api(view.increment(views=3, clicks=-1))
    assert (view.views, view.clicks) == (5, -1)
    assert driver.cql[-1] == (
        "UPDATE test.page_view SET views = views + ?, clicks = clicks + ? WHERE page = ?"
    )
    assert list(last(driver).values) == [3, -1, "home"]


# -- reads -------------------------------------------------------------------------------


async def test_get_found(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(PRODUCT_COLS, [product_row()])
    doc = await api(api.m.Product.get(id=PID))
    expected = api.m.Product(id=PID, name="pen", price=1.5, category="office", tags={"blue"})
    assert doc == expected
    assert doc.model_dump() == expected.model_dump()
    assert doc.model_dump() == {
        "id": PID,
        "name": "pen",
        "price": 1.5,
        "category": "office",
        "tags": {"blue"},
        "description": None,
    }
    assert doc.model_fields_set == set(PRODUCT_COLS)
    s = last(driver)
    assert s.cql.endswith("FROM test.product WHERE id = ?")
    assert list(s.values) == [PID]
    assert "LIMIT" not in s.cql


async def test_get_accepts_a_uuid_string(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(PRODUCT_COLS, [product_row()])
    doc = await api(api.m.Product.get(id=str(PID)))
    assert doc.id == PID
    assert list(last(driver).values) == [PID]


async def test_get_not_found(api: Any, driver: RecordingDriver) -> None:
    with pytest.raises(DocumentNotFound, match=re.escape(f"No Product matches id={PID!r}.")):
        await api(api.m.Product.get(id=PID))


async def test_get_multiple_found_by_partial_key(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(REVIEW_COLS, [review_row("ann"), review_row("bob")])
    with pytest.raises(MultipleDocumentsFound, match=r"More than one Review matches") as info:
        await api(api.m.Review.get(product_id=PID, region="eu"))
    assert "product_id, region, created_at, author" in str(info.value)
    s = last(driver)
    assert s.cql.endswith("WHERE product_id = ? AND region = ? LIMIT ?")
    assert list(s.values) == [PID, "eu", 2]


async def test_get_by_partial_key_single_row(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(REVIEW_COLS, [review_row("ann")])
    doc = await api(api.m.Review.get(product_id=PID, region="eu"))
    assert doc.author == "ann"


async def test_find_all_first_find_one(api: Any, driver: RecordingDriver) -> None:
    m = api.m
    driver.queue_rows(REVIEW_COLS, [review_row("ann", 5), review_row("bob", 1)])
    docs = await api(m.Review.find(product_id=PID, region="eu").all())
    assert [d.author for d in docs] == ["ann", "bob"]
    assert all(isinstance(d, m.Review) for d in docs)

    driver.queue_rows(REVIEW_COLS, [review_row("ann")])
    first = await api(m.Review.find(product_id=PID, region="eu").first())
    assert first.author == "ann"
    assert last(driver).cql.endswith(" LIMIT ?")
    assert list(last(driver).values) == [PID, "eu", 1]

    assert await api(m.Review.find(product_id=PID, region="eu").first()) is None
    assert await api(m.Product.find_one(id=PID)) is None
    assert list(last(driver).values) == [PID, 1]
    driver.queue_rows(PRODUCT_COLS, [product_row()])
    found = await api(m.Product.find_one(id=PID))
    assert found.name == "pen"


async def test_count(api: Any, driver: RecordingDriver) -> None:
    qs = api.m.Product.find(category="office")
    driver.queue_rows(["count"], [(7,)])
    assert await api(qs.count()) == 7
    assert last(driver).cql == "SELECT COUNT(*) FROM test.product WHERE category = ?"
    driver.queue_rows(["count"], [(7,)])
    assert await api(qs.limit(5).count()) == 5  # LIMIT caps what a query would return
    driver.queue_rows(["count"], [(7,)])
    assert await api(qs.limit(10).count()) == 7
    assert await api(qs.count()) == 0  # no row at all


def test_len_is_count_in_sync_api_only(api: Any, driver: RecordingDriver) -> None:
    qs = api.m.Product.find(id=PID)
    driver.queue_rows(["count"], [(4,)])
    if api.is_async:
        with pytest.raises(TypeError):
            len(qs)
        assert driver.statements == []
    else:
        assert len(qs) == 4
        assert driver.cql == ["SELECT COUNT(*) FROM test.product WHERE id = ?"]


async def test_queryset_delete(api: Any, driver: RecordingDriver) -> None:
    assert await api(api.m.Review.find(product_id=PID, region="eu").delete()) is None
    assert driver.cql == ["DELETE FROM test.review WHERE product_id = ? AND region = ?"]


# -- paging ------------------------------------------------------------------------------


def queue_three_pages(driver: RecordingDriver) -> None:
    driver.queue_rows(REVIEW_COLS, [review_row("a"), review_row("b")], paging_state=b"p1")
    driver.queue_rows(REVIEW_COLS, [review_row("c")], paging_state=b"p2")
    driver.queue_rows(REVIEW_COLS, [review_row("d"), review_row("e")])


async def test_all_follows_every_page(api: Any, driver: RecordingDriver) -> None:
    queue_three_pages(driver)
    qs = api.m.Review.find(product_id=PID, region="eu").fetch_size(2)
    docs = await api(qs.all())
    assert [d.author for d in docs] == ["a", "b", "c", "d", "e"]
    statements = driver.statements
    assert len(statements) == 3
    assert [s.paging_state for s in statements] == [None, b"p1", b"p2"]  # type: ignore[union-attr]
    assert {s.fetch_size for s in statements} == {2}  # type: ignore[union-attr]
    assert len({s.cql for s in statements}) == 1  # type: ignore[union-attr]


async def test_iteration_streams_every_page(api: Any, driver: RecordingDriver) -> None:
    queue_three_pages(driver)
    qs = api.m.Review.find(product_id=PID, region="eu")
    docs = await api.collect(qs)
    assert [d.author for d in docs] == ["a", "b", "c", "d", "e"]
    assert [s.paging_state for s in driver.statements] == [None, b"p1", b"p2"]  # type: ignore[union-attr]


async def test_iteration_is_lazy(api: Any, driver: RecordingDriver) -> None:
    queue_three_pages(driver)
    qs = api.m.Review.find(product_id=PID, region="eu")
    if api.is_async:
        iterator = qs.__aiter__()
        first = await iterator.__anext__()
        await iterator.aclose()
    else:
        iterator = iter(qs)
        first = next(iterator)
        iterator.close()
    assert first.author == "a"
    assert len(driver.statements) == 1  # the next pages were never requested


async def test_page_returns_items_and_paging_state(api: Any, driver: RecordingDriver) -> None:
    qs = api.m.Review.find(product_id=PID, region="eu")
    driver.queue_rows(REVIEW_COLS, [review_row("a"), review_row("b")], paging_state=b"next")
    page = await api(qs.page(page_size=2))
    assert isinstance(page, Page)
    assert [d.author for d in page.items] == ["a", "b"]
    assert page.paging_state == b"next"
    assert page.has_more
    assert last(driver).fetch_size == 2
    assert last(driver).paging_state is None

    driver.queue_rows(REVIEW_COLS, [review_row("c")])
    page = await api(qs.page(page.paging_state, page_size=2))
    assert [d.author for d in page.items] == ["c"]
    assert page.paging_state is None
    assert not page.has_more
    assert last(driver).paging_state == b"next"
    assert len(driver.statements) == 2


async def test_chaining_is_immutable(api: Any, driver: RecordingDriver) -> None:
    base = api.m.Review.find(product_id=PID, region="eu")
    before = base.state
    limited = base.limit(3)
    ordered = base.order_by("-created_at")
    filtered = base.filter(created_at__gt=AT)
    other = base.fetch_size(10).consistency("one").timeout(1).allow_filtering()
    assert base.state == before
    assert base.state.limit is None
    assert base.state.order_by == ()
    assert limited.state.limit == 3
    assert ordered.state.order_by == (("created_at", True),)
    assert len(filtered.state.filters) == 3
    assert other.state.allow_filtering
    assert other.state.fetch_size == 10
    assert type(limited) is type(base)
    assert limited is not base
    assert api.m.Review.find().state == QueryState()
    assert "Review" in repr(base)
    await api(base.all())
    assert list(last(driver).values) == [PID, "eu"]


async def test_find_returns_the_api_queryset(api: Any) -> None:
    qs = api.m.Product.find()
    assert type(qs) is api.module.QuerySet
    assert qs.model is api.m.Product


# -- bulk --------------------------------------------------------------------------------


async def test_insert_many(api: Any, driver: RecordingDriver) -> None:
    docs = [api.m.Product(id=uuid4(), name=f"p{i}") for i in range(5)]
    count = await api(api.m.Product.insert_many(docs, ttl=60))
    assert count == 5
    assert len(driver.statements) == 5
    assert {s.cql for s in driver.statements} == {  # type: ignore[union-attr]
        "INSERT INTO test.product (id, name, price, category, tags, description) "
        "VALUES (?, ?, ?, ?, ?, ?) USING TTL ?"
    }
    sent_ids = sorted(str(s.values[0]) for s in driver.statements)  # type: ignore[union-attr]
    assert sent_ids == sorted(str(d.id) for d in docs)
    assert await api(api.m.Product.insert_many([])) == 0


# -- refresh -------------------------------------------------------------------------------


async def test_refresh_replaces_the_field_values(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="old", price=1.0)
    driver.queue_rows(PRODUCT_COLS, [product_row(name="new", price=2.5, tags=["t"])])
    assert await api(doc.refresh()) is None
    assert last(driver).cql == (
        "SELECT id, name, price, category, tags, description FROM test.product WHERE id = ?"
    )
    assert list(last(driver).values) == [PID]
    assert (doc.name, doc.price, doc.tags) == ("new", 2.5, {"t"})
    assert type(doc.tags) is set
    assert doc.model_fields_set == set(PRODUCT_COLS)


async def test_refresh_of_a_deleted_row_raises(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="old")
    with pytest.raises(DocumentNotFound, match=re.escape(f"No Product matches id={PID!r}.")):
        await api(doc.refresh())
    assert doc.name == "old"  # unchanged


async def test_refresh_needs_the_key(api: Any, driver: RecordingDriver) -> None:
    doc = api.m.Product(id=PID, name="x")
    doc.id = None
    with pytest.raises(InvalidQueryError, match="primary key column 'id' is None"):
        await api(doc.refresh())
    assert driver.statements == []


# -- the unset_free hint for drivers -------------------------------------------------------


async def test_statements_say_when_they_hold_no_unset_marker(
    api: Any, driver: RecordingDriver
) -> None:
    doc = api.m.Product(id=PID, name="pen", description="blue ink")
    await api(doc.save())
    assert UNSET not in last(driver).values
    assert last(driver).unset_free is True
    doc.description = None
    await api(doc.save())
    assert UNSET in last(driver).values
    assert last(driver).unset_free is False  # drivers must look for the marker
    await api(doc.update(price=2.0))
    assert last(driver).unset_free is True
    await api(doc.delete())
    assert last(driver).unset_free is True
    with pytest.raises(DocumentNotFound):
        await api(api.m.Product.get(id=PID))
    assert last(driver).unset_free is True


async def test_a_query_is_checked_and_its_cql_built_once_for_all_its_pages(
    api: Any, driver: RecordingDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pager asks the mapper's read part for the query once; each page only adds its
    paging state (and gets its own list of values)."""
    import coodie.mapping.reads

    checks: list[Any] = []
    check = coodie.mapping.reads.check_select
    monkeypatch.setattr(
        coodie.mapping.reads, "check_select", lambda *a, **k: checks.append(a) or check(*a, **k)
    )
    queue_three_pages(driver)
    await api(api.m.Review.find(product_id=PID, region="eu").all())
    assert len(checks) == 1
    statements = [s for s in driver.statements if isinstance(s, Statement)]
    assert [s.paging_state for s in statements] == [None, b"p1", b"p2"]
    assert statements[0].values == statements[1].values
    assert statements[0].values is not statements[1].values
