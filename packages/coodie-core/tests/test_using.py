"""Model.using(keyspace=, connection=): one model, several keyspaces or clusters."""

from typing import Annotated, Any
from uuid import UUID

import pytest

from coodie import connections
from coodie.drivers.statement import Statement
from coodie.exceptions import SchemaError
from coodie.fields import PrimaryKey
from coodie.sync import Document
from coodie.testing import RecordingDriver

PID = UUID("11111111-2222-3333-4444-555555555555")


def last(driver: RecordingDriver) -> Statement:
    statement = driver.last
    assert isinstance(statement, Statement)
    return statement


async def test_bound_model_reads_and_writes_the_other_keyspace(
    api: Any, driver: RecordingDriver
) -> None:
    Product = api.m.Product
    Tenant = Product.using(keyspace="tenant_a")
    assert issubclass(Tenant, Product)
    assert Tenant.__name__ == "Product"
    assert Tenant.model_fields.keys() == Product.model_fields.keys()

    await api(Tenant(id=PID, name="pen").save())
    assert last(driver).cql.startswith("INSERT INTO tenant_a.product (id, name, ")
    driver.queue_rows(["id", "name"], [(PID, "pen")])
    found = await api(Tenant.get(id=PID))
    assert type(found) is Tenant
    assert last(driver).cql == (
        "SELECT id, name, price, category, tags, description FROM tenant_a.product WHERE id = ?"
    )
    await api(Tenant.find(id=PID).update(price=2.0))
    assert last(driver).cql == "UPDATE tenant_a.product SET price = ? WHERE id = ?"
    ddl = await api(Tenant.sync_table())
    assert ddl[0].startswith("CREATE TABLE IF NOT EXISTS tenant_a.product (")

    await api(Product(id=PID, name="pen").save())  # the model itself is unchanged
    assert last(driver).cql.startswith("INSERT INTO test.product (")


def test_bindings_are_cached_and_derive_from_the_original(driver: RecordingDriver) -> None:
    class Note(Document):
        id: Annotated[int, PrimaryKey()]

        class Settings:
            keyspace = "notes"
            name = "notes_v2"

    a = Note.using(keyspace="a")
    assert Note.using(keyspace="a") is a
    assert a.using(keyspace="b") is Note.using(keyspace="b")  # not a subclass of `a`
    assert Note.using(keyspace="b").__mro__[1] is Note
    assert a.using(keyspace="notes") is Note  # back to the original binding
    assert Note.using() is Note
    a(id=1).save()
    assert driver.cql == ["INSERT INTO a.notes_v2 (id) VALUES (?)"]  # the table name is kept


def test_bound_to_another_connection(no_connection: None) -> None:
    class Event(Document):
        id: Annotated[int, PrimaryKey()]

    main = connections.register_driver(RecordingDriver(keyspace="main"))
    archive = connections.register_driver(RecordingDriver(keyspace="cold"), "archive")
    Event(id=1).save()
    Event.using(connection="archive")(id=2).save()
    Event.using(connection="archive", keyspace="old").find(id=3).delete()
    assert main.cql == ["INSERT INTO main.event (id) VALUES (?)"]
    assert archive.cql == [
        "INSERT INTO cold.event (id) VALUES (?)",
        "DELETE FROM old.event WHERE id = ?",
    ]


def test_a_bad_keyspace_is_refused(driver: RecordingDriver) -> None:
    class Thing(Document):
        id: Annotated[int, PrimaryKey()]

    with pytest.raises(SchemaError, match=r"Thing\.using\(\): keyspace name 'no spaces'"):
        Thing.using(keyspace="no spaces")
    assert driver.statements == []
