"""The prepared-statement cache acsylla uses (core's): LRU bound and single-flight
preparation on one event loop (no database)."""

from __future__ import annotations

import asyncio

import pytest

from coodie.drivers.kit import PreparedCache
from coodie.exceptions import ConfigurationError
from coodie_driver_acsylla.driver import _check_cache_size


class FakePreparer:
    def __init__(self, delay: float = 0.0, fail: set[str] | None = None) -> None:
        self.calls: list[str] = []
        self.delay = delay
        self.fail = fail or set()

    async def __call__(self, cql: str) -> str:
        self.calls.append(cql)
        await asyncio.sleep(self.delay)
        if cql in self.fail:
            raise RuntimeError(f"cannot prepare {cql}")
        return f"prepared:{cql}"


async def test_prepares_once_and_then_hits() -> None:
    preparer = FakePreparer()
    cache: PreparedCache[str] = PreparedCache(10)
    assert cache.get("a") is None
    assert await cache.get_or_prepare_async("a", preparer) == "prepared:a"
    assert await cache.get_or_prepare_async("a", preparer) == "prepared:a"
    assert cache.get("a") == "prepared:a"
    assert preparer.calls == ["a"]
    assert "a" in cache
    assert len(cache) == 1


async def test_concurrent_first_uses_share_one_prepare() -> None:
    preparer = FakePreparer(delay=0.01)
    cache: PreparedCache[str] = PreparedCache(1000)
    results = await asyncio.gather(*(cache.get_or_prepare_async("q", preparer) for _ in range(50)))
    assert set(results) == {"prepared:q"}
    assert preparer.calls == ["q"]
    assert cache.prepares == 1


async def test_lru_eviction_keeps_recently_used() -> None:
    preparer = FakePreparer()
    cache: PreparedCache[str] = PreparedCache(2)
    await cache.get_or_prepare_async("a", preparer)
    await cache.get_or_prepare_async("b", preparer)
    assert cache.get("a") is not None  # a is now the most recently used
    await cache.get_or_prepare_async("c", preparer)  # evicts b
    assert "a" in cache
    assert "b" not in cache
    assert "c" in cache
    assert len(cache) == 2
    await cache.get_or_prepare_async("b", preparer)
    assert preparer.calls == ["a", "b", "c", "b"]


async def test_failures_are_shared_and_not_cached() -> None:
    preparer = FakePreparer(delay=0.01, fail={"bad"})
    cache: PreparedCache[str] = PreparedCache(1000)
    outcomes = await asyncio.gather(
        *(cache.get_or_prepare_async("bad", preparer) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(o, RuntimeError) for o in outcomes)
    assert preparer.calls == ["bad"]
    assert "bad" not in cache
    with pytest.raises(RuntimeError):
        await cache.get_or_prepare_async("bad", preparer)
    assert preparer.calls == ["bad", "bad"]


async def test_a_cancelled_waiter_does_not_cancel_the_prepare() -> None:
    preparer = FakePreparer(delay=0.05)
    cache: PreparedCache[str] = PreparedCache(1000)
    first = asyncio.ensure_future(cache.get_or_prepare_async("q", preparer))
    second = asyncio.ensure_future(cache.get_or_prepare_async("q", preparer))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == "prepared:q"
    assert preparer.calls == ["q"]
    with pytest.raises(asyncio.CancelledError):
        await first


def test_capacity_must_be_positive() -> None:
    # core's cache takes 0 (no caching); the acsylla driver asks for at least one entry.
    with pytest.raises(ConfigurationError, match=">= 1"):
        _check_cache_size(0)
