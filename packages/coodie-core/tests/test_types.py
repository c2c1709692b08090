"""Python annotations -> CQL type text, unsupported annotations, integer range markers."""

import datetime as dt
import enum
import re
import typing
from decimal import Decimal
from ipaddress import IPv4Address, IPv6Address
from typing import Annotated, Any, Literal, Optional, Union
from uuid import UUID, uuid4

import pydantic
import pytest

from coodie.exceptions import InvalidQueryError, UnsupportedTypeError
from coodie.fields import (
    Ascii,
    BigInt,
    Counter,
    Double,
    Float,
    Frozen,
    PrimaryKey,
    SmallInt,
    Static,
    TimeUUID,
    TinyInt,
    VarInt,
)
from coodie.model.types import cql_type_for, unwrap_optional
from coodie.sync import Document
from coodie.testing import RecordingDriver


class Color(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class Priority(int, enum.Enum):
    LOW = 1
    HIGH = 2


class Plain(enum.Enum):
    A = object()


def model_with(annotation: Any, name: str = "Probe", **extra: Any) -> type[Document]:
    """A Document with ``id`` (partition key) and one column ``value`` of ``annotation``."""
    fields: dict[str, Any] = {"id": (Annotated[int, PrimaryKey()], ...), "value": (annotation, ...)}
    fields.update(extra)
    return pydantic.create_model(name, __base__=Document, **fields)


CASES = [
    (str, "text"),
    (int, "int"),
    (Annotated[int, BigInt()], "bigint"),
    (Annotated[int, SmallInt()], "smallint"),
    (Annotated[int, TinyInt()], "tinyint"),
    (Annotated[int, VarInt()], "varint"),
    (float, "double"),
    (Annotated[float, Double()], "double"),
    (Annotated[float, Float()], "float"),
    (bool, "boolean"),
    (UUID, "uuid"),
    (Annotated[UUID, TimeUUID()], "timeuuid"),
    (dt.datetime, "timestamp"),
    (dt.date, "date"),
    (dt.time, "time"),
    (dt.timedelta, "duration"),
    (bytes, "blob"),
    (Decimal, "decimal"),
    (IPv4Address, "inet"),
    (IPv6Address, "inet"),
    (Annotated[str, Ascii()], "ascii"),
    (Color, "text"),
    (Priority, "int"),
    (list[int], "list<int>"),
    (set[str], "set<text>"),
    (frozenset[UUID], "set<uuid>"),
    (dict[str, int], "map<text, int>"),
    (dict[UUID, Annotated[int, BigInt()]], "map<uuid, bigint>"),
    (tuple[int, str, bool], "frozen<tuple<int, text, boolean>>"),
    (typing.List[str], "list<text>"),  # noqa: UP006 - typing aliases are supported too
    (typing.Dict[str, float], "map<text, double>"),  # noqa: UP006
    # Collections inside collections are frozen automatically.
    (list[list[int]], "list<frozen<list<int>>>"),
    (dict[str, set[int]], "map<text, frozen<set<int>>>"),
    (set[tuple[int, str]], "set<frozen<tuple<int, text>>>"),
    (dict[frozenset[int], str], "map<frozen<set<int>>, text>"),
    (dict[tuple[int, str], int], "map<frozen<tuple<int, text>>, int>"),
    (set[frozenset[str]], "set<frozen<set<text>>>"),
    (list[dict[str, list[int]]], "list<frozen<map<text, frozen<list<int>>>>>"),
    (tuple[int, list[str]], "frozen<tuple<int, frozen<list<text>>>>"),
    (list[Color], "list<text>"),
    # The Frozen() marker freezes the outer collection.
    (Annotated[list[int], Frozen()], "frozen<list<int>>"),
    (Annotated[dict[str, int], Frozen()], "frozen<map<text, int>>"),
    (Annotated[set[str], Frozen()], "frozen<set<text>>"),
    # Optional[X] is X (the column may hold null).
    (Optional[int], "int"),  # noqa: UP045 - Optional[...] spelling on purpose
    (int | None, "int"),
    (Optional[Annotated[int, SmallInt()]], "smallint"),  # noqa: UP045
    (Annotated[Optional[int], BigInt()], "bigint"),  # noqa: UP045
    (Optional[list[str]], "list<text>"),  # noqa: UP045
    (Annotated[int, Counter()], "counter"),
]


@pytest.mark.parametrize(("annotation", "expected"), CASES, ids=[c[1] for c in CASES])
def test_cql_type_of_model_field(annotation: Any, expected: str) -> None:
    # Through a real model, i.e. through pydantic's FieldInfo (which moves markers around).
    model = model_with(annotation)
    assert model.coodie_schema().by_name["value"].cql_type.cql == expected


@pytest.mark.parametrize(("annotation", "expected"), CASES, ids=[c[1] for c in CASES])
def test_cql_type_for_direct(annotation: Any, expected: str) -> None:
    assert cql_type_for(annotation).cql == expected


def test_optional_column_is_flagged_optional() -> None:
    model = model_with(Optional[int])  # noqa: UP045
    column = model.coodie_schema().by_name["value"]
    assert column.optional is True
    assert model.coodie_schema().by_name["id"].optional is False


def test_unwrap_optional() -> None:
    assert unwrap_optional(Optional[int]) == (int, True)  # noqa: UP045
    assert unwrap_optional(int | None) == (int, True)
    assert unwrap_optional(int) == (int, False)
    # A real union of two types is not "optional X".
    assert unwrap_optional(int | str) == (int | str, False)


def test_static_column_type_and_ddl() -> None:
    from coodie.fields import ClusteringKey

    model = pydantic.create_model(
        "WithStatic",
        __base__=Document,
        id=(Annotated[int, PrimaryKey()], ...),
        seq=(Annotated[int, ClusteringKey()], ...),
        owner=(Annotated[str, Static()], ...),
    )
    column = model.coodie_schema().by_name["owner"]
    assert column.static is True
    assert column.cql_type.cql == "text"


def test_enum_python_type_is_kept() -> None:
    assert cql_type_for(Color).python_type is Color
    assert cql_type_for(Priority).python_type is Priority


def test_collection_flags() -> None:
    t = cql_type_for(dict[str, list[int]])
    assert t.is_collection
    assert t.params[1].frozen
    assert not t.frozen
    assert cql_type_for(Annotated[int, Counter()]).is_counter


UNSUPPORTED = [
    (complex, "complex", "Use str, int"),
    (object, "object", "Use str, int"),
    (Any, "Any", "Use str, int"),
    (list, "list", "Give the element type"),
    (dict, "dict", "Give the element type"),
    (tuple[int, ...], "tuple[int, ...]", "fixed length"),
    (int | str, "int | str", "only Optional[X] (X | None) unions"),
    (Annotated[str, "doc"] | int, "int", "only Optional[X]"),
    (list[complex], "list[complex]", "the part complex"),
    (dict[str, object], "dict[str, object]", "the part object"),
    (Plain, "Plain", "Enums must also subclass str or int"),
    (Annotated[str, BigInt()], "str", "bigint marker needs a int annotation"),
    (Annotated[int, Ascii()], "int", "ascii marker needs a str annotation"),
    (Annotated[str, Counter()], "str", "Counter() columns must be annotated as plain int"),
    (list[Annotated[int, Counter()]], "list", "Counter() columns must be annotated as plain int"),
    # Issue 16: each rejection pinned, so a loosened check fails a test.
    (int | str | None, "int | str | None", "only Optional[X] (X | None) unions"),
    (Optional[Union[int, str]], "int | str | None", "only Optional[X]"),  # noqa: UP007, UP045
    (list[int, str], "list[int, str]", "Give exactly one element type"),  # type: ignore[misc]
    (set[int, str], "set[int, str]", "Give exactly one element type"),  # type: ignore[misc]
    (Literal["a", "b"], "Literal['a', 'b']", "Only list, set, frozenset, dict and tuple"),
    (dict[list[int], str], "dict[list[int], str]", "so map keys cannot be one; use tuple"),
    (dict[set[int], str], "dict[set[int], str]", "so map keys cannot be one"),
    (dict[dict[str, int], str], "dict[dict[str, int], str]", "so map keys cannot be one"),
    (set[list[int]], "set[list[int]]", "so set elements cannot be one"),
    (frozenset[set[int]], "frozenset[set[int]]", "so set elements cannot be one"),
    (dict[str, Annotated[int, Counter()]], "dict[str,", "Counter() columns must be annotated"),
    (tuple[()], "tuple[()]", "CQL tuples have a fixed length"),
]


@pytest.mark.parametrize(
    ("annotation", "shown", "hint"), UNSUPPORTED, ids=[u[1] + "-" + u[2] for u in UNSUPPORTED]
)
def test_unsupported_annotation_names_model_field_and_annotation(
    annotation: Any, shown: str, hint: str
) -> None:
    with pytest.raises(UnsupportedTypeError) as info:
        model_with(annotation, name="BadModel")
    message = str(info.value)
    assert message.startswith("BadModel.value: annotation ")
    assert shown in message
    assert hint in message


def test_unsupported_error_is_a_schema_error() -> None:
    from coodie.exceptions import SchemaError

    with pytest.raises(SchemaError, match=r"Shape\.corners"):
        cql_type_for(complex, model="Shape", field="corners")


@pytest.mark.parametrize(
    ("marker", "low", "high"),
    [
        (TinyInt(), -(2**7), 2**7 - 1),
        (SmallInt(), -(2**15), 2**15 - 1),
        (BigInt(), -(2**63), 2**63 - 1),
    ],
    ids=["tinyint", "smallint", "bigint"],
)
def test_integer_markers_enforce_range_at_construction(marker: Any, low: int, high: int) -> None:
    model = model_with(Annotated[int, marker])
    assert model(id=1, value=low).value == low
    assert model(id=1, value=high).value == high
    for bad in (low - 1, high + 1):
        with pytest.raises(pydantic.ValidationError) as info:
            model(id=1, value=bad)
        assert info.value.errors()[0]["loc"] == ("value",)
        assert info.value.errors()[0]["type"] in ("greater_than_equal", "less_than_equal")


def test_optional_marker_range_still_enforced() -> None:
    model = model_with(Optional[Annotated[int, TinyInt()]])  # noqa: UP045
    assert model(id=1, value=None).value is None
    with pytest.raises(pydantic.ValidationError):
        model(id=1, value=1000)


def test_varint_has_no_range() -> None:
    model = model_with(Annotated[int, VarInt()])
    assert model(id=1, value=10**40).value == 10**40


def test_marker_in_collection_enforces_range() -> None:
    model = model_with(list[Annotated[int, SmallInt()]])
    assert model(id=1, value=[1, 2]).value == [1, 2]
    with pytest.raises(pydantic.ValidationError):
        model(id=1, value=[1, 2**20])


def test_uuid_column_accepts_uuid() -> None:
    model = model_with(UUID)
    u = uuid4()
    assert model(id=1, value=u).value == u


def test_type_markers_beside_key_markers_define_a_model_on_every_python() -> None:
    """pydantic moves field markers into FieldInfo.metadata; schema re-applies the type markers
    to the bare annotation (this raised AttributeError on Python 3.13)."""

    class Marked(Document):
        id: Annotated[int, BigInt(), PrimaryKey()]
        small: Annotated[int, TinyInt()] = 0
        maybe: Annotated[Optional[int], SmallInt()] = None  # noqa: UP045
        frozen: Annotated[list[int], Frozen()] = pydantic.Field(default_factory=list)

    columns = {c.name: c.cql_type.cql for c in Marked.coodie_schema().columns}
    assert columns == {
        "id": "bigint",
        "small": "tinyint",
        "maybe": "smallint",
        "frozen": "frozen<list<int>>",
    }


@pytest.mark.parametrize(
    ("annotation", "shown"),
    [(list[int], "list[int]"), (dict[str, int], "dict[str, int]"), (int, "int")],
)
def test_value_errors_name_the_whole_annotation(
    annotation: Any, shown: str, driver: RecordingDriver
) -> None:
    """On Python 3.10 ``list[int]`` is an instance of ``type``; its parameters must still show."""
    model = model_with(annotation, name="Shown")
    with pytest.raises(InvalidQueryError, match=rf"Pass a value of type {re.escape(shown)}\."):
        model.find(id=1).update(value=object())


@pytest.mark.parametrize(
    ("annotation", "hint"),
    [
        (dict[str], "Give a key and a value type: dict[K, V]"),  # type: ignore[misc]
        (dict[str, int, int], "Give a key and a value type: dict[K, V]"),  # type: ignore[misc]
        (typing.Dict, "Give a key and a value type"),  # noqa: UP006
        (typing.List, "Give exactly one element type"),  # noqa: UP006
    ],
)
def test_annotations_pydantic_also_refuses_have_no_cql_type(annotation: Any, hint: str) -> None:
    with pytest.raises(UnsupportedTypeError, match=re.escape(hint)):
        cql_type_for(annotation, model="M", field="f")


def test_python_types_of_scalars_markers_and_counters() -> None:
    from coodie.fields import BigInt

    assert cql_type_for(int).python_type is int
    assert cql_type_for(Annotated[int, BigInt()]).python_type is int
    assert cql_type_for(Annotated[int, Counter()]).python_type is int
    assert cql_type_for(list[str]).params[0].python_type is str


@pytest.mark.parametrize(
    ("annotation", "part"),
    [
        (Annotated[str, Counter()], "(the part str) has no CQL type. Counter() columns"),
        (Annotated[int, Ascii()], "(the part int) has no CQL type. The ascii marker"),
    ],
)
def test_marker_errors_name_the_annotated_type(annotation: Any, part: str) -> None:
    with pytest.raises(UnsupportedTypeError) as info:
        cql_type_for(annotation)
    message = str(info.value)
    assert message.startswith("?.?: annotation ")  # no model or field given
    assert part in message


def test_a_bare_collection_class_is_the_whole_annotation() -> None:
    with pytest.raises(UnsupportedTypeError) as info:
        cql_type_for(list, model="M", field="f")
    assert str(info.value) == (
        "M.f: annotation list has no CQL type. Give the element type, e.g. list[str] or "
        "dict[str, int]."
    )
