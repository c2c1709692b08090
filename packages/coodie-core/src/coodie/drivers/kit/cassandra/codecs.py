"""Scalar value conversions between cassandra-driver's types and the declared Python types.

Only the CQL types whose driver value differs from what a coodie model declares get a
function; everything else is ``None`` (identity), so core's compiled converters skip it:

======== ============================== ==================================================
CQL      cassandra-driver returns       coodie model gets
======== ============================== ==================================================
time     ``cassandra.util.Time`` (ns)   ``datetime.time`` (nanoseconds truncated to µs)
date     ``cassandra.util.Date``        ``datetime.date`` (error outside years 1..9999)
duration ``cassandra.util.Duration``    ``datetime.timedelta`` (error if months != 0;
                                        nanoseconds truncated to µs)
inet     ``str``                        ``IPv4Address`` / ``IPv6Address``
timestamp naive ``datetime`` in UTC      the same naive UTC ``datetime`` (identity) unless
                                        ``aware_timestamps=True``: then tz-aware UTC
======== ============================== ==================================================

On the write side, ``timedelta`` becomes ``Duration(0, days, nanoseconds)`` (all parts with
the same sign, as Cassandra requires) and IP addresses are sent as text; ``time``, ``date``
and ``datetime`` (naive = UTC, aware = converted to UTC) are accepted by the driver as-is.

A user-defined type reaches the driver from core as ``{field: value}``; cassandra-driver
serializes a UDT by indexing it positionally first, then by attribute, so the dict is
wrapped in :class:`UserTypeValue`, whose fields are attributes and which cannot be indexed.
On reads the driver's named tuples go to core as they are (core reads fields by name).

The functions never receive ``None``: core handles nulls before calling them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import TYPE_CHECKING, Any

from cassandra.util import Duration

from coodie.exceptions import CoodieError

if TYPE_CHECKING:
    from coodie.drivers import Decoder, Encoder
    from coodie.model.types import CqlType

__all__ = ["UserTypeValue", "ValueConversionError", "decoder_for", "encoder_for"]

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_NS_PER_US = 1_000
_NS_PER_SECOND = 1_000_000_000
_NS_PER_MINUTE = 60 * _NS_PER_SECOND
_NS_PER_HOUR = 60 * _NS_PER_MINUTE
_US_PER_DAY = 86_400 * 1_000_000
_UTC = dt.timezone.utc


class ValueConversionError(CoodieError, ValueError):
    """A value read from Cassandra has no equivalent in the declared Python type."""


def decode_time(value: Any) -> dt.time:
    """``cassandra.util.Time`` (nanoseconds since midnight) -> ``datetime.time``."""
    if isinstance(value, dt.time):
        return value
    ns = value.nanosecond_time
    hours, ns = divmod(ns, _NS_PER_HOUR)
    minutes, ns = divmod(ns, _NS_PER_MINUTE)
    seconds, ns = divmod(ns, _NS_PER_SECOND)
    return dt.time(hours, minutes, seconds, ns // _NS_PER_US)


def decode_date(value: Any) -> dt.date:
    """``cassandra.util.Date`` (days since 1970-01-01) -> ``datetime.date``."""
    if isinstance(value, dt.date):
        return value
    days = value.days_from_epoch
    try:
        return dt.date.fromordinal(_EPOCH_ORDINAL + days)
    except (ValueError, OverflowError):
        raise ValueConversionError(
            f"The CQL date {days} days from 1970-01-01 is outside the years 1..9999 that "
            "datetime.date can hold; read this column with a raw CQL query instead."
        ) from None


def decode_duration(value: Any) -> dt.timedelta:
    """``cassandra.util.Duration`` -> ``datetime.timedelta``; months have no fixed length."""
    if isinstance(value, dt.timedelta):
        return value
    if value.months:
        raise ValueConversionError(
            f"The CQL duration {value} has {value.months} month(s), which datetime.timedelta "
            "cannot hold (a month has no fixed length). Store durations in days or smaller "
            "units (e.g. 30d instead of 1mo) to read them as timedelta."
        )
    ns = value.nanoseconds
    micros = ns // _NS_PER_US if ns >= 0 else -(-ns // _NS_PER_US)  # truncate toward zero
    return dt.timedelta(days=value.days, microseconds=micros)


def encode_duration(value: Any) -> Any:
    """``datetime.timedelta`` -> ``Duration(0, days, nanoseconds)`` with one sign throughout."""
    if not isinstance(value, dt.timedelta):
        return value  # already a Duration (or something the driver will reject clearly)
    micros = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    sign = -1 if micros < 0 else 1
    days, rest = divmod(abs(micros), _US_PER_DAY)
    return Duration(0, sign * days, sign * rest * _NS_PER_US)


def decode_inet(value: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The driver's text form of an inet -> ``ipaddress.ip_address``."""
    return ipaddress.ip_address(value)


def encode_inet(value: Any) -> Any:
    """IP address objects -> text (the driver's fast path for inet on every version)."""
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(value)
    return value


def decode_timestamp_aware(value: Any) -> dt.datetime:
    """The driver's naive UTC ``datetime`` -> the same instant, tz-aware in UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=_UTC)  # type: ignore[no-any-return]
    return value  # type: ignore[no-any-return]


_DECODERS: dict[str, Decoder] = {
    "time": decode_time,
    "date": decode_date,
    "duration": decode_duration,
    "inet": decode_inet,
}

_ENCODERS: dict[str, Encoder] = {
    "duration": encode_duration,
    "inet": encode_inet,
}


def decoder_for(cql_type: CqlType, *, aware_timestamps: bool = False) -> Decoder | None:
    """The read conversion for a scalar CQL type, or ``None`` when the driver value fits."""
    if cql_type.name == "timestamp":
        return decode_timestamp_aware if aware_timestamps else None
    return _DECODERS.get(cql_type.name)


class UserTypeValue:
    """A UDT value bound by field name: ``value[0]`` raises TypeError, which makes
    cassandra-driver read each field as an attribute (a field it lacks is sent as null)."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.__dict__ = fields

    def __repr__(self) -> str:
        return f"UserTypeValue({self.__dict__!r})"


def encoder_for(cql_type: CqlType) -> Encoder | None:
    """The write conversion for a scalar CQL type, or ``None`` when the driver takes it as-is;
    for a user-defined type, the wrapper of its encoded fields."""
    if cql_type.is_udt:
        return UserTypeValue
    return _ENCODERS.get(cql_type.name)
