"""Schema operations of one model on one driver: ``sync_table()`` and ``drop_table()``."""

from __future__ import annotations

import warnings
from collections.abc import Generator
from typing import TYPE_CHECKING, TypeVar

from coodie.cql import ddl
from coodie.drivers.statement import BatchStatement, ResultPage, Statement
from coodie.exceptions import ConfigurationError, CoodieWarning
from coodie.mapping import schema_drift as drift
from coodie.mapping.index_drift import INDEX_OPTIONS_QUERY, changed_indexes
from coodie.mapping.user_type_sync import plan_types

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
        """The model's keyspace, else the connection's; ConfigurationError when neither is set."""
        keyspace = self.schema.keyspace or self.driver.keyspace
        if keyspace is None:
            raise ConfigurationError(
                f"{self.schema.model_name}: no keyspace. Set Settings.keyspace on the model or "
                "pass keyspace=... to init_coodie()."
            )
        return keyspace

    def sync_table(
        self, *, dry_run: bool = False, drop_removed_indexes: bool = False
    ) -> Operation[list[str]]:
        """CREATE the table, or bring an existing one up to the model: ADD new columns,
        ALTER changed ``Settings.options``, create missing indexes; first create (or ADD
        fields to) the user-defined types the columns use.

        Raises SchemaError when a column's type or the primary key differs from the table.
        An index on the table that the model does not declare is dropped only with
        ``drop_removed_indexes``, else reported with a CoodieWarning. Returns the DDL it
        executed (with ``dry_run``: would execute, sending none), so a second call on an
        unchanged model returns ``[]``.
        """
        schema = self.schema
        where = [self.keyspace(), schema.table]
        # The user-defined types the columns use come first: CREATE TABLE needs them.
        types = yield from plan_types((c.cql_type for c in schema.columns), where[0])
        live = drift.live_columns((yield Statement(drift.COLUMNS_QUERY, where)))
        if not live:
            planned = [ddl.create_table(schema)]
            planned += [ddl.create_index(schema, c) for c in schema.indexed_columns]
        else:
            drift.check_drift(schema, where[0], live)
            planned = [ddl.alter_table_add(schema, c) for c in schema.columns if c.name not in live]
            if schema.option_values:
                rows = drift.page_dicts((yield Statement(drift.OPTIONS_QUERY, where)))
                changed = drift.changed_options(schema.option_values, rows[0] if rows else {})
                if changed:
                    planned.append(ddl.alter_table_options(schema, changed))
            index_page = yield Statement(drift.INDEXES_QUERY, where)
            live_indexes = {row[0] for row in index_page.rows}
            if any(c.index_using == "sai" for c in schema.indexed_columns):
                page = yield Statement(INDEX_OPTIONS_QUERY, where)
                rebuilt = self._rebuilt(changed_indexes(schema, page), drop_removed_indexes)
                planned += [ddl.drop_index_named(schema, n) for n in sorted(rebuilt)]
                live_indexes -= rebuilt
            planned += self._index_changes(live_indexes, drop_removed_indexes)
        planned = types + planned
        if not dry_run:
            for cql in planned:
                yield Statement(cql, prepare=False)
        return planned

    def _index_changes(self, live: set[str], drop_removed: bool) -> list[str]:
        """CREATE INDEX for the declared indexes the table lacks; DROP INDEX (or a warning)
        for the table's indexes the model no longer declares."""
        schema = self.schema
        declared = {schema.index_name(c): c for c in schema.indexed_columns}
        changes = [ddl.create_index(schema, c) for n, c in declared.items() if n not in live]
        removed = sorted(n for n in live if n not in declared)
        drops = [ddl.drop_index_named(schema, n) for n in removed]
        if drop_removed:
            # Drops first: Cassandra refuses a second index on a column under a new name.
            return drops + changes
        if removed:
            warnings.warn(
                f"{schema.model_name}: the table {schema.table} has indexes the model does not "
                f"declare: {', '.join(removed)}. They were kept; sync_table("
                f"drop_removed_indexes=True) drops them ({'; '.join(drops)}).",
                CoodieWarning,
                stacklevel=5,
            )
        return changes

    def _rebuilt(self, changed: dict[str, str], drop_changed: bool) -> set[str]:
        """The SAI indexes to drop and create again (they then count as missing): those
        that differ from the model, with ``drop_removed_indexes``; else a warning."""
        if not changed or drop_changed:
            return set(changed)
        schema = self.schema
        found = "; ".join(f"{name}: {why}" for name, why in sorted(changed.items()))
        warnings.warn(
            f"{schema.model_name}: indexes of {schema.table} differ from the model ({found}). "
            "They were kept; sync_table(drop_removed_indexes=True) drops and rebuilds them.",
            CoodieWarning,
            stacklevel=5,
        )
        return set()

    def drop_table_statement(self) -> Statement:
        """The ``DROP TABLE IF EXISTS`` statement of the model's table."""
        return Statement(ddl.drop_table(self.schema), prepare=False)
