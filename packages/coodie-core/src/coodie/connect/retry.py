"""Connecting until a deadline: ``init_coodie`` keeps trying while the failure may pass.

A node that was just started (or a loaded machine) refuses or times out connections for a
while. Each attempt is the driver's factory with the caller's record (``connect_timeout``
cut to the time left near the deadline, so the last attempt ends in time); between attempts
the pause grows from 0.1 s to 2 s. Failures that another attempt cannot fix (bad credentials, a
missing keyspace, a bad option) are raised at once. When the deadline passes,
:class:`~coodie.exceptions.ConnectTimeoutError` says how long and how often it tried and
what the last attempt saw.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from coodie.connect.timeouts import ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT
from coodie.exceptions import (
    AuthenticationFailedError,
    ConnectTimeoutError,
    DriverError,
    InvalidRequestError,
    NoHostAvailableError,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from coodie.connect.options import ConnectOptions

__all__ = ["Attempts", "connect", "connect_async"]

T = TypeVar("T")

_FIRST_PAUSE = 0.1
_MAX_PAUSE = 2.0


class Attempts:
    """The bookkeeping of one connect deadline (shared by the sync and async loops)."""

    def __init__(
        self,
        options: ConnectOptions,
        *,
        per_attempt_timeout: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options
        self.deadline = options.connect_timeout or DEFAULT_CONNECT_TIMEOUT
        self._per_attempt = per_attempt_timeout
        self._clock = clock
        self._start = clock()
        self._pause = _FIRST_PAUSE
        self.count = 0

    @property
    def retries(self) -> bool:
        """Only a connection coodie opens is retried (a ``session=`` is already open)."""
        return self.options.session is None

    def record(self) -> ConnectOptions:
        """The record for the next attempt: the caller's, with ``connect_timeout`` cut to the
        time left once less is left than one attempt may take."""
        self.count += 1
        if not self._per_attempt:
            return self.options
        left = max(self.deadline - (self._clock() - self._start), 0.1)
        if left >= min(self.deadline, ATTEMPT_TIMEOUT):
            return self.options
        return replace(self.options, connect_timeout=left)

    def pause_after(self, error: Exception) -> float:
        """Seconds to wait before the next attempt, or raise: ``error`` itself when another
        attempt cannot fix it, ConnectTimeoutError when the deadline has passed."""
        if not _may_pass(error):
            raise error
        waited = self._clock() - self._start
        left = self.deadline - waited
        if left <= 0:
            raise self._gave_up(error, waited) from error
        pause = min(self._pause, left)
        self._pause = min(self._pause * 2, _MAX_PAUSE)
        return pause

    def _gave_up(self, error: Exception, waited: float) -> ConnectTimeoutError:
        where = ", ".join(str(point) for point in self.options.contact_points)
        times = "attempt" if self.count == 1 else "attempts"
        return ConnectTimeoutError(
            f"Could not connect to {where} within connect_timeout={self.deadline:g} s: "
            f"{self.count} {times} over {waited:.1f} s, the last one failed with "
            f"{type(error).__name__}: {error}. Check that a node is running there (and "
            "listens on that port), or pass a longer connect_timeout= to wait for it.",
            waited=waited,
            attempts=self.count,
            errors=error.errors if isinstance(error, NoHostAvailableError) else None,
        )


def _may_pass(error: Exception) -> bool:
    """Another attempt may succeed: the node was not reachable or answered too late."""
    if isinstance(error, (AuthenticationFailedError, InvalidRequestError)):
        return False
    return isinstance(error, DriverError) and (error.retryable or type(error) is DriverError)


def connect(
    factory: Callable[[ConnectOptions], T],
    options: ConnectOptions,
    *,
    per_attempt_timeout: bool = True,
) -> T:
    """``factory(options)``, tried again after passing failures until the connect deadline."""
    attempts = Attempts(options, per_attempt_timeout=per_attempt_timeout)
    if not attempts.retries:
        return factory(options)
    while True:
        try:
            return factory(attempts.record())
        except Exception as error:
            time.sleep(attempts.pause_after(error))


async def connect_async(
    factory: Callable[[ConnectOptions], Awaitable[T]],
    options: ConnectOptions,
    *,
    per_attempt_timeout: bool = True,
) -> T:
    """:func:`connect` for an async factory, pausing without blocking the event loop."""
    attempts = Attempts(options, per_attempt_timeout=per_attempt_timeout)
    if not attempts.retries:
        return await factory(options)
    while True:
        try:
            return await factory(attempts.record())
        except Exception as error:
            await asyncio.sleep(attempts.pause_after(error))
