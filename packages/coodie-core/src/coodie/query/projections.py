"""The state of ``only()`` / ``defer()``: which columns a query of documents loads (no I/O).

The primary key is always loaded, whatever is asked: a partial document must still name its
row, so that ``save()``, ``update()``, ``delete()`` and ``refresh()`` work on it; so is the
discriminator of a polymorphic model, which says the class of each row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.exceptions import InvalidQueryError
from coodie.model.polymorphic import hierarchy_of

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


def _loading(
    model: type, schema: TableSchema, state: QueryState, names: tuple[str, ...]
) -> QueryState:
    """``state`` loading ``names`` (in table order); loading every column is a plain query
    (not for a polymorphic model: its subclasses' columns would be read too)."""
    if names == schema.column_names and hierarchy_of(model) is None:
        return state.with_(columns=None, row_form="document")
    return state.with_(columns=names, row_form="partial")


def _always(model: type, schema: TableSchema) -> set[str]:
    """The columns every partial document of ``model`` holds."""
    always = {c.name for c in schema.primary_key}
    hierarchy = hierarchy_of(model)
    if hierarchy is not None:
        always.add(hierarchy.column)
    return always


def only_columns(model: type, state: QueryState, names: tuple[str, ...]) -> QueryState:
    """``state`` loading the primary key and ``names`` only (replacing an earlier only())."""
    schema: TableSchema = model.coodie_schema()  # type: ignore[attr-defined]
    _checked_names(schema, state, names, "only")
    wanted = set(names) | _always(model, schema)
    return _loading(model, schema, state, tuple(n for n in schema.column_names if n in wanted))


def defer_columns(model: type, state: QueryState, names: tuple[str, ...]) -> QueryState:
    """``state`` loading what it loaded before except ``names`` (never a key column, nor
    the discriminator of a polymorphic model)."""
    schema: TableSchema = model.coodie_schema()  # type: ignore[attr-defined]
    _checked_names(schema, state, names, "defer")
    always = _always(model, schema)
    kept = [n for n in names if n in always]
    if kept:
        raise InvalidQueryError(
            f"{schema.model_name}: defer({', '.join(map(repr, kept))}): primary key columns "
            "(and a polymorphic model's discriminator) are always loaded (a document must "
            "name its row and its class); defer only other columns."
        )
    loaded = state.columns if state.row_form == "partial" and state.columns else schema.column_names
    dropped = set(names)
    return _loading(model, schema, state, tuple(n for n in loaded if n not in dropped))
