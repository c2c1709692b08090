"""Schema operations a migration's ``upgrade(op)`` / ``downgrade(op)`` calls.

Every name is checked as a CQL identifier and every type as CQL type text before anything is
sent, so a typo in a migration fails with a SchemaError instead of half-applied DDL.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from coodie.cql import ddl
from coodie.cql import user_types as user_type_ddl
from coodie.cql import views as view_ddl
from coodie.drivers.statement import ResultPage, Statement
from coodie.exceptions import SchemaError
from coodie.migrate.coroutines import run_to_end
from coodie.model.identifiers import check_identifier, quote
from coodie.model.kinds import is_view
from coodie.model.schema import cql_literal
from coodie.model.user_types import type_schema, user_types_of
from coodie.model.views import base_of

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from coodie.drivers.base import AbstractDriver
    from coodie.migrate.data import ScanReport
    from coodie.model.schema import TableSchema

__all__ = ["Operations", "in_keyspace"]

#: CQL type text: names, <>, commas and spaces (``map<text, frozen<list<int>>>``).
_CQL_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\s*<[A-Za-z0-9_<>,\s]+>)?")


class Operations:
    """What a migration body gets as ``op``: DDL helpers bound to one keyspace and driver.

    ``executed`` lists the CQL sent, in order; ``op.execute(...)`` runs any other DDL.
    """

    def __init__(self, driver: AbstractDriver, keyspace: str, revision: str = "") -> None:
        self.driver = driver
        self.keyspace = check_identifier(keyspace, "keyspace", "migration")
        self.revision = revision
        self.executed: list[str] = []

    # -- any statement -------------------------------------------------------------------

    def execute(self, cql: str, values: Sequence[Any] = ()) -> ResultPage:
        """Run one statement (values bound to ``?`` markers, never formatted into the text)."""
        self.executed.append(cql)
        return self.driver.execute(Statement(cql, list(values), prepare=bool(values)))

    # -- tables and columns --------------------------------------------------------------

    def create_table(self, model: type) -> None:
        """CREATE the model's table as the model is now, with its indexes."""
        schema = model.coodie_schema()  # type: ignore[attr-defined]
        self.execute(self._in_keyspace(schema, ddl.create_table(schema)))
        for column in schema.indexed_columns:
            self.execute(self._in_keyspace(schema, ddl.create_index(schema, column)))

    def drop_table(self, table: str, *, keyspace: str | None = None) -> None:
        """``DROP TABLE IF EXISTS`` ``table`` (in ``keyspace``, default the migration's)."""
        self.execute(f"DROP TABLE IF EXISTS {self._table(table, keyspace)}")

    def add_column(
        self, table: str, column: str, cql_type: str, *, keyspace: str | None = None
    ) -> None:
        """``ALTER TABLE ... ADD`` column ``column`` of CQL type ``cql_type``."""
        name = quote(check_identifier(column, "column", f"add_column on {table}"))
        self.execute(f"ALTER TABLE {self._table(table, keyspace)} ADD {name} {_type(cql_type)}")

    def drop_column(self, table: str, column: str, *, keyspace: str | None = None) -> None:
        """Drop a column and its data (Cassandra keeps no copy)."""
        name = quote(check_identifier(column, "column", f"drop_column on {table}"))
        self.execute(f"ALTER TABLE {self._table(table, keyspace)} DROP {name}")

    def alter_table_options(
        self, table: str, *, keyspace: str | None = None, **options: Any
    ) -> None:
        """``ALTER TABLE ... WITH name = value AND ...``, values as in ``Settings.options``."""
        if not options:
            raise SchemaError(f"alter_table_options on {table}: name at least one option.")
        where = f"alter_table_options on {table}"
        parts = [
            f"{check_identifier(k, 'option', where)} = {cql_literal(v, where)}"
            for k, v in options.items()
        ]
        self.execute(f"ALTER TABLE {self._table(table, keyspace)} WITH {' AND '.join(parts)}")

    # -- indexes -------------------------------------------------------------------------

    def create_index(
        self, table: str, column: str, name: str | None = None, *, keyspace: str | None = None
    ) -> None:
        """``CREATE INDEX IF NOT EXISTS`` on ``table.column`` (``name`` defaults to
        ``{table}_{column}_idx``)."""
        index = quote(check_identifier(name or f"{table}_{column}_idx", "index", table))
        target = quote(check_identifier(column, "column", f"create_index on {table}"))
        self.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {self._table(table, keyspace)} ({target})"
        )

    def drop_index(self, name: str, *, keyspace: str | None = None) -> None:
        """``DROP INDEX IF EXISTS`` the index ``name``."""
        space = quote(check_identifier(keyspace or self.keyspace, "keyspace", "drop_index"))
        self.execute(f"DROP INDEX IF EXISTS {space}.{quote(check_identifier(name, 'index', name))}")

    # -- user-defined types and materialized views --------------------------------------

    def create_type(self, user_type: type) -> None:
        """CREATE TYPE for a UserType as it is now, the UDTs it nests first."""
        nested = user_types_of(f.cql_type for f in type_schema(user_type).fields)
        for each in [*nested, user_type]:
            self.execute(user_type_ddl.create_type(type_schema(each), self.keyspace))

    def add_type_field(self, user_type: type, field: str) -> None:
        """``ALTER TYPE ... ADD`` one field the UserType declares (CQL cannot change or drop
        a field of a type: add a new one instead)."""
        schema = type_schema(user_type)
        found = next((f for f in schema.fields if f.name == field), None)
        if found is None:
            raise SchemaError(
                f"add_type_field: {user_type.__name__} has no field {field!r}; declare it in "
                "the UserType first (known: " + ", ".join(f.name for f in schema.fields) + ")."
            )
        self.execute(user_type_ddl.alter_type_add(schema, self.keyspace, found))

    def drop_type(self, user_type: type) -> None:
        """``DROP TYPE IF EXISTS`` for the user type class ``user_type``."""
        self.execute(user_type_ddl.drop_type(type_schema(user_type), self.keyspace))

    def create_view(self, view: type) -> None:
        """CREATE MATERIALIZED VIEW for a MaterializedView as it is now (its base must exist)."""
        schema = self._view(view)
        base = self._placed(base_of(view).coodie_schema())  # type: ignore[attr-defined]
        self.execute(view_ddl.create_view(schema, base))

    def drop_view(self, view: type) -> None:
        """``DROP MATERIALIZED VIEW IF EXISTS`` for the view class ``view``."""
        self.execute(view_ddl.drop_view(self._view(view)))

    # -- data ----------------------------------------------------------------------------

    def scan(self, source: type | str, fn: Callable[..., Any], **options: Any) -> ScanReport:
        """A resumable token-range scan (:func:`coodie.migrate.data.scan_async`) whose job
        is this migration's revision, so a crashed upgrade resumes where it stopped."""
        return run_to_end(self.scan_async(source, fn, **options))

    async def scan_async(
        self, source: type | str, fn: Callable[..., Any], **options: Any
    ) -> ScanReport:
        """The asyncio form of ``scan``: a resumable token-range scan whose job is this migration's
        revision."""
        from coodie.migrate.data import scan_async

        options.setdefault("job", self.revision or "scan")
        options.setdefault("keyspace", self.keyspace)
        return await scan_async(self.driver, source, fn, **options)

    # -- helpers -------------------------------------------------------------------------

    def _table(self, table: str, keyspace: str | None) -> str:
        space = check_identifier(keyspace or self.keyspace, "keyspace", f"table {table}")
        return f"{quote(space)}.{quote(check_identifier(table, 'table', 'migration'))}"

    def _in_keyspace(self, schema: Any, cql: str) -> str:
        return in_keyspace(schema, cql, self.keyspace)

    def _placed(self, schema: TableSchema) -> TableSchema:
        """``schema`` in the migration's keyspace unless its model names one."""
        return schema if schema.keyspace is not None else replace(schema, keyspace=self.keyspace)

    def _view(self, view: type) -> TableSchema:
        if not is_view(view):
            raise SchemaError(f"{view.__name__} is not a MaterializedView.")
        return self._placed(view.coodie_schema())  # type: ignore[attr-defined]


def in_keyspace(schema: Any, cql: str, keyspace: str) -> str:
    """DDL of a model without ``Settings.keyspace`` names its table bare: qualify its first
    mention (the table name comes before any column) with ``keyspace``."""
    if schema.keyspace is not None:
        return cql
    bare = f" {quote(schema.table)} "
    return cql.replace(bare, f" {quote(keyspace)}.{quote(schema.table)} ", 1)


def _type(cql_type: str) -> str:
    if not isinstance(cql_type, str) or not _CQL_TYPE.fullmatch(cql_type.strip()):
        raise SchemaError(
            f"{cql_type!r} is not CQL type text. Write it as CQL does, e.g. 'int', "
            "'list<text>' or 'map<text, int>'."
        )
    return cql_type.strip()
