"""Whole error messages: each starts with the model (and field) it is about, and says the fix.

The regexes of test_validation.py find a phrase anywhere; these compare the full text, so a
message that loses its model name or gains stray text fails here."""

import datetime as dt
import enum
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import pytest

from coodie.exceptions import InvalidQueryError, SchemaError, UnsupportedTypeError
from coodie.fields import ClusteringKey, PrimaryKey, Static
from coodie.sync import Document
from coodie.testing import RecordingDriver


class Log(Document):
    host: Annotated[str, PrimaryKey()]
    at: Annotated[dt.datetime, ClusteringKey(order="DESC")]
    seq: Annotated[int, ClusteringKey(clustering_key_index=1)]
    owner: Annotated[str | None, Static()] = None
    line: str = ""


AT = dt.datetime(2024, 1, 1)


class Flat(Document):
    id: Annotated[int, PrimaryKey()]
    name: str = ""


QUERY_ERRORS: list[tuple[Any, str]] = [
    (
        lambda: Flat.find(id=1).order_by("name").all(),
        "Flat: cannot ORDER BY 'name': only clustering columns can be ordered, and it has no "
        "clustering columns (sort in Python instead).",
    ),
    (
        lambda: Log.find(host="h").order_by("at", "seq").all(),
        "Log: ORDER BY must use the declared clustering order or its exact reverse for every "
        "column; mixed directions are not supported by Cassandra.",
    ),
    (
        lambda: Log.find(host="h").limit(2).delete(),
        "Log: delete() of a query cannot use limit(), order_by() or per_partition_limit(); "
        "Cassandra deletes by key.",
    ),
    (
        lambda: Log.find().values_list("line").distinct().all(),
        "Log: distinct() reads one row per partition, so it can only select partition key and "
        "static columns; drop line from values_list()/values().",
    ),
    (
        lambda: Log.find().values_list("host", "host"),
        "Log: values_list() names 'host' more than once; list each column once.",
    ),
    (
        lambda: Log.find(host="h", at=AT, seq=1).order_by("at").update(line="x"),
        "Log: update() of a query cannot use limit(), order_by(), per_partition_limit() or "
        "token_range(); Cassandra updates one row by its key.",
    ),
    (
        lambda: Log.find(host="h", at=AT, seq=1).per_partition_limit(1).update(line="x"),
        "Log: update() of a query cannot use limit(), order_by(), per_partition_limit() or "
        "token_range(); Cassandra updates one row by its key.",
    ),
]


@pytest.mark.parametrize(("call", "message"), QUERY_ERRORS)
def test_query_errors_in_full(driver: RecordingDriver, call: Any, message: str) -> None:
    with pytest.raises(InvalidQueryError) as info:
        call()
    assert str(info.value) == message
    assert driver.statements == []


def test_declared_and_reversed_orders_are_both_accepted(driver: RecordingDriver) -> None:
    Log.find(host="h").order_by("-at", "seq").all()  # as declared: at DESC, seq ASC
    Log.find(host="h").order_by("at", "-seq").all()  # its exact reverse
    Log.find(host="h").order_by("at").all()
    assert [s.split(" ORDER BY ")[1] for s in driver.cql] == [
        "at DESC, seq ASC",
        "at ASC, seq DESC",
        "at ASC",
    ]


class Plain(enum.Enum):
    A = 1


T = TypeVar("T")


def define(annotation: Any) -> None:
    fields = {"id": Annotated[int, PrimaryKey()], "v": annotation}
    type("Bad", (Document,), {"__annotations__": fields, "__module__": __name__})


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        (
            complex,
            "Bad.v: annotation complex has no CQL type. Use str, int, float, bool, UUID, "
            "datetime, date, time, timedelta, bytes, Decimal, IPv4Address/IPv6Address, a "
            "str/int Enum, list/set/dict/tuple of those, or add a marker such as BigInt().",
        ),
        (
            Plain,
            "Bad.v: annotation Plain has no CQL type. Enums must also subclass str or int (e.g. "
            "class E(str, Enum)).",
        ),
        (
            list[Plain],
            "Bad.v: annotation list[Plain] (the part Plain) has no CQL type. Enums must also "
            "subclass str or int (e.g. class E(str, Enum)).",
        ),
        (T, "Bad.v: annotation ~T has no CQL type."),
    ],
)
def test_type_errors_in_full(annotation: Any, message: str) -> None:
    with pytest.raises(UnsupportedTypeError) as info:
        define(annotation)
    assert str(info.value).replace(f"{__name__}.", "").startswith(message)


def test_typing_aliases_are_shown_without_the_module() -> None:
    import typing

    with pytest.raises(UnsupportedTypeError) as info:
        define(typing.List[complex])  # noqa: UP006
    assert str(info.value).startswith("Bad.v: annotation List[complex] (the part complex)")


def test_true_table_options_and_bad_nested_values() -> None:
    class Options(Document):
        id: Annotated[int, PrimaryKey()]

        class Settings:
            options: ClassVar[dict[str, Any]] = {"cdc": True, "caching": {"keys": "ALL"}}

    assert Options.coodie_schema().table_options == (
        ("cdc", "true"),
        ("caching", "{'keys': 'ALL'}"),
    )
    for options in ({"caching": {"keys": None}}, {"caching": {"rows": {"n": object()}}}):
        with pytest.raises(SchemaError) as info:
            type(
                "Opt",
                (Document,),
                {
                    "__module__": __name__,
                    "__annotations__": {"id": Annotated[int, PrimaryKey()]},
                    "Settings": type("Settings", (), {"options": options}),
                },
            )
        assert str(info.value).startswith("Opt: Settings.options value ")


@pytest.mark.parametrize(
    "annotation",
    [
        list[int, str],  # type: ignore[misc]
        dict[str],  # type: ignore[misc]
        tuple[int, ...],
        int | str,
        Literal["a"],
        dict[list[int], str],
        complex,
    ],
)
def test_a_failing_whole_annotation_names_no_part(annotation: Any) -> None:
    from coodie.model.types import cql_type_for

    with pytest.raises(UnsupportedTypeError) as info:
        cql_type_for(annotation, model="M", field="f")
    message = str(info.value)
    assert message.startswith("M.f: annotation ")
    assert "(the part" not in message


def test_every_static_column_with_a_default_warns() -> None:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        class Shared(Document):
            id: Annotated[int, PrimaryKey()]
            seq: Annotated[int, ClusteringKey()]
            plain: str = ""
            required: Annotated[str, Static()]
            first: Annotated[str, Static()] = "a"
            unset: Annotated[str | None, Static()] = None
            second: Annotated[int, Static()] = 0

    assert [str(w.message).split(" is Static()")[0] for w in caught] == [
        "Shared.first",
        "Shared.second",
    ]


def test_markers_inside_optional_are_found() -> None:
    from coodie.fields import Indexed

    class Tagged(Document):
        id: Annotated[int, PrimaryKey()]
        tag: Annotated[str, Indexed()] | None = None

    column = Tagged.coodie_schema().by_name["tag"]
    assert column.indexed
    assert column.optional


class Pair(Document):
    a: Annotated[str, PrimaryKey()]
    b: Annotated[str, PrimaryKey(partition_key_index=1)]
    note: str = ""


def test_select_errors_start_with_the_model_and_name_every_key(driver: RecordingDriver) -> None:
    with pytest.raises(InvalidQueryError) as info:
        Pair.find(a="x", b="y").token_range(5).all()
    assert str(info.value) == (
        "Pair: token_range() scans ranges of the ring and cannot be combined with partition key "
        "filters (a, b); drop one of them."
    )
    with pytest.raises(InvalidQueryError) as info:
        Pair.find(note="n").all()
    assert str(info.value) == (
        "Pair: this query needs allow_filtering() because column 'note' is not part of the "
        "primary key and is not indexed. Filtering scans data and can be slow: add "
        "allow_filtering() if that is acceptable, filter on the partition key, or add "
        "Indexed() to the column."
    )
