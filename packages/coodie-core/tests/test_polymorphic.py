"""Polymorphic models (no database): declaration, union DDL, discriminator reads and writes."""

import uuid
from typing import Annotated, Any

import pytest

from coodie.exceptions import (
    DocumentNotFound,
    InvalidQueryError,
    SchemaError,
    UnknownDiscriminatorError,
)
from coodie.fields import ClusteringKey, PrimaryKey
from coodie.testing import RecordingDriver

COLUMNS = ("id", "kind", "name", "lives", "good")


def pets(api: Any) -> Any:
    class Pet(api.module.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        kind: str
        name: str = ""

        Settings = type("Settings", (), {"name": "pet", "keyspace": "zoo", "discriminator": "kind"})

    class Cat(Pet):
        lives: int = 9

        class Settings:
            discriminator_value = "cat"

    class Dog(Pet):  # no Settings: its value is its name in snake_case
        good: bool = True

    return Pet, Cat, Dog


def test_each_class_writes_its_discriminator(api: Any) -> None:
    Pet, Cat, Dog = pets(api)
    assert Cat(id=uuid.uuid4()).kind == "cat"
    assert Dog(id=uuid.uuid4()).kind == "dog"
    assert Pet(id=uuid.uuid4()).kind == "pet"
    assert Cat.coodie_schema().table == Dog.coodie_schema().table == "pet"
    assert Cat.coodie_schema().keyspace == "zoo"


async def test_save_of_a_subclass_writes_its_value(api: Any, driver: RecordingDriver) -> None:
    _, Cat, _ = pets(api)
    await api(Cat(id=uuid.uuid4(), name="tom").save())
    statement: Any = driver.last
    assert statement.cql == "INSERT INTO zoo.pet (id, kind, name, lives) VALUES (?, ?, ?, ?)"
    assert statement.values[1:] == ["cat", "tom", 9]


async def test_sync_table_of_any_member_creates_the_union(
    api: Any, driver: RecordingDriver
) -> None:
    _, Cat, _ = pets(api)
    driver.queue_rows(["column_name"], [])
    planned = await api(Cat.sync_table(dry_run=True))
    assert planned == [
        "CREATE TABLE IF NOT EXISTS zoo.pet (id uuid, kind text, name text, lives int, "
        "good boolean, PRIMARY KEY (id))",
        "CREATE INDEX IF NOT EXISTS pet_kind_idx ON zoo.pet (kind)",
    ]


async def test_subclass_find_restricts_the_discriminator(api: Any, driver: RecordingDriver) -> None:
    Pet, Cat, _ = pets(api)
    await api(Cat.find().all())
    await api(Pet.find().all())
    assert driver.cql == [
        "SELECT id, kind, name, lives, good FROM zoo.pet WHERE kind = ?",
        "SELECT id, kind, name, lives, good FROM zoo.pet",
    ]
    assert driver.statements[0].values == ["cat"]
    driver.queue_rows(["count"], [(2,)])
    assert await api(Cat.find().count()) == 2
    assert driver.cql[-1] == "SELECT COUNT(*) FROM zoo.pet WHERE kind = ?"


async def test_rows_become_the_class_their_discriminator_names(
    api: Any, driver: RecordingDriver
) -> None:
    Pet, Cat, Dog = pets(api)
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    rows = [(a, "cat", "tom", 3, None), (b, "dog", "rex", None, False), (c, "pet", "x", None, None)]
    driver.queue_rows(COLUMNS, rows)
    found = await api(Pet.find().all())
    assert found == [
        Cat(id=a, name="tom", lives=3),
        Dog(id=b, name="rex", good=False),
        Pet(id=c, kind="pet", name="x"),
    ]
    assert [type(doc) for doc in found] == [Cat, Dog, Pet]
    driver.queue_rows(COLUMNS, rows[1:2])
    assert await api.collect(Pet.find()) == [Dog(id=b, name="rex", good=False)]


async def test_an_unknown_discriminator_is_a_typed_error(api: Any, driver: RecordingDriver) -> None:
    Pet, _, _ = pets(api)
    driver.queue_rows(COLUMNS, [(uuid.uuid4(), "bird", "tweety", None, None)])
    with pytest.raises(UnknownDiscriminatorError, match=r"kind='bird'.*'cat' \(Cat\)"):
        await api(Pet.find().all())
    driver.queue_rows(COLUMNS, [(uuid.uuid4(), None, "?", None, None)])
    with pytest.raises(UnknownDiscriminatorError, match="kind=None"):
        await api(Pet.find().all())


async def test_get_of_a_subclass_checks_the_class_of_the_row(
    api: Any, driver: RecordingDriver
) -> None:
    Pet, Cat, Dog = pets(api)
    key = uuid.uuid4()
    driver.queue_rows(COLUMNS, [(key, "dog", "rex", None, True)])
    assert type(await api(Pet.get(id=key))) is Dog
    driver.queue_rows(COLUMNS, [(key, "dog", "rex", None, True)])
    with pytest.raises(DocumentNotFound, match="the row is a Dog"):
        await api(Cat.get(id=key))
    driver.queue_rows(COLUMNS, [(key, "cat", "tom", 1, None)])
    cat = Cat(id=key, name="tom", lives=9)
    await api(cat.refresh())
    assert cat.lives == 1


def _declare(api: Any, name: str, bases: tuple[Any, ...], fields: dict[str, Any], **s: Any) -> Any:
    namespace: dict[str, Any] = {"__module__": __name__, "__annotations__": fields}
    if s:
        namespace["Settings"] = type("Settings", (), s)
    return type(name, bases, namespace)


def test_declaration_mistakes_are_schema_errors(api: Any) -> None:
    Pet, _Cat, _ = pets(api)
    key = {"id": Annotated[uuid.UUID, PrimaryKey()]}
    with pytest.raises(SchemaError, match="names no field"):
        _declare(api, "A", (api.module.Document,), key, discriminator="kind")
    with pytest.raises(SchemaError, match="must be a str"):
        _declare(api, "B", (api.module.Document,), {**key, "kind": int}, discriminator="kind")
    with pytest.raises(SchemaError, match="is already Cat's"):
        _declare(api, "Lion", (Pet,), {}, discriminator_value="cat")
    with pytest.raises(SchemaError, match="needs a polymorphic base"):
        _declare(api, "C", (api.module.Document,), key, discriminator_value="c")
    with pytest.raises(SchemaError, match="already set by Pet"):
        _declare(api, "D", (Pet,), {}, discriminator="name")
    with pytest.raises(SchemaError, match=r"Settings.keyspace cannot be set on a polymorphic"):
        _declare(api, "F", (Pet,), {}, keyspace="felines")
    with pytest.raises(SchemaError, match="shares Pet's table and its primary key"):
        _declare(api, "E", (Pet,), {"at": Annotated[int, ClusteringKey()]})


async def test_members_must_agree_on_column_types(api: Any, driver: RecordingDriver) -> None:
    Pet, _, _ = pets(api)
    _declare(api, "Fish", (Pet,), {"fins": int})
    _declare(api, "Shark", (Pet,), {"fins": str})
    driver.queue_rows(["column_name"], [])
    with pytest.raises(SchemaError, match="must agree on each column's type"):
        await api(Pet.sync_table(dry_run=True))


def test_using_a_polymorphic_model_gives_a_plain_binding(api: Any) -> None:
    Pet, _, _ = pets(api)
    Tenant = Pet.using(keyspace="tenant")
    assert Tenant.coodie_schema().keyspace == "tenant"


async def test_a_subclass_writes_and_filters_only_its_own_value(
    api: Any, driver: RecordingDriver
) -> None:
    Pet, Cat, _ = pets(api)
    stray = Cat(id=uuid.uuid4(), kind="dog")
    with pytest.raises(InvalidQueryError, match="Cat rows hold kind='cat', not 'dog'"):
        await api(stray.save())
    cat = Cat(id=uuid.uuid4())
    with pytest.raises(InvalidQueryError, match="Cat rows hold kind='cat'"):
        await api(cat.update(kind="dog"))
    with pytest.raises(InvalidQueryError, match="Cat rows hold kind='cat'"):
        Cat.find(kind="dog")
    assert driver.cql == []
    Pet.find(kind="dog")  # the root queries any class


async def test_a_discriminator_in_the_key(api: Any, driver: RecordingDriver) -> None:
    class Event(api.module.Document):
        kind: Annotated[str, PrimaryKey()]
        at: Annotated[int, ClusteringKey()]

        Settings = type("Settings", (), {"name": "event", "keyspace": "k", "discriminator": "kind"})

    class Click(Event):
        x: int = 0

    assert not Click.coodie_schema().by_name["kind"].indexed  # restricted as the partition key
    await api(Click.find().all())
    assert driver.cql == ["SELECT kind, at, x FROM k.event WHERE kind = ?"]
    assert driver.statements[0].values == ["click"]
