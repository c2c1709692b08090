"""coodie.drivers.kit.PreparedCache: bounded LRU, one prepare per CQL text in flight (threads
and tasks), failures shared but not cached."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from coodie.drivers.kit import PreparedCache
from coodie.exceptions import ConfigurationError


class SlowPreparer:
    """Counts calls; sleeps so that concurrent callers really overlap."""

    def __init__(self, delay: float = 0.05, fail: set[str] | None = None) -> None:
        self.calls: list[str] = []
        self.delay = delay
        self.fail = fail or set()
        self._lock = threading.Lock()

    def __call__(self, cql: str) -> str:
        with self._lock:
            self.calls.append(cql)
        time.sleep(self.delay)
        if cql in self.fail:
            raise RuntimeError(f"cannot prepare {cql}")
        return f"prepared:{cql}"

    async def async_(self, cql: str) -> str:
        self.calls.append(cql)
        await asyncio.sleep(self.delay)
        if cql in self.fail:
            raise RuntimeError(f"cannot prepare {cql}")
        return f"prepared:{cql}"


def run_threads(n: int, target: object) -> list[object]:
    results: list[object] = [None] * n
    barrier = threading.Barrier(n)

    def work(i: int) -> None:
        barrier.wait()
        try:
            results[i] = target()  # type: ignore[operator]
        except Exception as error:
            results[i] = error

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results


def test_many_threads_share_one_prepare() -> None:
    preparer = SlowPreparer()
    cache: PreparedCache[str] = PreparedCache(10)
    results = run_threads(32, lambda: cache.get_or_prepare("q", preparer))
    assert results == ["prepared:q"] * 32
    assert preparer.calls == ["q"]
    assert cache.prepares == 1
    assert cache.get("q") == "prepared:q"


def test_threads_on_different_texts_prepare_each_once() -> None:
    preparer = SlowPreparer(delay=0.01)
    cache: PreparedCache[str] = PreparedCache(10)
    counter = iter(range(1000))
    lock = threading.Lock()

    def use() -> str:
        with lock:
            n = next(counter) % 4
        return cache.get_or_prepare(f"q{n}", preparer)

    run_threads(40, use)
    assert sorted(preparer.calls) == ["q0", "q1", "q2", "q3"]


def test_a_failed_prepare_is_shared_by_threads_and_not_cached() -> None:
    preparer = SlowPreparer(fail={"bad"})
    cache: PreparedCache[str] = PreparedCache(10)
    results = run_threads(8, lambda: cache.get_or_prepare("bad", preparer))
    assert all(isinstance(r, RuntimeError) for r in results)
    assert preparer.calls == ["bad"]
    assert "bad" not in cache
    with pytest.raises(RuntimeError):
        cache.get_or_prepare("bad", preparer)
    assert preparer.calls == ["bad", "bad"]


async def test_many_tasks_share_one_prepare() -> None:
    preparer = SlowPreparer()
    cache: PreparedCache[str] = PreparedCache(10)
    results = await asyncio.gather(
        *(cache.get_or_prepare_async("q", preparer.async_) for _ in range(100))
    )
    assert set(results) == {"prepared:q"}
    assert preparer.calls == ["q"]
    assert cache.prepares == 1


async def test_a_failed_async_prepare_is_shared_and_not_cached() -> None:
    preparer = SlowPreparer(fail={"bad"})
    cache: PreparedCache[str] = PreparedCache(10)
    outcomes = await asyncio.gather(
        *(cache.get_or_prepare_async("bad", preparer.async_) for _ in range(5)),
        return_exceptions=True,
    )
    assert all(isinstance(o, RuntimeError) for o in outcomes)
    assert preparer.calls == ["bad"]
    assert "bad" not in cache
    with pytest.raises(RuntimeError):
        await cache.get_or_prepare_async("bad", preparer.async_)
    assert preparer.calls == ["bad", "bad"]


async def test_a_cancelled_waiter_does_not_cancel_the_shared_prepare() -> None:
    preparer = SlowPreparer()
    cache: PreparedCache[str] = PreparedCache(10)
    first = asyncio.ensure_future(cache.get_or_prepare_async("q", preparer.async_))
    second = asyncio.ensure_future(cache.get_or_prepare_async("q", preparer.async_))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == "prepared:q"
    assert preparer.calls == ["q"]
    with pytest.raises(asyncio.CancelledError):
        await first


def test_event_loops_in_several_threads_share_the_cache() -> None:
    preparer = SlowPreparer(delay=0.01)
    cache: PreparedCache[str] = PreparedCache(10)

    async def use() -> list[str]:
        return list(
            await asyncio.gather(
                *(cache.get_or_prepare_async("q", preparer.async_) for _ in range(20))
            )
        )

    results = run_threads(4, lambda: asyncio.run(use()))
    assert all(r == ["prepared:q"] * 20 for r in results)
    # One prepare per loop at most (a task belongs to its loop), and the cache then serves all.
    assert 1 <= len(preparer.calls) <= 4
    assert cache.get("q") == "prepared:q"


def test_lru_bound_and_order() -> None:
    cache: PreparedCache[int] = PreparedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recently used
    cache.put("c", 3)  # evicts b
    assert cache.keys() == ["a", "c"]
    assert len(cache) == 2
    assert "b" not in cache


def test_size_zero_caches_nothing_but_still_shares_a_prepare() -> None:
    preparer = SlowPreparer()
    cache: PreparedCache[str] = PreparedCache(0)
    results = run_threads(6, lambda: cache.get_or_prepare("q", preparer))
    assert results == ["prepared:q"] * 6
    assert preparer.calls == ["q"]
    assert len(cache) == 0


def test_clear_forgets_and_a_prepare_in_flight_is_not_cached() -> None:
    preparer = SlowPreparer(delay=0.1)
    cache: PreparedCache[str] = PreparedCache(10)
    cache.put("old", "x")
    thread = threading.Thread(target=cache.get_or_prepare, args=("q", preparer))
    thread.start()
    time.sleep(0.03)
    cache.clear()
    thread.join(5)
    assert len(cache) == 0


@pytest.mark.parametrize("size", [-1, True, 1.5, "10"])
def test_bad_size_is_a_configuration_error(size: object) -> None:
    with pytest.raises(ConfigurationError, match="prepared_cache_size must be an int >= 0"):
        PreparedCache(size)  # type: ignore[arg-type]
