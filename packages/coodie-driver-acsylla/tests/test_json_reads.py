"""Reading columns acsylla cannot decode through ``toJson()`` (no database)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import uuid
from typing import Annotated, Any

import pytest
from pydantic import ConfigDict

from coodie.fields import Double, Float
from coodie.model.types import CqlType, cql_type_for
from coodie.model.user_types import UserType
from coodie_driver_acsylla.driver import AcsyllaDriver
from coodie_driver_acsylla.json_reads import json_reader, needs_json, readable_rows


class JsPoint(UserType):
    model_config = ConfigDict(frozen=True)
    x: int


class JsRoute(UserType):
    stops: set[JsPoint] = set()


def t(annotation: Any) -> CqlType:
    return cql_type_for(annotation)


@pytest.mark.parametrize(
    "annotation",
    [
        set[JsPoint],
        frozenset[JsPoint],
        set[frozenset[int]],
        dict[frozenset[str], int],
        set[tuple[int, JsPoint]],
        dict[tuple[str, JsPoint], int],
        set[tuple[int, frozenset[int]]],
        JsRoute,
        list[JsRoute],
        dict[str, frozenset[JsPoint]],
        tuple[int, set[JsPoint]],
    ],
)
def test_shapes_acsylla_cannot_build_are_read_as_json(annotation: Any) -> None:
    assert needs_json(t(annotation))


@pytest.mark.parametrize(
    "annotation",
    [
        int,
        set[int],
        set[tuple[int, str]],
        dict[tuple[int, int], str],
        list[JsPoint],
        JsPoint,
        dict[str, JsPoint],
        list[frozenset[int]],
        list[set[int]],
    ],
)
def test_shapes_acsylla_decodes_are_read_as_they_are(annotation: Any) -> None:
    assert not needs_json(t(annotation))


def test_the_driver_hook_answers_only_for_such_columns() -> None:
    assert AcsyllaDriver.json_reader_for(None, t(set[int])) is None  # type: ignore[arg-type]
    read = AcsyllaDriver.json_reader_for(None, t(set[JsPoint]))  # type: ignore[arg-type]
    assert read is not None
    assert read('[{"x": 1}]') == [{"x": 1}]


class JsEvery(UserType):
    model_config = ConfigDict(frozen=True)
    id: uuid.UUID
    at: dt.datetime
    day: dt.date
    clock: dt.time
    data: bytes
    host: ipaddress.IPv6Address
    ratio: Annotated[float, Float()]
    exact: Annotated[float, Double()]
    v: int
    flag: bool
    label: str
    span: dt.timedelta
    Odd: int


#: What Cassandra 5.0's toJson() gives for a set of one such value.
EVERY_JSON = (
    '[{"id": "5b6962dd-3f90-4c93-8f61-eabfa4a803e2", "at": "2026-12-02 07:30:15.123Z", '
    '"day": "1999-12-31", "clock": "23:59:58.123456789", "data": "0x00ff", '
    '"host": "0:0:0:0:0:0:0:1", "ratio": 1.1, "exact": 2.2, "v": -12345678901234567890, '
    '"flag": true, "label": "q\\"\\\\\u00e9", "span": "-1d3h5us", "\\"Odd\\"": 3}]'
)


def test_scalars_come_back_as_acsylla_returns_them() -> None:
    (value,) = json_reader(t(set[JsEvery]))(EVERY_JSON)
    assert value == {
        "id": "5b6962dd-3f90-4c93-8f61-eabfa4a803e2",
        "at": dt.datetime(2026, 12, 2, 7, 30, 15, 123000, tzinfo=dt.timezone.utc),
        "day": dt.date(1999, 12, 31),
        "clock": dt.time(23, 59, 58, 123456),
        "data": b"\x00\xff",
        "host": "0:0:0:0:0:0:0:1",
        "ratio": 1.100000023841858,  # the float32 value, as acsylla returns it
        "exact": 2.2,
        "v": -12345678901234567890,
        "flag": True,
        "label": 'q"\\\u00e9',
        "span": "-1d3h5us",
        "Odd": 3,
    }


def test_through_the_drivers_decoders_values_are_the_declared_ones() -> None:
    from coodie.mapping.codecs import build_decoder

    driver = AcsyllaDriver.__new__(AcsyllaDriver)
    column = t(set[JsEvery])
    decode = build_decoder(column, driver)
    assert decode is not None
    (value,) = decode(json_reader(column)(EVERY_JSON))
    assert value.id == uuid.UUID("5b6962dd-3f90-4c93-8f61-eabfa4a803e2")
    assert value.at == dt.datetime(2026, 12, 2, 7, 30, 15, 123000)
    assert value.host == ipaddress.IPv6Address("::1")
    assert value.span == -dt.timedelta(days=1, hours=3, microseconds=5)


def test_maps_come_back_as_pairs_with_their_keys_parsed() -> None:
    column = t(dict[frozenset[int], dict[uuid.UUID, dt.datetime]])
    read = json_reader(column)
    text = '{"[1, 2]": {"5b6962dd-3f90-4c93-8f61-eabfa4a803e2": "2026-12-02 07:30:15.123Z"}}'
    assert read(text) == [
        (
            [1, 2],
            [
                (
                    "5b6962dd-3f90-4c93-8f61-eabfa4a803e2",
                    dt.datetime(2026, 12, 2, 7, 30, 15, 123000, tzinfo=dt.timezone.utc),
                )
            ],
        )
    ]
    texts = json_reader(t(dict[str, frozenset[JsPoint]]))
    assert texts('{"a b": [{"x": 1}]}') == [("a b", [{"x": 1}])]


def test_nulls_tuples_and_vectors() -> None:
    assert json_reader(t(set[JsPoint]))(None) is None
    assert json_reader(t(set[JsPoint]))("null") is None
    assert json_reader(t(set[tuple[int, JsPoint]]))('[[1, {"x": 2}]]') == [(1, {"x": 2})]
    route = json_reader(t(list[JsRoute]))
    assert route('[{"stops": null}]') == [{"stops": None}]


class FakeRow:
    def __init__(self, *values: Any) -> None:
        self.values_ = values

    def column_value_by_index(self, index: int) -> Any:
        value = self.values_[index]
        if value is TypeError:
            raise TypeError("unhashable type: 'dict'")
        return value


def test_a_result_core_could_not_rewrite_leaves_out_what_acsylla_cannot_decode() -> None:
    result = [FakeRow(False, 1, TypeError, "a"), FakeRow(False, 2, {3}, "b")]
    columns, rows = readable_rows(result, ("[applied]", "id", "points", "note"))
    assert columns == ("[applied]", "id", "note")
    assert rows == [(False, 1, "a"), (False, 2, "b")]
