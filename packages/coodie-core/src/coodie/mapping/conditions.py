"""Lightweight transactions: IF conditions checked and encoded, and the ``[applied]``
outcome read back (no I/O). A write that was not applied is never silent."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from coodie.drivers.statement import ResultPage
from coodie.exceptions import ConditionalWriteFailed, InvalidQueryError, SchemaError
from coodie.mapping.condition_targets import IfCondition, parse_condition

if TYPE_CHECKING:
    from collections.abc import Mapping

    from coodie.mapping.readers import RowReaders
    from coodie.mapping.values import ColumnValues

__all__ = ["Conditions", "IfCondition"]

_APPLIED = "[applied]"


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
        name_ = values.name
        if if_exists:
            raise InvalidQueryError(
                f"{name_}: use either if_exists=True or if_conditions, not both."
            )
        return [parse_condition(values, key, value) for key, value in if_conditions.items()]

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
