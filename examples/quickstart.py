"""coodie quick start against a real node: the same model through coodie.sync and coodie.aio.

Run it with ``bash scripts/demo.sh`` (which makes sure a node is reachable), or directly with
``COODIE_TEST_HOSTS=127.0.0.1:9042 uv run python examples/quickstart.py``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import BaseModel

import coodie.aio as aio
import coodie.sync as sync
from coodie import ClusteringKey, Indexed, PrimaryKey

KEYSPACE = "coodie_quickstart"


class ReviewFields(BaseModel):
    """The columns, declared once; each API's Document mixes them in."""

    product_id: Annotated[UUID, PrimaryKey()]
    created_at: Annotated[dt.datetime, ClusteringKey(order="DESC")]
    author: str
    rating: Annotated[int, Indexed()]
    content: str | None = None


class Settings:
    keyspace = KEYSPACE
    name = "reviews"


class Review(ReviewFields, sync.Document):
    Settings = Settings


class AsyncReview(ReviewFields, aio.Document):
    """Same table, async API: only the base class differs."""

    Settings = Settings


def now_ms() -> dt.datetime:
    """Cassandra timestamps keep milliseconds, so the example writes what it will read."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def run_sync(hosts: list[str], driver_type: str) -> UUID:
    sync.init_coodie(hosts=hosts, driver_type=driver_type)
    sync.create_keyspace(KEYSPACE)
    print("sync_table:", Review.sync_table() or "already up to date")
    product = uuid4()
    for rating in (5, 3, 4):
        Review(product_id=product, created_at=now_ms(), author="ana", rating=rating).save()
    newest = Review.find(product_id=product).order_by("-created_at").limit(2).all()
    print("sync: two newest ratings:", [r.rating for r in newest])
    print("sync: count =", Review.find(product_id=product).count())
    sync.close_coodie()
    return product


async def run_async(hosts: list[str], driver_type: str, product: UUID) -> None:
    await aio.init_coodie(hosts=hosts, driver_type=driver_type)
    review = AsyncReview(product_id=product, created_at=now_ms(), author="bo", rating=1)
    await review.save()
    await review.update(content="changed my mind", rating=2)
    ratings = [r.rating async for r in AsyncReview.find(product_id=product)]
    print("aio: ratings newest first:", ratings)
    fetched = await AsyncReview.get(product_id=product, created_at=review.created_at)
    print("aio: fetched == saved:", fetched == review)
    await AsyncReview.find(product_id=product).delete()
    print("aio: after delete:", await AsyncReview.find(product_id=product).count())
    await aio.close_coodie()


def main() -> None:
    hosts = os.environ.get("COODIE_TEST_HOSTS", "127.0.0.1:9042").split(",")
    driver_type = os.environ.get("COODIE_DRIVER", "cassandra")
    product = run_sync(hosts, driver_type)
    asyncio.run(run_async(hosts, driver_type, product))


if __name__ == "__main__":
    main()
