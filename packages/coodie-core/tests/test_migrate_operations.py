"""Schema operations of migration bodies: the CQL they send, and bad input refused before
anything is sent (no database)."""

from __future__ import annotations

from typing import Annotated

import pytest

from coodie.exceptions import SchemaError
from coodie.fields import ClusteringKey, Indexed, PrimaryKey
from coodie.migrate import Operations
from coodie.sync import Document, MaterializedView, UserType
from coodie.testing import RecordingDriver


class Gadget(Document):
    id: Annotated[int, PrimaryKey()]
    colour: Annotated[str, Indexed()] = ""


def ops() -> tuple[Operations, RecordingDriver]:
    driver = RecordingDriver(keyspace="conn_ks")
    return Operations(driver, "shop", "r1"), driver


def test_each_operation_sends_its_ddl_in_the_migration_keyspace() -> None:
    op, driver = ops()
    op.add_column("products", "colour", "map<text, frozen<list<int>>>")
    op.drop_column("products", "old")
    op.create_index("products", "colour")
    op.drop_index("products_colour_idx")
    op.alter_table_options("products", comment="v2", default_time_to_live=60)
    op.drop_table("products", keyspace="other")
    op.create_table(Gadget)
    assert driver.cql == [
        "ALTER TABLE shop.products ADD colour map<text, frozen<list<int>>>",
        "ALTER TABLE shop.products DROP old",
        "CREATE INDEX IF NOT EXISTS products_colour_idx ON shop.products (colour)",
        "DROP INDEX IF EXISTS shop.products_colour_idx",
        "ALTER TABLE shop.products WITH comment = 'v2' AND default_time_to_live = 60",
        "DROP TABLE IF EXISTS other.products",
        "CREATE TABLE IF NOT EXISTS shop.gadget (id int, colour text, PRIMARY KEY (id))",
        "CREATE INDEX IF NOT EXISTS gadget_colour_idx ON shop.gadget (colour)",
    ]
    assert op.executed == driver.cql


def test_execute_binds_values() -> None:
    op, driver = ops()
    op.execute("INSERT INTO t (id) VALUES (?)", [1])
    assert list(driver.last.values) == [1]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda op: op.add_column("products", "bad name", "int"), "not a valid CQL identifier"),
        (lambda op: op.add_column("products", "x", "int; DROP TABLE y"), "not CQL type text"),
        (lambda op: op.drop_column("pro-ducts", "x"), "not a valid CQL identifier"),
        (lambda op: op.alter_table_options("products"), "name at least one option"),
        (lambda op: op.create_index("products", "x", name="1bad"), "not a valid CQL"),
        (lambda op: op.drop_table("products", keyspace="no way"), "not a valid CQL"),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(call: object, problem: str) -> None:
    op, driver = ops()
    with pytest.raises(SchemaError, match=problem):
        call(op)  # type: ignore[operator]
    assert driver.cql == []


class Geo(UserType):
    lat: float
    lon: float


class Place(UserType):
    city: str
    geo: Geo | None = None


class Sale(Document):
    id: Annotated[int, PrimaryKey()]
    shop: str = ""


class SaleByShop(MaterializedView):
    shop: Annotated[str, PrimaryKey()]
    id: Annotated[int, ClusteringKey()]

    class Settings:
        base = Sale


def test_type_and_view_operations_send_their_ddl_in_the_migration_keyspace() -> None:
    op, driver = ops()
    op.create_type(Place)
    op.add_type_field(Place, "geo")
    op.drop_type(Geo)
    op.create_view(SaleByShop)
    op.drop_view(SaleByShop)
    assert driver.cql == [
        "CREATE TYPE IF NOT EXISTS shop.geo (lat double, lon double)",
        "CREATE TYPE IF NOT EXISTS shop.place (city text, geo frozen<geo>)",
        "ALTER TYPE shop.place ADD geo frozen<geo>",
        "DROP TYPE IF EXISTS shop.geo",
        "CREATE MATERIALIZED VIEW IF NOT EXISTS shop.sale_by_shop AS SELECT shop, id FROM "
        "shop.sale WHERE shop IS NOT NULL AND id IS NOT NULL PRIMARY KEY (shop, id) WITH "
        "CLUSTERING ORDER BY (id ASC)",
        "DROP MATERIALIZED VIEW IF EXISTS shop.sale_by_shop",
    ]


def test_type_and_view_operations_refuse_what_they_cannot_do() -> None:
    op, driver = ops()
    with pytest.raises(SchemaError, match=r"Place has no field 'zip'.*known: city, geo"):
        op.add_type_field(Place, "zip")
    with pytest.raises(SchemaError, match="Sale is not a MaterializedView"):
        op.create_view(Sale)
    assert driver.cql == []
