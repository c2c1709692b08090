"""DDL of materialized views."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coodie.model.schema import TableSchema

__all__ = ["create_view", "drop_view"]


def create_view(view: TableSchema, base: TableSchema) -> str:
    """``CREATE MATERIALIZED VIEW IF NOT EXISTS``: the view's columns selected from the base,
    ``IS NOT NULL`` on every view key column (CQL requires it), the view's key and order."""
    columns = ", ".join(c.quoted for c in view.columns)
    not_null = " AND ".join(f"{c.quoted} IS NOT NULL" for c in view.primary_key)
    partition = ", ".join(c.quoted for c in view.partition_keys)
    if len(view.partition_keys) > 1:
        partition = f"({partition})"
    key = ", ".join([partition, *(c.quoted for c in view.clustering_keys)])
    cql = (
        f"CREATE MATERIALIZED VIEW IF NOT EXISTS {view.qualified_table} AS SELECT {columns} "
        f"FROM {base.qualified_table} WHERE {not_null} PRIMARY KEY ({key})"
    )
    options = []
    if view.clustering_keys:
        order = ", ".join(f"{c.quoted} {c.clustering_order}" for c in view.clustering_keys)
        options.append(f"CLUSTERING ORDER BY ({order})")
    options.extend(f"{name} = {value}" for name, value in view.table_options)
    if options:
        cql += " WITH " + " AND ".join(options)
    return cql


def drop_view(view: TableSchema) -> str:
    """``DROP MATERIALIZED VIEW IF EXISTS`` for ``view``."""
    return f"DROP MATERIALIZED VIEW IF EXISTS {view.qualified_table}"
