"""Reads of a polymorphic table (no I/O): each row becomes an instance of the class its
discriminator names, through that class's generated hydrator.

A query of any member selects the columns of the whole hierarchy; the dispatching converter
reads the discriminator of each row, picks the columns its class declares and hands them to
the class's compiled hydrator. ``Sub.find()`` restricts the (indexed) discriminator column
to ``Sub``'s value; ``Sub.get(...)`` reads as for any model and answers DocumentNotFound when
the row is of another class.
"""

from __future__ import annotations

from dataclasses import replace
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from coodie.exceptions import DocumentNotFound, SchemaError, UnknownDiscriminatorError
from coodie.mapping.compiled import Hydrators
from coodie.mapping.partial import PARTIAL_OF
from coodie.mapping.readers import RowReaders
from coodie.mapping.reads import Reads
from coodie.mapping.tables import Tables
from coodie.mapping.values import ColumnValues
from coodie.model.polymorphic import Hierarchy, describe, hierarchy_of, union_schema
from coodie.query.state import QueryState, add_filters

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from pydantic import BaseModel

    from coodie.drivers.base import AbstractDriver
    from coodie.drivers.statement import ResultPage

__all__ = ["discriminator_state", "read_parts", "tables_for"]

D = TypeVar("D", bound="BaseModel")

#: ``Sub.find()``'s starting state per class: the discriminator restricted to its value.
_find_states: dict[type, QueryState | None] = {}


def read_parts(
    model: type[D], values: ColumnValues, driver: AbstractDriver
) -> tuple[RowReaders, Reads[D]]:
    """The row readers and reads of ``model``: plain ones, or dispatching ones for a member
    of a polymorphic hierarchy."""
    hierarchy = hierarchy_of(model)
    if hierarchy is None:
        readers = RowReaders(model, values)
        return readers, Reads(values, readers)
    union = union_schema(hierarchy, values.schema.keyspace)
    poly = PolymorphicReaders(model, values, hierarchy, driver, union.column_names)
    json_columns = frozenset(
        c.name for c in union.columns if driver.json_reader_for(c.cql_type) is not None
    )
    return poly, PolymorphicReads(values, poly, union.column_names, json_columns)


def tables_for(model: type, tables: Tables) -> Tables:
    """What ``sync_table()`` of ``model`` creates: the table with the union of the columns of
    its hierarchy (``tables`` itself for a plain model)."""
    hierarchy = hierarchy_of(model)
    if hierarchy is None:
        return tables
    return Tables(union_schema(hierarchy, tables.schema.keyspace), tables.driver)


def discriminator_state(model: type) -> QueryState | None:
    """Where ``model.find()`` starts: ``None`` (no filter) for plain models and the root of a
    hierarchy, else the discriminator equal to ``model``'s value."""
    try:
        return _find_states[model]
    except KeyError:
        pass
    state = None
    hierarchy = hierarchy_of(model)
    if hierarchy is not None and model is not hierarchy.root:
        value = hierarchy.value_of(model)
        schema = model.coodie_schema()  # type: ignore[attr-defined]
        state = add_filters(schema, QueryState(), {hierarchy.column: value})
    _find_states[model] = state
    return state


class PolymorphicReaders(RowReaders):
    """Row readers whose whole-row converters dispatch on the discriminator."""

    __slots__ = ("_members", "driver", "hierarchy", "union")

    def __init__(
        self,
        model: type[BaseModel],
        values: ColumnValues,
        hierarchy: Hierarchy,
        driver: AbstractDriver,
        union: tuple[str, ...],
    ) -> None:
        super().__init__(model, values)
        self.hierarchy = hierarchy
        self.driver = driver
        self.union = frozenset(union)
        self._members: dict[type, RowReaders] = {}

    def _member_readers(self, member: type[BaseModel]) -> RowReaders:
        readers = self._members.get(member)
        if readers is None:
            schema = member.coodie_schema()  # type: ignore[attr-defined]
            schema = replace(schema, keyspace=self.values.schema.keyspace, cql_cache={})
            values = ColumnValues(member, schema, self.driver)
            readers = self._members[member] = RowReaders(member, values)
        return readers

    def _compile_hydrator(self, columns: tuple[str, ...], held_only: bool = False) -> Hydrators:
        hierarchy = self.hierarchy
        if hierarchy.column not in columns:
            return super()._compile_hydrator(columns, held_only)
        unknown = [c for c in columns if c not in self.union]
        if unknown:
            raise SchemaError(
                f"{self.values.name}: the result has columns {unknown} that no class of its "
                "polymorphic hierarchy declares."
            )
        table: dict[str, tuple[Callable[[Any], Any], Callable[[Sequence[Any]], Any]]] = {}
        for value, member in hierarchy.classes.items():
            by_name = member.coodie_schema().by_name  # type: ignore[attr-defined]
            names = tuple(c for c in columns if c in by_name)
            readers = self._member_readers(member)
            # only()/defer(): the member's partial documents, holding just these columns.
            one = (readers.readers(names, "partial") if held_only else readers.hydrators(names)).one
            table[value] = (one, _picker([columns.index(n) for n in names]))
        return _dispatch(table, columns.index(hierarchy.column), hierarchy)


def _picker(indexes: list[int]) -> Callable[[Sequence[Any]], Any]:
    """``row -> tuple`` of the values at ``indexes`` (itemgetter's C loop)."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    return itemgetter(*indexes)


def _dispatch(
    table: Mapping[str, tuple[Callable[[Any], Any], Callable[[Sequence[Any]], Any]]],
    position: int,
    hierarchy: Hierarchy,
) -> Hydrators:
    def one(row: Sequence[Any]) -> Any:
        try:
            hydrate, pick = table[row[position]]
        except KeyError:
            raise _unknown(hierarchy, row[position]) from None
        return hydrate(pick(row))

    def to_list(rows: Sequence[Sequence[Any]]) -> list[Any]:
        return [one(row) for row in rows]

    def to_iter(rows: Sequence[Sequence[Any]]) -> Iterator[Any]:
        for row in rows:
            yield one(row)

    return Hydrators(to_list, to_iter, one)


def _unknown(hierarchy: Hierarchy, value: Any) -> UnknownDiscriminatorError:
    known = ", ".join(f"{v!r} ({name})" for v, name in describe(hierarchy).items())
    return UnknownDiscriminatorError(
        f"{hierarchy.root.__name__}: a row has {hierarchy.column}={value!r}, which no class of "
        f"the hierarchy declares (known: {known or 'none'}). Define the subclass with "
        f"Settings.discriminator_value = {value!r} (and import it before reading), or fix "
        "the row."
    )


class PolymorphicReads(Reads[D]):
    """Reads that select the hierarchy's columns and check the class of ``get()``'s row."""

    def one(self, page: ResultPage, filters: Mapping[str, Any]) -> D:
        doc = super().one(page, filters)
        model = self.readers.model
        model = model.__dict__.get(PARTIAL_OF, model)  # refresh() of a partial document
        if not isinstance(doc, model):
            shown = ", ".join(f"{k}={v!r}" for k, v in filters.items())
            raise DocumentNotFound(
                f"No {self.name} matches {shown}: the row is a {type(doc).__name__}."
            )
        return doc
