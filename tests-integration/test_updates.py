"""Updates against the real node: collection operators (the row and the in-memory document
agree) and updates by query that never read the row."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import pytest

from coodie import ConditionalWriteFailed, DocumentNotFound, InvalidQueryError, PrimaryKey

pytestmark = pytest.mark.integration


def cart_model(api: Any) -> Any:
    class Cart(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        items: list[str] = []
        labels: set[str] = set()
        qty: dict[str, int] = {}
        owners: set[uuid.UUID] = set()
        codes: frozenset[int] = frozenset()

        Settings = api.settings(name=api.table("cart"))

    return Cart


async def test_each_operator_changes_the_row_like_the_document(
    api: Any, cleanup: list[Any]
) -> None:
    Cart = cart_model(api)
    await api(Cart.sync_table())
    cleanup.append(Cart)
    owner = uuid.uuid4()
    cart = Cart(id=uuid.uuid4(), items=["b"], labels={"x"}, qty={"pen": 1})
    await api(cart.save())
    steps: list[dict[str, Any]] = [
        {"items__append": ["c", "b"]},
        {"items__prepend": ["a"]},
        {"items__remove": ["b"]},  # every occurrence
        {"labels__add": {"y", "z"}},
        {"labels__remove": {"x"}},
        {"qty__update": {"ink": 3, "pen": 2}},
        {"qty__remove": {"ink"}},
        {"owners__add": [owner]},
        {"codes__add": [3, 1, 2]},
        {"codes__remove": frozenset({2})},
        {"items__append": ["d"], "labels__remove": {"y"}, "qty__update": {"pad": 5}},
    ]
    for step in steps:
        await api(cart.update(**step))
        stored = await api(Cart.get(id=cart.id))
        assert stored == cart, step
    assert cart.items == ["a", "c", "d"]
    assert cart.labels == {"z"}
    assert cart.qty == {"pen": 2, "pad": 5}
    assert cart.owners == {owner}
    assert cart.codes == frozenset({1, 3})


async def test_concurrent_appends_from_stale_copies_both_land(api: Any, cleanup: list[Any]) -> None:
    Cart = cart_model(api)
    await api(Cart.sync_table())
    cleanup.append(Cart)
    key = uuid.uuid4()
    await api(Cart(id=key, labels={"start"}).save())
    first = await api(Cart.get(id=key))
    second = await api(Cart.get(id=key))
    await api(first.update(labels__add={"from-first"}, items__append=["1"]))
    await api(second.update(labels__add={"from-second"}, items__append=["2"]))
    stored = await api(Cart.get(id=key))
    assert stored.labels == {"start", "from-first", "from-second"}  # nothing overwritten
    assert stored.items == ["1", "2"]
    # each copy mirrors its own write only; reading back is how to see the others
    assert second.labels == {"start", "from-second"}


async def test_removing_the_last_elements_reads_back_empty(api: Any, cleanup: list[Any]) -> None:
    Cart = cart_model(api)
    await api(Cart.sync_table())
    cleanup.append(Cart)
    cart = Cart(id=uuid.uuid4(), labels={"only"}, qty={"k": 1})
    await api(cart.save())
    await api(cart.update(labels__remove={"only"}, qty__remove={"k"}))
    stored = await api(Cart.get(id=cart.id))
    assert stored.labels == set() == cart.labels
    assert stored.qty == {} == cart.qty
    with pytest.raises(InvalidQueryError, match="a set takes __add, __remove"):
        await api(cart.update(labels__append=["x"]))


async def test_update_by_query_changes_the_row_without_reading_it(
    api: Any, cleanup: list[Any]
) -> None:
    Cart = cart_model(api)
    await api(Cart.sync_table())
    cleanup.append(Cart)
    key = uuid.uuid4()
    await api(Cart(id=key, items=["a"], qty={"pen": 1}).save())
    await api(Cart.find(id=key).update(items__append=["b"], qty__update={"ink": 2}))
    stored = await api(Cart.get(id=key))
    assert stored.items == ["a", "b"]
    assert stored.qty == {"pen": 1, "ink": 2}
    # an update by key creates the row when it is not there (Cassandra upserts)
    fresh = uuid.uuid4()
    await api(Cart.find(id=fresh).update(labels__add={"new"}))
    assert (await api(Cart.get(id=fresh))).labels == {"new"}
    # unless told not to
    with pytest.raises(ConditionalWriteFailed):
        await api(Cart.find(id=uuid.uuid4()).update(labels__add={"x"}, if_exists=True))


async def test_refresh_sees_what_other_writers_did(api: Any, cleanup: list[Any]) -> None:
    Cart = cart_model(api)
    await api(Cart.sync_table())
    cleanup.append(Cart)
    mine = Cart(id=uuid.uuid4(), labels={"a"})
    await api(mine.save())
    await api(Cart.find(id=mine.id).update(labels__add={"b"}, items__append=["x"]))
    assert mine.labels == {"a"}  # not read yet
    await api(mine.refresh())
    assert mine.labels == {"a", "b"}
    assert mine.items == ["x"]
    await api(Cart.find(id=mine.id).delete())
    with pytest.raises(DocumentNotFound):
        await api(mine.refresh())
