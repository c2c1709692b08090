"""Lightweight transactions: IF conditions checked and encoded, and the ``[applied]``
outcome read back (no I/O). A write that was not applied is never silent."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from coodie.cql.conditions import split_key
from coodie.drivers.statement import ResultPage
from coodie.exceptions import ConditionalWriteFailed, InvalidQueryError, SchemaError
from coodie.mapping.user_type_updates import field_condition
from coodie.query.state import checked_value, unknown_column

if TYPE_CHECKING:
    from collections.abc import Mapping

    from coodie.mapping.readers import RowReaders
    from coodie.mapping.values import ColumnValues

__all__ = ["Conditions", "IfCondition"]

_APPLIED = "[applied]"
_IF_OPERATORS = ("eq", "gt", "gte", "lt", "lte", "in")
#: ``(column, operator, encoded value)`` of one IF condition.
IfCondition = tuple[str, str, Any]


class Conditions:
    """IF conditions of one model's writes, and the outcome of a conditional write."""

    __slots__ = ("readers", "values")

    def __init__(self, values: ColumnValues, readers: RowReaders) -> None:
        self.values = values
        self.readers = readers

    def parse(self, if_conditions: Mapping[str, Any] | None, if_exists: bool) -> list[IfCondition]:
        """``if_conditions`` (``{"price__lt": 10}``) checked and encoded, in the given order."""
        if not if_conditions:
            return []
        values = self.values
        schema, name_ = values.schema, values.name
        if if_exists:
            raise InvalidQueryError(
                f"{name_}: use either if_exists=True or if_conditions, not both."
            )
        out: list[IfCondition] = []
        for key, value in if_conditions.items():
            name, op = split_key(key, schema.by_name)
            column = schema.by_name.get(name)
            if column is None:
                raise unknown_column(schema, name)
            if column.cql_type.is_udt and op in dict(column.cql_type.fields):
                out.append(field_condition(name_, column, op, value, values.driver))
                continue
            if op not in _IF_OPERATORS:
                raise InvalidQueryError(
                    f"{name_}: operator __{op} cannot be used in if_conditions; use =, "
                    "__gt, __gte, __lt, __lte or __in."
                )
            if column.is_primary_key:
                raise InvalidQueryError(
                    f"{name_}.{name} is a primary key column; conditions (IF) apply to "
                    "other columns. The key already selects the row."
                )
            if value is None and op == "eq":
                out.append((name, op, None))
                continue
            # Same value checks as filters: __in needs a non-empty list of valid values.
            checked = checked_value(schema, column, op, value)
            if op == "in":
                out.append((name, op, [values.encode(name, v) for v in checked]))
            else:
                out.append((name, op, values.encode(name, checked)))
        return out

    def check_applied(self, page: ResultPage, action: str) -> None:
        """Raise ConditionalWriteFailed if a lightweight transaction was not applied."""
        name_ = self.values.name
        if not page.rows:
            raise ConditionalWriteFailed(
                f"{name_}: {action} was not applied (the driver returned no [applied] row).",
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
        by_name, decoders = self.values.schema.by_name, self.values.decoders
        raw = {name: value for name, value in zip(columns, values, strict=False) if name in by_name}
        existing = {
            name: decoders[name](value) if name in decoders else value
            for name, value in raw.items()
        }
        document = None
        if all(name in raw for name in self.values.names):
            # Hydrate from the driver's values: decoders must run exactly once per value.
            # A null the model cannot hold: the row is still reported, as ``existing``.
            with contextlib.suppress(SchemaError):
                document = self.readers.hydrate(ResultPage(tuple(raw), [tuple(raw.values())]))[0]
        shown = ", ".join(f"{k}={v!r}" for k, v in existing.items()) or "no row"
        raise ConditionalWriteFailed(
            f"{name_}: {action} was not applied; the row in the database has: {shown}.",
            existing,
            document,
        )
