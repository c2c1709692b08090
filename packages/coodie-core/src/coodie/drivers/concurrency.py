"""Bounded concurrency for bulk writes: the one policy behind both driver hooks.

``check_concurrency`` is applied once by ``insert_many`` before anything is built or sent;
``run_concurrently`` is the async worker pool that ``AbstractDriver.execute_many_async``
uses by default (and that a driver may reuse on its own event loop).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coodie.drivers.base import AbstractDriver
    from coodie.drivers.statement import BatchStatement, Statement

__all__ = ["check_concurrency", "run_concurrently"]


def check_concurrency(concurrency: object) -> None:
    """Refuse a ``concurrency`` that is not a positive int (``insert_many`` calls this once,
    before anything is built or sent; the driver hooks rely on it)."""
    if type(concurrency) is not int or concurrency < 1:
        from coodie.exceptions import InvalidQueryError

        raise InvalidQueryError(f"concurrency={concurrency!r} must be a positive int.")


async def run_concurrently(
    driver: AbstractDriver, statements: Iterable[Statement | BatchStatement], concurrency: int
) -> int:
    """Execute statements with at most ``concurrency`` in flight; returns how many ran.

    Workers pull from one shared iterator, so memory stays bounded however many statements
    there are. The first failure cancels the other workers and is raised once they ended.
    ``concurrency`` was checked by the caller (:func:`check_concurrency`).
    """
    iterator = iter(statements)
    done = 0

    async def worker() -> None:
        nonlocal done
        for statement in iterator:
            await driver.execute_async(statement)
            done += 1

    tasks = [asyncio.ensure_future(worker()) for _ in range(concurrency)]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return done
