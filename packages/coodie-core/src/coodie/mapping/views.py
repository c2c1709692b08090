"""Materialized views on one driver: ``sync_view()`` / ``drop_view()`` and the refusal of
every write (no I/O)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, NoReturn

from coodie.cql import views as view_ddl
from coodie.drivers.statement import Statement
from coodie.exceptions import SchemaError, ViewWriteError
from coodie.mapping import schema_drift as drift
from coodie.model.views import base_of

if TYPE_CHECKING:
    from coodie.mapping.tables import Operation, Tables
    from coodie.model.schema import TableSchema

__all__ = ["ReadOnly", "ViewTables"]


class ReadOnly:
    """Stands in for a view's write and update parts: whatever write is asked for (a
    document's save/insert/update/delete, ``insert_many``, a batch, ``QuerySet.update`` or
    ``delete``), the first step raises ViewWriteError, so nothing is sent."""

    __slots__ = ("base", "view")

    def __init__(self, view: str, base: str) -> None:
        self.view = view
        self.base = base

    def __getattr__(self, name: str) -> NoReturn:
        raise ViewWriteError(
            f"{self.view} is a materialized view of {self.base}: views are read-only, Cassandra "
            f"updates them from the base table. Write {self.base} instead."
        )


class ViewTables:
    """CREATE / DROP of one view, checked against the base table and a view already there."""

    __slots__ = ("base", "tables")

    def __init__(self, tables: Tables, model: type) -> None:
        self.tables = tables
        self.base: TableSchema = base_of(model).coodie_schema()  # type: ignore[attr-defined]

    def sync_view(self, *, dry_run: bool = False) -> Operation[list[str]]:
        """CREATE the view when it does not exist (returns its DDL; ``dry_run``: sends none).
        An existing view is checked: a changed key or column type, or a column the view
        lacks, is a SchemaError (a view cannot be altered: drop_view() and sync again)."""
        view = self.tables.schema
        keyspace = self.tables.keyspace()
        base = self.base
        page = yield Statement(drift.COLUMNS_QUERY, [keyspace, base.table])
        if not drift.live_columns(page):
            raise SchemaError(
                f"{view.model_name}: its base table {keyspace}.{base.table} does not exist; "
                f"run {base.model_name}.sync_table() before sync_view()."
            )
        live = drift.live_columns((yield Statement(drift.COLUMNS_QUERY, [keyspace, view.table])))
        if live:
            drift.check_drift(view, keyspace, live)
            missing = [c.name for c in view.columns if c.name not in live]
            if missing:
                raise SchemaError(
                    f"{view.model_name}: the existing view {keyspace}.{view.table} lacks the "
                    f"columns {', '.join(missing)}; a view cannot be altered: drop_view() and "
                    "sync_view() again."
                )
            return []
        if base.keyspace is None:  # qualified like the view, with the connection's keyspace
            base = replace(base, keyspace=keyspace, cql_cache={})
        planned = [view_ddl.create_view(view, base)]
        if not dry_run:
            for cql in planned:
                yield Statement(cql, prepare=False)
        return planned

    def drop_view_statement(self) -> Statement:
        """The ``DROP MATERIALIZED VIEW IF EXISTS`` statement of the view."""
        return Statement(view_ddl.drop_view(self.tables.schema), prepare=False)
