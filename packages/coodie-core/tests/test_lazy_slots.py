"""Instances built from rows leave pydantic's fields-set, extra and private slots to be filled
on first read (coodie.model.lazy_slots): they must behave exactly as instances pydantic built."""

from __future__ import annotations

import copy
import pickle
from collections import namedtuple
from typing import Annotated, Any
from uuid import UUID

import pytest
from pydantic import BaseModel, PrivateAttr

from coodie.drivers.statement import ResultPage
from coodie.fields import PrimaryKey
from coodie.mapping import Mapper
from coodie.mapping.codecs import build_decoder
from coodie.model.lazy_slots import fills_slots_lazily
from coodie.sync import Document, UserType
from coodie.testing import RecordingDriver

U = UUID(int=7)


class Spot(UserType):
    city: str
    zip: int


class Visit(Document):
    id: Annotated[UUID, PrimaryKey()]
    note: str = ""
    spot: Spot | None = None


class Holder(BaseModel):
    visit: Visit


def _read(model: type[Any], columns: tuple[str, ...], row: tuple[Any, ...]) -> Any:
    mapper = Mapper(model, model.coodie_schema(), RecordingDriver())
    (doc,) = mapper.readers.hydrate(ResultPage(columns, [row]))
    return doc


def _visit() -> Visit:
    return _read(Visit, ("id", "note", "spot"), (U, "hi", {"city": "Oslo", "zip": 150}))  # type: ignore[no-any-return]


BUILT = Visit(id=U, note="hi", spot=Spot(city="Oslo", zip=150))


def test_the_hydrator_sets_only_dict_for_a_lazy_model() -> None:
    doc = _visit()
    for slot in ("__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"):
        with pytest.raises(AttributeError):
            object.__getattribute__(doc, slot)  # not set yet: filled on first read
    assert doc.model_fields_set == {"id", "note", "spot"}
    assert object.__getattribute__(doc, "__pydantic_fields_set__") == {"id", "note", "spot"}


@pytest.mark.parametrize(
    "check",
    [
        lambda d: d == BUILT and BUILT.__eq__(d) is True,  # both directions
        lambda d: d.model_dump() == BUILT.model_dump(),
        lambda d: d.model_dump_json() == BUILT.model_dump_json(),
        lambda d: d.model_dump(exclude_unset=True) == BUILT.model_dump(exclude_unset=True),
        lambda d: d.spot.model_fields_set == {"city", "zip"},
        lambda d: copy.copy(d) == BUILT,
        lambda d: copy.deepcopy(d) == BUILT,
        lambda d: pickle.loads(pickle.dumps(d)) == BUILT,
        lambda d: repr(d) == repr(BUILT),
        lambda d: dict(d) == dict(BUILT),
        lambda d: Holder(visit=d).model_dump() == Holder(visit=BUILT).model_dump(),
        lambda d: Visit.model_validate(d) == BUILT,
        lambda d: d.model_copy(update={"note": "x"}).note == "x",
    ],
    ids=[
        "eq",
        "dump",
        "json",
        "exclude_unset",
        "udt_fields_set",
        "copy",
        "deepcopy",
        "pickle",
        "repr",
        "iter",
        "nested",
        "validate",
        "model_copy",
    ],
)
def test_a_row_built_instance_behaves_as_one_pydantic_built(check: Any) -> None:
    assert check(_visit())


def test_assignment_before_the_first_read_counts_the_field() -> None:
    doc = _visit()
    doc.note = "changed"
    assert doc.model_fields_set == {"id", "note", "spot"}
    assert doc == Visit(id=U, note="changed", spot=Spot(city="Oslo", zip=150))


def test_fields_the_row_did_not_hold_are_not_in_the_fields_set() -> None:
    doc = _read(Visit, ("id",), (U,))
    assert doc.model_fields_set == {"id"}  # note and spot are defaults, as pydantic says
    assert doc.model_dump(exclude_unset=True) == {"id": U}


def test_a_missing_attribute_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _visit().nope  # type: ignore[attr-defined]  # noqa: B018


class Tracked(Document):
    id: Annotated[UUID, PrimaryKey()]
    _seen: int = PrivateAttr(default=3)


class Custom(Document):
    id: Annotated[UUID, PrimaryKey()]

    def __getattr__(self, item: str) -> Any:  # a model's own hook: coodie sets every slot
        return super().__getattr__(item)  # type: ignore[misc]


def test_private_attributes_and_own_getattr_keep_eager_slots() -> None:
    assert _read(Tracked, ("id",), (U,))._seen == 3
    assert not fills_slots_lazily(Custom)
    doc = _read(Custom, ("id",), (U,))
    assert object.__getattribute__(doc, "__pydantic_extra__") is None
    assert doc == Custom(id=U)


def test_a_udt_read_from_a_named_tuple_is_lazy_too() -> None:
    Row = namedtuple("Row", "city zip")
    decode = build_decoder(Visit.coodie_schema().by_name["spot"].cql_type, RecordingDriver())
    assert decode is not None
    spot = decode(Row("Oslo", 150))
    with pytest.raises(AttributeError):
        object.__getattribute__(spot, "__pydantic_extra__")
    assert spot == Spot(city="Oslo", zip=150)
    assert decode(Row("Bergen", 5000)) == Spot(city="Bergen", zip=5000)  # the learnt class
