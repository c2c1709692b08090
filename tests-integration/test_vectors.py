"""Vectors, SAI indexes and ANN search against the real node (Cassandra 5.0), for every
driver and both APIs: ``vector<float, n>`` columns written and read back as ``list[float]``,
queries an SAI index serves run without ALLOW FILTERING, ``order_by_ann()`` with and without
the similarity score, and what is refused before sending."""

from __future__ import annotations

import asyncio
import math
from typing import Annotated, Any

import pytest

import coodie.sync
from coodie import BigInt, ClusteringKey, Double, Frozen, Indexed, PrimaryKey, Vector
from coodie.exceptions import CoodieWarning, DriverError, InvalidQueryError

pytestmark = pytest.mark.integration

COSINE = {"similarity_function": "cosine"}


@pytest.fixture
def vec_settings(api: Any) -> Any:
    """Settings of a table in this module's own keyspace (no other test drops it)."""
    keyspace = f"it_vec_{api.driver_type}_{api.kind}"
    coodie.sync.create_keyspace(keyspace, connection=api.connection)

    def settings(prefix: str) -> type:
        attrs = {"keyspace": keyspace, "connection": api.connection, "name": api.table(prefix)}
        return type("Settings", (), attrs)

    return settings


def item_model(api: Any, vec_settings: Any) -> Any:
    class Item(api.Document):
        shop: Annotated[str, PrimaryKey()]
        sku: Annotated[int, ClusteringKey()]
        embedding: Annotated[list[float], Vector(3), Indexed(using="sai", options=COSINE)]
        price: Annotated[int, Indexed(using="sai")] = 0
        color: Annotated[str, Indexed(using="sai", options={"case_sensitive": "false"})] = ""
        tags: Annotated[set[str], Indexed(using="sai")] = set()
        attrs: Annotated[dict[str, int], Indexed(using="sai", target="keys")] = {}
        sizes: Annotated[list[int], Frozen(), Indexed(using="sai", target="full")] = []
        weights: Annotated[list[Annotated[float, Double()]], Vector(2)] | None = None
        counts: Annotated[list[Annotated[int, BigInt()]], Vector(2)] | None = None
        plain: int = 0

        Settings = vec_settings("vitem")

    return Item


async def stored(api: Any, cleanup: list[Any], vec_settings: Any) -> Any:
    Item = item_model(api, vec_settings)
    await api(Item.sync_table())
    cleanup.append(Item)
    rows = [
        ("a", 1, [1.0, 0.0, 0.0], 10, "Red", {"x"}, {"k1": 1}, [1, 2]),
        ("a", 2, [0.9, 0.1, 0.0], 20, "blue", {"x", "y"}, {"k2": 2}, [3]),
        ("b", 1, [0.0, 1.0, 0.0], 30, "red", {"y"}, {"k1": 3}, []),
        ("b", 2, [0.0, 0.0, 1.0], 40, "green", set(), {}, [1, 2]),
    ]
    for shop, sku, emb, price, color, tags, attrs, sizes in rows:
        await api(
            Item(
                shop=shop,
                sku=sku,
                embedding=emb,
                price=price,
                color=color,
                tags=tags,
                attrs=attrs,
                sizes=sizes,
                weights=[0.5, 1.25],
                counts=[2**40, -3],
            ).save()
        )
    return Item


def keys(docs: list[Any]) -> list[tuple[str, int]]:
    return sorted((d.shop, d.sku) for d in docs)


async def test_vectors_round_trip_as_lists_of_floats(
    api: Any, cleanup: list[Any], vec_settings: Any
) -> None:
    Item = await stored(api, cleanup, vec_settings)
    doc = await api(Item.get(shop="a", sku=2))
    assert type(doc.embedding) is list
    assert all(type(x) is float for x in doc.embedding)
    # A CQL float holds 32 bits: 0.9 comes back as its nearest float32.
    assert doc.embedding == pytest.approx([0.9, 0.1, 0.0], rel=1e-6)
    assert doc.weights == [0.5, 1.25]
    assert doc.counts == [2**40, -3]
    rows = await api(Item.find(shop="b").values_list("embedding", flat=True).all())
    assert rows == [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]


async def test_sync_table_creates_sai_indexes_and_is_then_unchanged(
    api: Any, cleanup: list[Any], vec_settings: Any
) -> None:
    Item = await stored(api, cleanup, vec_settings)
    assert await api(Item.sync_table()) == []
    page = await api(
        api.module.execute(
            "SELECT index_name, options FROM system_schema.indexes WHERE keyspace_name = ? "
            "AND table_name = ?",
            [Item.coodie_schema().keyspace, Item.coodie_schema().table],
            connection=api.connection,
        )
    )
    options = {row[0]: dict(row[1]) for row in page.rows}
    table = Item.coodie_schema().table
    assert options[f"{table}_embedding_idx"]["similarity_function"] == "cosine"
    assert options[f"{table}_attrs_idx"]["target"] == "keys(attrs)"
    assert options[f"{table}_sizes_idx"]["target"] == "full(sizes)"
    assert options[f"{table}_color_idx"]["case_sensitive"] == "false"


async def test_sai_served_filters_run_without_allow_filtering(
    api: Any, cleanup: list[Any], vec_settings: Any
) -> None:
    Item = await stored(api, cleanup, vec_settings)
    assert keys(await api(Item.find(price__gte=20, price__lt=40).all())) == [
        ("a", 2),
        ("b", 1),
    ]
    # Two SAI filters at once, and the index's case_sensitive=false option.
    assert keys(await api(Item.find(color="RED", price__gt=10).all())) == [("b", 1)]
    assert keys(await api(Item.find(tags__contains="y").all())) == [("a", 2), ("b", 1)]
    assert keys(await api(Item.find(attrs__contains_key="k1").all())) == [("a", 1), ("b", 1)]
    assert keys(await api(Item.find(sizes=[1, 2]).all())) == [("a", 1), ("b", 2)]
    assert await api(Item.find(price__gte=20).count()) == 3


async def test_filters_sai_does_not_serve_are_refused_before_sending(
    api: Any, cleanup: list[Any], vec_settings: Any
) -> None:
    Item = await stored(api, cleanup, vec_settings)
    for filters in ({"color__gt": "a"}, {"price__in": [10, 20]}, {"price": 10, "plain": 0}):
        with pytest.raises(InvalidQueryError, match="needs allow_filtering"):
            await api(Item.find(**filters).all())
    # With allow_filtering() the node runs them.
    assert keys(await api(Item.find(price__in=[10, 20]).allow_filtering().all())) == [
        ("a", 1),
        ("a", 2),
    ]


async def test_ann_search_orders_by_similarity(
    api: Any, cleanup: list[Any], vec_settings: Any
) -> None:
    Item = await stored(api, cleanup, vec_settings)
    near = await api(Item.find().order_by_ann("embedding", [1.0, 0.05, 0.0]).limit(2).all())
    assert [(d.shop, d.sku) for d in near] == [("a", 1), ("a", 2)]
    # Beside the partition key and an SAI filter.
    in_b = await api(Item.find(shop="b").order_by_ann("embedding", [0.0, 0.1, 1.0]).limit(1).all())
    assert [(d.shop, d.sku) for d in in_b] == [("b", 2)]
    cheap = Item.find(price__lte=30).order_by_ann("embedding", [0.0, 1.0, 1.0]).limit(1)
    assert [(d.shop, d.sku) for d in await api(cheap.all())] == [("b", 1)]
    streamed = await api.iterate(
        Item.find().order_by_ann("embedding", [0.0, 1.0, 0.0]).limit(3).fetch_size(2)
    )
    assert (streamed[0].shop, streamed[0].sku) == ("b", 1)
    assert len(streamed) == 3


async def test_ann_search_with_the_similarity_score(
    api: Any, cleanup: list[Any], vec_settings: Any
) -> None:
    Item = await stored(api, cleanup, vec_settings)
    query = Item.find().order_by_ann("embedding", [1.0, 0.0, 0.0]).limit(2)
    pairs = await api(query.with_similarity().all())
    (first, score), (second, other) = pairs
    assert (first.shop, first.sku, second.sku) == ("a", 1, 2)
    # similarity_cosine is (1 + cos) / 2: 1.0 for the same direction.
    assert score == pytest.approx(1.0)
    assert other == pytest.approx((1 + 0.9 / math.hypot(0.9, 0.1)) / 2, rel=1e-5)
    euclid = await api(query.with_similarity("euclidean").first())
    assert euclid is not None
    assert euclid[1] == pytest.approx(1.0)


async def test_ann_refusals_name_the_fix(api: Any, cleanup: list[Any], vec_settings: Any) -> None:
    Item = await stored(api, cleanup, vec_settings)
    with pytest.raises(InvalidQueryError, match=r"needs a limit: add \.limit\(k\)"):
        await api(Item.find().order_by_ann("embedding", [1.0, 0.0, 0.0]).all())
    with pytest.raises(InvalidQueryError, match=r"plain is neither"):
        await api(Item.find(plain=0).order_by_ann("embedding", [1.0, 0.0, 0.0]).limit(1).all())
    with pytest.raises(InvalidQueryError, match="needs an SAI index on weights"):
        Item.find().order_by_ann("weights", [1.0, 0.0])
    with pytest.raises(
        InvalidQueryError, match=r"Item\.embedding: .*dimension 3 needs exactly 3 values, got 2"
    ):
        Item.find().order_by_ann("embedding", [1.0, 0.0])


async def test_wrong_vectors_are_refused_before_sending(
    api: Any, cleanup: list[Any], vec_settings: Any
) -> None:
    Item = await stored(api, cleanup, vec_settings)
    doc = await api(Item.get(shop="a", sku=1))
    doc.embedding = [1.0, 2.0]
    with pytest.raises(
        InvalidQueryError, match=r"Item\.embedding: .*dimension 3 needs exactly 3 values, got 2"
    ):
        await api(doc.save())
    doc.embedding = ["x", 1.0, 2.0]
    with pytest.raises(InvalidQueryError, match=r"Item\.embedding: .*vector<float, 3>"):
        await api(doc.save())
    with pytest.raises(InvalidQueryError, match=r"got 4"):
        await api(Item.find(shop="a", sku=1).update(embedding=[1.0, 2.0, 3.0, 4.0]))
    doc.embedding = [3.5e38, 0.0, 0.0]
    with pytest.raises(InvalidQueryError, match="too large for 32 bits"):
        await api(doc.save())
    stored_doc = await api(Item.get(shop="a", sku=1))
    assert stored_doc.embedding == [1.0, 0.0, 0.0]


async def test_sync_table_rebuilds_a_legacy_index_the_model_now_declares_sai(
    api: Any, cleanup: list[Any], vec_settings: Any
) -> None:
    settings = vec_settings("vdrift")

    class Before(api.Document):
        id: Annotated[int, PrimaryKey()]
        price: Annotated[int, Indexed()] = 0

        Settings = settings

    class After(api.Document):
        id: Annotated[int, PrimaryKey()]
        price: Annotated[int, Indexed(using="sai")] = 0

        Settings = settings

    await api(Before.sync_table())
    cleanup.append(After)
    for i in range(3):
        await api(After(id=i, price=i * 10).save())
    with pytest.warns(CoodieWarning, match="legacy secondary index in the table"):
        assert await api(After.sync_table()) == []
    planned = await api(After.sync_table(drop_removed_indexes=True))
    assert planned[0].startswith("DROP INDEX IF EXISTS")
    assert planned[1].endswith("(price) USING 'sai'")
    assert await api(After.sync_table()) == []
    # A range only the SAI index serves now runs without allow_filtering(), once the node
    # has indexed the existing rows (until then it answers INDEX_NOT_AVAILABLE).
    for _ in range(100):
        try:
            found = await api(After.find(price__gte=10).all())
            break
        except DriverError as error:
            if "INDEX_NOT_AVAILABLE" not in str(error):
                raise
            await asyncio.sleep(0.1)
    assert sorted(d.id for d in found) == [1, 2]
