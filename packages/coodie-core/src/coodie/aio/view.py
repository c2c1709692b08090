"""Materialized views: read like a Document, never written."""

from __future__ import annotations

from typing import ClassVar

from coodie.aio.document import Document
from coodie.api.document import mapper_of
from coodie.api.runner import run_async
from coodie.exceptions import SchemaError
from coodie.mapping.views import ViewTables

__all__ = ["MaterializedView"]


class MaterializedView(Document):
    """A materialized view of a base Document, which Cassandra keeps up to date.

    Declare ``class Settings: base = Product`` (and optionally ``name``), a subset of the
    base's fields with the same types, and the view's primary key with ``PrimaryKey()`` /
    ``ClusteringKey()``: every key column of the base plus at most one other column. Read it
    with ``find()`` / ``get()`` / ``count()`` like any Document; every write raises
    ViewWriteError before anything is sent. The view is eventually consistent with its base.
    """

    __coodie_abstract__: ClassVar[bool] = True
    __coodie_view__: ClassVar[bool] = True

    @classmethod
    async def sync_view(cls, *, dry_run: bool = False) -> list[str]:
        """CREATE the view if it does not exist (the base table must); returns the DDL that
        ran. An existing view that differs from the class is a SchemaError."""
        mapper = mapper_of(cls)
        operation = ViewTables(mapper.tables, cls).sync_view(dry_run=dry_run)
        return await run_async(mapper.driver, operation)

    @classmethod
    async def drop_view(cls) -> None:
        """DROP MATERIALIZED VIEW IF EXISTS for this view."""
        mapper = mapper_of(cls)
        await mapper.driver.execute_async(ViewTables(mapper.tables, cls).drop_view_statement())

    @classmethod
    async def sync_table(
        cls, *, dry_run: bool = False, drop_removed_indexes: bool = False
    ) -> list[str]:
        """Refused: a view is created by :meth:`sync_view`."""
        raise SchemaError(
            f"{cls.__name__} is a materialized view: use sync_view(), not sync_table()."
        )

    @classmethod
    async def drop_table(cls) -> None:
        """Refused: a view is dropped by :meth:`drop_view`."""
        raise SchemaError(
            f"{cls.__name__} is a materialized view: use drop_view(), not drop_table()."
        )
