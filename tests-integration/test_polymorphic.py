"""Polymorphic models (single-table inheritance) against the real node."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Any

import pytest

from coodie import DocumentNotFound, InvalidQueryError, PrimaryKey, UnknownDiscriminatorError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def poly_keyspaces(driver_type: str) -> Iterator[None]:
    """Keyspaces of this module only (``it_poly_<driver>_<api>``), dropped at its end."""
    import coodie.sync

    names = [f"it_poly_{driver_type}_{kind}" for kind in ("sync", "aio")]
    for name in names:
        coodie.sync.create_keyspace(name, connection=f"it-{driver_type}")
    yield
    for name in names:
        coodie.sync.drop_keyspace(name, connection=f"it-{driver_type}")


@pytest.fixture
async def pets(api: Any, poly_keyspaces: None) -> AsyncIterator[Any]:
    """A Pet hierarchy (Pet, Cat, Dog) sharing one table; the table is dropped after."""

    class Pet(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        kind: str
        name: str = ""

        Settings = type(
            "Settings",
            (),
            {
                "name": api.table("pet"),
                "keyspace": f"it_poly_{api.driver_type}_{api.kind}",
                "connection": api.connection,
                "discriminator": "kind",
            },
        )

    class Cat(Pet):
        lives: int = 9

        class Settings:
            discriminator_value = "cat"

    class Dog(Pet):
        good: bool = True
        tricks: list[str] = []

    # sync_table() of any member creates the table of the whole hierarchy.
    ddl = await api(Dog.sync_table())
    assert "lives int" in ddl[0]
    assert "tricks list<text>" in ddl[0]
    assert await api(Pet.sync_table()) == []
    try:
        yield type("Pets", (), {"Pet": Pet, "Cat": Cat, "Dog": Dog})
    finally:
        await api(Pet.drop_table())


async def test_find_hands_out_the_class_of_each_row(api: Any, pets: Any) -> None:
    Pet, Cat, Dog = pets.Pet, pets.Cat, pets.Dog
    cat = Cat(id=uuid.uuid4(), name="tom", lives=7)
    dog = Dog(id=uuid.uuid4(), name="rex", tricks=["sit"])
    plain = Pet(id=uuid.uuid4(), name="generic")
    for doc in (cat, dog, plain):
        await api(doc.save())
    assert (cat.kind, dog.kind, plain.kind) == ("cat", "dog", "pet")

    everything = {doc.id: doc for doc in await api(Pet.find().all())}
    assert everything == {cat.id: cat, dog.id: dog, plain.id: plain}
    assert type(everything[cat.id]) is Cat
    assert type(everything[dog.id]) is Dog
    assert type(everything[plain.id]) is Pet
    assert await api(Pet.find().count()) == 3

    assert await api(Cat.find().all()) == [cat]
    assert await api(Dog.find().all()) == [dog]
    assert await api(Cat.find().count()) == 1
    assert await api(api.iterate(Dog.find().fetch_size(1))) == [dog]
    assert await api(Cat.find(id=cat.id).all()) == [cat]
    assert await api(Cat.find(id=dog.id).all()) == []

    got = await api(Pet.get(id=dog.id))
    assert type(got) is Dog
    assert got.tricks == ["sit"]
    assert await api(Cat.get(id=cat.id)) == cat
    with pytest.raises(DocumentNotFound, match="the row is a Dog"):
        await api(Cat.get(id=dog.id))
    # Dog's name: the discriminator restriction leaves it out.
    assert await api(Cat.find(name="rex").allow_filtering().first()) is None
    assert await api(Dog.find(name="rex").allow_filtering().first()) == dog
    page = await api(Pet.find().fetch_size(2).page())
    assert len(page.items) == 2
    assert all(isinstance(d, Pet) for d in page.items)


async def test_subclass_writes_keep_their_columns(api: Any, pets: Any) -> None:
    Pet, Cat = pets.Pet, pets.Cat
    cat = Cat(id=uuid.uuid4(), name="tom")
    await api(cat.save())
    await api(cat.update(lives=3))
    await api(cat.refresh())
    assert cat.lives == 3
    assert (await api(Pet.get(id=cat.id))).lives == 3
    await api(cat.delete())
    assert await api(Pet.find().count()) == 0
    with pytest.raises(InvalidQueryError, match="Cat rows hold kind='cat', not 'dog'"):
        await api(Cat(id=uuid.uuid4(), kind="dog").save())
    assert await api(Pet.find().count()) == 0


async def test_an_unknown_discriminator_is_a_typed_error(api: Any, pets: Any) -> None:
    Pet = pets.Pet
    schema = Pet.coodie_schema()
    table = f"{schema.keyspace}.{schema.table}"
    await api(
        api.module.execute(
            f"INSERT INTO {table} (id, kind, name) VALUES (?, ?, ?)",
            [uuid.uuid4(), "bird", "tweety"],
            connection=api.connection,
        )
    )
    with pytest.raises(UnknownDiscriminatorError, match="kind='bird'"):
        await api(Pet.find().all())
