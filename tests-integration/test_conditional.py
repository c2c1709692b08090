"""QuerySet-level conditional writes and IF conditions with ``!=``, ranges, ``IN`` and on
collection elements, against the real node: applied writes change the row, writes not
applied raise ConditionalWriteFailed carrying the current row and change nothing.

Every write to a row these tests check is conditional (Paxos): a plain write's timestamp
comes from another clock than a Paxos round's, so mixing both on one row may order them
differently from the order they were sent in (Cassandra's own advice: do not mix them)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import pytest

from coodie import ConditionalWriteFailed, PrimaryKey

pytestmark = pytest.mark.integration


def gadget_model(api: Any) -> Any:
    class Gadget(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        brand: str = ""
        stock: int = 0
        tags: list[str] = []
        ratings: dict[str, int] = {}

        Settings = api.settings(name=api.table("lwt_gadget"))

    return Gadget


async def table(api: Any, cleanup: list[Any]) -> Any:
    Gadget = gadget_model(api)
    await api(Gadget.sync_table())
    cleanup.append(Gadget)
    return Gadget


async def test_if_exists_update_and_delete_of_a_query(api: Any, cleanup: list[Any]) -> None:
    Gadget = await table(api, cleanup)
    key = uuid.uuid4()
    with pytest.raises(ConditionalWriteFailed, match="update was not applied") as failed:
        await api(Gadget.find(id=key).if_exists().update(stock=1))
    assert failed.value.existing == {}
    assert await api(Gadget.find(id=key).first()) is None  # no row made by the UPDATE
    await api(Gadget.find(id=key).if_not_exists().create(brand="acme"))
    await api(Gadget.find(id=key).if_exists().update(stock=4))
    assert (await api(Gadget.get(id=key))).stock == 4
    await api(Gadget.find(id=key).if_exists().delete())
    assert await api(Gadget.find(id=key).first()) is None
    with pytest.raises(ConditionalWriteFailed, match="delete was not applied"):
        await api(Gadget.find(id=key).if_exists().delete())


async def test_if_not_exists_create_of_a_query(api: Any, cleanup: list[Any]) -> None:
    Gadget = await table(api, cleanup)
    key = uuid.uuid4()
    made = await api(Gadget.find(id=key).if_not_exists().create(brand="first", stock=2))
    assert made == await api(Gadget.get(id=key))
    with pytest.raises(ConditionalWriteFailed, match="insert was not applied") as failed:
        await api(Gadget.find(id=key).if_not_exists().create(brand="second"))
    assert failed.value.document == made  # the current row, as a document
    assert (await api(Gadget.get(id=key))).brand == "first"
    upserted = await api(Gadget.find(id=key).create(brand="third"))
    assert await api(Gadget.get(id=key)) == upserted


CONDITIONS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    # (applies, does not apply) on the row brand="acme", stock=5, tags=[a, b], ratings={k: 3}
    ({"brand__ne": "other"}, {"brand__ne": "acme"}),
    ({"stock__gt": 4}, {"stock__gt": 5}),
    ({"stock__gte": 5, "stock__lte": 5}, {"stock__lt": 5}),
    ({"brand__in": ["x", "acme"]}, {"brand__in": ["x", "y"]}),
    ({"tags__at": (1, "b")}, {"tags__at": (0, "b")}),
    ({"tags__at__ne": (0, "z")}, {"tags__at": (5, "a")}),  # no element 5: not applied
    ({"tags__at__in": (0, ["a", "c"])}, {"tags__at__gt": (0, "a")}),
    ({"ratings__at": ("k", 3)}, {"ratings__at__lt": ("k", 3)}),
    ({"ratings__at": ("none", None)}, {"ratings__at__ne": ("k", 3)}),
]


@pytest.mark.parametrize(("applies", "refused"), CONDITIONS)
async def test_conditions_decide_on_the_node(
    api: Any, cleanup: list[Any], applies: dict[str, Any], refused: dict[str, Any]
) -> None:
    Gadget = await table(api, cleanup)
    values = {"brand": "acme", "stock": 5, "tags": ["a", "b"], "ratings": {"k": 3}}
    updated, deleted = uuid.uuid4(), uuid.uuid4()
    row = await api(Gadget.find(id=updated).if_not_exists().create(values))
    await api(Gadget.find(id=deleted).if_not_exists().create(values))
    with pytest.raises(ConditionalWriteFailed, match="update was not applied") as failed:
        await api(Gadget.find(id=updated).update(brand="changed", if_conditions=refused))
    assert failed.value.existing  # the columns the conditions read, as stored
    assert set(failed.value.existing) <= set(Gadget.coodie_schema().column_names)
    with pytest.raises(ConditionalWriteFailed, match="delete was not applied"):
        await api(Gadget.find(id=deleted).delete(if_conditions=refused))
    assert await api(Gadget.get(id=updated)) == row  # neither write changed anything
    assert (await api(Gadget.get(id=deleted))).model_dump(exclude={"id"}) == values
    doc = await api(Gadget.get(id=updated))
    await api(doc.update(stock=6, if_conditions=applies))
    assert (await api(Gadget.get(id=updated))).stock == 6
    await api(Gadget.find(id=deleted).delete(if_conditions=applies))
    assert await api(Gadget.find(id=deleted).first()) is None


async def test_not_applied_reports_the_current_values(api: Any, cleanup: list[Any]) -> None:
    Gadget = await table(api, cleanup)
    key = uuid.uuid4()
    await api(Gadget.find(id=key).if_not_exists().create(brand="acme", stock=5, tags=["a"]))
    with pytest.raises(ConditionalWriteFailed) as failed:
        await api(Gadget.find(id=key).update(stock=1, if_conditions={"brand__ne": "acme"}))
    assert failed.value.existing == {"brand": "acme"}
    with pytest.raises(ConditionalWriteFailed) as failed:
        await api(Gadget.find(id=key).update(stock=1, if_conditions={"tags__at": (0, "z")}))
    assert failed.value.existing == {"tags": ["a"]}
