"""``execute_many`` for synchronous code: bounded concurrency without an event loop.

Two ways, by what the client offers (the contract is in docs/writing-a-driver.md):

* :func:`send_with_callbacks` for a client that sends without blocking and reports the outcome
  through a callback (cassandra-driver's ``execute_async``): one thread keeps up to
  ``concurrency`` requests in flight;
* :func:`execute_in_threads` for a client with a blocking call only: ``concurrency`` threads
  each run one statement at a time.

Both consume ``statements`` lazily, send nothing after the first failure, wait for what is
in flight, then raise that failure; they return how many statements ran.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

__all__ = ["Done", "execute_in_threads", "send_with_callbacks"]

S = TypeVar("S")
#: Called once per request when it ends: with ``None``, or with the error to raise.
Done = Callable[[BaseException | None], None]


def send_with_callbacks(
    statements: Iterable[S], concurrency: int, send: Callable[[S, Done], None]
) -> int:
    """Run ``send(statement, done)`` for each statement, at most ``concurrency`` unfinished.

    ``send`` starts one request without waiting for it and makes the client call ``done``
    when it ends (from any thread): ``done(None)``, or ``done(error)`` with the error to raise
    (wrapped by the driver). An exception raised by ``send`` itself propagates as-is (after
    the requests in flight ended).
    """
    slots = threading.Semaphore(concurrency)
    failures: list[BaseException] = []

    def done(error: BaseException | None) -> None:
        if error is not None:
            failures.append(error)
        slots.release()

    sent = 0
    try:
        for statement in statements:
            slots.acquire()
            if failures:
                slots.release()
                break
            try:
                send(statement, done)
            except BaseException:
                slots.release()
                raise
            sent += 1
    finally:
        for _ in range(concurrency):  # every slot back: nothing is in flight any more
            slots.acquire()
    if failures:
        raise failures[0]
    return sent


def execute_in_threads(
    execute: Callable[[S], object], statements: Iterable[S], concurrency: int
) -> int:
    """Run the blocking ``execute(statement)`` from ``concurrency`` threads at most.

    The threads pull from one shared iterator (under a lock, so a generator is safe); an
    error raised while building a statement or executing it stops them all and is raised.
    With ``concurrency=1`` everything runs on the calling thread.
    """
    iterator = iter(statements)
    if concurrency == 1:
        ran = 0
        for statement in iterator:
            execute(statement)
            ran += 1
        return ran
    lock = threading.Lock()
    failures: list[BaseException] = []
    counts: list[int] = []

    def next_statement() -> tuple[bool, S | None]:
        with lock:
            if failures:
                return False, None
            try:
                return True, next(iterator)
            except StopIteration:
                return False, None
            except BaseException as error:
                failures.append(error)
                return False, None

    def worker() -> None:
        ran = 0
        try:
            while True:
                more, statement = next_statement()
                if not more:
                    break
                try:
                    execute(statement)  # type: ignore[arg-type]
                except BaseException as error:
                    with lock:
                        failures.append(error)
                    break
                ran += 1
        finally:
            with lock:
                counts.append(ran)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return sum(counts)
