"""Materialized views against the real node: DDL, reads through the QuerySet, writes refused.

Views are eventually consistent with their base table: reads retry for a bounded time
rather than sleeping a fixed one.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import pytest

from coodie import ClusteringKey, DocumentNotFound, PrimaryKey, SchemaError, ViewWriteError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def views_keyspaces(driver_type: str) -> Iterator[None]:
    """Keyspaces of this module only (``it_views_<driver>_<api>``), dropped at its end."""
    import coodie.sync

    names = [f"it_views_{driver_type}_{kind}" for kind in ("sync", "aio")]
    for name in names:
        coodie.sync.create_keyspace(name, connection=f"it-{driver_type}")
    yield
    for name in names:
        coodie.sync.drop_keyspace(name, connection=f"it-{driver_type}")


@pytest.fixture
async def models(api: Any, views_keyspaces: None) -> AsyncIterator[Any]:
    """A Product table and its view by brand, in this module's keyspace; dropped after."""
    keyspace = f"it_views_{api.driver_type}_{api.kind}"

    class Product(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        brand: str = ""
        name: str = ""
        price: float = 0.0

        Settings = type(
            "Settings",
            (),
            {"name": api.table("product"), "keyspace": keyspace, "connection": api.connection},
        )

    class ProductByBrand(api.module.MaterializedView):
        brand: Annotated[str, PrimaryKey()]
        id: Annotated[uuid.UUID, ClusteringKey()]
        name: str = ""

        Settings = type("Settings", (), {"base": Product, "name": f"{Product.Settings.name}_v"})

    await api(Product.sync_table())
    created = await api(ProductByBrand.sync_view())
    assert created
    assert created[0].startswith("CREATE MATERIALIZED VIEW IF NOT EXISTS")
    try:
        yield type("Models", (), {"Product": Product, "View": ProductByBrand})
    finally:
        await api(ProductByBrand.drop_view())
        await api(Product.drop_table())


async def eventually(check: Callable[[], Awaitable[Any]], seconds: float = 20.0) -> Any:
    """``await check()`` until it stops raising AssertionError (at most ``seconds``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        try:
            return await check()
        except (AssertionError, DocumentNotFound):
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.1)


async def test_sync_view_is_idempotent_and_checks_the_base(api: Any, models: Any) -> None:
    assert await api(models.View.sync_view()) == []
    with pytest.raises(SchemaError, match="sync_view"):
        await api(models.View.sync_table())


async def test_view_reads_with_the_usual_queryset(api: Any, models: Any) -> None:
    Product, View = models.Product, models.View
    ids = sorted(uuid.uuid4() for _ in range(5))
    for number, key in enumerate(ids):
        await api(Product(id=key, brand="acme", name=f"p{number}", price=number).save())
    await api(Product(id=uuid.uuid4(), brand="other", name="x").save())

    async def all_five() -> list[Any]:
        found = await api(View.find(brand="acme").all())
        assert len(found) == 5
        return found

    found = await eventually(all_five)
    assert all(type(doc) is View for doc in found)
    assert [doc.id for doc in found] == ids  # the view's clustering order
    assert {doc.name for doc in found} == {f"p{n}" for n in range(5)}
    assert await api(View.find(brand="acme").count()) == 5
    one = await api(View.get(brand="acme", id=ids[2]))
    assert one.name == "p2"
    page = await api(View.find(brand="acme").fetch_size(2).page())
    assert len(page.items) == 2
    rest = await api(View.find(brand="acme").fetch_size(2).page(token=page.next_token))
    assert [d.id for d in rest.items] == ids[2:4]
    streamed = await api.iterate(View.find(brand="acme").fetch_size(2))
    assert len(streamed) == 5


async def test_every_write_to_a_view_is_refused(api: Any, models: Any) -> None:
    View = models.View
    doc = View(brand="acme", id=uuid.uuid4(), name="n")
    writes: list[Callable[[], Any]] = [
        doc.save,
        doc.insert,
        lambda: doc.update(name="m"),
        doc.delete,
        lambda: doc.delete_columns("name"),
        lambda: View.insert_many([doc]),
        lambda: View.find(brand="acme").update(name="m"),
        lambda: View.find(brand="acme").delete(),
    ]
    for write in writes:
        with pytest.raises(ViewWriteError, match="read-only"):
            await api(write())
    with pytest.raises(ViewWriteError):
        async with _batch(api) as batch:
            batch.save(doc)
    assert await api(View.find(brand="acme").count()) == 0


def _batch(api: Any) -> Any:
    import contextlib

    @contextlib.asynccontextmanager
    async def entered() -> AsyncIterator[Any]:
        batch = api.BatchQuery()
        if api.kind == "aio":
            async with batch as inside:
                yield inside
        else:
            with batch as inside:
                yield inside

    return entered()
