"""values_list() / values() against the real node: projected columns, declared types, paging."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated, Any

import pytest

from coodie import BigInt, ClusteringKey, PrimaryKey, Static, TinyInt

pytestmark = pytest.mark.integration


class Size(str, enum.Enum):
    S = "s"
    L = "l"


def row_model(api: Any) -> Any:
    class Reading(api.Document):
        sensor: Annotated[uuid.UUID, PrimaryKey()]
        seq: Annotated[int, ClusteringKey()]
        at: dt.datetime
        value: float
        big: Annotated[int, BigInt()] = 0
        tiny: Annotated[int, TinyInt()] = 0
        size: Size = Size.S
        tags: set[str] = set()
        extra: dict[str, int] = {}
        note: str | None = None

        Settings = api.settings(name=api.table("reading"))

    return Reading


async def stored(api: Any, cleanup: list[Any], count: int) -> tuple[Any, uuid.UUID, list[Any]]:
    Reading = row_model(api)
    await api(Reading.sync_table())
    cleanup.append(Reading)
    sensor = uuid.uuid4()
    base = dt.datetime(2026, 11, 26, 12, 0, 0, 123000)
    docs = [
        Reading(
            sensor=sensor,
            seq=i,
            at=base + dt.timedelta(seconds=i),
            value=i + 0.25,
            big=2**40 + i,
            tiny=-i,
            size=Size.L if i % 2 else Size.S,
            tags={f"t{i}", "all"} if i % 3 else set(),
            extra={"i": i} if i % 4 else {},
            note=None if i % 2 else f"n{i}",
        )
        for i in range(count)
    ]
    await api(Reading.insert_many(docs))
    return Reading, sensor, docs


async def test_values_list_matches_the_documents_value_for_value(
    api: Any, cleanup: list[Any]
) -> None:
    Reading, sensor, docs = await stored(api, cleanup, 12)
    rows = await api(Reading.find(sensor=sensor).values_list().all())
    fields = list(Reading.model_fields)
    assert len(rows) == len(docs)
    for row, doc in zip(rows, docs, strict=True):
        assert row == tuple(getattr(doc, name) for name in fields)
        for name, value in zip(fields, row, strict=True):
            assert type(value) is type(getattr(doc, name)), name
    # the documents read back the same values
    back = await api(Reading.find(sensor=sensor).all())
    assert [tuple(getattr(d, n) for n in fields) for d in back] == rows


async def test_projection_flat_and_dicts(api: Any, cleanup: list[Any]) -> None:
    Reading, sensor, docs = await stored(api, cleanup, 6)
    q = Reading.find(sensor=sensor)
    assert await api(q.values_list("seq", "size").order_by("-seq").limit(2).all()) == [
        (5, Size.L),
        (4, Size.S),
    ]
    assert await api(q.values_list("tags", flat=True).all()) == [d.tags for d in docs]
    assert await api(q.filter(seq__gte=4).values("seq", "note").all()) == [
        {"seq": 4, "note": "n4"},
        {"seq": 5, "note": None},
    ]
    assert await api(q.filter(seq=99).values_list("seq", flat=True).first()) is None
    assert await api(q.values("seq").count()) == 6


async def test_values_stream_and_page_across_pages(api: Any, cleanup: list[Any]) -> None:
    Reading, sensor, _ = await stored(api, cleanup, 25)
    q = Reading.find(sensor=sensor).values_list("seq", flat=True).fetch_size(10)
    assert await api.iterate(q) == list(range(25))
    first = await api(q.page(page_size=10))
    assert first.items == list(range(10))
    assert first.has_more
    second = await api(q.page(first.paging_state, page_size=10))
    assert second.items == list(range(10, 20))


async def test_distinct_lists_each_partition_once(api: Any, cleanup: list[Any]) -> None:
    class Visit(api.Document):
        site: Annotated[str, PrimaryKey()]
        day: Annotated[int, PrimaryKey(partition_key_index=1)]
        n: Annotated[int, ClusteringKey()]
        owner: Annotated[str | None, Static()] = None

        Settings = api.settings(name=api.table("visit"))

    await api(Visit.sync_table())
    cleanup.append(Visit)
    docs = [
        Visit(site=site, day=day, n=n, owner=f"{site}-owner")
        for site in ("a", "b")
        for day in (1, 2)
        for n in range(3)
    ]
    await api(Visit.insert_many(docs))
    partitions = await api(Visit.find().values_list("site", "day", "owner").distinct().all())
    assert sorted(partitions) == [
        ("a", 1, "a-owner"),
        ("a", 2, "a-owner"),
        ("b", 1, "b-owner"),
        ("b", 2, "b-owner"),
    ]
    one = Visit.find(site="a", day=2).values("site", "day").distinct()
    assert await api(one.all()) == [{"site": "a", "day": 2}]
