"""Row readers of one model on one driver: results into documents or plain rows (no I/O).

The generated converters (:mod:`coodie.mapping.compiled`) are built once per result column tuple,
and for plain rows per (columns, row form), then reused for every page.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from coodie.exceptions import SchemaError
from coodie.mapping.compiled import Hydrators, compile_hydrator, compile_row_reader
from coodie.mapping.hydration import (
    SLOT_SETTERS,
    NullFiller,
    field_default,
    private_defaults,
    private_values,
)
from coodie.mapping.partial import partial_class
from coodie.mapping.scored import scored_rows

if TYPE_CHECKING:
    from pydantic import BaseModel

    from coodie.drivers.statement import ResultPage
    from coodie.mapping.values import ColumnValues
    from coodie.query.state import RowForm

__all__ = ["RowReaders"]


class RowReaders:
    """The generated converters of one model's results, cached by result columns."""

    __slots__ = ("_hydrators", "_private_defaults", "_readers", "model", "values")

    def __init__(self, model: type[BaseModel], values: ColumnValues) -> None:
        self.model = model
        self.values = values
        self._hydrators: dict[tuple[str, ...], Hydrators] = {}
        self._readers: dict[tuple[tuple[str, ...], RowForm], Hydrators] = {}
        self._private_defaults = private_defaults(model)

    def hydrate(self, page: ResultPage) -> list[Any]:
        """Rows of ``page`` as model instances, without re-validating them."""
        return self.hydrators(page.columns).to_list(page.rows)

    def hydrators(self, columns: tuple[str, ...]) -> Hydrators:
        """The generated converters of a result with ``columns`` into model instances."""
        hydrators = self._hydrators.get(columns)
        if hydrators is None:
            hydrators = self._hydrators[columns] = self._compile_hydrator(columns)
        return hydrators

    def readers(self, columns: tuple[str, ...], form: RowForm) -> Hydrators:
        """The generated converters of a result with ``columns`` into rows of ``form``."""
        if form == "document":
            return self.hydrators(columns)
        if form == "scored":  # the similarity is the last column
            return scored_rows(self.hydrators(columns[:-1]))
        key = (columns, form)
        readers = self._readers.get(key)
        if readers is None and form == "partial":
            readers = self._readers[key] = self._compile_hydrator(columns, held_only=True)
        if readers is None:
            self._check_result_columns(columns)
            values = self.values
            readers = self._readers[key] = compile_row_reader(
                self.model,
                columns,
                {n: values.decoders[n] for n in columns if n in values.decoders},
                values.inline_decoders(columns),
                form,
            )
        return readers

    def compiled(self) -> list[Hydrators]:
        """Every converter generated so far: hydrators, then plain-row readers."""
        return [*self._hydrators.values(), *self._readers.values()]

    def _check_result_columns(self, columns: tuple[str, ...]) -> None:
        unknown = [c for c in columns if c not in self.values.schema.by_name]
        if unknown:
            raise SchemaError(
                f"{self.values.name}: the result has columns {unknown} that the model does "
                "not declare."
            )

    def _compile_hydrator(self, columns: tuple[str, ...], held_only: bool = False) -> Hydrators:
        """Documents of ``columns``; ``held_only``: of the model's partial class (``only()``),
        whose instances hold just these fields (no defaults for the others)."""
        self._check_result_columns(columns)
        names = tuple(columns)
        model = partial_class(self.model) if held_only else self.model
        defaults = [
            (name, partial(field_default, field))
            for name, field in self.model.model_fields.items()
            if name not in names and not field.is_required() and not held_only
        ]
        private = self._private_defaults
        values = self.values
        # Key columns are never null and collections read null as empty: what is left may
        # come back null although the field cannot hold None.
        by_name = values.schema.by_name
        not_null = [
            by_name[n]
            for n in names
            if not (by_name[n].optional or by_name[n].is_primary_key)
            and not by_name[n].cql_type.is_collection
        ]
        return compile_hydrator(
            model,
            names,
            {n: values.decoders[n] for n in names if n in values.decoders},
            values.inline_decoders(names),
            defaults,
            None if private is None else partial(private_values, private),
            SLOT_SETTERS,
            [c.name for c in not_null],
            NullFiller(model, not_null, values.key_names) if not_null else None,
        )
