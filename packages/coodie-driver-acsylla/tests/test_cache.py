"""The prepared-statement cache: LRU bound and single-flight preparation (no database)."""

from __future__ import annotations

import asyncio

import pytest

from coodie_driver_acsylla.cache import PreparedCache


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
    cache = PreparedCache(preparer, capacity=10)
    assert cache.get("a") is None
    assert await cache.get_or_prepare("a") == "prepared:a"
    assert await cache.get_or_prepare("a") == "prepared:a"
    assert cache.get("a") == "prepared:a"
    assert preparer.calls == ["a"]
    assert "a" in cache
    assert len(cache) == 1


async def test_concurrent_first_uses_share_one_prepare() -> None:
    preparer = FakePreparer(delay=0.01)
    cache = PreparedCache(preparer)
    results = await asyncio.gather(*(cache.get_or_prepare("q") for _ in range(50)))
    assert set(results) == {"prepared:q"}
    assert preparer.calls == ["q"]
    assert cache.prepares == 1


async def test_lru_eviction_keeps_recently_used() -> None:
    preparer = FakePreparer()
    cache = PreparedCache(preparer, capacity=2)
    await cache.get_or_prepare("a")
    await cache.get_or_prepare("b")
    assert cache.get("a") is not None  # a is now the most recently used
    await cache.get_or_prepare("c")  # evicts b
    assert "a" in cache
    assert "b" not in cache
    assert "c" in cache
    assert len(cache) == 2
    await cache.get_or_prepare("b")
    assert preparer.calls == ["a", "b", "c", "b"]


async def test_failures_are_shared_and_not_cached() -> None:
    preparer = FakePreparer(delay=0.01, fail={"bad"})
    cache = PreparedCache(preparer)
    outcomes = await asyncio.gather(
        *(cache.get_or_prepare("bad") for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(o, RuntimeError) for o in outcomes)
    assert preparer.calls == ["bad"]
    assert "bad" not in cache
    with pytest.raises(RuntimeError):
        await cache.get_or_prepare("bad")
    assert preparer.calls == ["bad", "bad"]


async def test_a_cancelled_waiter_does_not_cancel_the_prepare() -> None:
    preparer = FakePreparer(delay=0.05)
    cache = PreparedCache(preparer)
    first = asyncio.ensure_future(cache.get_or_prepare("q"))
    second = asyncio.ensure_future(cache.get_or_prepare("q"))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == "prepared:q"
    assert preparer.calls == ["q"]
    with pytest.raises(asyncio.CancelledError):
        await first


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        PreparedCache(FakePreparer(), capacity=0)
