"""Materialized views (no database): declaration rules, DDL, sync_view(), refused writes."""

import uuid
from typing import Annotated, Any

import pytest

from coodie.cql.views import create_view, drop_view
from coodie.exceptions import SchemaError, ViewWriteError
from coodie.fields import ClusteringKey, Counter, Indexed, PrimaryKey, Static
from coodie.testing import RecordingDriver

LIVE_COLUMNS = ["column_name", "kind", "position", "clustering_order", "type"]
BASE_LIVE = [
    ("id", "partition_key", 0, "none", "uuid"),
    ("brand", "regular", -1, "none", "text"),
    ("name", "regular", -1, "none", "text"),
    ("price", "regular", -1, "none", "double"),
]
VIEW_LIVE = [
    ("brand", "partition_key", 0, "none", "text"),
    ("id", "clustering", 0, "desc", "uuid"),
    ("name", "regular", -1, "none", "text"),
]


def product_model(api: Any) -> Any:
    class Product(api.module.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        brand: str = ""
        name: str = ""
        price: float = 0.0

        Settings = type("Settings", (), {"name": "product", "keyspace": "shop"})

    return Product


def view_model(api: Any, base: Any) -> Any:
    class ProductByBrand(api.module.MaterializedView):
        brand: Annotated[str, PrimaryKey()]
        id: Annotated[uuid.UUID, ClusteringKey(order="DESC")]
        name: str = ""

        Settings = type("Settings", (), {"base": base})

    return ProductByBrand


def test_view_ddl_selects_its_columns_with_is_not_null_on_its_key(api: Any) -> None:
    Product = product_model(api)
    View = view_model(api, Product)
    schema = View.coodie_schema()
    assert schema.keyspace == "shop"  # the base's keyspace
    assert create_view(schema, Product.coodie_schema()) == (
        "CREATE MATERIALIZED VIEW IF NOT EXISTS shop.product_by_brand AS SELECT brand, id, "
        "name FROM shop.product WHERE brand IS NOT NULL AND id IS NOT NULL PRIMARY KEY "
        "(brand, id) WITH CLUSTERING ORDER BY (id DESC)"
    )
    assert drop_view(schema) == "DROP MATERIALIZED VIEW IF EXISTS shop.product_by_brand"


def test_composite_view_key(api: Any) -> None:
    Product = product_model(api)

    class ByBrandAndId(api.module.MaterializedView):
        brand: Annotated[str, PrimaryKey()]
        id: Annotated[uuid.UUID, PrimaryKey(partition_key_index=1)]

        Settings = type("Settings", (), {"base": Product, "name": "v2"})

    cql = create_view(ByBrandAndId.coodie_schema(), Product.coodie_schema())
    assert cql.endswith("PRIMARY KEY ((brand, id))")


def _declare(api: Any, base: Any, fields: dict[str, Any], **settings: Any) -> Any:
    namespace = {
        "__module__": __name__,
        "__annotations__": fields,
        "Settings": type("Settings", (), {"base": base, **settings}),
    }
    return type("BadView", (api.module.MaterializedView,), namespace)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"brand": Annotated[str, PrimaryKey()]}, "must contain every primary key column"),
        (
            {
                "brand": Annotated[str, PrimaryKey()],
                "name": Annotated[str, ClusteringKey()],
                "id": Annotated[uuid.UUID, ClusteringKey(clustering_key_index=1)],
            },
            "at most one column that is not in the base's primary key",
        ),
        (
            {"id": Annotated[uuid.UUID, PrimaryKey()], "colour": str},
            "'colour' is not a column of Product",
        ),
        ({"id": Annotated[uuid.UUID, PrimaryKey()], "price": int}, "declare the base's type"),
        (
            {"id": Annotated[uuid.UUID, PrimaryKey()], "name": Annotated[str, Indexed()]},
            "does not index views",
        ),
    ],
)
def test_view_shapes_cql_refuses_are_schema_errors(
    api: Any, fields: dict[str, Any], message: str
) -> None:
    Product = product_model(api)
    with pytest.raises(SchemaError, match=message):
        _declare(api, Product, fields)


def test_view_needs_a_table_base_in_the_same_keyspace(api: Any) -> None:
    Product = product_model(api)
    key = {"id": Annotated[uuid.UUID, PrimaryKey()]}
    with pytest.raises(SchemaError, match="Settings: base ="):
        type(
            "NoBase",
            (api.module.MaterializedView,),
            {"__module__": __name__, "__annotations__": key},
        )
    with pytest.raises(SchemaError, match="lives in its base's keyspace"):
        _declare(api, Product, key, keyspace="elsewhere")
    View = view_model(api, Product)
    with pytest.raises(SchemaError, match="is a view"):
        _declare(api, View, key)
    with pytest.raises(SchemaError, match="subclass MaterializedView"):
        type(
            "Plain",
            (api.module.Document,),
            {
                "__module__": __name__,
                "__annotations__": key,
                "Settings": type("Settings", (), {"base": Product}),
            },
        )


def test_views_of_static_or_counter_columns_are_refused(api: Any) -> None:
    class Thread(api.module.Document):
        forum: Annotated[str, PrimaryKey()]
        at: Annotated[int, ClusteringKey()]
        title: Annotated[str | None, Static()] = None

    class Hits(api.module.Document):
        page: Annotated[str, PrimaryKey()]
        hits: Annotated[int, Counter()] = 0

    keys = {"forum": Annotated[str, PrimaryKey()], "at": Annotated[int, ClusteringKey()]}
    with pytest.raises(SchemaError, match="static column 'title'"):
        _declare(api, Thread, {**keys, "title": str | None})
    with pytest.raises(SchemaError, match="counter table"):
        _declare(api, Hits, {"page": Annotated[str, PrimaryKey()]})


async def test_sync_view_creates_a_missing_view(api: Any, driver: RecordingDriver) -> None:
    View = view_model(api, product_model(api))
    driver.queue_rows(LIVE_COLUMNS, BASE_LIVE).queue_rows(LIVE_COLUMNS, [])
    planned = await api(View.sync_view())
    assert planned == [driver.cql[-1]]
    assert planned[0].startswith("CREATE MATERIALIZED VIEW IF NOT EXISTS shop.product_by_brand")
    driver.reset()
    driver.queue_rows(LIVE_COLUMNS, BASE_LIVE).queue_rows(LIVE_COLUMNS, [])
    assert len(await api(View.sync_view(dry_run=True))) == 1
    assert not any("CREATE" in cql for cql in driver.cql)


async def test_sync_view_checks_the_base_and_an_existing_view(
    api: Any, driver: RecordingDriver
) -> None:
    View = view_model(api, product_model(api))
    driver.queue_rows(LIVE_COLUMNS, [])
    with pytest.raises(SchemaError, match=r"run Product.sync_table\(\) before sync_view"):
        await api(View.sync_view())
    driver.queue_rows(LIVE_COLUMNS, BASE_LIVE).queue_rows(LIVE_COLUMNS, VIEW_LIVE)
    assert await api(View.sync_view()) == []
    driver.queue_rows(LIVE_COLUMNS, BASE_LIVE).queue_rows(LIVE_COLUMNS, VIEW_LIVE[:2])
    with pytest.raises(SchemaError, match="lacks the columns name"):
        await api(View.sync_view())
    with pytest.raises(SchemaError, match="use sync_view"):
        await api(View.sync_table())
    with pytest.raises(SchemaError, match="use drop_view"):
        await api(View.drop_table())
    driver.reset()
    await api(View.drop_view())
    assert driver.cql == ["DROP MATERIALIZED VIEW IF EXISTS shop.product_by_brand"]


async def test_view_reads_use_the_view_table(api: Any, driver: RecordingDriver) -> None:
    View = view_model(api, product_model(api))
    key = uuid.uuid4()
    driver.queue_rows(["brand", "id", "name"], [("acme", key, "anvil")])
    found = await api(View.find(brand="acme").all())
    assert driver.cql == ["SELECT brand, id, name FROM shop.product_by_brand WHERE brand = ?"]
    assert found == [View(brand="acme", id=key, name="anvil")]
    driver.queue_rows(["count"], [(1,)])
    assert await api(View.find(brand="acme").count()) == 1


async def test_every_write_is_refused_before_sending(api: Any, driver: RecordingDriver) -> None:
    View = view_model(api, product_model(api))
    doc = View(brand="acme", id=uuid.uuid4(), name="anvil")
    writes = [
        lambda: doc.save(),
        lambda: doc.insert(),
        lambda: doc.update(name="x"),
        lambda: doc.delete(),
        lambda: doc.delete_columns("name"),
        lambda: View.insert_many([doc]),
        lambda: View.find(brand="acme").update(name="x"),
        lambda: View.find(brand="acme").delete(),
    ]
    for write in writes:
        with pytest.raises(ViewWriteError, match="Write Product instead"):
            await api(write())
    with pytest.raises(ViewWriteError):
        async with api.batch() as batch:
            batch.save(doc)
    assert driver.cql == []
