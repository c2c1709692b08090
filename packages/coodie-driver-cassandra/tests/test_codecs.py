"""decoder_for / encoder_for: identity where the driver already returns the declared type."""

from __future__ import annotations

import datetime as dt
import ipaddress
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest
from cassandra.cqltypes import DurationType, SimpleDateType, TimeType
from cassandra.util import Date, Duration, Time

from coodie.drivers.kit.cassandra.codecs import ValueConversionError
from coodie.exceptions import CoodieError
from coodie.model.types import CqlType

if TYPE_CHECKING:
    from coodie_driver_cassandra.driver import CassandraDriver


def t(name: str, python_type: Any = None) -> CqlType:
    return CqlType(name, python_type=python_type)


IDENTITY = [
    ("text", str),
    ("ascii", str),
    ("int", int),
    ("bigint", int),
    ("smallint", int),
    ("tinyint", int),
    ("varint", int),
    ("counter", int),
    ("double", float),
    ("float", float),
    ("boolean", bool),
    ("uuid", UUID),
    ("timeuuid", UUID),
    ("blob", bytes),
    ("decimal", Decimal),
    ("timestamp", dt.datetime),
]


@pytest.mark.parametrize(("name", "py"), IDENTITY)
def test_identity_types_have_no_codec(driver: CassandraDriver, name: str, py: type) -> None:
    assert driver.decoder_for(t(name, py)) is None
    assert driver.encoder_for(t(name, py)) is None


def test_time(driver: CassandraDriver) -> None:
    decode = driver.decoder_for(t("time", dt.time))
    assert decode is not None
    assert driver.encoder_for(t("time", dt.time)) is None  # the driver takes datetime.time
    value = dt.time(13, 45, 59, 123456)
    wire = TimeType.serialize(value, 4)
    assert decode(TimeType.deserialize(wire, 4)) == value
    assert decode(Time(1_000_000_001)) == dt.time(0, 0, 1)  # ns truncated to µs
    assert decode(Time(dt.time(23, 59, 59, 999999))) == dt.time(23, 59, 59, 999999)
    assert decode(value) is value


def test_date(driver: CassandraDriver) -> None:
    decode = driver.decoder_for(t("date", dt.date))
    assert decode is not None
    assert driver.encoder_for(t("date", dt.date)) is None  # the driver takes datetime.date
    for value in (
        dt.date(2024, 2, 29),
        dt.date(1, 1, 1),
        dt.date(9999, 12, 31),
        dt.date(1969, 7, 20),
    ):
        wire = SimpleDateType.serialize(value, 4)
        assert decode(SimpleDateType.deserialize(wire, 4)) == value
    assert decode(dt.date(2000, 1, 1)) == dt.date(2000, 1, 1)


def test_date_out_of_range(driver: CassandraDriver) -> None:
    decode = driver.decoder_for(t("date", dt.date))
    assert decode is not None
    with pytest.raises(ValueConversionError, match=r"years 1\.\.9999") as info:
        decode(Date(-1_000_000))
    assert isinstance(info.value, CoodieError)
    assert isinstance(info.value, ValueError)
    with pytest.raises(ValueConversionError):
        decode(Date(2**31 - 1))


@pytest.mark.parametrize(
    "value",
    [
        dt.timedelta(0),
        dt.timedelta(days=3, hours=4, microseconds=7),
        dt.timedelta(hours=25),
        dt.timedelta(seconds=-1),
        dt.timedelta(days=-2, microseconds=1),
        dt.timedelta(days=999_999_999),
    ],
)
def test_duration_round_trip(driver: CassandraDriver, value: dt.timedelta) -> None:
    decode = driver.decoder_for(t("duration", dt.timedelta))
    encode = driver.encoder_for(t("duration", dt.timedelta))
    assert decode is not None
    assert encode is not None
    wire_value = encode(value)
    assert isinstance(wire_value, Duration)
    assert wire_value.months == 0
    signs = {(-1 if part < 0 else 1) for part in (wire_value.days, wire_value.nanoseconds) if part}
    assert len(signs) <= 1  # Cassandra rejects mixed signs
    wire = DurationType.serialize(wire_value, 4)
    assert decode(DurationType.deserialize(wire, 4)) == value


def test_duration_encoding() -> None:
    from coodie.drivers.kit.cassandra.codecs import encode_duration

    assert encode_duration(dt.timedelta(days=1, microseconds=5)) == Duration(0, 1, 5000)
    assert encode_duration(dt.timedelta(seconds=-1)) == Duration(0, 0, -1_000_000_000)
    assert encode_duration(dt.timedelta(days=-1, hours=-1)) == Duration(0, -1, -3_600_000_000_000)
    already = Duration(1, 2, 3)
    assert encode_duration(already) is already


def test_duration_nanoseconds_truncate_toward_zero(driver: CassandraDriver) -> None:
    decode = driver.decoder_for(t("duration", dt.timedelta))
    assert decode is not None
    assert decode(Duration(0, 0, 1999)) == dt.timedelta(microseconds=1)
    assert decode(Duration(0, 0, -1999)) == dt.timedelta(microseconds=-1)
    assert decode(dt.timedelta(1)) == dt.timedelta(1)


def test_duration_with_months_is_rejected(driver: CassandraDriver) -> None:
    decode = driver.decoder_for(t("duration", dt.timedelta))
    assert decode is not None
    with pytest.raises(ValueConversionError, match=r"1 month\(s\).*30d instead of 1mo"):
        decode(Duration(1, 2, 3))


@pytest.mark.parametrize(
    ("text", "py"),
    [("192.168.0.1", ipaddress.IPv4Address), ("2001:db8::1", ipaddress.IPv6Address)],
)
def test_inet(driver: CassandraDriver, text: str, py: type) -> None:
    decode = driver.decoder_for(t("inet", py))
    encode = driver.encoder_for(t("inet", py))
    assert decode is not None
    assert encode is not None
    value = decode(text)
    assert isinstance(value, py)
    assert value == ipaddress.ip_address(text)
    assert encode(value) == text
    assert encode(text) == text


def test_timestamps_stay_naive_utc_by_default(driver: CassandraDriver) -> None:
    assert driver.decoder_for(t("timestamp", dt.datetime)) is None


def test_aware_timestamps_option(make_driver: Any) -> None:
    driver = make_driver(aware_timestamps=True)
    decode = driver.decoder_for(t("timestamp", dt.datetime))
    assert decode is not None
    naive = dt.datetime(2024, 1, 2, 3, 4, 5, 6000)
    assert decode(naive) == naive.replace(tzinfo=dt.timezone.utc)
    aware = dt.datetime(2024, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert decode(aware) is aware
