"""What a type checker must infer for the public API (checked by test_static_types.py).

Not collected by pytest; mypy reads it with the project's strict configuration.
"""

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from typing_extensions import assert_type

import coodie.aio
import coodie.sync
from coodie.api.queryset import Page
from coodie.fields import PrimaryKey


class SyncProduct(coodie.sync.Document):
    id: Annotated[UUID, PrimaryKey()]
    name: str


class AioProduct(coodie.aio.Document):
    id: Annotated[UUID, PrimaryKey()]
    name: str


def sync_api() -> None:
    qs = SyncProduct.find(name="x").limit(3)
    assert_type(qs, coodie.sync.QuerySet[SyncProduct])
    assert_type(qs.all(), list[SyncProduct])
    assert_type(qs.first(), SyncProduct | None)
    assert_type(SyncProduct.get(id=UUID(int=1)), SyncProduct)
    assert_type(qs.page(), Page[SyncProduct])
    for doc in qs:
        assert_type(doc, SyncProduct)
    rows = qs.values_list("id", "name")
    assert_type(rows, coodie.sync.ValuesQuerySet[SyncProduct, tuple[Any, ...]])
    assert_type(rows.limit(1).all(), list[tuple[Any, ...]])
    assert_type(qs.values_list("name", flat=True).first(), Any | None)
    assert_type(qs.values().all(), list[dict[str, Any]])
    one = SyncProduct.find(id=UUID(int=1))
    assert_type(one.if_not_exists(), coodie.sync.QuerySet[SyncProduct])
    assert_type(one.if_not_exists().create(name="n"), SyncProduct)
    assert_type(one.if_exists().update(name="m"), None)
    assert_type(one.delete(if_conditions={"name__ne": "m"}), None)
    assert_type(qs.only("name"), coodie.sync.QuerySet[SyncProduct])
    assert_type(qs.defer("name").all(), list[SyncProduct])
    assert_type(qs.sum("name"), int | float | Decimal)
    assert_type(qs.avg("name"), float | Decimal | None)
    assert_type(qs.max("name"), Any)


async def aio_api() -> None:
    qs = AioProduct.find(name="x").limit(3)
    assert_type(qs, coodie.aio.QuerySet[AioProduct])
    assert_type(await qs.all(), list[AioProduct])
    assert_type(await qs.first(), AioProduct | None)
    assert_type(await AioProduct.get(id=UUID(int=1)), AioProduct)
    async for doc in qs:
        assert_type(doc, AioProduct)
    rows = qs.values_list("id", "name")
    assert_type(rows, coodie.aio.ValuesQuerySet[AioProduct, tuple[Any, ...]])
    assert_type(await rows.all(), list[tuple[Any, ...]])
    assert_type(await qs.values().all(), list[dict[str, Any]])
    async for row in qs.values_list("name", flat=True):
        assert_type(row, Any)
    one = AioProduct.find(id=UUID(int=1))
    assert_type(await one.if_not_exists().create(name="n"), AioProduct)
    assert_type(await one.if_exists().delete(), None)
    assert_type(await qs.only("name").first(), AioProduct | None)
    assert_type(await qs.sum("name"), int | float | Decimal)
    assert_type(await qs.min("name"), Any)
