"""Per-(model, driver) compiled state and every operation's statements and outcomes.

A :class:`Mapper` is built once per model class and connection. It owns the column codecs
and row hydrators for that driver and turns documents and query states into
:class:`~coodie.statement.Statement` objects (CQL text cached per statement shape on the
schema). It never performs I/O: ``coodie.sync`` and ``coodie.aio`` only decide how the
driver is called, so each operation's logic exists exactly once, here.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from coodie.codecs import build_decoder, build_encoder, inline_decoder
from coodie.compiled import (
    Hydrators,
    compile_hydrator,
    compile_key_values,
    compile_lookup_values,
    compile_row_reader,
    compile_row_values,
    compile_save_statement,
)
from coodie.connections import DEFAULT
from coodie.cql import ddl, dml, select
from coodie.cql.conditions import split_key
from coodie.exceptions import (
    ConditionalWriteFailed,
    ConfigurationError,
    DocumentNotFound,
    InvalidQueryError,
    MultipleDocumentsFound,
    SchemaError,
)
from coodie.hydration import SLOT_SETTERS, field_default, private_defaults, private_values
from coodie.query import (
    QueryState,
    RowForm,
    add_filters,
    check_delete,
    check_distinct,
    check_select,
    checked_value,
    checker_for,
    exact_class,
    unknown_column,
    update_key,
)
from coodie.statement import BatchStatement, ResultPage, Statement, bound
from coodie.update_plans import UpdatePlan, UpdatePlanner
from coodie.write_options import check_timestamp, check_ttl

if TYPE_CHECKING:
    from pydantic import BaseModel

    from coodie.drivers.base import AbstractDriver, Encoder
    from coodie.schema import ColumnDefinition, TableSchema
    from coodie.types import CqlType

__all__ = ["Mapper", "Operation", "UpdatePlan", "Write"]

D = TypeVar("D", bound="BaseModel")
R = TypeVar("R")
#: A multi-statement operation: yields statements, receives their result pages, returns R.
Operation = Generator[Statement | BatchStatement, ResultPage, R]

_APPLIED = "[applied]"
_IF_OPERATORS = ("eq", "gt", "gte", "lt", "lte", "in")


class Write(NamedTuple):
    """A write statement plus what to do once it ran: mirror ``changes`` on the document,
    after checking the LWT outcome when ``conditional``."""

    statement: Statement
    changes: Mapping[str, Any]
    conditional: bool
    action: str


_NO_CHANGES: Mapping[str, Any] = MappingProxyType({})
# Write(...) runs a Python-level __new__; building the tuple directly skips that frame.
_new_write = partial(tuple.__new__, Write)


class Mapper(Generic[D]):
    """Compiled codecs, hydrators and statement factories of one model on one driver."""

    def __init__(self, model: type[D], schema: TableSchema, driver: AbstractDriver) -> None:
        if schema.keyspace is None and driver.keyspace is not None:
            # Qualify table names with the connection's keyspace: prepared statements that
            # rely on the session's USE keyspace are an anti-pattern Cassandra warns about.
            schema = replace(schema, keyspace=driver.keyspace, cql_cache={})
        self.model = model
        self.schema = schema
        self.driver = driver
        self.connection = schema.connection or DEFAULT
        self.name = schema.model_name
        self.unset = driver.unset_value
        self.names = schema.column_names
        self.key_names = tuple(c.name for c in schema.primary_key)
        self.encoders: dict[str, Encoder] = {}
        self.decoders: dict[str, Callable[[Any], Any]] = {}
        for column in schema.columns:
            encoder = build_encoder(column.cql_type, driver)
            if encoder is not None:
                self.encoders[column.name] = encoder
            decoder = build_decoder(column.cql_type, driver)
            if decoder is not None:
                self.decoders[column.name] = decoder
        self._lookup_values = compile_lookup_values(
            [
                (c.name, checker_for(schema, c, "eq"), self.encoders.get(c.name), exact_class(c))
                for c in schema.primary_key
            ]
        )
        self._key_values = compile_key_values(self.key_names, self.encoders, self._missing_key)
        # Every column of a document in table order, None replaced by the unset marker.
        self._row_values = (
            self._no_insert
            if schema.is_counter_table
            else compile_row_values(
                self.names, self.key_names, self.encoders, self.unset, self._missing_key
            )
        )
        self._hydrators: dict[tuple[str, ...], Hydrators] = {}
        self._readers: dict[tuple[tuple[str, ...], RowForm], Hydrators] = {}
        self._private_defaults = private_defaults(model)
        self.cql_save = self._cql(("insert", False, False, False), self._insert_cql)
        #: ``(doc, ttl, timestamp) -> Statement``: the INSERT of every column of ``doc``.
        self.save_statement: Callable[[D, int | None, Any], Statement] = (
            self._no_save
            if schema.is_counter_table
            else compile_save_statement(
                self.names,
                self.key_names,
                self.encoders,
                self.unset,
                self._missing_key,
                self.cql_save,
                bound,
                self._save_with_options,
            )
        )
        self.cql_delete = self._cql(("delete", (), False, False, ()), lambda: dml.delete(schema))
        self._updates = UpdatePlanner(
            schema,
            self.encoders,
            self._key_values,
            self._writable,
            self._element_encoder,
            self._cql,
        )
        self._update_plans = self._updates.plans  # read directly on the hot path
        self._element_encoders: dict[tuple[CqlType, str], Encoder | None] = {}
        self.cql_get = self._cql(
            ("get",), lambda: select.select(schema, [(n, "eq") for n in self.key_names])
        )

    # -- CQL text cache ----------------------------------------------------------------

    def _cql(self, shape: tuple[Any, ...], build: Callable[[], str]) -> str:
        cache = self.schema.cql_cache
        cql = cache.get(shape)
        if cql is None:
            cql = cache[shape] = build()
        return cql

    def _insert_cql(self, if_not_exists: bool = False, ttl: bool = False, ts: bool = False) -> str:
        return dml.insert(
            self.schema, self.names, if_not_exists=if_not_exists, ttl=ttl, timestamp=ts
        )

    # -- values ------------------------------------------------------------------------

    def encode(self, name: str, value: Any) -> Any:
        encoder = self.encoders.get(name)
        return value if encoder is None or value is None else encoder(value)

    def _missing_key(self, name: str) -> None:
        raise InvalidQueryError(
            f"{self.name}: primary key column {name!r} is None; set every primary key "
            f"field ({', '.join(self.key_names)}) before writing or deleting."
        )

    def key_values(self, doc: D) -> list[Any]:
        """The primary key of ``doc``, encoded, in key order."""
        return self._key_values(doc.__dict__)

    def _no_insert(self, data: dict[str, Any]) -> list[Any]:
        raise InvalidQueryError(
            f"{self.name} is a counter table: Cassandra cannot INSERT into it. Use "
            "increment(...) to change counters."
        )

    # -- writes ------------------------------------------------------------------------

    def _save_with_options(self, values: list[Any], ttl: Any, timestamp: Any) -> Statement:
        return self._insert_with_options(values, ttl, timestamp, if_not_exists=False)

    def _no_save(self, doc: D, ttl: Any, timestamp: Any) -> Statement:
        return self._no_insert(doc.__dict__)  # type: ignore[return-value]

    def insert_write(self, doc: D, ttl: int | None, timestamp: Any) -> Write:
        statement = self._insert_with_options(
            self._row_values(doc.__dict__), ttl, timestamp, if_not_exists=True
        )
        return Write(statement, {}, True, "insert")

    def _insert_with_options(
        self, values: list[Any], ttl: Any, timestamp: Any, *, if_not_exists: bool
    ) -> Statement:
        has_ttl, has_ts = ttl is not None, timestamp is not None
        if has_ttl:
            values.append(check_ttl(ttl, self.name))
        if has_ts:
            values.append(check_timestamp(timestamp, self.name))
        shape = ("insert", if_not_exists, has_ttl, has_ts)
        cql = self._cql(shape, lambda: self._insert_cql(if_not_exists, has_ttl, has_ts))
        return Statement(cql, values, idempotent=not if_not_exists)

    def update_write(
        self,
        doc: D,
        values: Mapping[str, Any] | None,
        fields: dict[str, Any],
        ttl: Any = None,
        timestamp: Any = None,
        if_conditions: Mapping[str, Any] | None = None,
        if_exists: bool = False,
    ) -> Write:
        """UPDATE of the columns in ``values`` and ``fields`` (keywords win); the Write's
        ``changes`` hold the checked new values. Arguments are positional: hot path."""
        changes = fields if values is None else {**values, **fields}
        return self._update_row(doc.__dict__, changes, ttl, timestamp, if_conditions, if_exists)

    def query_update_write(
        self,
        state: QueryState,
        values: Mapping[str, Any] | None,
        fields: dict[str, Any],
        ttl: Any = None,
        timestamp: Any = None,
        if_conditions: Mapping[str, Any] | None = None,
        if_exists: bool = False,
    ) -> Write:
        """UPDATE of the one row a query's filters name by its whole primary key, without
        reading it (``QuerySet.update``); the Write's changes are not mirrored anywhere."""
        key = update_key(self.schema, state)
        changes = fields if values is None else {**values, **fields}
        return self._update_row(key, changes, ttl, timestamp, if_conditions, if_exists)

    def _update_row(
        self,
        data: dict[str, Any],
        changes: Mapping[str, Any],
        ttl: Any,
        timestamp: Any,
        if_conditions: Mapping[str, Any] | None,
        if_exists: bool,
    ) -> Write:
        """The UPDATE of ``changes`` on the row whose key is in ``data`` (a document's fields,
        or the key of a query)."""
        names = tuple(changes)
        plan = self._update_plans.get(names) or self._updates.build(names)
        encoded, checked = plan.values(changes, data)
        if ttl is None and timestamp is None and not if_conditions and not if_exists:
            statement = bound(plan.cql, encoded, plan.idempotent, True)
            return _new_write((statement, checked, False, "update"))
        return self._update_with_options(
            plan, encoded, checked, ttl, timestamp, if_conditions, if_exists
        )

    def plain_update(
        self,
        doc: D,
        values: Mapping[str, Any] | None,
        fields: dict[str, Any],
        ttl: Any,
        timestamp: Any,
        if_conditions: Mapping[str, Any] | None,
        if_exists: bool,
    ) -> tuple[Statement, dict[str, Any]] | None:
        """``update()``'s common case: with no option set, the UPDATE and the checked values
        to mirror on ``doc`` once it ran (:meth:`apply_changes`); else ``None``, and the
        caller takes :meth:`update_write` (whose outcome needs checking)."""
        if (
            values is not None
            or ttl is not None
            or timestamp is not None
            or if_conditions
            or if_exists
        ):
            return None
        names = tuple(fields)
        plan = self._update_plans.get(names) or self._updates.build(names)
        encoded, checked = plan.values(fields, doc.__dict__)
        return bound(plan.cql, encoded, plan.idempotent, True), checked

    def _update_with_options(
        self,
        plan: UpdatePlan,
        encoded: list[Any],
        checked: dict[str, Any],
        ttl: Any,
        timestamp: Any,
        if_conditions: Mapping[str, Any] | None,
        if_exists: bool,
    ) -> Write:
        assignments = plan.assignments
        bound_values: list[Any] = []
        if ttl is not None:
            bound_values.append(check_ttl(ttl, self.name))
        if timestamp is not None:
            bound_values.append(check_timestamp(timestamp, self.name))
        bound_values += encoded
        conditions = self._if_conditions(if_conditions, if_exists)
        bound_values.extend(v for _, _, v in conditions)
        shape = (
            "update",
            assignments,
            ttl is not None,
            timestamp is not None,
            if_exists,
            tuple((n, op) for n, op, _ in conditions),
        )
        cql = self._cql(
            shape,
            lambda: dml.update(
                self.schema,
                assignments,
                ttl=ttl is not None,
                timestamp=timestamp is not None,
                if_exists=if_exists,
                if_conditions=[(n, op) for n, op, _ in conditions],
            ),
        )
        lwt = bool(conditions) or if_exists
        statement = Statement(cql, bound_values, idempotent=plan.idempotent and not lwt)
        return Write(statement, checked, lwt, "update")

    def increment_write(self, doc: D, deltas: Mapping[str, Any]) -> Write:
        if not deltas:
            raise InvalidQueryError(f"{self.name}: increment() needs at least one counter=delta.")
        for name, delta in deltas.items():
            column = self._writable(name, "increment")
            if not column.is_counter:
                raise InvalidQueryError(
                    f"{self.name}.{name} is not a counter column; use update({name}=...)."
                )
            if type(delta) is not int:
                raise InvalidQueryError(
                    f"{self.name}.{name}: increment by {delta!r} must be an int (negative to "
                    "decrement)."
                )
        ordered = sorted(deltas, key=lambda n: self.schema.by_name[n].position)
        cql = self._cql(
            ("increment", tuple(ordered)),
            lambda: dml.update(self.schema, [(n, "add") for n in ordered]),
        )
        statement = Statement(cql, [*(deltas[n] for n in ordered), *self.key_values(doc)])
        data = doc.__dict__
        changes = {name: (data.get(name) or 0) + deltas[name] for name in ordered}
        return Write(statement, changes, False, "increment")

    def plain_delete(
        self, doc: D, timestamp: Any, if_exists: bool, if_conditions: Mapping[str, Any] | None
    ) -> Statement | None:
        """``delete()``'s common case: with no option set, the DELETE of ``doc``'s row
        (nothing to check or mirror after it); else ``None``, see :meth:`delete_write`."""
        if timestamp is not None or if_exists or if_conditions:
            return None
        return bound(self.cql_delete, self._key_values(doc.__dict__), True, True)

    def delete_write(
        self,
        doc: D,
        columns: Sequence[str] = (),
        timestamp: Any = None,
        if_exists: bool = False,
        if_conditions: Mapping[str, Any] | None = None,
    ) -> Write:
        """DELETE of the row, or of some of its ``columns``."""
        if not columns:
            plain = self.plain_delete(doc, timestamp, if_exists, if_conditions)
            if plain is not None:
                return _new_write((plain, _NO_CHANGES, False, "delete"))
        for name in columns:
            column = self._writable(name, "delete_columns")
            if column.is_counter:
                raise InvalidQueryError(
                    f"{self.name}.{name}: counter columns cannot be deleted one by one; delete "
                    "the row instead."
                )
        values: list[Any] = []
        if timestamp is not None:
            values.append(check_timestamp(timestamp, self.name))
        values.extend(self.key_values(doc))
        conditions = self._if_conditions(if_conditions, if_exists)
        values.extend(v for _, _, v in conditions)
        shape = (
            "delete",
            tuple(columns),
            timestamp is not None,
            if_exists,
            tuple((n, op) for n, op, _ in conditions),
        )
        cql = self._cql(
            shape,
            lambda: dml.delete(
                self.schema,
                columns=columns,
                timestamp=timestamp is not None,
                if_exists=if_exists,
                if_conditions=[(n, op) for n, op, _ in conditions],
            ),
        )
        lwt = bool(conditions) or if_exists
        statement = Statement(cql, values, idempotent=not lwt)
        action = "delete_columns" if columns else "delete"
        return Write(statement, self.cleared_values(columns), lwt, action)

    def _writable(self, name: str, action: str) -> ColumnDefinition:
        column = self.schema.by_name.get(name)
        if column is None:
            raise unknown_column(self.schema, name, "field")
        if column.is_primary_key:
            raise InvalidQueryError(
                f"{self.name}.{name} is part of the primary key and cannot be changed by "
                f"{action}(); delete the row and save a new one."
            )
        return column

    def _if_conditions(
        self, if_conditions: Mapping[str, Any] | None, if_exists: bool
    ) -> list[tuple[str, str, Any]]:
        if not if_conditions:
            return []
        if if_exists:
            raise InvalidQueryError(
                f"{self.name}: use either if_exists=True or if_conditions, not both."
            )
        out: list[tuple[str, str, Any]] = []
        for key, value in if_conditions.items():
            name, op = split_key(key, self.schema.by_name)
            column = self.schema.by_name.get(name)
            if column is None:
                raise unknown_column(self.schema, name)
            if op not in _IF_OPERATORS:
                raise InvalidQueryError(
                    f"{self.name}: operator __{op} cannot be used in if_conditions; use =, "
                    "__gt, __gte, __lt, __lte or __in."
                )
            if column.is_primary_key:
                raise InvalidQueryError(
                    f"{self.name}.{name} is a primary key column; conditions (IF) apply to "
                    "other columns. The key already selects the row."
                )
            if value is None and op == "eq":
                out.append((name, op, None))
                continue
            # Same value checks as filters: __in needs a non-empty list of valid values.
            checked = checked_value(self.schema, column, op, value)
            if op == "in":
                out.append((name, op, [self.encode(name, v) for v in checked]))
            else:
                out.append((name, op, self.encode(name, checked)))
        return out

    def check_applied(self, page: ResultPage, action: str) -> None:
        """Raise ConditionalWriteFailed if a lightweight transaction was not applied."""
        if not page.rows:
            raise ConditionalWriteFailed(
                f"{self.name}: {action} was not applied (the driver returned no [applied] row).",
                {},
            )
        row = page.rows[0]
        if page.columns and page.columns[0] == _APPLIED:
            if row[0]:
                return
            columns, values = page.columns[1:], row[1:]
        elif row and row[0] is True:
            return
        else:
            columns, values = page.columns, row
        raw = {
            name: value
            for name, value in zip(columns, values, strict=False)
            if name in self.schema.by_name
        }
        existing = {
            name: self.decoders[name](value) if name in self.decoders else value
            for name, value in raw.items()
        }
        document = None
        if all(name in raw for name in self.names):
            # Hydrate from the driver's values: decoders must run exactly once per value.
            document = self.hydrate(ResultPage(tuple(raw), [tuple(raw.values())]))[0]
        shown = ", ".join(f"{k}={v!r}" for k, v in existing.items()) or "no row"
        raise ConditionalWriteFailed(
            f"{self.name}: {action} was not applied; the row in the database has: {shown}.",
            existing,
            document,
        )

    def apply_changes(self, doc: D, changes: Mapping[str, Any]) -> None:
        """Mirror a successful write on the in-memory document."""
        doc.__dict__.update(changes)
        doc.__pydantic_fields_set__.update(changes)

    def finish(self, doc: D, page: ResultPage, write: Write) -> None:
        """After ``write`` ran: check its LWT outcome, then mirror it on ``doc``."""
        if write.conditional:
            self.check_applied(page, write.action)
        if write.changes:
            self.apply_changes(doc, write.changes)

    def cleared_values(self, columns: Iterable[str]) -> dict[str, Any]:
        """What deleted columns read back as: empty collections, else None."""
        out: dict[str, Any] = {}
        for name in columns:
            decoder = self.decoders.get(name)
            out[name] = decoder(None) if decoder is not None else None
        return out

    # -- reads -------------------------------------------------------------------------

    def get_statement(self, filters: Mapping[str, Any]) -> Statement:
        """Statement for ``get(**filters)``: a prepared key lookup when ``filters`` is exactly
        the primary key, else a validated query limited to 2 rows (to detect duplicates)."""
        if len(filters) == len(self.key_names):
            try:
                values = self._lookup_values(filters)
            except KeyError:
                pass
            else:
                return bound(self.cql_get, values, True, True)
        state = add_filters(self.schema, QueryState(limit=2), filters)
        return self.select_statement(state)

    def select_statement(self, state: QueryState, paging_state: bytes | None = None) -> Statement:
        check_select(self.schema, state)
        if state.distinct:
            check_distinct(self.schema, state)
        conditions = state.conditions()
        shape = (
            "select",
            state.distinct,
            state.columns,
            conditions,
            state.token_start is not None,
            state.token_end is not None,
            state.order_by,
            state.per_partition_limit is not None,
            state.limit is not None,
            state.allow_filtering,
        )
        cql = self._cql(
            shape,
            lambda: select.select(
                self.schema,
                conditions,
                columns=state.columns,
                distinct=state.distinct,
                token_start=state.token_start is not None,
                token_end=state.token_end is not None,
                order_by=state.order_by,
                per_partition_limit=state.per_partition_limit is not None,
                limit=state.limit is not None,
                allow_filtering=state.allow_filtering,
            ),
        )
        values = self._where_values(state)
        if state.per_partition_limit is not None:
            values.append(state.per_partition_limit)
        if state.limit is not None:
            values.append(state.limit)
        return Statement(
            cql,
            values,
            fetch_size=state.fetch_size,
            paging_state=paging_state,
            consistency=state.consistency,
            timeout=state.timeout,
            idempotent=True,
        )

    def _where_values(self, state: QueryState) -> list[Any]:
        values: list[Any] = []
        cql_types = self.schema.by_name
        for name, op, value in state.filters:
            if op == "in":
                values.append([self.encode(name, v) for v in value])
            elif op in ("contains", "contains_key"):
                encoder = self._element_encoder(cql_types[name].cql_type, op)
                values.append(value if encoder is None else encoder(value))
            else:
                values.append(self.encode(name, value))
        if state.token_start is not None:
            values.append(state.token_start)
        if state.token_end is not None:
            values.append(state.token_end)
        return values

    def _element_encoder(self, t: CqlType, op: str) -> Encoder | None:
        """Encoder of what CONTAINS (element or map value) / CONTAINS KEY compares, built once."""
        key = (t, op)
        if key not in self._element_encoders:
            element = t.params[0] if op == "contains_key" or t.name != "map" else t.params[1]
            self._element_encoders[key] = build_encoder(element, self.driver)
        return self._element_encoders[key]

    def count_statement(self, state: QueryState) -> Statement:
        if state.distinct:
            raise InvalidQueryError(
                f"{self.name}: count() of a distinct() query is not something Cassandra can "
                "answer; count the partitions while iterating, e.g. sum(1 for _ in query)."
            )
        check_select(self.schema, state, for_count=True)
        conditions = state.conditions()
        shape = (
            "count",
            conditions,
            state.token_start is not None,
            state.token_end is not None,
            state.allow_filtering,
        )
        cql = self._cql(
            shape,
            lambda: select.count(
                self.schema,
                conditions,
                token_start=state.token_start is not None,
                token_end=state.token_end is not None,
                allow_filtering=state.allow_filtering,
            ),
        )
        return Statement(
            cql,
            self._where_values(state),
            consistency=state.consistency,
            timeout=state.timeout,
            idempotent=True,
        )

    @staticmethod
    def count_result(page: ResultPage, limit: int | None) -> int:
        total = int(page.rows[0][0]) if page.rows else 0
        return total if limit is None else min(total, limit)

    def delete_query_statement(self, state: QueryState) -> Statement:
        check_delete(self.schema, state)
        conditions = state.conditions()
        cql = self._cql(
            ("delete_where", conditions),
            lambda: dml.delete(self.schema, where=conditions),
        )
        return Statement(
            cql,
            self._where_values(state),
            consistency=state.consistency,
            timeout=state.timeout,
            idempotent=True,
        )

    def refresh_statement(self, doc: D) -> Statement:
        """The SELECT of ``doc``'s row by its primary key (``refresh()``)."""
        return bound(self.cql_get, self._key_values(doc.__dict__), True, True)

    def refresh(self, doc: D, page: ResultPage) -> None:
        """Replace ``doc``'s field values by the row just read; DocumentNotFound if it is gone."""
        data = doc.__dict__
        fresh = self.one(page, {name: data[name] for name in self.key_names})
        data.update(fresh.__dict__)
        doc.__pydantic_fields_set__.update(fresh.__pydantic_fields_set__)

    def one(self, page: ResultPage, filters: Mapping[str, Any]) -> D:
        """The single document of a ``get()``; raises DocumentNotFound / MultipleDocumentsFound."""
        rows = page.rows
        if len(rows) == 1:
            return self._hydrators_for(page.columns).one(rows[0])  # type: ignore[no-any-return]
        docs = self.hydrate(page)
        if len(docs) == 1:
            return docs[0]
        shown = ", ".join(f"{k}={v!r}" for k, v in filters.items())
        if not docs:
            raise DocumentNotFound(f"No {self.name} matches {shown or 'the query'}.")
        raise MultipleDocumentsFound(
            f"More than one {self.name} matches {shown}; filter on the full primary key "
            f"({', '.join(self.key_names)}) or use find(...).all()."
        )

    # -- hydration ---------------------------------------------------------------------

    def hydrate(self, page: ResultPage) -> list[D]:
        """Rows of ``page`` as model instances, without re-validating them."""
        return self._hydrators_for(page.columns).to_list(page.rows)

    def readers(self, columns: tuple[str, ...], form: RowForm) -> Hydrators:
        """The generated converters of a result with ``columns`` into rows of ``form``."""
        if form == "document":
            return self._hydrators_for(columns)
        key = (columns, form)
        readers = self._readers.get(key)
        if readers is None:
            self._check_result_columns(columns)
            readers = self._readers[key] = compile_row_reader(
                columns,
                {n: self.decoders[n] for n in columns if n in self.decoders},
                self._inline_decoders(columns),
                form,
            )
        return readers

    def _hydrators_for(self, columns: tuple[str, ...]) -> Hydrators:
        hydrators = self._hydrators.get(columns)
        if hydrators is None:
            hydrators = self._hydrators[columns] = self._compile_hydrator(columns)
        return hydrators

    def _check_result_columns(self, columns: tuple[str, ...]) -> None:
        unknown = [c for c in columns if c not in self.schema.by_name]
        if unknown:
            raise SchemaError(
                f"{self.name}: the result has columns {unknown} that the model does not declare."
            )

    def _inline_decoders(self, names: Sequence[str]) -> dict[str, str]:
        return {
            n: expr
            for n in names
            if (expr := inline_decoder(self.schema.by_name[n].cql_type, self.driver))
        }

    def _compile_hydrator(self, columns: tuple[str, ...]) -> Hydrators:
        self._check_result_columns(columns)
        names = tuple(columns)
        defaults = [
            (name, partial(field_default, field))
            for name, field in self.model.model_fields.items()
            if name not in names and not field.is_required()
        ]
        private = self._private_defaults
        return compile_hydrator(
            self.model,
            names,
            {n: self.decoders[n] for n in names if n in self.decoders},
            self._inline_decoders(names),
            defaults,
            None if private is None else partial(private_values, private),
            SLOT_SETTERS,
        )

    # -- schema ------------------------------------------------------------------------

    def keyspace(self) -> str:
        keyspace = self.schema.keyspace or self.driver.keyspace
        if keyspace is None:
            raise ConfigurationError(
                f"{self.name}: no keyspace. Set Settings.keyspace on the model or pass "
                "keyspace=... to init_coodie()."
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
                    f"{self.name}: the existing table {schema.table} lacks primary key "
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
