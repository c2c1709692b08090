"""Schema statements: keyspaces, tables, indexes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from coodie.exceptions import InvalidQueryError
from coodie.model.identifiers import check_identifier, quote

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from coodie.model.schema import ColumnDefinition, TableSchema

__all__ = [
    "alter_table_add",
    "alter_table_options",
    "create_index",
    "create_keyspace",
    "create_table",
    "drop_index",
    "drop_index_named",
    "drop_keyspace",
    "drop_table",
]

_DATACENTER = re.compile(r"[A-Za-z0-9_.\-]+")


def create_keyspace(
    name: str,
    *,
    replication_factor: int = 1,
    strategy: str = "SimpleStrategy",
    datacenters: Mapping[str, int] | None = None,
    durable_writes: bool = True,
    extra: str = "",
) -> str:
    """``CREATE KEYSPACE IF NOT EXISTS`` with SimpleStrategy or NetworkTopologyStrategy.

    Replication options cannot be bind markers in CQL, so every part is validated here.
    ``extra`` is appended verbatim as further ``AND`` options (e.g. ScyllaDB's
    ``tablets = {'enabled': false}``); it must come from code, never from user input.
    """
    check_identifier(name, "keyspace", "create_keyspace")
    if strategy == "SimpleStrategy":
        _check_rf(replication_factor, "replication_factor")
        replication = f"{{'class': 'SimpleStrategy', 'replication_factor': {replication_factor}}}"
    elif strategy == "NetworkTopologyStrategy":
        if not datacenters:
            raise InvalidQueryError(
                "NetworkTopologyStrategy needs datacenters={'dc1': 3, ...} (replicas per "
                "datacenter)."
            )
        parts = ["'class': 'NetworkTopologyStrategy'"]
        for dc, rf in datacenters.items():
            if not _DATACENTER.fullmatch(dc):
                raise InvalidQueryError(
                    f"Datacenter name {dc!r} is invalid: use letters, digits, '_', '-', '.'."
                )
            _check_rf(rf, f"replicas for datacenter {dc!r}")
            parts.append(f"'{dc}': {rf}")
        replication = "{" + ", ".join(parts) + "}"
    else:
        raise InvalidQueryError(
            f"Unknown replication strategy {strategy!r}: use 'SimpleStrategy' or "
            "'NetworkTopologyStrategy'."
        )
    cql = f"CREATE KEYSPACE IF NOT EXISTS {quote(name)} WITH replication = {replication}"
    if not durable_writes:
        cql += " AND durable_writes = false"
    if extra:
        cql += f" AND {extra}"
    return cql


def _check_rf(value: Any, what: str) -> None:
    if type(value) is not int or value < 1:
        raise InvalidQueryError(f"{what} must be a positive int, got {value!r}.")


def drop_keyspace(name: str) -> str:
    """``DROP KEYSPACE IF EXISTS`` for ``name`` (validated as an identifier)."""
    return f"DROP KEYSPACE IF EXISTS {quote(check_identifier(name, 'keyspace', 'drop_keyspace'))}"


def _column_spec(column: ColumnDefinition) -> str:
    spec = f"{column.quoted} {column.cql_type.cql}"
    return f"{spec} static" if column.static else spec


def create_table(schema: TableSchema) -> str:
    """``CREATE TABLE IF NOT EXISTS`` with composite partition key and clustering order."""
    columns = ", ".join(_column_spec(c) for c in schema.columns)
    partition = ", ".join(c.quoted for c in schema.partition_keys)
    if len(schema.partition_keys) > 1:
        partition = f"({partition})"
    key = ", ".join([partition, *(c.quoted for c in schema.clustering_keys)])
    cql = f"CREATE TABLE IF NOT EXISTS {schema.qualified_table} ({columns}, PRIMARY KEY ({key}))"
    options = []
    if schema.clustering_keys:
        order = ", ".join(f"{c.quoted} {c.clustering_order}" for c in schema.clustering_keys)
        options.append(f"CLUSTERING ORDER BY ({order})")
    options.extend(f"{name} = {value}" for name, value in schema.table_options)
    if options:
        cql += " WITH " + " AND ".join(options)
    return cql


def create_index(schema: TableSchema, column: ColumnDefinition) -> str:
    """``CREATE INDEX IF NOT EXISTS`` on ``column``: keys, values or entries of a map, or ``FULL()``
    of a frozen collection, as the column's ``Indexed`` marker asks."""
    target = column.quoted
    full = column.index_target == "full" or column.index_target is None
    if column.cql_type.name == "map" and column.index_target not in (None, "full"):
        # Indexing a map's keys is what makes CONTAINS KEY work; values serve CONTAINS.
        target = f"{str(column.index_target).upper()}({column.quoted})"
    elif full and column.cql_type.frozen and column.cql_type.is_collection:
        target = f"FULL({column.quoted})"
    name = schema.index_name(column)
    cql = f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {schema.qualified_table} ({target})"
    if column.index_using == "sai":
        cql += " USING 'sai'"
        if column.index_options:
            options = ", ".join(f"{_text(k)}: {_text(v)}" for k, v in column.index_options)
            cql += f" WITH OPTIONS = {{{options}}}"
    return cql


def _text(value: str) -> str:
    """A CQL string literal (index options come from model code, checked by the schema)."""
    return "'" + value.replace("'", "''") + "'"


def drop_table(schema: TableSchema) -> str:
    """``DROP TABLE IF EXISTS`` for the table of ``schema``."""
    return f"DROP TABLE IF EXISTS {schema.qualified_table}"


def drop_index(schema: TableSchema, column: ColumnDefinition) -> str:
    """``DROP INDEX IF EXISTS`` for the index on ``column``."""
    return drop_index_named(schema, schema.index_name(column))


def drop_index_named(schema: TableSchema, index: str) -> str:
    """``DROP INDEX IF EXISTS`` of an index of the model's table, by its name."""
    name = quote(index)
    if schema.keyspace is not None:
        name = f"{quote(schema.keyspace)}.{name}"
    return f"DROP INDEX IF EXISTS {name}"


def alter_table_add(schema: TableSchema, column: ColumnDefinition) -> str:
    """``ALTER TABLE ... ADD`` for ``column``."""
    return f"ALTER TABLE {schema.qualified_table} ADD {_column_spec(column)}"


def alter_table_options(schema: TableSchema, names: Iterable[str]) -> str:
    """``ALTER TABLE ... WITH`` the model's current value of each option in ``names``."""
    wanted = set(names)
    options = [f"{name} = {value}" for name, value in schema.table_options if name in wanted]
    return f"ALTER TABLE {schema.qualified_table} WITH " + " AND ".join(options)
