"""Writes of one model on one driver: INSERT, counter increments and DELETEs, with their
:class:`Write` outcome (no I/O). UPDATEs are in :mod:`coodie.mapping.updates`."""

from __future__ import annotations

from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from coodie.drivers.statement import ResultPage, Statement, bound
from coodie.exceptions import InvalidQueryError
from coodie.mapping.compiled_writes import compile_save_statement
from coodie.mapping.shapes import DeleteShape, InsertShape, UpdateShape, cql_text
from coodie.mapping.update_plans import writable_column
from coodie.query.checks import check_delete
from coodie.query.write_options import check_timestamp, check_ttl, request_options

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from coodie.mapping.conditions import Conditions
    from coodie.mapping.values import ColumnValues
    from coodie.query.state import QueryState

__all__ = ["Write", "Writes"]


class Write(NamedTuple):
    """A write statement plus what to do once it ran: mirror ``changes`` on the document,
    after checking the LWT outcome when ``conditional``."""

    statement: Statement
    changes: Mapping[str, Any]
    conditional: bool
    action: str


NO_CHANGES: Mapping[str, Any] = MappingProxyType({})
# Write(...) runs a Python-level __new__; building the tuple directly skips that frame.
new_write = partial(tuple.__new__, Write)


def _doc_data(doc: Any, *options: Any) -> Any:
    return doc.__dict__


class Writes:
    """INSERT, increment and DELETE statements of one model, and finishing any write."""

    def __init__(self, values: ColumnValues, conditions: Conditions) -> None:
        self.values = values
        self.conditions = conditions
        self.check_applied = conditions.check_applied
        schema = self.schema = values.schema
        self.name = values.name
        self._key_where = tuple((name, "eq") for name in values.key_names)
        self._key_values = values.key_values
        self.cql_save = cql_text(InsertShape("insert", schema, values.names, False, False, False))
        self.cql_delete = cql_text(
            DeleteShape("delete", schema, (), self._key_where, False, False, ())
        )
        #: ``(doc, ttl, timestamp) -> Statement``: the INSERT of every column of ``doc``.
        self.save_statement: Callable[[Any, int | None, Any], Statement] = (
            self._no_save
            if schema.is_counter_table
            else compile_save_statement(
                values.model,
                values.names,
                values.key_names,
                values.encoders,
                values.unset,
                values.guarded,
                self.cql_save,
                bound,
                self._save_with_options,
            )
        )
        if values.key_size is not None:
            self.save_statement = values.key_size.after(self.save_statement, _doc_data)

    # -- INSERT --------------------------------------------------------------------------

    def _save_with_options(self, values: list[Any], ttl: Any, timestamp: Any) -> Statement:
        return self._insert_with_options(values, ttl, timestamp, if_not_exists=False)

    def _no_save(self, doc: Any, ttl: Any, timestamp: Any) -> Statement:
        return self.values.no_insert(doc.__dict__)  # type: ignore[return-value]

    def insert_write(self, doc: Any, ttl: int | None, timestamp: Any) -> Write:
        """INSERT ... IF NOT EXISTS of ``doc``, with an optional ``ttl`` and write ``timestamp``."""
        try:
            values = self.values.row_values(doc.__dict__)
        except KeyError as error:
            raise self.missing_field(doc, error) from None
        statement = self._insert_with_options(values, ttl, timestamp, if_not_exists=True)
        return Write(statement, {}, True, "insert")

    def _insert_with_options(
        self,
        values: list[Any],
        ttl: Any,
        timestamp: Any,
        *,
        if_not_exists: bool,
        names: tuple[str, ...] | None = None,
    ) -> Statement:
        """INSERT of ``names`` (default: every column) with TTL/timestamp when given."""
        has_ttl, has_ts = ttl is not None, timestamp is not None
        if has_ttl:
            values.append(check_ttl(ttl, self.name))
        if has_ts:
            values.append(check_timestamp(timestamp, self.name))
        columns = self.values.names if names is None else names
        cql = cql_text(InsertShape("insert", self.schema, columns, if_not_exists, has_ttl, has_ts))
        if not (if_not_exists or has_ttl or has_ts):
            return bound(cql, values, True, False)
        return Statement(cql, values, idempotent=not if_not_exists)

    # -- counters ------------------------------------------------------------------------

    def increment_write(self, doc: Any, deltas: Mapping[str, Any]) -> Write:
        """The counter UPDATE adding ``deltas`` to ``doc``'s counter columns."""
        if not deltas:
            raise InvalidQueryError(f"{self.name}: increment() needs at least one counter=delta.")
        schema = self.schema
        for name, delta in deltas.items():
            column = writable_column(schema, name, "increment")
            if not column.is_counter:
                raise InvalidQueryError(
                    f"{self.name}.{name} is not a counter column; use update({name}=...)."
                )
            if type(delta) is not int or not -(2**63) <= delta < 2**63:
                raise InvalidQueryError(
                    f"{self.name}.{name}: increment by {delta!r} must be an int of 64 bits "
                    "(negative to decrement)."
                )
        ordered = tuple(sorted(deltas, key=lambda n: schema.by_name[n].position))
        assignments = tuple((n, "add") for n in ordered)
        cql = cql_text(UpdateShape("update", schema, assignments, False, False, False, ()))
        values = [*(deltas[n] for n in ordered), *self.key_of(doc)]
        data = doc.__dict__
        changes = {name: (data.get(name) or 0) + deltas[name] for name in ordered}
        return Write(Statement(cql, values), changes, False, "increment")

    # -- DELETE --------------------------------------------------------------------------

    def plain_delete(
        self, doc: Any, timestamp: Any, if_exists: bool, if_conditions: Mapping[str, Any] | None
    ) -> Statement | None:
        """``delete()``'s common case: with no option set, the DELETE of ``doc``'s row
        (nothing to check or mirror after it); else ``None``, see :meth:`delete_write`."""
        if timestamp is not None or if_exists or if_conditions:
            return None
        try:
            return bound(self.cql_delete, self._key_values(doc.__dict__), True, True)
        except KeyError as error:  # free until raised
            raise self.missing_field(doc, error) from None

    def delete_write(
        self,
        doc: Any,
        columns: Sequence[str] = (),
        timestamp: Any = None,
        if_exists: bool = False,
        if_conditions: Mapping[str, Any] | None = None,
    ) -> Write:
        """DELETE of the row, or of some of its ``columns``."""
        if not columns:
            plain = self.plain_delete(doc, timestamp, if_exists, if_conditions)
            if plain is not None:
                return new_write((plain, NO_CHANGES, False, "delete"))
        for name in columns:
            column = writable_column(self.schema, name, "delete_columns")
            if column.is_counter:
                raise InvalidQueryError(
                    f"{self.name}.{name}: counter columns cannot be deleted one by one; delete "
                    "the row instead."
                )
        values: list[Any] = []
        if timestamp is not None:
            values.append(check_timestamp(timestamp, self.name))
        values.extend(self.key_of(doc))
        conditions = self.conditions.parse(if_conditions, if_exists)
        values.extend(v for _, _, bound in conditions for v in bound)
        shape = DeleteShape(
            "delete",
            self.schema,
            tuple(columns),
            self._key_where,
            timestamp is not None,
            if_exists,
            tuple((n, op) for n, op, _ in conditions),
        )
        lwt = bool(conditions) or if_exists
        statement = Statement(cql_text(shape), values, idempotent=not lwt)
        action = "delete_columns" if columns else "delete"
        return Write(statement, self.values.cleared_values(columns), lwt, action)

    def delete_columns_write(self, doc: Any, columns: Sequence[str]) -> Write:
        """DELETE of some ``columns`` of ``doc``'s row; none is refused, as that DELETE would
        remove the whole row."""
        if not columns:
            raise InvalidQueryError(
                f"{self.name}: delete_columns() needs the names of the columns to delete, e.g. "
                "delete_columns('tags'); with none it would delete the whole row (use "
                "delete() for that)."
            )
        return self.delete_write(doc, columns)

    def delete_query_statement(self, state: QueryState) -> Statement:
        """The DELETE of the rows a query's filters select (``QuerySet.delete()``)."""
        check_delete(self.schema, state)
        shape = DeleteShape("delete", self.schema, (), state.conditions(), False, False, ())
        return Statement(
            cql_text(shape),
            self.values.where_values(state),
            consistency=state.consistency,
            timeout=state.timeout,
            idempotent=True,
        )

    # -- documents that cannot be written -----------------------------------------------

    def missing_field(self, doc: Any, error: KeyError) -> Exception:
        """The exception for a field ``doc`` does not have (it was built without validation)."""
        return missing_field(self.values, doc, error)

    def key_of(self, doc: Any) -> list[Any]:
        """The bound values of ``doc``'s primary key (a coodie error if one is missing)."""
        try:
            return self._key_values(doc.__dict__)
        except KeyError as error:
            raise self.missing_field(doc, error) from None

    def save_statements(
        self, documents: Iterable[Any], ttl: Any, timestamp: Any, options: Mapping[str, Any]
    ) -> Iterator[Statement]:
        """The INSERT of each of ``documents`` (``insert_many``), built as they are sent;
        a document of another model is refused. ``options`` are checked before the first."""
        accepted = (self.values.model, *_ancestors(self.values.model))
        save_statement = self.save_statement
        if options:
            request_options(Statement(""), options, "insert_many")
        for doc in documents:
            if not isinstance(doc, accepted):
                raise self.missing_field(doc, KeyError())
            try:
                statement = save_statement(doc, ttl, timestamp)
            except KeyError as error:
                raise self.missing_field(doc, error) from None
            yield request_options(statement, options, "insert_many") if options else statement

    # -- after a write ran ---------------------------------------------------------------

    @staticmethod
    def apply_changes(doc: Any, changes: Mapping[str, Any]) -> None:
        """Mirror a successful write on the in-memory document."""
        doc.__dict__.update(changes)
        doc.__pydantic_fields_set__.update(changes)

    def finish(self, doc: Any, page: ResultPage, write: Write) -> None:
        """After ``write`` ran: check its LWT outcome, then mirror it on ``doc``."""
        if write.conditional:
            self.check_applied(page, write.action)
        if write.changes:
            self.apply_changes(doc, write.changes)


def _ancestors(model: type) -> tuple[type, ...]:
    """The model a ``Model.using(...)`` subclass binds: it shares the table, so the bound
    class writes that model's documents too."""
    root = model.__dict__.get("__coodie_root__")
    return () if root is None else (root,)


def missing_field(values: ColumnValues, doc: Any, error: KeyError) -> Exception:
    """The coodie error for a KeyError raised while reading ``doc``'s fields: a field
    missing from an instance built without validation (``model_construct``), or a document
    of another model. Any other KeyError is returned unchanged."""
    model = values.name
    if not isinstance(doc, (values.model, *_ancestors(values.model))):
        return InvalidQueryError(
            f"{model}: got a {type(doc).__name__} instance; write {model} documents with "
            f"{model}'s methods (e.g. {model}(**other.model_dump()))."
        )
    name = error.args[0] if error.args else None
    by_name = values.schema.by_name
    if not isinstance(name, str) or name not in by_name or name in doc.__dict__:
        return error
    kind = "primary key field" if by_name[name].is_primary_key else "field"
    if "__coodie_partial_of__" in type(doc).__dict__:  # coodie.mapping.partial.PARTIAL_OF
        return InvalidQueryError(
            f"{model}: {kind} {name!r} was not loaded (this document comes from "
            "only()/defer()); save it on its own with doc.save() or BatchQuery.save(doc), "
            "which write the fields it holds, or read it with every column."
        )
    return InvalidQueryError(
        f"{model}: {kind} {name!r} is not set on this instance (built with "
        f"model_construct()?); pass {name}=... when building it, or build it with "
        f"{model}(...) so that pydantic fills the defaults and checks the values."
    )
