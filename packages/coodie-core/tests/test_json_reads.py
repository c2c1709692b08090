"""Columns a driver reads as ``toJson(col)`` (``AbstractDriver.json_reader_for``), no database."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import pytest
from pydantic import ConfigDict

from coodie import connections
from coodie.cql import select
from coodie.drivers.statement import Statement
from coodie.fields import ClusteringKey, PrimaryKey
from coodie.mapping.codecs import build_encoder
from coodie.model.types import CqlType, cql_type_for
from coodie.model.user_types import UserType
from coodie.sync import Document
from coodie.testing import RecordingDriver

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.drivers.base import Decoder


class JPoint(UserType):
    model_config = ConfigDict(frozen=True)
    x: int
    y: int


class JsonSetsDriver(RecordingDriver):
    """Reads every set as JSON text, as a driver that cannot build them would."""

    def json_reader_for(self, cql_type: CqlType) -> Decoder | None:
        if cql_type.name != "set":
            return None
        return lambda text: None if text is None else json.loads(text)


class Trip(Document):
    id: Annotated[int, PrimaryKey()]
    seq: Annotated[int, ClusteringKey()] = 0
    stops: set[JPoint] = set()
    tags: set[str] = set()
    note: str = ""


@pytest.fixture
def json_driver() -> Iterator[JsonSetsDriver]:
    previous = connections.unregister_driver()
    driver = JsonSetsDriver()
    connections.register_driver(driver)
    yield driver
    connections.unregister_driver()
    if previous is not None:
        connections.register_driver(previous)


def cql(driver: RecordingDriver) -> str:
    statement = driver.last
    assert isinstance(statement, Statement)
    return statement.cql


STOPS = '[{"x": 1, "y": 2}, {"x": 3, "y": 4}]'


def test_such_columns_are_selected_as_tojson_under_their_own_name(
    json_driver: JsonSetsDriver,
) -> None:
    json_driver.queue_rows(["id", "seq", "stops", "tags", "note"], [(1, 0, STOPS, '["a"]', "n")])
    doc = Trip.get(id=1, seq=0)
    assert cql(json_driver) == (
        "SELECT id, seq, toJson(stops) AS stops, toJson(tags) AS tags, note FROM test.trip "
        "WHERE id = ? AND seq = ?"
    )
    assert doc == Trip(id=1, stops={JPoint(x=1, y=2), JPoint(x=3, y=4)}, tags={"a"}, note="n")


def test_find_only_and_values_list_select_them_too(json_driver: JsonSetsDriver) -> None:
    json_driver.queue_rows(["id", "seq", "stops"], [(1, 0, STOPS), (1, 1, None)])
    docs = Trip.find(id=1).only("stops").all()
    assert cql(json_driver) == "SELECT id, seq, toJson(stops) AS stops FROM test.trip WHERE id = ?"
    assert [d.stops for d in docs] == [{JPoint(x=1, y=2), JPoint(x=3, y=4)}, set()]
    json_driver.queue_rows(["note", "tags"], [("n", '["b", "c"]')])
    rows = Trip.find(id=1).values_list("note", "tags").all()
    assert cql(json_driver) == "SELECT note, toJson(tags) AS tags FROM test.trip WHERE id = ?"
    assert rows == [("n", {"b", "c"})]


def test_other_drivers_select_the_columns_themselves(driver: RecordingDriver) -> None:
    driver.queue_rows(["id", "seq", "stops", "tags", "note"], [])
    Trip.find(id=1).all()
    assert cql(driver) == "SELECT id, seq, stops, tags, note FROM test.trip WHERE id = ?"


def test_the_select_builder_wraps_only_the_named_columns() -> None:
    schema = Trip.coodie_schema()
    text = select.select(schema, (("id", "eq"),), columns=("id", "stops"), json_columns={"stops"})
    assert text == "SELECT id, toJson(stops) AS stops FROM trip WHERE id = ?"


class DictUdtDriver(RecordingDriver):
    """Encodes a UDT to a dict, as acsylla does."""


def test_sets_and_map_keys_of_tuples_holding_a_udt_encode_without_hashing_dicts() -> None:
    driver = DictUdtDriver()
    in_set = cql_type_for(set[tuple[int, JPoint]])
    encode_set = build_encoder(in_set, driver)
    assert encode_set is not None
    encoded: Any = encode_set({(1, JPoint(x=1, y=2))})
    assert encoded == [(1, {"x": 1, "y": 2})]
    as_key = cql_type_for(dict[tuple[str, JPoint], int])
    encode_map = build_encoder(as_key, driver)
    assert encode_map is not None
    assert encode_map({("a", JPoint(x=1, y=2)): 3}) == [(("a", {"x": 1, "y": 2}), 3)]
    hashable_keys = build_encoder(cql_type_for(dict[tuple[str, int], int]), driver)
    assert hashable_keys is None
