"""The single-document operations of real_node.py, written once for any coodie-shaped API.

coodie 2 and upstream coodie 1.9.3 spell save/get/update/delete/find the same way, so their
timed loops are the same code; only batches, bulk inserts and streams differ (each side keeps
its own). Imports no coodie: ``upstream_runner.py`` runs it in upstream's venv.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bench_rows import ROWS_PER_PARTITION

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["aio_document_ops", "sync_document_ops"]


def _check_applied(result: Any) -> None:
    """coodie 2's insert() raises when the row exists (and returns None); upstream's answers
    with a result whose ``applied`` says so."""
    if result is not None and not result.applied:
        raise AssertionError("INSERT IF NOT EXISTS was not applied")


def sync_document_ops(item: Any, wide: Any) -> dict[str, Callable[[Any], int]]:
    """insert, lwt, get, update, delete, filter and query over the sync API's models."""

    def insert(docs: list[Any]) -> int:
        for d in docs:
            d.save()
        return len(docs)

    def lwt(docs: list[Any]) -> int:
        for d in docs:
            _check_applied(d.insert())
        return len(docs)

    def get(keys: list[Any]) -> int:
        for k in keys:
            item.get(id=k)
        return len(keys)

    def update(docs: list[Any]) -> int:
        for n, d in enumerate(docs):
            d.update(name=f"renamed {n}", price=float(n))
        return len(docs)

    def delete(docs: list[Any]) -> int:
        for d in docs:
            d.delete()
        return len(docs)

    def filter_(cats: list[str]) -> int:
        for c in cats:
            item.find(category=c).all()
        return len(cats)

    def query(buckets: list[int]) -> int:
        for b in buckets:
            if len(wide.find(bucket=b).all()) != ROWS_PER_PARTITION:
                raise AssertionError("query")
        return len(buckets)

    return {
        "insert": insert,
        "lwt": lwt,
        "get": get,
        "update": update,
        "delete": delete,
        "filter": filter_,
        "query": query,
    }


def aio_document_ops(item: Any, wide: Any) -> dict[str, Callable[[Any], Any]]:
    """The same operations over the async API's models (coroutine functions)."""

    async def insert(docs: list[Any]) -> int:
        for d in docs:
            await d.save()
        return len(docs)

    async def lwt(docs: list[Any]) -> int:
        for d in docs:
            _check_applied(await d.insert())
        return len(docs)

    async def get(keys: list[Any]) -> int:
        for k in keys:
            await item.get(id=k)
        return len(keys)

    async def update(docs: list[Any]) -> int:
        for n, d in enumerate(docs):
            await d.update(name=f"renamed {n}", price=float(n))
        return len(docs)

    async def delete(docs: list[Any]) -> int:
        for d in docs:
            await d.delete()
        return len(docs)

    async def filter_(cats: list[str]) -> int:
        for c in cats:
            await item.find(category=c).all()
        return len(cats)

    async def query(buckets: list[int]) -> int:
        for b in buckets:
            if len(await wide.find(bucket=b).all()) != ROWS_PER_PARTITION:
                raise AssertionError("query")
        return len(buckets)

    return {
        "insert": insert,
        "lwt": lwt,
        "get": get,
        "update": update,
        "delete": delete,
        "filter": filter_,
        "query": query,
    }
