"""The serialized size of a composite partition key, checked before sending.

Cassandra stores a partition key of several columns as one value: each part as a 2-byte
length, its bytes and an end byte. That whole value must fit 65,535 bytes ("Key length of N
is longer than maximum of 65535"), even when every part does on its own. A part's bytes are
known without encoding it: UTF-8 text and blobs by length, the fixed-size types by type;
for the few variable-size types that rarely form keys (varint, decimal, frozen collections,
...) only their 3 bytes of framing are counted, so the sum is then a lower bound ("at
least") and a key is never refused that Cassandra would take.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, TypeVar

from coodie.exceptions import InvalidQueryError
from coodie.model.types import MAX_KEY_BYTES
from coodie.query.cql_limits import value_bytes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from coodie.model.schema import TableSchema

__all__ = ["PART_FRAMING_BYTES", "KeySizeCheck", "key_size_check"]

#: What each part of a composite key adds to its own bytes: a 2-byte length and an end byte.
PART_FRAMING_BYTES = 3

_SIZED = ("text", "ascii", "blob")
_FIXED_BYTES = {
    "boolean": 1,
    "tinyint": 1,
    "smallint": 2,
    "int": 4,
    "date": 4,
    "float": 4,
    "bigint": 8,
    "timestamp": 8,
    "time": 8,
    "double": 8,
    "counter": 8,
    "uuid": 16,
    "timeuuid": 16,
}

_F = TypeVar("_F", bound="Callable[..., Any]")


class KeySizeCheck:
    """``check(values)``: raise InvalidQueryError when the partition key parts in ``values``
    (column name -> Python value; parts not given count as nothing) exceed the limit."""

    def __init__(self, schema: TableSchema) -> None:
        self.model_name = schema.model_name
        self.names = tuple(c.name for c in schema.partition_keys)
        self._sized = tuple(c.name for c in schema.partition_keys if c.cql_type.name in _SIZED)
        fixed = [_FIXED_BYTES.get(c.cql_type.name) for c in schema.partition_keys]
        self._exact = all(
            size is not None or c.cql_type.name in _SIZED
            for size, c in zip(fixed, schema.partition_keys, strict=True)
        )
        self._base = PART_FRAMING_BYTES * len(self.names) + sum(s or 0 for s in fixed)
        # The smallest sized part that can break the limit once the others are empty.
        self._room = MAX_KEY_BYTES - self._base

    def check(self, values: Mapping[str, Any]) -> None:
        """Raise InvalidQueryError when the partition key of ``values`` serializes to more than
        65,535 bytes."""
        sized = 0
        for name in self._sized:
            size = value_bytes(values.get(name))
            if size is not None:
                sized += size
        if sized > self._room:
            self._refuse(self._base + sized)

    def check_filters(self, filters: Iterable[tuple[str, str, Any]]) -> None:
        """The same for a query's ``(name, op, value)`` filters (equality parts only)."""
        self.check({name: value for name, op, value in filters if op == "eq"})

    def _refuse(self, total: int) -> None:
        size = f"{total:,} bytes" if self._exact else f"at least {total:,} bytes"
        raise InvalidQueryError(
            f"{self.model_name}: the partition key ({', '.join(self.names)}) is {size} once "
            f"serialized (each part's bytes plus {PART_FRAMING_BYTES}), and Cassandra limits a "
            f"partition key to {MAX_KEY_BYTES:,} bytes; shorten the values, or store a hash "
            "of them as the key instead."
        )

    def after(self, fn: _F, data_of: Callable[..., Mapping[str, Any]]) -> _F:
        """``fn`` (a generated reader), then this check on ``data_of(*its arguments)``:
        each part is checked first, by ``fn``, so a part too long on its own is named as such."""

        @functools.wraps(fn)
        def checked(*args: Any) -> Any:
            result = fn(*args)
            self.check(data_of(*args))
            return result

        return checked  # type: ignore[return-value]


def key_size_check(schema: TableSchema) -> KeySizeCheck | None:
    """The check of ``schema``'s partition key, or None when no key of it can be too long
    (a single part: its own 65,535-byte rule covers it; no text or blob part)."""
    keys = schema.partition_keys
    if len(keys) < 2 or not any(c.cql_type.name in _SIZED for c in keys):
        return None
    return KeySizeCheck(schema)
