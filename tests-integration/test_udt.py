"""User-defined types against the real node, for both drivers and both APIs: types created
before the table, values written and read back as the declared models (nested, in
collections, as frozen key components), sync_type() adding fields, in-place field updates
and IF conditions on a field.

Each run has its own keyspace (``it_udt_<driver>_<api>``): types live in a keyspace, and
other helpers' tests must not see or drop them.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import pytest
from pydantic import ConfigDict

from coodie import (
    ClusteringKey,
    ConditionalWriteFailed,
    Frozen,
    InvalidQueryError,
    PrimaryKey,
    SchemaError,
    UserType,
)
from coodie.fields import BigInt

pytestmark = pytest.mark.integration


class ItGeo(UserType):
    model_config = ConfigDict(frozen=True)
    lat: float
    lon: float


class ItAddress(UserType):
    street: str
    city: str | None = None
    zip: Annotated[int, BigInt()] = 0
    geo: ItGeo | None = None


ADDR = ItAddress(street="1 Main St", city="Paris", zip=75001, geo=ItGeo(lat=48.8, lon=2.3))
OTHER = ItAddress(street="2 High St", city="Oxford")


@pytest.fixture
async def keyspace(api: Any) -> Any:
    name = f"it_udt_{api.driver_type}_{api.kind}"
    await api(api.module.create_keyspace(name, connection=api.connection))
    yield name
    await api(api.module.drop_keyspace(name, connection=api.connection))


def settings(api: Any, keyspace: str, prefix: str) -> type:
    return api.settings(keyspace=keyspace, name=api.table(prefix))


def person_model(api: Any, keyspace: str) -> Any:
    class Person(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        addr: ItAddress | None = None
        home: Annotated[ItAddress | None, Frozen()] = None
        others: list[ItAddress] = []
        by_name: dict[str, ItAddress] = {}
        pair: tuple[int, ItGeo] | None = None

        Settings = settings(api, keyspace, "person")

    return Person


async def test_types_are_created_first_and_values_come_back_as_models(
    api: Any, keyspace: str
) -> None:
    Person = person_model(api, keyspace)
    planned = await api(Person.sync_table())
    assert [c.split(" (")[0] for c in planned[:2]] == [
        f"CREATE TYPE IF NOT EXISTS {keyspace}.it_geo",
        f"CREATE TYPE IF NOT EXISTS {keyspace}.it_address",
    ]
    assert await api(Person.sync_table()) == []  # the live types and table match the model
    doc = Person(
        id=uuid.uuid4(),
        addr=ADDR,
        home=OTHER,
        others=[ADDR, OTHER],
        by_name={"work": OTHER},
        pair=(7, ItGeo(lat=1, lon=2)),
    )
    await api(doc.save())
    stored = await api(Person.get(id=doc.id))
    assert stored == doc
    assert type(stored.addr) is ItAddress
    assert type(stored.addr.geo) is ItGeo
    assert type(stored.others[1]) is ItAddress
    # Equality filter on a frozen UDT column.
    found = await api(Person.find(home=OTHER).allow_filtering().all())
    assert [p.id for p in found] == [doc.id]
    found = await api(
        Person.find(home={"street": "2 High St", "city": "Oxford"}).allow_filtering().all()
    )
    assert [p.id for p in found] == [doc.id]


async def test_frozen_udts_as_primary_key_components(api: Any, keyspace: str) -> None:
    class Visit(api.Document):
        where: Annotated[ItGeo, PrimaryKey(), Frozen()]
        at: Annotated[ItAddress, ClusteringKey(), Frozen()]
        note: str = ""

        Settings = settings(api, keyspace, "visit")

    await api(Visit.sync_table())
    here = ItGeo(lat=1.5, lon=2.5)
    await api(Visit(where=here, at=ADDR, note="a").save())
    await api(Visit(where=here, at=OTHER, note="b").save())
    rows = await api(Visit.find(where=here).all())
    assert sorted(v.note for v in rows) == ["a", "b"]
    one = await api(Visit.get(where=here, at=OTHER))
    assert one.at == OTHER


async def test_a_set_of_udts(api: Any, keyspace: str) -> None:
    class Trip(api.Document):
        id: Annotated[int, PrimaryKey()]
        stops: set[ItGeo] = set()

        Settings = settings(api, keyspace, "trip")

    await api(Trip.sync_table())
    trip = Trip(id=1, stops={ItGeo(lat=1, lon=2), ItGeo(lat=3, lon=4)})
    await api(trip.save())
    assert await api(Trip.get(id=1)) == trip


async def test_sync_type_adds_fields_and_refuses_a_changed_type(api: Any, keyspace: str) -> None:
    name = f"badge_{uuid.uuid4().hex[:8]}"

    class Badge(UserType):
        __type_name__ = name
        label: str

    class BadgeV2(UserType):
        __type_name__ = name
        label: str
        level: int | None = None
        geo: ItGeo | None = None

    class BadgeChanged(UserType):
        __type_name__ = name
        label: int

    target = {"keyspace": keyspace, "connection": api.connection}
    assert await api(api.module.sync_type(Badge, **target)) == [
        f"CREATE TYPE IF NOT EXISTS {keyspace}.{name} (label text)"
    ]
    assert await api(api.module.sync_type(BadgeV2, **target)) == [
        f"CREATE TYPE IF NOT EXISTS {keyspace}.it_geo (lat double, lon double)",
        f"ALTER TYPE {keyspace}.{name} ADD level int",
        f"ALTER TYPE {keyspace}.{name} ADD geo frozen<it_geo>",
    ]
    assert await api(api.module.sync_type(BadgeV2, **target)) == []
    with pytest.raises(SchemaError, match=r"field 'label' is text in the type.*declares int"):
        await api(api.module.sync_type(BadgeChanged, **target))
    await api(api.module.drop_type(BadgeV2, **target))
    assert await api(api.module.sync_type(Badge, dry_run=True, **target)) == [
        f"CREATE TYPE IF NOT EXISTS {keyspace}.{name} (label text)"
    ]


async def test_one_field_updated_in_place_and_if_conditions_on_a_field(
    api: Any, keyspace: str
) -> None:
    Person = person_model(api, keyspace)
    await api(Person.sync_table())
    doc = Person(id=uuid.uuid4(), addr=ADDR)
    await api(doc.save())
    await api(doc.update(addr__city="Lyon", addr__zip=69001))
    assert doc.addr == ADDR.model_copy(update={"city": "Lyon", "zip": 69001})
    assert await api(Person.get(id=doc.id)) == doc
    await api(Person.find(id=doc.id).update(addr__geo=ItGeo(lat=0, lon=0)))
    assert (await api(Person.get(id=doc.id))).addr.geo == ItGeo(lat=0, lon=0)
    await api(doc.update(addr__street="3 Rue", if_conditions={"addr__city": "Lyon"}))
    assert (await api(Person.get(id=doc.id))).addr.street == "3 Rue"
    with pytest.raises(ConditionalWriteFailed) as failed:
        await api(doc.update(addr__city="Nice", if_conditions={"addr__city": "Paris"}))
    assert failed.value.existing["addr"].city == "Lyon"
    await api(doc.delete(if_conditions={"addr__zip": 69001}))
    assert await api(Person.find_one(id=doc.id)) is None


async def test_wrong_nested_values_are_refused_before_sending(api: Any, keyspace: str) -> None:
    Person = person_model(api, keyspace)
    await api(Person.sync_table())
    doc = Person(id=uuid.uuid4(), addr=ItAddress(street="s"))
    doc.addr.zip = 2**70
    with pytest.raises(InvalidQueryError, match=r"addr: .*its field zip holds .*out of range"):
        await api(doc.save())
    with pytest.raises(InvalidQueryError, match=r"addr.zip: 'x' is not a valid value"):
        await api(doc.update(addr__zip="x"))
    with pytest.raises(InvalidQueryError, match=r"home is frozen"):
        await api(doc.update(home__city="x"))
    assert await api(Person.find_one(id=doc.id)) is None
