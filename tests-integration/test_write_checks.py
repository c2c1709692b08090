"""Every write path checks each value a document holds before sending, the same way on both
drivers and both APIs: nothing hostile reaches the node (read back to be sure)."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 (pydantic needs it at run time)
from typing import TYPE_CHECKING, Annotated, Any

import pytest

from coodie import ClusteringKey, InvalidQueryError, PrimaryKey, TinyInt

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.integration


def models(api: Any) -> tuple[Any, Any]:
    class Row(api.Document):
        id: Annotated[int, PrimaryKey()]
        score: int = 0
        name: str = ""
        tags: set[str] = set()
        level: Annotated[int | None, TinyInt()] = None
        at: dt.datetime | None = None

        Settings = api.settings(name=api.table("wc_row"))

    class Keyed(api.Document):
        key: Annotated[str, PrimaryKey()]
        ck: Annotated[str, ClusteringKey()] = "c"

        Settings = api.settings(name=api.table("wc_keyed"))

    return Row, Keyed


# (field, hostile value): the first two are what acsylla used to store coerced.
HOSTILE = [
    ("tags", {1, 2}),
    ("name", 5),
    ("score", "abc"),
    ("score", 2**31),
    ("level", 200),
    ("at", 2**63),
    ("name", "a\ud800"),
    ("tags", {"ok", "\udfff"}),
]
WAYS = ["save", "insert", "batch", "insert_many"]


async def write(api: Any, model: Any, doc: Any, how: str) -> None:
    if how == "save":
        await api(doc.save())
    elif how == "insert":
        await api(doc.insert())
    elif how == "batch":
        batch = api.BatchQuery()
        batch.save(doc)
        await api(batch.execute())
    else:
        await api(model.insert_many([doc]))


async def test_hostile_values_are_refused_on_every_write_path(api: Any, cleanup: list[Any]) -> None:
    Row, _ = models(api)
    await api(Row.sync_table())
    cleanup.append(Row)
    key = 0
    for field, value in HOSTILE:
        for how in WAYS:
            key += 1
            doc = Row(id=key)
            setattr(doc, field, value)
            with pytest.raises(InvalidQueryError, match=rf"Row\.{field}: "):
                await write(api, Row, doc, how)
    assert await api(Row.find().count()) == 0  # nothing of any of them reached the node
    # What pydantic can coerce is stored coerced, and the instance says so.
    doc = Row(id=1000)
    doc.score = "7"
    doc.tags = ["a"]
    await api(doc.save())
    back = await api(Row.get(id=1000))
    assert (back.score, back.tags, doc.score, doc.tags) == (7, {"a"}, 7, {"a"})


async def test_key_limits_are_checked_before_the_node_sees_them(
    api: Any, cleanup: list[Any]
) -> None:
    _, Keyed = models(api)
    await api(Keyed.sync_table())
    cleanup.append(Keyed)
    for doc in (Keyed(key=""), Keyed(key="k" * 65_536), Keyed(key="k", ck="é" * 40_000)):
        for how in WAYS:
            with pytest.raises(InvalidQueryError, match=r"Keyed\.(key|ck): "):
                await write(api, Keyed, doc, how)
    with pytest.raises(InvalidQueryError, match="Key may not be empty"):
        await api(Keyed.get(key="", ck="c"))
    assert await api(Keyed.find().count()) == 0
    # The largest key Cassandra takes, and a clustering filter longer than any key, work.
    await api(Keyed(key="k" * 65_535, ck="").save())
    found = await api(Keyed.find(key="k" * 65_535, ck__lt="z" * 70_000).all())
    assert [d.ck for d in found] == [""]


async def test_insert_many_sends_nothing_of_a_bad_list_and_counts_a_generator(
    api: Any, cleanup: list[Any]
) -> None:
    Row, _ = models(api)
    await api(Row.sync_table())
    cleanup.append(Row)
    bad = Row(id=3)
    bad.score = 2**31
    with pytest.raises(InvalidQueryError, match="document 2 of 3 was refused, so none was sent"):
        await api(Row.insert_many([Row(id=1), Row(id=2), bad]))
    assert await api(Row.find().count()) == 0

    def lazily() -> Iterator[Any]:
        yield Row(id=1)
        yield Row(id=2)
        yield bad
        yield Row(id=4)

    with pytest.raises(InvalidQueryError, match=r"The 2 document\(s\) before it were written"):
        await api(Row.insert_many(lazily(), concurrency=1))
    assert sorted(d.id for d in await api(Row.find().all())) == [1, 2]
