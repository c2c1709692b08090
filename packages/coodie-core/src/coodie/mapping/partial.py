"""Partial documents: what ``only()`` / ``defer()`` read, holding some fields only (no I/O).

Each model gets one partial subclass, made on first use: the same fields, table and methods,
plus, per field, a *non-data* descriptor. Python finds such a descriptor only when the name is
missing from the instance's ``__dict__``, so a loaded field reads exactly as on any pydantic
model, and an unloaded one raises :class:`~coodie.exceptions.UnloadedFieldError` instead of a
silent default. Whole-row reads never build the subclass: their cost does not change.

Saving a partial document INSERTs only the fields it holds (the loaded ones and any assigned
since), so the columns it did not load keep their stored values.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, TypeVar

from coodie.exceptions import UnloadedFieldError
from coodie.mapping.compiled_writes import compile_row_values
from coodie.mapping.writes import Write, Writes

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.drivers.statement import Statement
    from coodie.mapping.conditions import Conditions
    from coodie.mapping.values import ColumnValues

__all__ = ["PARTIAL_OF", "PartialWrites", "is_partial", "partial_class"]

M = TypeVar("M", bound=type)

#: Class attribute of a partial subclass: the model it is the partial form of.
PARTIAL_OF = "__coodie_partial_of__"
_PARTIAL = "__coodie_partial__"
_CREATING = threading.Lock()


class _Unloaded:
    """Stands for one field on the partial subclass; reached only when the instance lacks it."""

    __slots__ = ("model", "name")

    def __init__(self, model: str, name: str) -> None:
        self.model = model
        self.name = name

    def __get__(self, doc: Any, owner: Any = None) -> Any:
        if doc is None:  # on the class: pydantic's __setattr__ looks the name up there
            return self
        name = self.name
        raise UnloadedFieldError(
            f"{self.model}.{name} was not loaded: this document comes from a query with "
            f"only()/defer() that did not select {name!r}. Add {name!r} to only(...) (or drop "
            f"it from defer(...)), call refresh() to read the whole row, or assign "
            f"doc.{name} = ... before reading it."
        )


def is_partial(model: type) -> bool:
    """Whether ``model`` is a partial model (a subset of another model's columns)."""
    return PARTIAL_OF in model.__dict__


def partial_class(model: M) -> M:
    """The partial subclass of ``model`` (made once, then cached on the model)."""
    if is_partial(model):
        return model
    found: M | None = model.__dict__.get(_PARTIAL)
    if found is None:
        with _CREATING:
            found = model.__dict__.get(_PARTIAL) or _new_partial_class(model)
    return found


def _new_partial_class(model: M) -> M:
    namespace = {
        "__module__": model.__module__,
        "__qualname__": model.__qualname__,
        "__doc__": model.__doc__,
        PARTIAL_OF: model,
        # Not checked again as a table of its own (nor warned about twice): it shares
        # the model's schema, set below.
        "__coodie_abstract__": True,
        "__reduce_ex__": _reduce_ex,
    }
    metaclass: Any = type(model)
    found: M = metaclass(model.__name__, (model,), namespace)
    type.__setattr__(found, "__coodie_schema__", model.coodie_schema())  # type: ignore[attr-defined]
    for name in model.model_fields:  # type: ignore[attr-defined]
        type.__setattr__(found, name, _Unloaded(model.__name__, name))
    type.__setattr__(model, _PARTIAL, found)
    return found


def _reduce_ex(doc: Any, protocol: Any) -> tuple[Any, ...]:
    """Pickle a partial document by its model: the partial class shares the model's name,
    which pickle would resolve to the model itself."""
    return _restore, (type(doc).__dict__[PARTIAL_OF], doc.__getstate__())


def _restore(model: type, state: Any) -> Any:
    cls: Any = partial_class(model)
    doc = cls.__new__(cls)
    doc.__setstate__(state)
    return doc


class PartialWrites(Writes):
    """The writes of a partial model: an INSERT of exactly the fields each document holds,
    its text and value reader made once per set of fields."""

    def __init__(self, values: ColumnValues, conditions: Conditions) -> None:
        super().__init__(values, conditions)
        self._readers: dict[tuple[str, ...], Callable[[dict[str, Any]], list[Any]]] = {}
        if not self.schema.is_counter_table:
            self.save_statement = self._save_held

    def _held(self, doc: Any) -> tuple[tuple[str, ...], list[Any]]:
        """The columns ``doc`` holds, in table order, and their checked, encoded values
        (KeyError for a missing key column, which the shells turn into a coodie error)."""
        data = doc.__dict__
        values = self.values
        names = tuple(n for n in values.names if n in data)
        reader = self._readers.get(names)
        if reader is None:
            missing = [key for key in values.key_names if key not in data]
            if missing:  # never cached: a set of fields without the whole key cannot be saved
                raise KeyError(missing[0])
            reader = self._readers[names] = compile_row_values(
                values.model, names, values.key_names, values.encoders, values.unset, values.guarded
            )
        return names, reader(data)

    def _save_held(self, doc: Any, ttl: int | None, timestamp: Any) -> Statement:
        names, values = self._held(doc)
        return self._insert_with_options(values, ttl, timestamp, if_not_exists=False, names=names)

    def insert_write(self, doc: Any, ttl: int | None, timestamp: Any) -> Write:
        """INSERT ... IF NOT EXISTS of the columns the partial model holds."""
        try:
            names, values = self._held(doc)
        except KeyError as error:
            raise self.missing_field(doc, error) from None
        statement = self._insert_with_options(
            values, ttl, timestamp, if_not_exists=True, names=names
        )
        return Write(statement, {}, True, "insert")
