"""User-defined types: schema and DDL, sync_type(), codecs, checks, in-place field updates
and IF conditions on a field (against a RecordingDriver; tests-integration/test_udt.py runs
them on the node)."""

import functools
from collections import namedtuple
from types import SimpleNamespace
from typing import Annotated, Any

import pytest
from pydantic import ConfigDict

import coodie
import coodie.aio
import coodie.sync
from coodie.cql.user_types import alter_type_add, create_type, drop_type
from coodie.drivers.statement import ResultPage, Statement
from coodie.exceptions import InvalidQueryError, SchemaError, UnsupportedTypeError
from coodie.fields import BigInt, ClusteringKey, Counter, Frozen, Indexed, PrimaryKey
from coodie.model.user_types import UserType, type_schema, user_types_of
from coodie.testing import RecordingDriver


class Geo(UserType):
    model_config = ConfigDict(frozen=True)
    lat: float
    lon: float


class Address(UserType):
    street: str
    city: str | None = None
    zip: Annotated[int, BigInt()] = 0
    geo: Geo | None = None


class Tagged(UserType):
    __type_name__ = "tag_info"
    labels: list[str] = []
    scores: dict[str, int] = {}


@functools.cache
def models(api_name: str) -> SimpleNamespace:
    base: Any = coodie.sync.Document if api_name == "sync" else coodie.aio.Document

    class Person(base):
        id: Annotated[int, PrimaryKey()]
        addr: Address | None = None
        home: Annotated[Address | None, Frozen()] = None
        others: list[Address] = []
        places: set[Geo] = set()
        by_name: dict[str, Address] = {}
        pair: tuple[int, Geo] | None = None
        tag: Tagged | None = None

    class Visit(base):
        where: Annotated[Geo, PrimaryKey(), Frozen()]
        at: Annotated[Address, ClusteringKey(), Frozen()]

    return SimpleNamespace(Person=Person, Visit=Visit)


ADDR = Address(street="1 Main St", city="Paris", zip=75001, geo=Geo(lat=48.8, lon=2.3))


# -- schema and DDL ---------------------------------------------------------------------


def test_public_import_paths() -> None:
    assert coodie.UserType is coodie.aio.UserType is coodie.sync.UserType is UserType
    assert callable(coodie.sync.sync_type)
    assert callable(coodie.aio.drop_type)


def test_type_names_fields_and_frozen_nesting() -> None:
    assert type_schema(Address).name == "address"
    assert type_schema(Tagged).name == "tag_info"
    assert create_type(type_schema(Address), "ks") == (
        "CREATE TYPE IF NOT EXISTS ks.address (street text, city text, zip bigint, geo frozen<geo>)"
    )
    # Everything inside a UDT is frozen, as CQL requires.
    assert create_type(type_schema(Tagged), "ks") == (
        "CREATE TYPE IF NOT EXISTS ks.tag_info "
        "(labels frozen<list<text>>, scores frozen<map<text, int>>)"
    )
    field = type_schema(Address).fields[1]
    assert alter_type_add(type_schema(Address), "ks", field) == (
        "ALTER TYPE ks.address ADD city text"
    )
    assert drop_type(type_schema(Geo), "ks") == "DROP TYPE IF EXISTS ks.geo"


def test_column_types_freeze_udts_inside_collections_only() -> None:
    schema = models("sync").Person.coodie_schema()
    types = {c.name: c.cql_type.cql for c in schema.columns}
    assert types == {
        "id": "int",
        "addr": "address",
        "home": "frozen<address>",
        "others": "list<frozen<address>>",
        "places": "set<frozen<geo>>",
        "by_name": "map<text, frozen<address>>",
        "pair": "frozen<tuple<int, frozen<geo>>>",
        "tag": "tag_info",
    }
    used = user_types_of(c.cql_type for c in schema.columns)
    assert used == [Geo, Address, Tagged]  # nested first: the order CREATE TYPE needs


def test_frozen_udt_key_columns_are_accepted() -> None:
    schema = models("sync").Visit.coodie_schema()
    assert [c.cql_type.cql for c in schema.primary_key] == ["frozen<geo>", "frozen<address>"]


def test_non_frozen_udt_key_is_refused_with_the_fix() -> None:
    with pytest.raises(SchemaError, match=r"non-frozen user-defined type.*Frozen\(\)"):

        class Bad(coodie.sync.Document):
            where: Annotated[Geo, PrimaryKey()]


@pytest.mark.parametrize(
    ("body", "error", "match"),
    [
        ({"Settings": type("Settings", (), {"name": "1bad"})}, SchemaError, "not a valid CQL"),
        ({"Settings": type("Settings", (), {"name": "text"})}, SchemaError, "CQL type name"),
        ({"__annotations__": {"n": Annotated[int, PrimaryKey()]}}, SchemaError, "table column"),
        ({"__annotations__": {"n": Annotated[int, Counter()]}}, UnsupportedTypeError, "Counter"),
        ({"__annotations__": {"n": complex}}, UnsupportedTypeError, "no CQL type"),
        ({"__annotations__": {}}, SchemaError, "at least one field"),
    ],
)
def test_bad_user_types_are_refused_when_defined(body: Any, error: type, match: str) -> None:
    namespace = {"__module__": __name__, "__annotations__": {"x": int}, **body}
    with pytest.raises(error, match=match):
        type("Broken", (UserType,), namespace)


def test_udt_in_a_set_must_be_hashable_and_cannot_key_a_map() -> None:
    with pytest.raises(UnsupportedTypeError, match="frozen=True"):

        class Bad(coodie.sync.Document):
            id: Annotated[int, PrimaryKey()]
            addrs: set[Address] = set()

    with pytest.raises(UnsupportedTypeError, match="cannot be a map key"):

        class Worse(coodie.sync.Document):
            id: Annotated[int, PrimaryKey()]
            by_point: dict[Geo, int] = {}


# -- sync_type / sync_table / drop_type ---------------------------------------------------


def _types_responder(live: dict[str, tuple[list[str], list[str]]]) -> Any:
    def respond(statement: Any) -> ResultPage | None:
        if "system_schema.types" in statement.cql:
            found = live.get(statement.values[1])
            rows = [] if found is None else [found]
            return ResultPage(("field_names", "field_types"), rows)
        return None

    return respond


async def test_sync_type_creates_nested_types_first(api: Any, driver: RecordingDriver) -> None:
    driver.responder = _types_responder({})
    planned = await api(api.module.sync_type(Address))
    assert planned == [
        "CREATE TYPE IF NOT EXISTS test.geo (lat double, lon double)",
        "CREATE TYPE IF NOT EXISTS test.address "
        "(street text, city text, zip bigint, geo frozen<geo>)",
    ]
    assert driver.cql[-2:] == planned


async def test_sync_type_adds_new_fields_and_is_idempotent(
    api: Any, driver: RecordingDriver
) -> None:
    live = {"geo": (["lat", "lon"], ["double", "double"]), "address": (["street"], ["text"])}
    driver.responder = _types_responder(live)
    planned = await api(api.module.sync_type(Address, dry_run=True))
    assert planned == [
        "ALTER TYPE test.address ADD city text",
        "ALTER TYPE test.address ADD zip bigint",
        "ALTER TYPE test.address ADD geo frozen<geo>",
    ]
    assert not any(c.startswith("ALTER") for c in driver.cql)  # dry run
    live["address"] = (["street", "city", "zip", "geo"], ["text", "text", "bigint", "frozen<geo>"])
    assert await api(api.module.sync_type(Address)) == []


async def test_sync_type_refuses_a_changed_field_type(api: Any, driver: RecordingDriver) -> None:
    driver.responder = _types_responder({"geo": (["lat", "lon"], ["double", "int"])})
    with pytest.raises(SchemaError, match=r"field 'lon' is int in the type, the model declares"):
        await api(api.module.sync_type(Geo))


async def test_sync_table_syncs_the_types_first(api: Any, driver: RecordingDriver) -> None:
    driver.responder = _types_responder({})
    planned = await api(models(api.name).Person.sync_table())
    assert [c.split(" (")[0] for c in planned] == [
        "CREATE TYPE IF NOT EXISTS test.geo",
        "CREATE TYPE IF NOT EXISTS test.address",
        "CREATE TYPE IF NOT EXISTS test.tag_info",
        "CREATE TABLE IF NOT EXISTS test.person",
    ]


async def test_drop_type_and_keyspace_choice(api: Any, driver: RecordingDriver) -> None:
    await api(api.module.drop_type(Geo, keyspace="other"))
    assert driver.cql[-1] == "DROP TYPE IF EXISTS other.geo"
    with pytest.raises(SchemaError, match="not a UserType"):
        await api(api.module.drop_type(ADDR))


# -- values: write, read, check -----------------------------------------------------------


def _saved_values(driver: RecordingDriver) -> dict[str, Any]:
    statement = driver.last
    assert isinstance(statement, Statement)
    names = statement.cql.split("(")[1].split(")")[0].split(", ")
    return dict(zip(names, statement.values, strict=True))


async def test_save_binds_udts_as_dicts_of_encoded_fields(
    api: Any, driver: RecordingDriver
) -> None:
    doc = models(api.name).Person(id=1, addr=ADDR, others=[ADDR], places={ADDR.geo})
    await api(doc.save())
    values = _saved_values(driver)
    geo = {"lat": 48.8, "lon": 2.3}
    assert values["addr"] == {"street": "1 Main St", "city": "Paris", "zip": 75001, "geo": geo}
    assert values["others"] == [values["addr"]]
    assert values["places"] == [geo]  # encoded UDTs are not hashable: a list


async def test_reads_give_back_the_declared_models_from_dicts_and_named_tuples(
    api: Any, driver: RecordingDriver
) -> None:
    Person = models(api.name).Person
    GeoRow = namedtuple("GeoRow", "lat lon")
    AddrRow = namedtuple("AddrRow", "street city zip geo extra")  # extra: not in the model
    as_tuple = AddrRow("1 Main St", "Paris", 75001, GeoRow(48.8, 2.3), "x")
    as_dict = {
        "street": "1 Main St",
        "city": "Paris",
        "zip": 75001,
        "geo": {"lat": 48.8, "lon": 2.3},
    }
    for value in (as_tuple, as_dict):
        driver.queue_rows(("id", "addr", "others"), [(1, value, [value])])
        doc = await api(Person.get(id=1))
        assert doc.addr == ADDR
        assert type(doc.addr) is Address
        assert type(doc.addr.geo) is Geo
        assert doc.others == [ADDR]


async def test_null_udt_fields_get_their_defaults_or_a_clear_error(
    api: Any, driver: RecordingDriver
) -> None:
    Person = models(api.name).Person
    driver.queue_rows(("id", "addr"), [(1, {"street": "s", "city": None, "zip": None})])
    doc = await api(Person.get(id=1))
    assert doc.addr == Address(street="s")  # zip's default, geo missing -> None
    driver.queue_rows(("id", "addr"), [(1, {"street": None})])
    with pytest.raises(SchemaError, match=r"Address.street: .*null.*Optional"):
        await api(Person.get(id=1))


async def test_dicts_are_coerced_and_wrong_nested_values_refused(
    api: Any, driver: RecordingDriver
) -> None:
    Person = models(api.name).Person
    await api(Person.find(home={"street": "s", "zip": 1}).allow_filtering().all())
    assert driver.last.values[0]["zip"] == 1  # type: ignore[union-attr]
    with pytest.raises(InvalidQueryError, match=r"Person.home: .*street"):
        await api(Person.find(home={"street": 5}).allow_filtering().all())
    doc = Person(id=1, addr=Address(street="s"))
    doc.addr.zip = "many"  # type: ignore[union-attr]  # assigned after validation
    with pytest.raises(InvalidQueryError, match=r"Person.addr: .*its field zip holds 'many'"):
        await api(doc.save())
    doc.addr.zip = 2**70  # type: ignore[union-attr]
    with pytest.raises(InvalidQueryError, match=r"its field zip holds .*out of range"):
        await api(doc.save())
    doc.others = [Address(street="s", geo=Geo.model_construct(lat="north", lon=1.0))]
    doc.addr = None
    with pytest.raises(InvalidQueryError, match=r"Person.others: .*lat"):
        await api(doc.save())


# -- in-place field updates and IF conditions on a field -----------------------------------


async def test_update_one_field_in_place(api: Any, driver: RecordingDriver) -> None:
    doc = models(api.name).Person(id=1, addr=ADDR)
    await api(doc.update(addr__city="Lyon", addr__zip="69001"))
    statement = driver.last
    assert statement.cql == "UPDATE test.person SET addr.city = ?, addr.zip = ? WHERE id = ?"  # type: ignore[union-attr]
    assert list(statement.values) == ["Lyon", 69001, 1]  # type: ignore[union-attr]
    assert doc.addr == ADDR.model_copy(update={"city": "Lyon", "zip": 69001})
    await api(doc.update(addr__geo=Geo(lat=1, lon=2)))
    assert driver.last.values[0] == {"lat": 1.0, "lon": 2.0}  # type: ignore[union-attr]
    await api(models(api.name).Person.find(id=2).update(addr__city=None))
    assert driver.last.cql == "UPDATE test.person SET addr.city = ? WHERE id = ?"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"addr__zip": "x"}, r"Person.addr.zip: 'x' is not a valid value for a bigint"),
        ({"addr__street": None}, r"addr__street: the field street is not Optional"),
        ({"addr__nope": 1}, r"Address has no field 'nope' \(its fields: street, city"),
        ({"home__city": "x"}, r"home is frozen<address>.*update\(home=\.\.\.\)"),
        ({"addr": ADDR, "addr__city": "x"}, r"names 'addr' twice"),
        ({"id__city": "x"}, r"unknown update operator"),
    ],
)
async def test_bad_field_updates_are_refused_before_sending(
    api: Any, driver: RecordingDriver, changes: dict[str, Any], match: str
) -> None:
    doc = models(api.name).Person(id=1, addr=ADDR)
    with pytest.raises(InvalidQueryError, match=match):
        await api(doc.update(**changes))
    assert driver.statements == []


async def test_if_condition_on_a_udt_field(api: Any, driver: RecordingDriver) -> None:
    doc = models(api.name).Person(id=1, addr=ADDR)
    driver.queue_rows(("[applied]",), [(True,)])
    await api(doc.update(addr__city="Lyon", if_conditions={"addr__city": "Paris"}))
    statement = driver.last
    assert statement.cql == (  # type: ignore[union-attr]
        "UPDATE test.person SET addr.city = ? WHERE id = ? IF addr.city = ?"
    )
    assert list(statement.values) == ["Lyon", 1, "Paris"]  # type: ignore[union-attr]
    with pytest.raises(InvalidQueryError, match=r"Person.addr.zip: 'x'"):
        await api(doc.delete(if_conditions={"addr__zip": "x"}))


async def test_non_frozen_udts_cannot_be_filtered_or_indexed(
    api: Any, driver: RecordingDriver
) -> None:
    with pytest.raises(InvalidQueryError, match=r"Person.addr: .*non-frozen.*Frozen\(\)"):
        await api(models(api.name).Person.find(addr=ADDR).allow_filtering().all())
    assert driver.statements == []
    with pytest.raises(SchemaError, match=r"cannot index a non-frozen UDT; add Frozen\(\)"):

        class Bad(coodie.sync.Document):
            id: Annotated[int, PrimaryKey()]
            addr: Annotated[Address, Indexed()]
