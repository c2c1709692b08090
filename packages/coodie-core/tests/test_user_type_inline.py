"""UDT values built by the row hydrator itself (coodie.mapping.user_type_inline): once a named
tuple class with exactly the type's fields is seen, its values are unpacked in the hydrator's
loop; the instances must be the ones the decoder builds, whatever mix of values a page holds."""

import functools
from collections import namedtuple
from types import SimpleNamespace
from typing import Annotated, Any

import pytest
from pydantic import ConfigDict, PrivateAttr

import coodie.aio
import coodie.sync
from coodie.api.document import MAPPERS
from coodie.exceptions import SchemaError
from coodie.fields import PrimaryKey
from coodie.mapping.codecs import build_decoder
from coodie.mapping.generated_code import generated_source
from coodie.mapping.user_type_inline import inline_plan
from coodie.model.user_types import UserType
from coodie.testing import RecordingDriver


class Point(UserType):
    model_config = ConfigDict(frozen=True)
    x: float
    y: float


class Place(UserType):
    name: str
    floor: int = 0
    note: str | None = None
    at: Point | None = None


class Secretive(UserType):
    label: str
    _seen: int = PrivateAttr(default=0)


@functools.cache
def models(api_name: str) -> SimpleNamespace:
    base: Any = coodie.sync.Document if api_name == "sync" else coodie.aio.Document

    class Visit(base):
        id: Annotated[int, PrimaryKey()]
        place: Place | None = None
        secret: Secretive | None = None

    return SimpleNamespace(Visit=Visit)


PointRow = namedtuple("PointRow", "x y")
PlaceRow = namedtuple("PlaceRow", "name floor note at")  # exactly Place's fields
WiderRow = namedtuple("WiderRow", "name floor note at added")  # the live type grew a field


def expected(name: str, floor: int = 0, note: str | None = None, at: Any = None) -> Place:
    return Place(name=name, floor=floor, note=note, at=at)


async def test_a_page_mixing_every_kind_of_value_reads_the_declared_models(
    api: Any, driver: RecordingDriver
) -> None:
    Visit = models(api.name).Visit
    rows = [
        (1, PlaceRow("a", 1, "n", PointRow(1.0, 2.0)), None),
        (2, PlaceRow("b", 2, None, None), None),  # read in place from here on
        (3, None, None),
        (4, {"name": "d", "floor": 4, "note": None, "at": {"x": 3.0, "y": 4.0}}, None),
        (5, WiderRow("e", 5, "w", PointRow(5.0, 6.0), "ignored"), None),
        (6, PlaceRow("f", None, None, None), None),  # null floor: its default
        (7, PlaceRow("g", 7, "again", PointRow(7.0, 8.0)), None),
    ]
    driver.queue_rows(("id", "place", "secret"), rows)
    docs = await api(Visit.find().all())
    assert [d.place for d in docs] == [
        expected("a", 1, "n", Point(x=1.0, y=2.0)),
        expected("b", 2),
        None,
        expected("d", 4, None, Point(x=3.0, y=4.0)),
        expected("e", 5, "w", Point(x=5.0, y=6.0)),
        expected("f"),
        expected("g", 7, "again", Point(x=7.0, y=8.0)),
    ]
    for doc in docs:
        if doc.place is not None:
            assert type(doc.place) is Place
            assert doc.place.model_fields_set == {"name", "floor", "note", "at"}
            assert Place.model_validate(doc.place.model_dump()) == doc.place
    assert docs[6].place.at.model_dump() == {"x": 7.0, "y": 8.0}


async def test_the_hydrator_learns_the_named_tuple_class_and_builds_values_itself(
    api: Any, driver: RecordingDriver
) -> None:
    Visit = models(api.name).Visit
    driver.queue_rows(("id", "place"), [(i, PlaceRow(f"p{i}", i, None, None)) for i in range(3)])
    docs = await api(Visit.find().all())
    assert [d.place for d in docs] == [expected(f"p{i}", i) for i in range(3)]
    hydrators = MAPPERS[Visit].readers.hydrators(("id", "place"))
    assert hydrators.to_list.__globals__["known1"] is PlaceRow
    assert "ud1['name'] = u1_0" in generated_source(hydrators.to_list)


async def test_a_null_field_that_cannot_be_none_is_a_clear_error_in_place_too(
    api: Any, driver: RecordingDriver
) -> None:
    Visit = models(api.name).Visit
    driver.queue_rows(
        ("id", "place"), [(1, PlaceRow("a", 1, None, None)), (2, PlaceRow(None, 1, None, None))]
    )
    with pytest.raises(SchemaError, match=r"Place.name: .*null.*Optional"):
        await api(Visit.find().all())


async def test_get_reads_in_place_after_a_page_taught_the_class(
    api: Any, driver: RecordingDriver
) -> None:
    Visit = models(api.name).Visit
    driver.queue_rows(("id", "place"), [(1, PlaceRow("a", 1, None, None))])
    await api(Visit.find().all())
    driver.queue_rows(("id", "place"), [(2, PlaceRow("b", 2, "x", PointRow(0.5, 1.5)))])
    doc = await api(Visit.get(id=2))
    assert doc.place == expected("b", 2, "x", Point(x=0.5, y=1.5))


def test_types_with_private_attributes_keep_the_decoder() -> None:
    driver = RecordingDriver()
    visit = models("sync").Visit
    schema = visit.coodie_schema()
    secret = build_decoder(schema.by_name["secret"].cql_type, driver)
    place = build_decoder(schema.by_name["place"].cql_type, driver)
    assert inline_plan(secret) is None  # its private slot must be set per instance
    assert inline_plan(place) is not None
    value = secret(namedtuple("SecretRow", "label")("s"))
    assert value == Secretive(label="s")
    assert value._seen == 0
