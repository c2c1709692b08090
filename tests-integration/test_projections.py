"""only() / defer() and sum/avg/min/max against the real node, both drivers and both APIs."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

import pytest

from coodie import BigInt, ClusteringKey, PrimaryKey, UnloadedFieldError
from coodie.exceptions import InvalidQueryError

pytestmark = pytest.mark.integration

BASE = dt.datetime(2026, 11, 26, 12, 0, 0, 123000)


def model(api: Any) -> Any:
    # acsylla cannot carry decimals (coodie refuses such models there: see test_crud)
    decimals = api.driver_type != "acsylla"

    class Sale(api.Document):
        shop: Annotated[uuid.UUID, PrimaryKey()]
        seq: Annotated[int, ClusteringKey()]
        item: str
        qty: int = 0
        total: Annotated[int, BigInt()] = 0
        price: float = 0.0
        if decimals:
            amount: Decimal = Decimal(0)
        at: dt.datetime = BASE
        tags: set[str] = set()
        note: str | None = None

        Settings = api.settings(name=api.table("sale"))

    return Sale


async def stored(api: Any, cleanup: list[Any]) -> tuple[Any, uuid.UUID]:
    Sale = model(api)
    await api(Sale.sync_table())
    cleanup.append(Sale)
    shop = uuid.uuid4()
    for i in range(4):
        await api(
            Sale(
                shop=shop,
                seq=i,
                item=f"item{i}",
                qty=2**31 - 1 - i,  # their sum overflows CQL's int
                total=2**62,
                price=i + 0.5,
                **({"amount": Decimal(f"{i}.25")} if "amount" in Sale.model_fields else {}),
                at=BASE + dt.timedelta(minutes=i),
                tags={f"t{i}"},
                note=f"note{i}",
            ).save()
        )
    return Sale, shop


async def test_only_loads_the_named_fields(api: Any, cleanup: list[Any]) -> None:
    Sale, shop = await stored(api, cleanup)
    docs = await api(Sale.find(shop=shop).only("item").all())
    assert [(d.shop, d.seq, d.item) for d in docs] == [(shop, i, f"item{i}") for i in range(4)]
    assert isinstance(docs[0], Sale)
    with pytest.raises(UnloadedFieldError, match=r"Sale\.qty was not loaded"):
        _ = docs[0].qty
    assert docs[0].model_dump() == {"shop": shop, "seq": 0, "item": "item0"}
    streamed = await api.iterate(Sale.find(shop=shop).only("qty").fetch_size(3))
    assert [d.qty for d in streamed] == [2**31 - 1 - i for i in range(4)]
    page = await api(Sale.find(shop=shop).only("note").page(page_size=3))
    assert [d.note for d in page.items] == ["note0", "note1", "note2"]
    with pytest.raises(UnloadedFieldError):
        _ = page.items[0].item
    deferred = await api(Sale.find(shop=shop, seq=1).defer("tags", "note").first())
    assert (deferred.qty, deferred.at) == (2**31 - 2, BASE.replace(minute=1))
    if "amount" in Sale.model_fields:
        assert deferred.amount == Decimal("1.25")
    with pytest.raises(UnloadedFieldError, match="tags"):
        _ = deferred.tags


async def test_saving_a_partial_document_keeps_the_other_columns(
    api: Any, cleanup: list[Any]
) -> None:
    Sale, shop = await stored(api, cleanup)
    doc = await api(Sale.find(shop=shop, seq=2).only("item").first())
    doc.item = "renamed"
    await api(doc.save())
    await api(doc.update(price=9.5))
    full = await api(Sale.get(shop=shop, seq=2))
    assert (full.item, full.price, full.note, full.tags) == ("renamed", 9.5, "note2", {"t2"})
    assert full.qty == 2**31 - 3  # not loaded, not overwritten
    await api(doc.refresh())
    assert doc.note == "note2"  # refresh() reads the whole row
    await api(doc.delete())
    assert await api(Sale.find(shop=shop, seq=2).first()) is None


async def test_aggregates(api: Any, cleanup: list[Any]) -> None:
    Sale, shop = await stored(api, cleanup)
    query = Sale.find(shop=shop)
    assert await api(query.sum("qty")) == sum(2**31 - 1 - i for i in range(4))
    assert await api(query.sum("total")) == 4 * 2**62  # beyond bigint: exact
    assert await api(query.avg("qty")) == pytest.approx(2**31 - 2.5)
    assert await api(query.sum("price")) == pytest.approx(8.0)
    if "amount" in Sale.model_fields:
        assert await api(query.avg("amount")) == Decimal("1.75")
        assert await api(query.sum("amount")) == Decimal("7.00")
        assert isinstance(await api(query.max("amount")), Decimal)
    assert await api(query.min("item")) == "item0"
    assert await api(query.max("at")) == BASE + dt.timedelta(minutes=3)
    narrowed = Sale.find(shop=shop, seq__gte=2)
    assert await api(narrowed.max("seq")) == 3
    assert await api(narrowed.count()) == 2
    empty = Sale.find(shop=uuid.uuid4())
    assert await api(empty.sum("qty")) == 0
    assert await api(empty.avg("qty")) is None
    assert await api(empty.min("at")) is None
    with pytest.raises(InvalidQueryError, match="numeric"):
        await api(query.sum("item"))


async def test_only_on_a_polymorphic_table(api: Any, cleanup: list[Any]) -> None:
    class Pet(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        kind: str
        name: str = ""

        Settings = api.settings(name=api.table("pet"), discriminator="kind")

    class Cat(Pet):
        lives: int = 9

    class Dog(Pet):
        tricks: list[str] = []

    await api(Pet.sync_table())
    cleanup.append(Pet)
    cat, dog = Cat(id=uuid.uuid4(), name="tom", lives=7), Dog(id=uuid.uuid4(), tricks=["sit"])
    await api(cat.save())
    await api(dog.save())
    found = {type(d).__mro__[1]: d for d in await api(Pet.find().only("name").all())}
    assert set(found) == {Cat, Dog}
    partial_cat = found[Cat]
    assert partial_cat.name == "tom"
    with pytest.raises(UnloadedFieldError, match="lives"):
        _ = partial_cat.lives
    partial_cat.name = "tommy"
    await api(partial_cat.save())
    stored = await api(Cat.get(id=cat.id))
    assert (stored.name, stored.lives) == ("tommy", 7)  # lives kept
    assert await api(Cat.find().sum("lives")) == 7  # the rows of Cat only
