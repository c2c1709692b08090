"""Rows from a driver become model instances of the declared types, without re-validation."""

import datetime as dt
import enum
from collections import OrderedDict
from decimal import Decimal
from ipaddress import IPv4Address, IPv6Address
from typing import Annotated, Any, Optional
from uuid import UUID

import pytest
from pydantic import Field, PrivateAttr

from coodie.drivers.base import AbstractDriver
from coodie.drivers.statement import ResultPage, Statement
from coodie.exceptions import SchemaError
from coodie.fields import BigInt, PrimaryKey, TinyInt
from coodie.mapping import Mapper
from coodie.mapping.codecs import build_decoder, build_encoder
from coodie.model.types import CqlType, cql_type_for
from coodie.sync import Document
from coodie.testing import RecordingDriver


class Color(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(int, enum.Enum):
    LOW = 1
    HIGH = 2


class Everything(Document):
    id: Annotated[UUID, PrimaryKey()]
    text: str = ""
    big: Annotated[int, BigInt()] = 0
    tiny: Annotated[int, TinyInt()] = 0
    ratio: float = 0.0
    flag: bool = False
    at: Optional[dt.datetime] = None  # noqa: UP045
    day: Optional[dt.date] = None  # noqa: UP045
    clock: Optional[dt.time] = None  # noqa: UP045
    span: Optional[dt.timedelta] = None  # noqa: UP045
    raw: bytes = b""
    money: Decimal = Decimal(0)
    ip4: Optional[IPv4Address] = None  # noqa: UP045
    ip6: Optional[IPv6Address] = None  # noqa: UP045
    color: Color = Color.RED
    level: Level = Level.LOW
    names: list[str] = Field(default_factory=list)
    tags: set[str] = Field(default_factory=set)
    frozen_tags: frozenset[int] = frozenset()
    counts: dict[str, int] = Field(default_factory=dict)
    palette: dict[str, Color] = Field(default_factory=dict)
    levels: list[Level] = Field(default_factory=list)
    pair: Optional[tuple[int, str]] = None  # noqa: UP045
    nested: dict[str, set[int]] = Field(default_factory=dict)
    grid: list[list[int]] = Field(default_factory=list)
    _seen: list[str] = PrivateAttr(default_factory=list)
    _flag: int = PrivateAttr(default=7)


COLUMNS = list(Everything.model_fields)
U = UUID("12345678-1234-5678-1234-567812345678")


def full_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": U,
        "text": "hello",
        "big": 2**40,
        "tiny": -5,
        "ratio": 0.25,
        "flag": True,
        "at": dt.datetime(2024, 1, 2, 3, 4, 5),
        "day": dt.date(2024, 1, 2),
        "clock": dt.time(3, 4, 5),
        "span": dt.timedelta(days=1, seconds=3),
        "raw": b"\x00\x01",
        "money": Decimal("12.50"),
        "ip4": IPv4Address("10.0.0.1"),
        "ip6": IPv6Address("::1"),
        "color": "blue",  # the driver returns the stored value, not the Enum
        "level": 2,
        "names": ["a", "b"],
        "tags": ["x", "y"],  # some drivers return lists (or SortedSet) for sets
        "frozen_tags": [3, 1],
        "counts": OrderedDict([("a", 1), ("b", 2)]),  # OrderedMapSerializedKey-like
        "palette": [("sky", "blue"), ("rose", "red")],  # a map as (key, value) pairs
        "levels": [1, 2],
        "pair": [7, "seven"],  # a tuple returned as a list
        "nested": {"k": [3, 4]},
        "grid": [(1, 2), (3,)],
    }
    row.update(overrides)
    return row


EXPECTED = {
    "id": U,
    "text": "hello",
    "big": 2**40,
    "tiny": -5,
    "ratio": 0.25,
    "flag": True,
    "at": dt.datetime(2024, 1, 2, 3, 4, 5),
    "day": dt.date(2024, 1, 2),
    "clock": dt.time(3, 4, 5),
    "span": dt.timedelta(days=1, seconds=3),
    "raw": b"\x00\x01",
    "money": Decimal("12.50"),
    "ip4": IPv4Address("10.0.0.1"),
    "ip6": IPv6Address("::1"),
    "color": Color.BLUE,
    "level": Level.HIGH,
    "names": ["a", "b"],
    "tags": {"x", "y"},
    "frozen_tags": frozenset({1, 3}),
    "counts": {"a": 1, "b": 2},
    "palette": {"sky": Color.BLUE, "rose": Color.RED},
    "levels": [Level.LOW, Level.HIGH],
    "pair": (7, "seven"),
    "nested": {"k": {3, 4}},
    "grid": [[1, 2], [3]],
}


def hydrate(rows: list[dict[str, Any]], columns: list[str] | None = None) -> list[Everything]:
    cols = columns or COLUMNS
    mapper = Mapper(Everything, Everything.coodie_schema(), RecordingDriver())
    return mapper.readers.hydrate(ResultPage(cols, [tuple(r[c] for c in cols) for r in rows]))


def test_row_is_converted_to_declared_types() -> None:
    (doc,) = hydrate([full_row()])
    for name, expected in EXPECTED.items():
        value = getattr(doc, name)
        assert value == expected, name
        assert type(value) is type(expected), name
    assert type(doc.counts) is dict
    assert all(type(v) is set for v in doc.nested.values())
    assert all(type(v) is list for v in doc.grid)


def json_dump_with_sets_sorted(doc: Document) -> dict[str, Any]:
    """``model_dump(mode="json")`` with each set (also inside a dict) as a sorted list."""

    def canonical(value: Any, dumped: Any) -> Any:
        if isinstance(value, (set, frozenset)):
            return sorted(dumped)
        if isinstance(value, dict):
            return {k: canonical(v, dumped[k]) for k, v in value.items()}
        return dumped

    dump = doc.model_dump(mode="json")
    return {name: canonical(getattr(doc, name), dump[name]) for name in dump}


def test_hydrated_equals_constructed_model() -> None:
    (doc,) = hydrate([full_row()])
    constructed = Everything(**EXPECTED)
    assert doc == constructed
    assert doc.model_dump() == constructed.model_dump()
    # JSON has no sets: they become lists in iteration order, which depends on the hash seed
    # and on the set's history, so two equal sets may dump in different orders.
    assert json_dump_with_sets_sorted(doc) == json_dump_with_sets_sorted(constructed)
    assert Everything.model_validate_json(doc.model_dump_json()) == constructed
    assert Everything.model_validate(doc.model_dump()) == doc
    assert doc.model_fields_set == set(COLUMNS)
    assert doc.model_extra is None


def test_private_attributes_are_defaulted_per_instance() -> None:
    first, second = hydrate([full_row(), full_row(text="other")])
    assert first._seen == []
    assert first._flag == 7
    first._seen.append("x")
    assert second._seen == []  # never shared between instances
    assert first._seen is not second._seen
    assert first.__pydantic_private__ == {"_seen": ["x"], "_flag": 7}
    fresh = Everything(id=U)
    assert fresh.__pydantic_private__ == second.__pydantic_private__


def test_null_collections_read_back_empty_and_null_scalars_as_none() -> None:
    nulls = dict.fromkeys(
        [
            *("at", "day", "clock", "span", "ip4", "ip6", "names", "tags", "frozen_tags"),
            *("counts", "palette", "levels", "pair", "nested", "grid"),
        ]
    )
    (doc,) = hydrate([full_row(**nulls)])
    assert doc.names == []
    assert doc.tags == set()
    assert doc.frozen_tags == frozenset()
    assert doc.counts == {}
    assert doc.palette == {}
    assert doc.levels == []
    assert doc.nested == {}
    assert type(doc.tags) is set
    assert type(doc.frozen_tags) is frozenset
    assert doc.pair is None
    assert doc.at is None
    assert doc.ip4 is None


def test_hydrated_instance_behaves_like_a_model() -> None:
    (doc,) = hydrate([full_row()])
    doc.text = "changed"
    assert doc.text == "changed"
    copy = doc.model_copy(update={"tiny": 1})
    assert copy.tiny == 1
    assert copy.text == "changed"
    assert repr(doc).startswith("Everything(id=UUID(")


def test_partial_columns_use_defaults() -> None:
    columns = ["id", "text", "tags"]
    doc, other = hydrate([full_row(), full_row()], columns)
    assert doc.text == "hello"
    assert doc.tags == {"x", "y"}
    assert doc.names == []
    assert doc.color is Color.RED
    assert doc.level is Level.LOW
    assert doc.model_fields_set == set(columns)
    assert doc.names is not other.names  # mutable defaults are not shared between rows
    assert doc.palette is not other.palette


def test_unknown_result_column_is_an_error() -> None:
    mapper = Mapper(Everything, Everything.coodie_schema(), RecordingDriver())
    with pytest.raises(SchemaError, match=r"the result has columns \['ghost'\] that the model"):
        mapper.readers.hydrate(ResultPage(["id", "ghost"], [(U, 1)]))


def test_hydrator_is_compiled_once_per_column_tuple() -> None:
    mapper = Mapper(Everything, Everything.coodie_schema(), RecordingDriver())
    mapper.readers.hydrate(ResultPage(["id"], [(U,)]))
    compiled = dict(mapper.readers._hydrators)
    mapper.readers.hydrate(ResultPage(["id"], [(U,)]))
    assert mapper.readers._hydrators == compiled
    assert len(compiled) == 1


# -- a driver with its own value types ---------------------------------------------------


class ClientDate:
    def __init__(self, days: int) -> None:
        self.days = days


class ConvertingDriver(RecordingDriver):
    """Pretends its client returns ClientDate for dates and wants ints for enums' values."""

    def decoder_for(self, cql_type: CqlType) -> Any:
        if cql_type.name == "date":

            def decode(value: Any) -> dt.date:
                assert isinstance(value, ClientDate), f"decoded twice: {value!r}"
                return dt.date(1970, 1, 1) + dt.timedelta(days=value.days)

            return decode
        return None

    def encoder_for(self, cql_type: CqlType) -> Any:
        if cql_type.name == "date":
            return lambda value: ClientDate((value - dt.date(1970, 1, 1)).days)
        return None


class Dated(Document):
    id: Annotated[int, PrimaryKey()]
    day: dt.date
    days: list[dt.date] = Field(default_factory=list)
    by_name: dict[str, dt.date] = Field(default_factory=dict)
    maybe: Optional[dt.date] = None  # noqa: UP045


def test_driver_decoders_are_composed_into_collections() -> None:
    mapper = Mapper(Dated, Dated.coodie_schema(), ConvertingDriver())
    page = ResultPage(
        ["id", "day", "days", "by_name", "maybe"],
        [(1, ClientDate(1), [ClientDate(2)], [("x", ClientDate(3))], None)],
    )
    (doc,) = mapper.readers.hydrate(page)
    assert doc == Dated(
        id=1,
        day=dt.date(1970, 1, 2),
        days=[dt.date(1970, 1, 3)],
        by_name={"x": dt.date(1970, 1, 4)},
    )


def test_driver_encoders_are_used_on_write() -> None:
    from coodie import connections

    driver = ConvertingDriver()
    previous = connections.unregister_driver()
    connections.register_driver(driver)
    try:
        Dated(id=1, day=dt.date(1970, 1, 11), days=[dt.date(1970, 1, 2)]).save()
        values = driver.last.values  # type: ignore[union-attr]
        assert [type(v).__name__ for v in values[:3]] == ["int", "ClientDate", "list"]
        assert values[1].days == 10
        assert [d.days for d in values[2]] == [1]
        assert values[4] is driver.unset_value
        Dated.find(day=dt.date(1970, 1, 3)).allow_filtering().all()
        assert driver.last.values[0].days == 2  # type: ignore[union-attr]
    finally:
        connections.unregister_driver()
        if previous is not None:
            connections.register_driver(previous)


def test_lwt_existing_row_is_decoded_once() -> None:
    from coodie.exceptions import ConditionalWriteFailed

    mapper = Mapper(Dated, Dated.coodie_schema(), ConvertingDriver())
    page = ResultPage(
        ["[applied]", "id", "day", "days", "by_name", "maybe"],
        [(False, 1, ClientDate(5), None, None, None)],
    )
    with pytest.raises(ConditionalWriteFailed) as info:
        mapper.conditions.check_applied(page, "insert")
    assert info.value.existing["day"] == dt.date(1970, 1, 6)
    assert info.value.document == Dated(id=1, day=dt.date(1970, 1, 6))


# -- codecs directly ---------------------------------------------------------------------


class PlainDriver(AbstractDriver):
    def execute(self, statement: Any) -> Any:  # pragma: no cover - never called
        raise NotImplementedError

    async def execute_async(self, statement: Any) -> Any:  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover
        pass


@pytest.mark.parametrize(
    ("annotation", "raw", "expected"),
    [
        (set[int], [1, 2, 2], {1, 2}),
        (frozenset[str], ("a",), frozenset({"a"})),
        (list[int], (1, 2), [1, 2]),
        (dict[str, int], [("a", 1)], {"a": 1}),
        (dict[str, Color], OrderedDict([("a", "red")]), {"a": Color.RED}),
        (dict[str, Color], [("a", "red")], {"a": Color.RED}),
        (tuple[int, Color], [1, "blue"], (1, Color.BLUE)),
        (tuple[int, str], [1, "x"], (1, "x")),
        (Color, "red", Color.RED),
        (Level, 1, Level.LOW),
        (list[set[Level]], [[1], [2, 1]], [{Level.LOW}, {Level.LOW, Level.HIGH}]),
    ],
)
def test_decoders(annotation: Any, raw: Any, expected: Any) -> None:
    decode = build_decoder(cql_type_for(annotation), PlainDriver())
    assert decode is not None
    value = decode(raw)
    assert value == expected
    assert type(value) is type(expected)


def test_identity_decoders_and_encoders_are_skipped() -> None:
    driver = PlainDriver()
    for annotation in (int, str, UUID, dt.datetime, Decimal):
        assert build_decoder(cql_type_for(annotation), driver) is None
        assert build_encoder(cql_type_for(annotation), driver) is None
    for annotation in (list[int], dict[str, int], tuple[int, str], set[str]):
        assert build_encoder(cql_type_for(annotation), driver) is None


def test_enum_encoders() -> None:
    driver = PlainDriver()
    encode = build_encoder(cql_type_for(dict[Color, list[Level]]), driver)
    assert encode is not None
    assert encode({Color.RED: [Level.HIGH]}) == {"red": [2]}
    encode_tuple = build_encoder(cql_type_for(tuple[Color, int]), driver)
    assert encode_tuple is not None
    assert encode_tuple((Color.BLUE, 3)) == ("blue", 3)
    encode_set = build_encoder(cql_type_for(set[Level]), driver)
    assert encode_set is not None
    assert encode_set({Level.LOW}) == {1}


def test_enum_values_are_bound_as_plain_values(driver: RecordingDriver) -> None:
    Everything(id=U, color=Color.BLUE, levels=[Level.HIGH], palette={"a": Color.RED}).save()
    statement = driver.last
    assert isinstance(statement, Statement)
    values = dict(zip(COLUMNS, statement.values, strict=True))
    assert values["color"] == "blue"
    assert type(values["color"]) is str
    assert values["level"] == 1
    assert type(values["level"]) is int
    assert values["levels"] == [2]
    assert values["palette"] == {"a": "red"}
    Everything.find(color=Color.BLUE).allow_filtering().all()
    assert driver.last.values == ["blue"]  # type: ignore[union-attr]
    Everything.find(color="red").allow_filtering().all()
    assert driver.last.values == ["red"]  # type: ignore[union-attr]
    Everything.find(levels__contains=Level.HIGH).allow_filtering().all()
    assert driver.last.values == [2]  # type: ignore[union-attr]
    Everything.find(palette__contains=Color.RED).allow_filtering().all()
    assert driver.last.values == ["red"]  # type: ignore[union-attr]
