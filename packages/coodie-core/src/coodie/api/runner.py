"""Drive a multi-statement :data:`~coodie.mapping.Operation` with a sync or async driver.

Operations are generators that yield statements and receive result pages; ``run_sync`` and
``run_async`` are the only difference between running one synchronously and asynchronously.
``IS_ASYNC`` marks the few real differences in coodie.aio's source (see
scripts/generate_sync.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    from coodie.drivers.base import AbstractDriver
    from coodie.mapping import Operation

__all__ = ["IS_ASYNC", "run_async", "run_sync"]

R = TypeVar("R")

#: True in coodie.aio. ``if IS_ASYNC: ... else: ...`` in coodie.aio's source marks code that
#: differs between the two APIs: scripts/generate_sync.py keeps only the ``else`` branch in
#: coodie.sync, and mypy (``always_true``) checks only the ``if`` branch in coodie.aio.
IS_ASYNC: Final = True


def run_sync(driver: AbstractDriver, operation: Operation[R]) -> R:
    """Drive ``operation`` to its result, executing each statement it yields on ``driver``."""
    try:
        statement = next(operation)
        while True:
            statement = operation.send(driver.execute(statement))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def run_async(driver: AbstractDriver, operation: Operation[R]) -> R:
    """Drive ``operation`` to its result, awaiting each statement it yields on ``driver``."""
    try:
        statement = next(operation)
        while True:
            statement = operation.send(await driver.execute_async(statement))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
