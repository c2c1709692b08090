"""Materialized views: a read-only table Cassandra derives from a base Document.

A view class names its base (``Settings.base = Product``), declares a subset of the base's
fields (same names, same types) and its own primary key with the usual markers. CQL's rules,
checked here when the class is created: the view key holds every primary key column of the
base plus at most one other base column; static and counter columns cannot be in a view.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from coodie.exceptions import SchemaError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from coodie.model.schema import TableSchema

__all__ = ["base_of", "view_schema"]


def base_of(view: type[BaseModel]) -> type[BaseModel]:
    """The base Document of a view class (``Settings.base``), checked to be a table model."""
    settings = getattr(view, "Settings", None)
    base = getattr(settings, "base", None)
    if base is None or not isinstance(base, type) or not hasattr(base, "coodie_schema"):
        raise SchemaError(
            f"{view.__name__}: a MaterializedView needs class Settings: base = <the Document "
            "it is derived from>."
        )
    if getattr(base, "__coodie_view__", False):
        raise SchemaError(
            f"{view.__name__}: Settings.base = {base.__name__} is a view; a view is derived "
            "from a table."
        )
    return base


def view_schema(view: type[BaseModel], schema: TableSchema) -> TableSchema:
    """``schema`` (built from the view's own fields) checked against its base's table, with
    the base's keyspace and connection unless the view names them."""
    base: TableSchema = base_of(view).coodie_schema()  # type: ignore[attr-defined]
    owner = view.__name__
    where = f"{owner} (a view of {base.model_name})"
    if base.is_counter_table:
        raise SchemaError(f"{where}: Cassandra cannot build views of a counter table.")
    for column in schema.columns:
        found = base.by_name.get(column.name)
        if found is None:
            raise SchemaError(
                f"{where}: field {column.name!r} is not a column of {base.model_name}; a view "
                f"selects columns of its base: {', '.join(base.column_names)}."
            )
        if found.cql_type.cql != column.cql_type.cql:
            raise SchemaError(
                f"{where}.{column.name} is {column.cql_type.cql} but the base column is "
                f"{found.cql_type.cql}; declare the base's type."
            )
        if found.static:
            raise SchemaError(f"{where}: the static column {column.name!r} cannot be in a view.")
        if column.indexed:
            raise SchemaError(
                f"{where}.{column.name}: Cassandra does not index views; index the base table."
            )
    view_keys = {c.name for c in schema.primary_key}
    missing = [c.name for c in base.primary_key if c.name not in view_keys]
    if missing:
        raise SchemaError(
            f"{where}: the view's primary key must contain every primary key column of the "
            f"base; it lacks {', '.join(missing)}. Mark them PrimaryKey() or ClusteringKey()."
        )
    extra = [c.name for c in schema.primary_key if not base.by_name[c.name].is_primary_key]
    if len(extra) > 1:
        raise SchemaError(
            f"{where}: a view's primary key may hold at most one column that is not in the "
            f"base's primary key; it has {', '.join(extra)}. Keep one of them in the key."
        )
    keyspace = schema.keyspace if schema.keyspace is not None else base.keyspace
    if keyspace != base.keyspace:
        raise SchemaError(
            f"{where}: Settings.keyspace={schema.keyspace!r} differs from the base's "
            f"{base.keyspace!r}; a view lives in its base's keyspace."
        )
    connection = schema.connection if schema.connection is not None else base.connection
    return replace(schema, keyspace=keyspace, connection=connection, cql_cache={})
