"""CRUD, types, queries and writes against the real node, for both APIs and drivers."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import uuid
from decimal import Decimal
from ipaddress import IPv4Address, IPv6Address
from typing import Annotated, Any

import pytest

from coodie import (
    Ascii,
    BigInt,
    ClusteringKey,
    ConditionalWriteFailed,
    Counter,
    DocumentNotFound,
    DriverError,
    Frozen,
    Indexed,
    InvalidQueryError,
    MultipleDocumentsFound,
    PrimaryKey,
    SmallInt,
    TimeUUID,
    TinyInt,
    UnsupportedTypeError,
    VarInt,
    token_ranges,
)

pytestmark = pytest.mark.integration


class Color(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


def ms(value: dt.datetime) -> dt.datetime:
    """Cassandra keeps milliseconds."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def product_model(api: Any) -> Any:
    class Product(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        name: str
        brand: Annotated[str, Indexed()] = "acme"
        category: Annotated[str, Indexed()] = "misc"
        price: float = 0.0
        description: str | None = None
        tags: list[str] = []

        Settings = api.settings(name=api.table("product"))

    return Product


def review_model(api: Any) -> Any:
    class Review(api.Document):
        product_id: Annotated[uuid.UUID, PrimaryKey()]
        created_at: Annotated[dt.datetime, ClusteringKey(order="DESC")]
        author: str = "anon"
        rating: Annotated[int, Indexed()] = 3

        Settings = api.settings(name=api.table("review"))

    return Review


async def synced(api: Any, cleanup: list[Any], model: Any) -> Any:
    await api(model.sync_table())
    cleanup.append(model)
    return model


# -- DDL -----------------------------------------------------------------------------------


async def test_sync_table_creates_then_is_a_noop_then_alters(api: Any, cleanup: list[Any]) -> None:
    table = api.table("ddl")

    class V1(api.Document):
        id: Annotated[int, PrimaryKey()]
        name: str = ""
        Settings = api.settings(name=table)

    created = await api(V1.sync_table())
    cleanup.append(V1)
    assert created[0].startswith("CREATE TABLE IF NOT EXISTS")
    assert await api(V1.sync_table()) == []

    class V2(api.Document):
        id: Annotated[int, PrimaryKey()]
        name: str = ""
        score: Annotated[int, Indexed()] = 0
        Settings = api.settings(name=table)

    changes = await api(V2.sync_table())
    assert changes[0] == f"ALTER TABLE {api.keyspace}.{table} ADD score int"
    assert changes[1].startswith("CREATE INDEX IF NOT EXISTS")
    await api(V2(id=1, name="n", score=7).save())
    assert (await api(V2.get(id=1))).score == 7
    assert await api(V2.find(score=7).count()) == 1
    await api(V2.drop_table())
    with pytest.raises(DriverError):  # the table is gone: the driver reports it
        await api(V2.get(id=1))


# -- CRUD ----------------------------------------------------------------------------------


async def test_scalar_crud_cycle(api: Any, cleanup: list[Any]) -> None:
    Product = await synced(api, cleanup, product_model(api))
    pid = uuid.uuid4()
    product = Product(id=pid, name="Widget", price=9.5, tags=["a", "b"])
    await api(product.save())
    assert await api(Product.get(id=pid)) == product
    assert await api(Product.find_one(id=pid)) == product
    await api(product.delete())
    with pytest.raises(DocumentNotFound):
        await api(Product.get(id=pid))
    assert await api(Product.find_one(id=pid)) is None


async def test_every_scalar_type_round_trips(api: Any, cleanup: list[Any]) -> None:
    class AllTypes(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        c_text: str
        c_ascii: Annotated[str, Ascii()]
        c_int: int
        c_bigint: Annotated[int, BigInt()]
        c_smallint: Annotated[int, SmallInt()]
        c_tinyint: Annotated[int, TinyInt()]
        c_varint: Annotated[int, VarInt()]
        c_double: float
        c_bool: bool
        c_timeuuid: Annotated[uuid.UUID, TimeUUID()]
        c_timestamp: dt.datetime
        c_date: dt.date
        c_time: dt.time
        c_duration: dt.timedelta
        c_blob: bytes
        c_inet4: IPv4Address
        c_inet6: IPv6Address
        c_enum: Color
        Settings = api.settings(name=api.table("types"))

    await synced(api, cleanup, AllTypes)
    doc = AllTypes(
        id=uuid.uuid4(),
        c_text="zoë ✓",
        c_ascii="ascii",
        c_int=-(2**31),
        c_bigint=2**63 - 1,
        c_smallint=-(2**15),
        c_tinyint=2**7 - 1,
        c_varint=10**30 + 1,
        c_double=0.1,
        c_bool=False,
        c_timeuuid=uuid.uuid1(),
        c_timestamp=ms(dt.datetime(2030, 5, 17, 8, 9, 10, 123456)),
        c_date=dt.date(1970, 1, 1),
        c_time=dt.time(12, 30, 45, 999999),
        c_duration=dt.timedelta(days=1, seconds=2, microseconds=3),
        c_blob=b"\x00\xffbytes",
        c_inet4=IPv4Address("10.1.2.3"),
        c_inet6=IPv6Address("::1"),
        c_enum=Color.BLUE,
    )
    await api(doc.save())
    back = await api(AllTypes.get(id=doc.id))
    for name in AllTypes.model_fields:
        assert getattr(back, name) == getattr(doc, name), name
        assert type(getattr(back, name)) is type(getattr(doc, name)), name
    assert back.model_dump() == doc.model_dump()


async def test_decimals_are_stored_exactly_or_refused(api: Any, cleanup: list[Any]) -> None:
    """The server's own text of a stored decimal is the value written; acsylla 1.2 cannot
    send decimals correctly, so coodie refuses the model there before anything is sent."""

    class Price(api.Document):
        id: Annotated[int, PrimaryKey()]
        amount: Decimal
        history: list[Decimal] = []
        Settings = api.settings(name=api.table("price"))

    doc = Price(id=1, amount=Decimal("3.14159265358979323846"), history=[Decimal("-0.5")])
    if api.driver_type == "acsylla":
        with pytest.raises(UnsupportedTypeError, match="cannot carry CQL decimal"):
            await api(doc.save())
        with pytest.raises(UnsupportedTypeError, match=r"Price\.amount"):
            await api(Price.find(id=1).all())
        return
    await synced(api, cleanup, Price)
    await api(doc.save())
    assert await api(Price.get(id=1)) == doc
    table = f"{api.keyspace}.{Price.Settings.name}"
    page = await api(
        api.module.execute(
            f"SELECT CAST(amount AS text) FROM {table} WHERE id = ?", [1], connection=api.connection
        )
    )
    assert page.rows == [("3.14159265358979323846",)]


async def test_collections_round_trip(api: Any, cleanup: list[Any]) -> None:
    class Bag(api.Document):
        id: Annotated[int, PrimaryKey()]
        numbers: list[int] = []
        names: set[str] = set()
        scores: dict[str, int] = {}
        pair: tuple[int, str] | None = None
        nested: dict[str, list[int]] = {}
        frozen_list: Annotated[list[int], Frozen()] = []
        uuids: set[uuid.UUID] = set()
        Settings = api.settings(name=api.table("bag"))

    await synced(api, cleanup, Bag)
    doc = Bag(
        id=1,
        numbers=[3, 1, 3],
        names={"b", "a"},
        scores={"x": 1, "y": -2},
        pair=(7, "seven"),
        nested={"k": [1, 2], "j": []},
        frozen_list=[9, 8],
        uuids={uuid.UUID(int=1), uuid.UUID(int=2)},
    )
    await api(doc.save())
    assert await api(Bag.get(id=1)) == doc
    empty = Bag(id=2)
    await api(empty.save())
    back = await api(Bag.get(id=2))
    assert back == empty
    assert back.names == set()
    assert type(back.names) is set


# -- queries -------------------------------------------------------------------------------


async def test_filters_ordering_and_indexes(api: Any, cleanup: list[Any]) -> None:
    Review = await synced(api, cleanup, review_model(api))
    pid = uuid.uuid4()
    base = ms(dt.datetime(2026, 1, 1))
    reviews = [
        Review(product_id=pid, created_at=base + dt.timedelta(minutes=i), rating=i % 5 + 1)
        for i in range(10)
    ]
    for review in reviews:
        await api(review.save())
    newest_first = await api(Review.find(product_id=pid).all())
    assert [r.created_at for r in newest_first] == sorted(
        (r.created_at for r in reviews), reverse=True
    )
    oldest = await api(Review.find(product_id=pid).order_by("created_at").limit(3).all())
    assert [r.created_at for r in oldest] == [r.created_at for r in reviews[:3]]
    newest = await api(Review.find(product_id=pid).order_by("-created_at").first())
    assert newest.created_at == reviews[-1].created_at

    t = reviews[4].created_at
    q = Review.find(product_id=pid)
    assert len(await api(q.filter(created_at__gt=t).all())) == 5
    assert len(await api(q.filter(created_at__gte=t).all())) == 6
    assert len(await api(q.filter(created_at__lt=t).all())) == 4
    assert len(await api(q.filter(created_at__lte=t).all())) == 5
    picked = [reviews[1].created_at, reviews[7].created_at]
    assert {r.created_at for r in await api(q.filter(created_at__in=picked).all())} == set(picked)
    # secondary index, and a filter that needs allow_filtering
    by_index = await api(Review.find(rating=5).all())
    assert {r.created_at for r in by_index} == {r.created_at for r in reviews if r.rating == 5}
    limited = await api(Review.find(product_id=pid, author="anon").limit(5).allow_filtering().all())
    assert len(limited) == 5
    assert await api(Review.find(product_id=pid).count()) == 10
    assert await api(Review.find(product_id=pid).limit(4).count()) == 4
    with pytest.raises(InvalidQueryError, match="allow_filtering"):
        await api(Review.find(author="anon").all())  # raised before anything is sent


async def test_contains_and_contains_key(api: Any, cleanup: list[Any]) -> None:
    class Tagged(api.Document):
        id: Annotated[int, PrimaryKey()]
        tags: Annotated[set[str], Indexed()] = set()
        attrs: Annotated[dict[str, int], Indexed(target="keys")] = {}
        Settings = api.settings(name=api.table("tagged"))

    await synced(api, cleanup, Tagged)
    await api(Tagged(id=1, tags={"red", "big"}, attrs={"w": 1}).save())
    await api(Tagged(id=2, tags={"blue"}, attrs={"h": 2}).save())
    assert [d.id for d in await api(Tagged.find(tags__contains="red").all())] == [1]
    assert [d.id for d in await api(Tagged.find(attrs__contains_key="h").all())] == [2]


async def test_optional_none_value_none(api: Any, cleanup: list[Any]) -> None:
    Product = await synced(api, cleanup, product_model(api))
    product = Product(id=uuid.uuid4(), name="opt")
    await api(product.save())
    assert (await api(Product.get(id=product.id))).description is None
    await api(product.update(description="now set"))
    assert (await api(Product.get(id=product.id))).description == "now set"
    await api(product.update(description=None))
    assert (await api(Product.get(id=product.id))).description is None
    await api(product.update(tags=["x"]))
    await api(product.delete_columns("tags"))
    assert (await api(Product.get(id=product.id))).tags == []
    assert product.tags == []


async def test_ttl_expires_rows(api: Any, cleanup: list[Any]) -> None:
    Product = await synced(api, cleanup, product_model(api))
    product = Product(id=uuid.uuid4(), name="ephemeral")
    await api(product.save(ttl=1))
    assert await api(Product.find_one(id=product.id)) is not None
    await asyncio.sleep(2.2)
    assert await api(Product.find_one(id=product.id)) is None


async def test_using_timestamp_orders_writes(api: Any, cleanup: list[Any]) -> None:
    Product = await synced(api, cleanup, product_model(api))
    product = Product(id=uuid.uuid4(), name="newer")
    await api(product.save(timestamp=1_000_000_002_000_000))  # 2001-09-09, in microseconds
    older = Product(id=product.id, name="older")
    await api(older.save(timestamp=1_000_000_001_000_000))
    assert (await api(Product.get(id=product.id))).name == "newer"
    await api(product.update(name="newest", timestamp=dt.datetime(2002, 1, 1)))
    assert (await api(Product.get(id=product.id))).name == "newest"


async def test_lightweight_transactions(api: Any, cleanup: list[Any]) -> None:
    Product = await synced(api, cleanup, product_model(api))
    first = Product(id=uuid.uuid4(), name="first", price=1.0)
    await api(first.insert())
    with pytest.raises(ConditionalWriteFailed) as failed:
        await api(Product(id=first.id, name="second").insert())
    assert failed.value.existing["name"] == "first"
    assert failed.value.document == first

    await api(first.update(price=2.0, if_conditions={"price": 1.0}))
    with pytest.raises(ConditionalWriteFailed) as stale:
        await api(first.update(price=3.0, if_conditions={"price": 1.0}))
    assert stale.value.existing["price"] == 2.0
    assert first.price == 2.0
    assert (await api(Product.get(id=first.id))).price == 2.0

    await api(first.delete(if_exists=True))
    with pytest.raises(ConditionalWriteFailed):
        await api(first.delete(if_exists=True))


async def test_batches_and_counters(api: Any, cleanup: list[Any]) -> None:
    Review = await synced(api, cleanup, review_model(api))

    class Hits(api.Document):
        page: Annotated[str, PrimaryKey()]
        views: Annotated[int, Counter()] = 0
        clicks: Annotated[int, Counter()] = 0
        Settings = api.settings(name=api.table("hits"))

    await synced(api, cleanup, Hits)
    pid = uuid.uuid4()
    base = ms(dt.datetime(2026, 2, 1))
    docs = [Review(product_id=pid, created_at=base + dt.timedelta(seconds=i)) for i in range(4)]

    async def run(batch_type: str, fill: Any) -> None:
        batch = api.BatchQuery(batch_type)
        fill(batch)
        await api(batch.execute())

    await run("logged", lambda b: [b.save(d) for d in docs[:2]])
    await run("unlogged", lambda b: [b.save(d) for d in docs[2:]])
    assert await api(Review.find(product_id=pid).count()) == 4
    await run("logged", lambda b: (b.delete(docs[0]), b.update(docs[1], author="batched")))
    left = await api(Review.find(product_id=pid).all())
    assert len(left) == 3
    assert (
        await api(Review.get(product_id=pid, created_at=docs[1].created_at))
    ).author == "batched"
    assert docs[1].author == "batched"

    page = Hits(page="/home")
    await api(page.increment(views=3))
    await run("counter", lambda b: (b.increment(page, views=2), b.increment(page, clicks=-1)))
    stored = await api(Hits.get(page="/home"))
    assert (stored.views, stored.clicks) == (5, -1)
    assert (page.views, page.clicks) == (5, -1)


async def test_insert_many_then_count(api: Any, cleanup: list[Any]) -> None:
    Review = await synced(api, cleanup, review_model(api))
    pid = uuid.uuid4()
    base = ms(dt.datetime(2026, 3, 1))
    docs = [Review(product_id=pid, created_at=base + dt.timedelta(seconds=i)) for i in range(1000)]
    assert await api(Review.insert_many(docs, concurrency=32)) == 1000
    assert await api(Review.find(product_id=pid).count()) == 1000


async def test_get_errors_and_isolation(api: Any, cleanup: list[Any]) -> None:
    Review = await synced(api, cleanup, review_model(api))
    Product = await synced(api, cleanup, product_model(api))
    pid = uuid.uuid4()
    for i in range(2):
        await api(Review(product_id=pid, created_at=ms(dt.datetime(2026, 4, 1, 0, i))).save())
    with pytest.raises(MultipleDocumentsFound):
        await api(Review.get(product_id=pid))
    with pytest.raises(DocumentNotFound):
        await api(Review.get(product_id=uuid.uuid4()))
    await api(Product(id=pid, name="same key, other table").save())
    assert await api(Product.find(id=pid).count()) == 1
    assert await api(Review.find(product_id=pid).count()) == 2


async def test_paging_streams_every_row(api: Any, cleanup: list[Any]) -> None:
    Review = await synced(api, cleanup, review_model(api))
    pid = uuid.uuid4()
    base = ms(dt.datetime(2026, 5, 1))
    total = 12_345
    docs = (
        Review(product_id=pid, created_at=base + dt.timedelta(milliseconds=i)) for i in range(total)
    )
    await api(Review.insert_many(docs, concurrency=64))
    query = Review.find(product_id=pid).fetch_size(1000)
    assert len(await api(query.all())) == total
    streamed = await api.iterate(query)
    assert len(streamed) == total
    assert len({r.created_at for r in streamed}) == total
    first = await api(query.page(page_size=1000))
    assert len(first.items) == 1000
    second = await api(query.page(first.paging_state, page_size=1000))
    assert second.items[0].created_at < first.items[-1].created_at


async def test_token_range_scan_and_per_partition_limit(api: Any, cleanup: list[Any]) -> None:
    Review = await synced(api, cleanup, review_model(api))
    base = ms(dt.datetime(2026, 6, 1))
    partitions = [uuid.uuid4() for _ in range(40)]
    docs = [
        Review(product_id=p, created_at=base + dt.timedelta(seconds=s))
        for p in partitions
        for s in range(3)
    ]
    await api(Review.insert_many(docs))
    seen: list[tuple[uuid.UUID, dt.datetime]] = []
    for start, end in token_ranges(7):
        rows = await api(Review.find().token_range(start, end).all())
        seen.extend((r.product_id, r.created_at) for r in rows)
    assert len(seen) == len(docs)
    assert set(seen) == {(d.product_id, d.created_at) for d in docs}
    newest = await api(Review.find().per_partition_limit(1).all())
    assert len(newest) == 40
    assert all(r.created_at == base + dt.timedelta(seconds=2) for r in newest)


async def test_hostile_values_are_stored_verbatim(api: Any, cleanup: list[Any]) -> None:
    Product = await synced(api, cleanup, product_model(api))
    hostile = [
        "'; DROP TABLE product; --",
        "quote ' double \" backslash \\",
        "unicode ☃ 𝄞 \u0000 nul",
        "x" * 1_000_000,
    ]
    for text in hostile:
        doc = Product(id=uuid.uuid4(), name=text, tags=[text[:100]])
        await api(doc.save())
        back = await api(Product.get(id=doc.id))
        assert back.name == text
        assert back.tags == [text[:100]]
    assert await api(Product.find().count()) == len(hostile)


async def test_invalid_query_fails_before_it_is_sent(api: Any, cleanup: list[Any]) -> None:
    Product = await synced(api, cleanup, product_model(api))
    with pytest.raises(InvalidQueryError, match="no column 'colour'"):
        Product.find(colour="red")
    with pytest.raises(InvalidQueryError, match="ORDER BY"):
        await api(Product.find(id=uuid.uuid4()).order_by("name").all())
    with pytest.raises(InvalidQueryError, match="not a valid"):
        Product.find(price="cheap")
