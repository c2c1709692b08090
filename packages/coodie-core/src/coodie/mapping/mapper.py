"""The per-(model, driver) object that ties the mapping parts together."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from coodie.connections import DEFAULT
from coodie.mapping.conditions import Conditions
from coodie.mapping.partial import PartialWrites, is_partial
from coodie.mapping.polymorphic import read_parts
from coodie.mapping.tables import Tables
from coodie.mapping.updates import Updates
from coodie.mapping.values import ColumnValues
from coodie.mapping.views import ReadOnly
from coodie.mapping.writes import Writes
from coodie.model.kinds import is_view
from coodie.model.views import base_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import BaseModel

    from coodie.drivers.base import AbstractDriver
    from coodie.model.hooks import Hooks
    from coodie.model.schema import TableSchema

__all__ = ["Mapper"]

D = TypeVar("D", bound="BaseModel")


class Mapper(Generic[D]):
    """One model on one driver: its column values, row readers, reads, writes, updates,
    LWT conditions and table operations, each a part of its own built once here.

    The API shells take what they need from the parts (``mapper.writes.save_statement``,
    ``mapper.reads.get_statement``, ...); nothing here does I/O.
    """

    __slots__ = (
        "conditions",
        "connection",
        "driver",
        "hooks",
        "model",
        "name",
        "readers",
        "reads",
        "schema",
        "tables",
        "updates",
        "values",
        "writes",
    )

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
        self.values = ColumnValues(model, schema, driver)
        self.readers, self.reads = read_parts(model, self.values, driver)
        self.conditions = Conditions(self.values, self.readers)
        # A partial model (only()/defer()) writes the fields each document holds.
        writes = PartialWrites if is_partial(model) else Writes
        self.writes = writes(self.values, self.conditions)
        self.updates = Updates(self.values, self.conditions)
        if is_view(model):  # every write is refused before a statement exists
            refused: Any = ReadOnly(self.name, base_of(model).__name__)
            self.writes = self.updates = refused
        # None without hooks: the write shells test this one attribute.
        self.hooks: Hooks | None = getattr(model, "__coodie_hooks__", None)
        self.tables = Tables(schema, driver)

    def generated(self) -> list[Callable[..., Any]]:
        """The functions generated for this model so far, plus its whole-row hydrator and
        its value-list reader: one per source (each has ``__coodie_source__``)."""
        values, writes = self.values, self.writes
        found: list[Callable[..., Any]] = [values.key_values, values.lookup_values]
        if isinstance(writes, ReadOnly):
            return [fn for fn in found if hasattr(fn, "__coodie_source__")]
        if not self.schema.is_counter_table:
            found += [values.row_values, writes.save_statement]
        self.readers.hydrators(values.names)
        self.readers.readers(values.names, "tuple")
        found += [converters.to_list for converters in self.readers.compiled()]
        found += [plan.values for plan in self.updates.plans.values()]
        return [fn for fn in found if hasattr(fn, "__coodie_source__")]
