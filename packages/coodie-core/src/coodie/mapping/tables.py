"""Schema operations of one model on one driver: ``sync_table()`` and ``drop_table()``."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, TypeVar

from coodie.cql import ddl
from coodie.drivers.statement import BatchStatement, ResultPage, Statement
from coodie.exceptions import ConfigurationError, SchemaError

if TYPE_CHECKING:
    from coodie.drivers.base import AbstractDriver
    from coodie.model.schema import TableSchema

__all__ = ["Operation", "Tables"]

R = TypeVar("R")
#: A multi-statement operation: yields statements, receives their result pages, returns R.
Operation = Generator[Statement | BatchStatement, ResultPage, R]


class Tables:
    """DDL of one model's table, reconciled with what the database already has."""

    __slots__ = ("driver", "schema")

    def __init__(self, schema: TableSchema, driver: AbstractDriver) -> None:
        self.schema = schema
        self.driver = driver

    def keyspace(self) -> str:
        keyspace = self.schema.keyspace or self.driver.keyspace
        if keyspace is None:
            raise ConfigurationError(
                f"{self.schema.model_name}: no keyspace. Set Settings.keyspace on the model or "
                "pass keyspace=... to init_coodie()."
            )
        return keyspace

    def sync_table(self) -> Operation[list[str]]:
        """CREATE the table, or ALTER it to add new columns, then create missing indexes.

        Returns the DDL it executed, so a second call on an unchanged model returns ``[]``.
        """
        schema = self.schema
        where = [self.keyspace(), schema.table]
        page = yield Statement(
            "SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND "
            "table_name = ?",
            where,
        )
        existing = {row[0] for row in page.rows}
        if not existing:
            planned = [ddl.create_table(schema)]
            planned += [ddl.create_index(schema, c) for c in schema.indexed_columns]
        else:
            missing_keys = [c.name for c in schema.primary_key if c.name not in existing]
            if missing_keys:
                raise SchemaError(
                    f"{schema.model_name}: the existing table {schema.table} lacks primary key "
                    f"columns {missing_keys}; a primary key cannot be altered. Drop the table "
                    "(drop_table()) or use a new table name."
                )
            planned = [
                ddl.alter_table_add(schema, c) for c in schema.columns if c.name not in existing
            ]
            index_page = yield Statement(
                "SELECT index_name FROM system_schema.indexes WHERE keyspace_name = ? AND "
                "table_name = ?",
                where,
            )
            indexes = {row[0] for row in index_page.rows}
            planned += [
                ddl.create_index(schema, c)
                for c in schema.indexed_columns
                if schema.index_name(c) not in indexes
            ]
        for cql in planned:
            yield Statement(cql, prepare=False)
        return planned

    def drop_table_statement(self) -> Statement:
        return Statement(ddl.drop_table(self.schema), prepare=False)
