"""QuerySet.only() / defer(): partial documents, and what saving or updating one writes."""

import copy
import pickle
from typing import Annotated, Any
from uuid import UUID

import pytest

from coodie.drivers.statement import Statement
from coodie.exceptions import CoodieWarning, InvalidQueryError, UnloadedFieldError
from coodie.fields import ClusteringKey, PrimaryKey
from coodie.sync import Document
from coodie.testing import RecordingDriver

PID = UUID("11111111-2222-3333-4444-555555555555")


class Note(Document):  # at module level, so that pickle finds it
    id: Annotated[UUID, PrimaryKey()]
    title: str
    body: str = ""


def last(driver: RecordingDriver) -> Statement:
    statement = driver.last
    assert isinstance(statement, Statement)
    return statement


async def test_only_selects_the_key_and_the_named_columns(
    api: Any, driver: RecordingDriver
) -> None:
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    docs = await api(api.m.Product.find(category="office").only("name").all())
    assert last(driver).cql == "SELECT id, name FROM test.product WHERE category = ?"
    (doc,) = docs
    assert isinstance(doc, api.m.Product)
    assert (doc.id, doc.name) == (PID, "pen")
    assert doc.model_fields_set == {"id", "name"}


async def test_reading_an_unloaded_field_names_it_and_the_fix(
    api: Any, driver: RecordingDriver
) -> None:
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    doc = await api(api.m.Product.find(id=PID).only("name").first())
    with pytest.raises(UnloadedFieldError, match=r"Product\.price was not loaded.*only\("):
        _ = doc.price
    with pytest.raises(AttributeError):  # UnloadedFieldError is one: getattr defaults work
        _ = doc.tags
    assert getattr(doc, "description", "absent") == "absent"
    assert doc.model_dump() == {"id": PID, "name": "pen"}  # only the loaded fields


async def test_defer_loads_every_column_but_the_named_ones(
    api: Any, driver: RecordingDriver
) -> None:
    driver.queue_rows(["id", "name", "price", "category"], [(PID, "pen", 2.0, "office")])
    doc = await api(api.m.Product.find(id=PID).defer("tags", "description").first())
    assert last(driver).cql.startswith(
        "SELECT id, name, price, category FROM test.product WHERE id = ?"
    )
    assert doc.price == 2.0
    with pytest.raises(UnloadedFieldError, match="tags"):
        _ = doc.tags


async def test_saving_a_partial_document_writes_only_what_it_holds(
    api: Any, driver: RecordingDriver
) -> None:
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    doc = await api(api.m.Product.find(id=PID).only("name").first())
    doc.name = "ink"
    await api(doc.save())
    assert last(driver).cql == "INSERT INTO test.product (id, name) VALUES (?, ?)"
    assert list(last(driver).values) == [PID, "ink"]
    doc.price = 3.5  # assigned: now held, so written too
    await api(doc.save(ttl=60))
    assert last(driver).cql == (
        "INSERT INTO test.product (id, name, price) VALUES (?, ?, ?) USING TTL ?"
    )
    assert doc.price == 3.5


async def test_update_and_delete_of_a_partial_document(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    doc = await api(api.m.Product.find(id=PID).only("name").first())
    await api(doc.update(price=4.0))
    assert last(driver).cql == "UPDATE test.product SET price = ? WHERE id = ?"
    assert doc.price == 4.0
    await api(doc.delete())
    assert last(driver).cql == "DELETE FROM test.product WHERE id = ?"


async def test_full_reads_still_fill_defaults(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    doc = await api(api.m.Product.find(id=PID).first())
    assert type(doc) is api.m.Product
    assert doc.price == 0.0  # not a partial document: the default, as before


def test_only_and_defer_validate_their_columns(api: Any) -> None:
    query = api.m.Product.find(id=PID)
    with pytest.raises(InvalidQueryError, match=r"only\('nope'\) names no column.*use one of"):
        query.only("nope")
    with pytest.raises(InvalidQueryError, match=r"defer\('id'\): primary key"):
        query.defer("id")
    with pytest.raises(InvalidQueryError, match="at least one column"):
        query.only()
    assert not hasattr(query.values_list("name"), "only")  # a values query has no documents


def test_only_every_column_is_a_plain_query(api: Any) -> None:
    columns = api.m.Product.coodie_schema().column_names
    assert api.m.Product.find().only(*columns).state.row_form == "document"
    assert api.m.Product.find().only("name").defer("name").state.columns == ("id",)


async def test_values_list_after_only(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["price"], [(1.0,)])
    rows = await api(api.m.Product.find(id=PID).only("name").values_list("price", flat=True).all())
    assert rows == [1.0]


async def test_a_partial_document_in_a_batch_writes_what_it_holds(
    api: Any, driver: RecordingDriver
) -> None:
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    doc = await api(api.m.Product.find(id=PID).only("name").first())
    async with api.batch() as batch:
        batch.save(doc)
    (statement,) = driver.last.statements  # type: ignore[union-attr]
    assert statement.cql == "INSERT INTO test.product (id, name) VALUES (?, ?)"


async def test_insert_many_of_partial_documents_says_how_to_save_them(
    api: Any, driver: RecordingDriver
) -> None:
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    doc = await api(api.m.Product.find(id=PID).only("name").first())
    with pytest.raises(InvalidQueryError, match=r"'price' was not loaded.*doc\.save\(\)"):
        await api(api.m.Product.insert_many([doc]))


async def test_a_partial_document_without_its_key_cannot_be_saved(
    api: Any, driver: RecordingDriver
) -> None:
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    doc = await api(api.m.Product.find(id=PID).only("name").first())
    del doc.__dict__["id"]
    with pytest.raises(InvalidQueryError, match="primary key field 'id' was not loaded"):
        await api(doc.save())
    with pytest.raises(InvalidQueryError, match="'id'"):
        await api(doc.insert())


async def test_partial_documents_of_a_bound_model_stay_in_its_keyspace(
    api: Any, driver: RecordingDriver
) -> None:
    Tenant = api.m.Product.using(keyspace="tenant_a")
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    doc = await api(Tenant.find(id=PID).only("name").first())
    assert last(driver).cql == "SELECT id, name FROM tenant_a.product WHERE id = ? LIMIT ?"
    assert isinstance(doc, Tenant)
    await api(doc.save())
    assert last(driver).cql == "INSERT INTO tenant_a.product (id, name) VALUES (?, ?)"


async def test_refresh_loads_the_whole_row(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    doc = await api(api.m.Product.find(id=PID).only("name").first())
    columns = ["id", "name", "price", "category", "tags", "description"]
    driver.queue_rows(columns, [(PID, "pen", 2.0, "office", ["a"], None)])
    await api(doc.refresh())
    assert (doc.price, doc.tags, doc.description) == (2.0, {"a"}, None)


def test_partial_documents_copy_and_pickle_as_partial(driver: RecordingDriver) -> None:
    driver.queue_rows(["id", "title"], [(PID, "todo")])
    doc = Note.find(id=PID).only("title").first()
    assert doc is not None
    for twin in (copy.copy(doc), copy.deepcopy(doc), pickle.loads(pickle.dumps(doc))):
        assert type(twin) is type(doc)
        assert twin.title == "todo"
        with pytest.raises(UnloadedFieldError):
            _ = twin.body


def test_the_partial_class_is_made_once_and_not_checked_again() -> None:
    import warnings

    from coodie.fields import ClusteringKey, Static
    from coodie.mapping.partial import partial_class

    with pytest.warns(CoodieWarning):

        class Thread(Document):
            board: Annotated[str, PrimaryKey()]
            seq: Annotated[int, ClusteringKey()]
            topic: Annotated[str, Static()] = "general"  # warned about once, here

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        partial = partial_class(Thread)
    assert partial_class(Thread) is partial
    assert partial_class(partial) is partial
    assert partial.coodie_schema() is Thread.coodie_schema()


def pets(api: Any) -> Any:
    class Pet(api.module.Document):
        id: Annotated[UUID, PrimaryKey()]
        kind: str
        name: str = ""

        Settings = type("Settings", (), {"name": "pet", "keyspace": "zoo", "discriminator": "kind"})

    class Cat(Pet):
        lives: int = 9

        class Settings:
            discriminator_value = "cat"

    class Dog(Pet):
        good: bool = True

    return Pet, Cat, Dog


async def test_only_on_a_polymorphic_model_keeps_the_class_of_each_row(
    api: Any, driver: RecordingDriver
) -> None:
    Pet, Cat, Dog = pets(api)
    cat_id, dog_id = UUID(int=1), UUID(int=2)
    driver.queue_rows(["id", "kind", "name"], [(cat_id, "cat", "tom"), (dog_id, "dog", "rex")])
    cat, dog = await api(Pet.find().only("name").all())
    assert last(driver).cql == "SELECT id, kind, name FROM zoo.pet"  # the discriminator too
    assert (type(cat).__mro__[1], type(dog).__mro__[1]) == (Cat, Dog)
    assert (cat.name, dog.name) == ("tom", "rex")
    with pytest.raises(UnloadedFieldError, match=r"Cat\.lives was not loaded"):
        _ = cat.lives
    await api(cat.save())
    assert last(driver).cql == "INSERT INTO zoo.pet (id, kind, name) VALUES (?, ?, ?)"
    with pytest.raises(InvalidQueryError, match="discriminator"):
        Pet.find().defer("kind")
    driver.queue_rows(["id", "kind", "name", "lives", "good"], [(cat_id, "cat", "tom", 7, None)])
    await api(cat.refresh())
    assert cat.lives == 7


async def test_partial_documents_of_a_view_stay_read_only(
    api: Any, driver: RecordingDriver
) -> None:
    from coodie.exceptions import ViewWriteError

    class Product(api.module.Document):
        id: Annotated[UUID, PrimaryKey()]
        brand: str = ""
        name: str = ""

        Settings = type("Settings", (), {"name": "product", "keyspace": "shop"})

    class ByBrand(api.module.MaterializedView):
        brand: Annotated[str, PrimaryKey()]
        id: Annotated[UUID, ClusteringKey()]
        name: str = ""

        Settings = type("Settings", (), {"base": Product})

    driver.queue_rows(["brand", "id"], [("acme", PID)])
    (doc,) = await api(ByBrand.find(brand="acme").only("id").all())
    assert last(driver).cql == "SELECT brand, id FROM shop.by_brand WHERE brand = ?"
    with pytest.raises(UnloadedFieldError):
        _ = doc.name
    with pytest.raises(ViewWriteError):
        await api(doc.save())
