"""Drive a multi-statement :data:`~coodie.mapper.Operation` with a sync or async driver.

Operations are generators that yield statements and receive result pages; ``run_sync`` and
``run_async`` are the only difference between running one synchronously and asynchronously.
``run_concurrently`` is the async bulk-write pool behind ``AbstractDriver.execute_many_async``.
``IS_ASYNC`` marks the few real differences in coodie.aio's source (see
scripts/generate_sync.py).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coodie.drivers.base import AbstractDriver
    from coodie.mapper import Operation
    from coodie.statement import BatchStatement, Statement

__all__ = ["IS_ASYNC", "check_concurrency", "run_async", "run_concurrently", "run_sync"]

R = TypeVar("R")

#: True in coodie.aio. ``if IS_ASYNC: ... else: ...`` in coodie.aio's source marks code that
#: differs between the two APIs: scripts/generate_sync.py keeps only the ``else`` branch in
#: coodie.sync, and mypy (``always_true``) checks only the ``if`` branch in coodie.aio.
IS_ASYNC: Final = True


def run_sync(driver: AbstractDriver, operation: Operation[R]) -> R:
    try:
        statement = next(operation)
        while True:
            statement = operation.send(driver.execute(statement))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def run_async(driver: AbstractDriver, operation: Operation[R]) -> R:
    try:
        statement = next(operation)
        while True:
            statement = operation.send(await driver.execute_async(statement))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


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
