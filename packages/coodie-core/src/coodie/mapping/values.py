"""Column values of one model on one driver: encoders, decoders and the generated functions
that read a document's key and row into bound values (no I/O)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from coodie.exceptions import InvalidQueryError
from coodie.mapping.codecs import build_decoder, build_encoder, inline_decoder, refuse_unsupported
from coodie.mapping.compiled_writes import (
    compile_key_values,
    compile_lookup_values,
    compile_row_check,
    compile_row_values,
)
from coodie.mapping.value_guards import guard_for
from coodie.model.types import cql_type_for
from coodie.query.cql_limits import key_problem
from coodie.query.key_size import key_size_check
from coodie.query.state import checker_for
from coodie.query.timeuuid import TimeUUIDBound
from coodie.query.value_checks import build_write_checker

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from coodie.drivers.base import AbstractDriver, Encoder
    from coodie.mapping.compiled_writes import Guarded
    from coodie.model.schema import ColumnDefinition, TableSchema
    from coodie.model.types import CqlType
    from coodie.query.state import QueryState

__all__ = ["ColumnValues"]


_UNBUILT = object()


def _left_unset(name: str) -> None:
    """A regular column holding None is sent as unset: nothing to check."""


def _data(data: Any) -> Any:
    return data


def _after(first: Callable[[Any], Any], then: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``then(first(v))``: a JSON-read column's text made the driver's value, then decoded."""
    return lambda v: then(first(v))


class ColumnValues:
    """Per-column codecs of one model on one driver, and the generated value readers.

    ``key_values(data)`` and ``row_values(data)`` read a document's ``__dict__`` into the
    bound values of its primary key / of every column (``None`` sent as the driver's unset
    marker), each value checked against its column first (``check_row(data)`` only checks);
    ``lookup_values(filters)`` checks and encodes the key of ``get(**key)``.
    """

    def __init__(self, model: type, schema: TableSchema, driver: AbstractDriver) -> None:
        self.model = model
        self.schema = schema
        self.driver = driver
        self.name = schema.model_name
        self.unset = driver.unset_value
        self.names = schema.column_names
        self.key_names = tuple(c.name for c in schema.primary_key)
        self.encoders: dict[str, Encoder] = {}
        self.decoders: dict[str, Callable[[Any], Any]] = {}
        #: Columns the driver reads as ``toJson(col)`` (see ``AbstractDriver.json_reader_for``).
        self.json_columns: set[str] = set()
        for column in schema.columns:
            refuse_unsupported(column.cql_type, driver, f"{self.name}.{column.name}")
            encoder = build_encoder(column.cql_type, driver)
            if encoder is not None:
                self.encoders[column.name] = encoder
            decoder = build_decoder(column.cql_type, driver)
            from_json = driver.json_reader_for(column.cql_type)
            if from_json is not None:
                self.json_columns.add(column.name)
                decoder = from_json if decoder is None else _after(from_json, decoder)
            if decoder is not None:
                self.decoders[column.name] = decoder
        self._element_encoders: dict[tuple[CqlType, str], Encoder | None] = {}
        self._timestamp_encoder: Any = _UNBUILT
        #: Per column, what the generated writers check a document's value with.
        self.guarded: dict[str, Guarded] = {c.name: self._write_guarded(c) for c in schema.columns}
        self.key_values = compile_key_values(model, self.key_names, self.encoders, self.guarded)
        self.row_values: Callable[[dict[str, Any]], list[Any]] = self.no_insert
        #: ``data -> None``: every column of a document checked (see ``compile_row_check``).
        self.check_row: Callable[[dict[str, Any]], None] = self.no_insert  # type: ignore[assignment]
        if not schema.is_counter_table:
            self.row_values = compile_row_values(
                model, self.names, self.key_names, self.encoders, self.unset, self.guarded
            )
            self.check_row = compile_row_check(model, self.names, self.guarded)
        self.lookup_values = compile_lookup_values(
            model,
            [
                (
                    c.name,
                    checker_for(schema, c, "eq"),
                    self.encoders.get(c.name),
                    guard_for(schema, c, writing=False, none_passes=False),
                )
                for c in schema.primary_key
            ],
        )
        #: The composite partition key's total size (None: no key of this model is too long).
        self.key_size = key_size_check(schema)
        if self.key_size is not None:
            after = self.key_size.after
            self.key_values = after(self.key_values, _data)
            self.row_values = after(self.row_values, _data)
            self.check_row = after(self.check_row, _data)
            self.lookup_values = after(self.lookup_values, _data)

    def _write_guarded(self, column: ColumnDefinition) -> Guarded:
        """The guard and checker of ``column``'s value when a document is written."""
        schema = self.schema
        key = key_problem(schema, column, writing=True)
        on_none = self.missing_key if column.is_primary_key else _left_unset
        check = build_write_checker(self.name, column, key, on_none)
        none_passes = column.optional and not column.is_primary_key
        return guard_for(schema, column, writing=True, none_passes=none_passes), check

    def encode(self, name: str, value: Any) -> Any:
        """``value`` as the driver needs it for column ``name`` (``None`` stays ``None``)."""
        encoder = self.encoders.get(name)
        return value if encoder is None or value is None else encoder(value)

    def element_encoder(self, t: CqlType, op: str) -> Encoder | None:
        """Encoder of what CONTAINS (element or map value) / CONTAINS KEY compares, built once."""
        key = (t, op)
        if key not in self._element_encoders:
            element = t.params[0] if op == "contains_key" or t.name != "map" else t.params[1]
            self._element_encoders[key] = build_encoder(element, self.driver)
        return self._element_encoders[key]

    def missing_key(self, name: str) -> None:
        """Raise the InvalidQueryError for primary key column ``name`` being None."""
        raise InvalidQueryError(
            f"{self.name}: primary key column {name!r} is None; set every primary key "
            f"field ({', '.join(self.key_names)}) before writing or deleting."
        )

    def no_insert(self, data: dict[str, Any]) -> list[Any]:
        """Raise the InvalidQueryError for an INSERT into a counter table (Cassandra has none)."""
        raise InvalidQueryError(
            f"{self.name} is a counter table: Cassandra cannot INSERT into it. Use "
            "increment(...) to change counters."
        )

    def where_values(self, state: QueryState) -> list[Any]:
        """The bound values of a query's WHERE clause: filters, then token bounds."""
        values: list[Any] = []
        by_name = self.schema.by_name
        if self.key_size is not None:
            self.key_size.check_filters(state.filters)
        for name, op, value in state.filters:
            if op == "in":
                values.append([self.encode(name, v) for v in value])
            elif op in ("contains", "contains_key"):
                encoder = self.element_encoder(by_name[name].cql_type, op)
                values.append(value if encoder is None else encoder(value))
            elif isinstance(value, TimeUUIDBound):  # the function takes a timestamp
                values.append(self.encode_timestamp(value.at))
            else:
                values.append(self.encode(name, value))
        if state.token_start is not None:
            values.append(state.token_start)
        if state.token_end is not None:
            values.append(state.token_end)
        return values

    def encode_timestamp(self, value: Any) -> Any:
        """A datetime bound as a CQL timestamp (the argument of ``minTimeuuid(?)``)."""
        if self._timestamp_encoder is _UNBUILT:
            self._timestamp_encoder = build_encoder(cql_type_for(dt.datetime), self.driver)
        encoder = self._timestamp_encoder
        return value if encoder is None else encoder(value)

    def cleared_values(self, columns: Iterable[str]) -> dict[str, Any]:
        """What deleted columns read back as: empty collections, else None."""
        out: dict[str, Any] = {}
        for name in columns:
            decoder = self.decoders.get(name)
            out[name] = decoder(None) if decoder is not None else None
        return out

    def inline_decoders(self, names: Sequence[str]) -> dict[str, str]:
        """Decoders of ``names`` that generated code can inline, as expression templates."""
        by_name = self.schema.by_name
        skip = self.json_columns
        return {
            n: expr
            for n in names
            if n not in skip and (expr := inline_decoder(by_name[n].cql_type, self.driver))
        }
