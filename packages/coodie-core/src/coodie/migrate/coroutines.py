"""Run a coroutine to the end from sync code, whether or not a loop is already running."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Coroutine
    from typing import Any

__all__ = ["run_to_end"]

T = TypeVar("T")


def run_to_end(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` it; inside a running loop (a sync migration called from async code),
    run it on a loop of its own in a worker thread, since this thread's loop is busy."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="coodie-migrate") as pool:
        return pool.submit(asyncio.run, coroutine).result()
