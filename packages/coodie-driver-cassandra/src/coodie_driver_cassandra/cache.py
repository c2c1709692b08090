"""A bounded, thread-safe LRU cache of prepared statements keyed by CQL text."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from coodie.exceptions import ConfigurationError

__all__ = ["PreparedCache"]

V = TypeVar("V")


class PreparedCache(Generic[V]):
    """Least-recently-used mapping ``cql text -> prepared statement`` holding at most ``maxsize``.

    ``maxsize=0`` disables caching (every statement is prepared again; only useful for tests).
    Safe to share between threads: the sync API may be used from several at once.
    """

    __slots__ = ("_data", "_lock", "_maxsize")

    def __init__(self, maxsize: int) -> None:
        if isinstance(maxsize, bool) or not isinstance(maxsize, int) or maxsize < 0:
            raise ConfigurationError(
                f"prepared_cache_size must be an int >= 0 (number of prepared statements "
                f"kept per connection), got {maxsize!r}."
            )
        self._maxsize = maxsize
        self._data: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def maxsize(self) -> int:
        """How many prepared statements the cache keeps (0: none)."""
        return self._maxsize

    def get(self, cql: str) -> V | None:
        """The entry of ``cql``, marked as recently used, or ``None``."""
        with self._lock:
            value = self._data.get(cql)
            if value is not None:
                self._data.move_to_end(cql)
            return value

    def put(self, cql: str, value: V) -> None:
        """Keep ``value`` for ``cql``, dropping the least recently used entry when full."""
        if self._maxsize == 0:
            return
        with self._lock:
            self._data[cql] = value
            self._data.move_to_end(cql)
            while len(self._data) > self._maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._data.clear()

    def __contains__(self, cql: object) -> bool:
        with self._lock:
            return cql in self._data

    def __len__(self) -> int:
        return len(self._data)

    def keys(self) -> list[str]:
        """CQL texts from least to most recently used (a snapshot)."""
        with self._lock:
            return list(self._data)
