"""The state of ``only()`` / ``defer()``: which columns a query of documents loads (no I/O).

The primary key is always loaded, whatever is asked: a partial document must still name its
row, so that ``save()``, ``update()``, ``delete()`` and ``refresh()`` work on it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from coodie.exceptions import InvalidQueryError

if TYPE_CHECKING:
    from coodie.model.schema import TableSchema
    from coodie.query.state import QueryState

__all__ = ["defer_columns", "only_columns"]


def _checked_names(
    schema: TableSchema, state: QueryState, names: tuple[str, ...], method: str
) -> None:
    model = schema.model_name
    if state.row_form not in ("document", "partial"):
        raise InvalidQueryError(
            f"{model}: {method}() chooses the fields of documents; call it before values() / "
            "values_list(), which already name their columns."
        )
    if not names:
        raise InvalidQueryError(
            f"{model}: {method}() needs at least one column name, e.g. {method}('name')."
        )
    for name in names:
        if not isinstance(name, str):
            raise InvalidQueryError(
                f"{model}: {method}() takes column names as strings, got {name!r}."
            )
        if name not in schema.by_name:
            raise InvalidQueryError(
                f"{model}: {method}({name!r}) names no column of {model}; use one of: "
                f"{', '.join(schema.column_names)}."
            )


def _loading(schema: TableSchema, state: QueryState, names: tuple[str, ...]) -> QueryState:
    """``state`` loading ``names`` (in table order); loading every column is a plain query."""
    if names == schema.column_names:
        return replace(state, columns=None, row_form="document")
    return replace(state, columns=names, row_form="partial")


def only_columns(schema: TableSchema, state: QueryState, names: tuple[str, ...]) -> QueryState:
    """``state`` loading the primary key and ``names`` only (replacing an earlier only())."""
    _checked_names(schema, state, names, "only")
    wanted = set(names)
    return _loading(
        schema,
        state,
        tuple(c.name for c in schema.columns if c.is_primary_key or c.name in wanted),
    )


def defer_columns(schema: TableSchema, state: QueryState, names: tuple[str, ...]) -> QueryState:
    """``state`` loading what it loaded before except ``names`` (never a key column)."""
    _checked_names(schema, state, names, "defer")
    keys = [n for n in names if schema.by_name[n].is_primary_key]
    if keys:
        raise InvalidQueryError(
            f"{schema.model_name}: defer({', '.join(map(repr, keys))}): primary key columns are "
            "always loaded (a document must name its row); defer only other columns."
        )
    loaded = state.columns if state.row_form == "partial" and state.columns else schema.column_names
    dropped = set(names)
    return _loading(schema, state, tuple(n for n in loaded if n not in dropped))
