"""Schema building: keys, table names, options, and the checks that reject bad models."""

import datetime as dt
from typing import Annotated, Any, ClassVar, Optional
from uuid import UUID

import pydantic
import pytest

from coodie.api.document import DocumentBase
from coodie.cql import ddl
from coodie.exceptions import CoodieWarning, SchemaError
from coodie.fields import ClusteringKey, Counter, Frozen, Indexed, PrimaryKey, Static
from coodie.model.schema import snake_case
from coodie.sync import Document


def make(name: str, **fields: Any) -> type[Document]:
    return pydantic.create_model(name, __base__=Document, **fields)


PK = (Annotated[int, PrimaryKey()], ...)


# -- keys and columns ------------------------------------------------------------------


class Reading(Document):
    sensor: Annotated[str, PrimaryKey(partition_key_index=1)]
    day: Annotated[dt.date, PrimaryKey(partition_key_index=0)]
    seq: Annotated[int, ClusteringKey(clustering_key_index=1)]
    at: Annotated[dt.datetime, ClusteringKey(order="DESC", clustering_key_index=0)]
    value: float
    unit: Annotated[str | None, Static()] = None
    note: Optional[str] = None  # noqa: UP045


def test_composite_keys_are_ordered_by_index() -> None:
    schema = Reading.coodie_schema()
    assert [c.name for c in schema.partition_keys] == ["day", "sensor"]
    assert [c.name for c in schema.clustering_keys] == ["at", "seq"]
    assert [c.name for c in schema.primary_key] == ["day", "sensor", "at", "seq"]
    assert schema.column_names == ("sensor", "day", "seq", "at", "value", "unit", "note")
    assert schema.by_name["at"].clustering_order == "DESC"
    assert schema.by_name["seq"].clustering_order == "ASC"
    assert schema.by_name["unit"].static
    assert schema.by_name["note"].optional
    assert not schema.by_name["note"].required
    assert schema.by_name["value"].required
    assert not schema.is_counter_table


def test_schema_is_built_once_and_cached() -> None:
    assert Reading.coodie_schema() is Reading.coodie_schema()


def test_primary_key_of_instance() -> None:
    doc = Reading(sensor="s", day=dt.date(2024, 1, 2), seq=1, at=dt.datetime(2024, 1, 2), value=1)
    assert doc.primary_key() == {
        "day": dt.date(2024, 1, 2),
        "sensor": "s",
        "at": dt.datetime(2024, 1, 2),
        "seq": 1,
    }


def test_counter_table() -> None:
    class Hits(Document):
        page: Annotated[str, PrimaryKey()]
        day: Annotated[dt.date, ClusteringKey()]
        hits: Annotated[int, Counter()] = 0

    schema = Hits.coodie_schema()
    assert schema.is_counter_table
    assert schema.by_name["hits"].is_counter


def test_base_classes_have_no_table() -> None:
    with pytest.raises(SchemaError, match="coodie's base class; subclass it"):
        Document.coodie_schema()
    with pytest.raises(SchemaError, match="base class"):
        DocumentBase.coodie_schema()


def test_abstract_intermediate_class() -> None:
    class Base(Document):
        __coodie_abstract__: ClassVar[bool] = True
        created: dt.datetime | None = None  # no key: fine, it is abstract

    class Concrete(Base):
        id: Annotated[int, PrimaryKey()]

    assert Concrete.coodie_schema().column_names == ("created", "id")
    with pytest.raises(SchemaError, match="Base is coodie's base class"):
        Base.coodie_schema()


def test_inherited_model_gets_its_own_schema() -> None:
    class Parent(Document):
        id: Annotated[int, PrimaryKey()]

    class Child(Parent):
        extra: str = ""

    assert Parent.coodie_schema().column_names == ("id",)
    assert Child.coodie_schema().column_names == ("id", "extra")
    assert Child.coodie_schema().table == "child"


# -- table names, keyspace, options ----------------------------------------------------


@pytest.mark.parametrize(
    ("class_name", "table"),
    [
        ("Product", "product"),
        ("ProductReview", "product_review"),
        ("HTTPLog", "http_log"),
        ("UserV2Event", "user_v2_event"),
        ("ABTest", "ab_test"),
    ],
)
def test_default_table_name_is_snake_case(class_name: str, table: str) -> None:
    assert snake_case(class_name) == table
    assert make(class_name, id=PK).coodie_schema().table == table


def test_settings_name_and_keyspace() -> None:
    class Thing(Document):
        id: Annotated[int, PrimaryKey()]

        class Settings:
            name = "things_v2"
            keyspace = "inventory"
            connection = "analytics"

    schema = Thing.coodie_schema()
    assert schema.table == "things_v2"
    assert schema.keyspace == "inventory"
    assert schema.connection == "analytics"
    assert schema.qualified_table == "inventory.things_v2"


def test_mixed_case_and_reserved_names_are_quoted() -> None:
    class Event(Document):
        id: Annotated[int, PrimaryKey()]
        userName: str = ""
        order: int = 0
        key: str = ""

        class Settings:
            name = "UserEvents"
            keyspace = "Analytics"

    schema = Event.coodie_schema()
    assert schema.qualified_table == '"Analytics"."UserEvents"'
    assert [c.quoted for c in schema.columns] == ["id", '"userName"', '"order"', '"key"']


def test_table_options_rendered_as_literals() -> None:
    class Cached(Document):
        id: Annotated[int, PrimaryKey()]
        at: Annotated[dt.datetime, ClusteringKey(order="DESC")]

        class Settings:
            options: ClassVar[dict[str, Any]] = {
                "default_time_to_live": 3600,
                "comment": "it's cached",
                "compaction": {"class": "LeveledCompactionStrategy", "sstable_size_in_mb": 160},
                "cdc": False,
                "bloom_filter_fp_chance": 0.01,
            }

    assert Cached.coodie_schema().table_options == (
        ("default_time_to_live", "3600"),
        ("comment", "'it''s cached'"),
        ("compaction", "{'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': 160}"),
        ("cdc", "false"),
        ("bloom_filter_fp_chance", "0.01"),
    )
    assert ddl.create_table(Cached.coodie_schema()) == (
        "CREATE TABLE IF NOT EXISTS cached (id int, at timestamp, PRIMARY KEY (id, at)) "
        "WITH CLUSTERING ORDER BY (at DESC) AND default_time_to_live = 3600 AND "
        "comment = 'it''s cached' AND compaction = {'class': 'LeveledCompactionStrategy', "
        "'sstable_size_in_mb': 160} AND cdc = false AND bloom_filter_fp_chance = 0.01"
    )


# -- models that are rejected ----------------------------------------------------------


def settings(**attrs: Any) -> type:
    return type("Settings", (), attrs)


BAD_MODELS: list[tuple[str, dict[str, Any], str]] = [
    (
        "no partition key",
        {"name": (str, ...)},
        r"Bad has no partition key\. Mark at least one field with PrimaryKey\(\)",
    ),
    (
        "only clustering key",
        {"seq": (Annotated[int, ClusteringKey()], ...)},
        "Bad has no partition key",
    ),
    (
        "counter mixed with regular",
        {"id": PK, "views": (Annotated[int, Counter()], 0), "name": (str, "")},
        r"Bad mixes counter columns \(views\) with regular columns \(name\)",
    ),
    (
        "counter mixed with static",
        {
            "id": PK,
            "c": (Annotated[int, ClusteringKey()], ...),
            "views": (Annotated[int, Counter()], 0),
            "s": (Annotated[str, Static()], ""),
        },
        r"mixes counter columns \(views\) with regular columns \(s\)",
    ),
    (
        "duplicate partition key index",
        {"a": (Annotated[int, PrimaryKey()], ...), "b": (Annotated[int, PrimaryKey()], ...)},
        r"partition key columns 'a' and 'b' both have index 0\. Give each a distinct "
        r"PrimaryKey\(partition_key_index=\.\.\.\)",
    ),
    (
        "duplicate clustering key index",
        {
            "id": PK,
            "x": (Annotated[int, ClusteringKey(clustering_key_index=1)], ...),
            "y": (Annotated[int, ClusteringKey(clustering_key_index=1)], ...),
        },
        r"clustering key columns 'x' and 'y' both have index 1.*ClusteringKey\(clustering_key",
    ),
    (
        "optional partition key",
        {"id": (Annotated[Optional[int], PrimaryKey()], None)},  # noqa: UP045
        r"Bad\.id is a primary key column and cannot be Optional",
    ),
    (
        "optional clustering key",
        {"id": PK, "c": (Annotated[int | None, ClusteringKey()], None)},
        r"Bad\.c is a primary key column and cannot be Optional",
    ),
    (
        "non-frozen collection key",
        {"id": (Annotated[list[int], PrimaryKey()], ...)},
        r"Bad\.id: a primary key column cannot be a non-frozen collection \(list<int>\)\. "
        r"Add Frozen\(\)",
    ),
    (
        "non-frozen set clustering key",
        {"id": PK, "c": (Annotated[set[str], ClusteringKey()], ...)},
        r"Bad\.c: a primary key column cannot be a non-frozen collection \(set<text>\)",
    ),
    (
        "static without clustering",
        {"id": PK, "s": (Annotated[str, Static()], "")},
        r"Bad\.s is Static\(\) but Bad has no clustering columns",
    ),
    (
        "static primary key",
        {
            "id": (Annotated[int, PrimaryKey(), Static()], ...),
            "c": (Annotated[int, ClusteringKey()], ...),
        },
        r"Bad\.id: a primary key column cannot be Static\(\)",
    ),
    (
        "counter in primary key",
        {"id": (Annotated[int, PrimaryKey(), Counter()], ...)},
        r"Bad\.id: a counter cannot be part of the primary key",
    ),
    (
        "duration in primary key",
        {"id": (Annotated[dt.timedelta, PrimaryKey()], ...)},
        r"Bad\.id: Cassandra does not allow duration in a primary key",
    ),
    (
        "both partition and clustering",
        {"id": (Annotated[int, PrimaryKey(), ClusteringKey()], ...)},
        r"Bad\.id is marked both PrimaryKey\(\) and ClusteringKey\(\)",
    ),
    (
        "bad clustering order",
        {"id": PK, "c": (Annotated[int, ClusteringKey(order="UP")], ...)},  # type: ignore[arg-type]
        r"Bad\.c: ClusteringKey\(order='UP'\) is invalid; use \"ASC\" or \"DESC\"",
    ),
    (
        "index target on non-map",
        {"id": PK, "tags": (Annotated[list[str], Indexed(target="keys")], ...)},
        r"Bad\.tags: Indexed\(target=\.\.\.\) applies to map columns only",
    ),
    (
        "bad index target",
        {"id": PK, "m": (Annotated[dict[str, int], Indexed(target="both")], ...)},  # type: ignore[arg-type]
        r"Bad\.m: Indexed\(target='both'\) is invalid",
    ),
    (
        "indexed counter",
        {"id": PK, "n": (Annotated[int, Counter(), Indexed()], 0)},
        r"Bad\.n: counter columns cannot be indexed",
    ),
    (
        "optional counter",
        {"id": PK, "n": (Annotated[Optional[int], Counter()], None)},  # noqa: UP045
        r"Bad\.n: a counter column is never null; drop Optional",
    ),
    (
        "bad index name",
        {"id": PK, "v": (Annotated[int, Indexed(index_name="my-index")], 0)},
        r"Bad: index name 'my-index' is not a valid CQL identifier",
    ),
]


@pytest.mark.parametrize(("case", "fields", "message"), BAD_MODELS, ids=[b[0] for b in BAD_MODELS])
def test_bad_model_is_rejected_at_class_creation(
    case: str, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(SchemaError, match=message):
        pydantic.create_model("Bad", __base__=Document, **fields)


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"name": "bad-name"}, r"Bad: table name 'bad-name' is not a valid CQL identifier"),
        ({"name": "1table"}, r"table name '1table' is not a valid CQL identifier"),
        ({"name": "_hidden"}, r"table name '_hidden' is not a valid"),
        ({"name": "t" * 49}, r"table name 't{49}' has 49 characters; Cassandra allows at most 48"),
        ({"keyspace": "my ks"}, r"Bad: keyspace name 'my ks' is not a valid CQL identifier"),
        ({"keyspace": "k" * 49}, r"keyspace name 'k{49}' has 49 characters"),
        ({"keyspace": 'x"; DROP'}, r"keyspace name 'x\"; DROP' is not a valid"),
        ({"options": {"bad option": 1}}, r"table option name 'bad option' is not a valid"),
        ({"options": {"caching": [1, 2]}}, r"Settings\.options value \[1, 2\] is not a str"),
    ],
)
def test_bad_settings_are_rejected(attrs: dict[str, Any], message: str) -> None:
    with pytest.raises(SchemaError, match=message):

        class Bad(Document):
            id: Annotated[int, PrimaryKey()]
            Settings: ClassVar[type] = settings(**attrs)


def test_longest_allowed_table_name() -> None:
    class Ok(Document):
        id: Annotated[int, PrimaryKey()]

        class Settings:
            name = "t" * 48

    assert Ok.coodie_schema().table == "t" * 48


def test_frozen_collection_key_and_tuple_key_are_allowed() -> None:
    class Keyed(Document):
        id: Annotated[Annotated[list[int], Frozen()], PrimaryKey()]
        pair: Annotated[tuple[int, str], ClusteringKey()]

    schema = Keyed.coodie_schema()
    assert schema.by_name["id"].cql_type.cql == "frozen<list<int>>"
    assert schema.by_name["pair"].cql_type.cql == "frozen<tuple<int, text>>"


def test_index_names_default_and_custom() -> None:
    class Shop(Document):
        id: Annotated[UUID, PrimaryKey()]
        city: Annotated[str, Indexed()] = ""
        zip: Annotated[str, Indexed(index_name="shop_by_zip")] = ""

    schema = Shop.coodie_schema()
    assert [c.name for c in schema.indexed_columns] == ["city", "zip"]
    assert schema.index_name(schema.by_name["city"]) == "shop_city_idx"
    assert schema.index_name(schema.by_name["zip"]) == "shop_by_zip"


# -- static columns with a default -------------------------------------------------------------


def _static_model(name: str, **static_field: Any) -> type:
    return pydantic.create_model(
        name,
        __base__=Document,
        id=(Annotated[int, PrimaryKey()], ...),
        seq=(Annotated[int, ClusteringKey()], ...),
        **static_field,
    )


@pytest.mark.parametrize(
    ("field", "shown"),
    [
        ((Annotated[str, Static()], "C"), "'C'"),
        ((Annotated[set[str], Static()], pydantic.Field(default_factory=set)), "set()"),
    ],
)
def test_a_static_column_with_a_default_warns(field: Any, shown: str) -> None:
    with pytest.warns(CoodieWarning) as caught:
        _static_model("Overwrites", unit=field)
    (warning,) = caught
    message = str(warning.message)
    assert f"Overwrites.unit is Static() with the default {shown}" in message
    assert "Annotated[X | None, Static()] = None" in message


def test_optional_or_required_static_columns_do_not_warn() -> None:
    # pytest turns warnings into errors here, so creating these would fail if they warned
    _static_model("OptionalStatic", unit=(Annotated[str | None, Static()], None))
    _static_model("RequiredStatic", unit=(Annotated[str, Static()], ...))
