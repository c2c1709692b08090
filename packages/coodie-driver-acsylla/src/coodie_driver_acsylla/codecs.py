"""Value conversions between acsylla and the Python types coodie declares.

What acsylla 1.x returns (default, non-"native" mode) and what coodie needs:

=============  ==========================  =====================================
CQL type       acsylla returns             decoder here
=============  ==========================  =====================================
uuid/timeuuid  ``str``                     ``uuid.UUID``
inet           ``str``                     ``IPv4Address`` / ``IPv6Address``
timestamp      aware ``datetime`` (UTC)    naive UTC ``datetime``
duration       ``str`` such as ``-1d5ns``  ``timedelta`` (months are refused)
varint         ``bytes`` (two's compl.)    ``int``
date/time      ``date`` / ``time``         (none needed)
blob           ``bytes``                   (none needed)
=============  ==========================  =====================================

On the way in acsylla accepts ``UUID``, ``IPv4Address``/``IPv6Address``, ``date``,
``time``, naive or aware ``datetime`` as they are; it needs help for:

* ``duration``: a ``(months, days, nanoseconds)`` tuple whose parts share one sign
  (acsylla's own ``timedelta`` handling sends mixed signs for negative values);
* ``varint``: ``bytes`` in two's complement (it does not accept ``int``).

``decimal`` is refused (:data:`UNSUPPORTED_TYPES`): acsylla 1.2 sends the ASCII text of a
decimal's digits as its unscaled integer and decodes what it reads the same way, so
``Decimal("6")`` is stored as 54 (0x36): acsylla reads its own values back unchanged, every
other client reads other numbers, and a decimal written by another client fails to decode.

Every function here is pure and cheap; coodie-core composes them once per model.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import uuid
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "DECODERS",
    "ENCODERS",
    "UNSET",
    "UNSUPPORTED_TYPES",
    "decode_duration",
    "decode_inet",
    "decode_timestamp",
    "decode_uuid",
    "decode_varint",
    "encode_duration",
    "encode_varint",
]


class _Unset:
    """acsylla's "leave this column unset" marker: the position is simply not bound.

    The C++ driver sends a bound-variable slot that was never bound as *unset* (protocol v4+),
    so the driver skips positions holding this object instead of binding them.
    """

    __slots__ = ()
    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()

_UTC = dt.timezone.utc
_UUID = uuid.UUID


def decode_uuid(value: Any) -> uuid.UUID:
    """The value as a ``uuid.UUID`` (acsylla may return its own UUID type)."""
    return value if type(value) is _UUID else _UUID(value)


def decode_inet(value: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The value as an ``ipaddress`` address."""
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return value
    return ipaddress.ip_address(value)


def decode_timestamp(value: Any) -> dt.datetime:
    """Naive UTC: acsylla returns aware UTC datetimes; coodie uses naive UTC ones."""
    tz = value.tzinfo
    if tz is None:
        return value  # type: ignore[no-any-return]
    if tz is not _UTC:
        value = value.astimezone(_UTC)
    return value.replace(tzinfo=None)  # type: ignore[no-any-return]


def decode_varint(value: Any) -> int:
    """The value as an int (acsylla may return the big-endian bytes)."""
    if type(value) is int:
        return value
    return int.from_bytes(value, "big", signed=True)


def encode_varint(value: int) -> bytes:
    """``int`` -> minimal big-endian two's complement bytes (what acsylla binds for varint)."""
    length = (value + (value < 0)).bit_length() // 8 + 1
    return int(value).to_bytes(length, "big", signed=True)


_NANOS_PER_SECOND = 1_000_000_000


def encode_duration(value: dt.timedelta) -> tuple[int, int, int]:
    """``timedelta`` -> ``(months, days, nanoseconds)``, all parts with one sign."""
    if value < dt.timedelta(0):
        months, days, nanos = encode_duration(-value)
        return -months, -days, -nanos
    nanos = (value.seconds * 1_000_000 + value.microseconds) * 1000
    return 0, value.days, nanos


_DURATION_UNITS: Final[dict[str, int]] = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "ms": 1_000_000,
    "s": _NANOS_PER_SECOND,
    "m": 60 * _NANOS_PER_SECOND,
    "h": 3600 * _NANOS_PER_SECOND,
}
_DURATION_PART = re.compile(r"(\d+)(mo|y|w|d|h|ms|m|s|us|µs|ns)")


def decode_duration(value: Any) -> dt.timedelta:
    """Parse acsylla's duration text (``3d4h5us``, ``-1d5ns``, ``1mo2d``) or tuple -> ``timedelta``.

    A ``timedelta`` has no months, so a duration with months or years cannot be represented
    and raises ``ValueError`` rather than guessing a month length. Nanoseconds below a
    microsecond are truncated (``timedelta`` resolution).
    """
    if isinstance(value, dt.timedelta):
        return value
    if isinstance(value, tuple):
        months, days, nanos = value
        return _duration(months, days, nanos, value)
    text = str(value)
    sign = 1
    if text.startswith("-"):
        sign, text = -1, text[1:]
    months = days = nanos = 0
    pos = 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            break
        pos = match.end()
        amount, unit = int(match.group(1)), match.group(2)
        if unit == "y":
            months += 12 * amount
        elif unit == "mo":
            months += amount
        elif unit == "w":
            days += 7 * amount
        elif unit == "d":
            days += amount
        else:
            nanos += amount * _DURATION_UNITS[unit]
    if pos != len(text):
        raise ValueError(f"unrecognised duration from acsylla: {value!r}")
    return _duration(sign * months, sign * days, sign * nanos, value)


def _duration(months: int, days: int, nanos: int, raw: Any) -> dt.timedelta:
    if months:
        raise ValueError(
            f"the duration {raw!r} has months, which datetime.timedelta cannot represent; "
            "store durations without months/years to read them as timedelta"
        )
    micros = abs(nanos) // 1000
    return dt.timedelta(days=days, microseconds=micros if nanos >= 0 else -micros)


#: Decoders by CQL type name (scalar types only; identity conversions are absent).
DECODERS: Final[dict[str, Callable[[Any], Any]]] = {
    "uuid": decode_uuid,
    "timeuuid": decode_uuid,
    "inet": decode_inet,
    "timestamp": decode_timestamp,
    "duration": decode_duration,
    "varint": decode_varint,
}

#: Encoders by CQL type name (scalar types only; values acsylla takes as-is are absent).
ENCODERS: Final[dict[str, Callable[[Any], Any]]] = {
    "duration": encode_duration,
    "varint": encode_varint,
}

#: CQL types acsylla cannot carry, with the reason (core refuses such models before sending).
UNSUPPORTED_TYPES: Final[dict[str, str]] = {
    "decimal": (
        "acsylla 1.2 sends the text of the digits as the number's bytes (Decimal('6') is "
        "stored as 54, which every other client reads) and decodes decimals the same way"
    ),
}
