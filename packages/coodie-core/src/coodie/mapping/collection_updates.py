"""Collection update operators: ``update(tags__append=[...], scores__update={...})``.

Cassandra changes part of a non-frozen collection in place (``c = c + ?``, ``c = ? + c``,
``c = c - ?``, one list element ``c[?] = ?`` with ``tags__at=(0, "x")``) without reading it
first, so concurrent writers do not overwrite each other.
This module says which operator applies to which collection, what CQL assignment it
becomes, and what the in-memory document holds once the write succeeded. No I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coodie.exceptions import InvalidQueryError

if TYPE_CHECKING:
    from coodie.model.schema import ColumnDefinition

__all__ = ["CollectionUpdate", "collection_update", "is_collection_operator", "unknown_operator"]

#: ``old`` is the document's current value, ``operand`` the checked argument, ``container``
#: the column's Python collection class (``list``, ``set``, ``frozenset``, ``dict``).
Mirror = Callable[[Any, Any, type], Any]


@dataclass(frozen=True, slots=True)
class CollectionUpdate:
    """One operator on one kind of collection."""

    #: The assignment for :func:`coodie.cql.dml.update`: ``add``, ``prepend`` or ``remove``.
    kind: str
    #: False for list append/prepend: running the statement twice changes the list twice,
    #: so drivers must not retry it on their own.
    idempotent: bool
    #: Map removal takes the keys to remove, not a map.
    keys_only: bool
    mirror: Mirror
    #: Setting one element takes ``(index, value)``: two bound values (``c[?] = ?``).
    element: bool = False


def _append(old: Any, operand: Any, container: type) -> Any:
    return [*(old or ()), *operand]


def _prepend(old: Any, operand: Any, container: type) -> Any:
    return [*operand, *(old or ())]


def _remove_from_list(old: Any, operand: Any, container: type) -> Any:
    # Cassandra removes every occurrence of every given value.
    return [item for item in old or () if item not in operand]


def _set_at(old: Any, operand: Any, container: type) -> Any:
    index, value = operand
    items = list(old or ())
    if index < len(items):  # else Cassandra refused it: the write did not succeed
        items[index] = value
    return items


def _add_to_set(old: Any, operand: Any, container: type) -> Any:
    return container({*(old or ()), *operand})


def _remove_from_set(old: Any, operand: Any, container: type) -> Any:
    return container(set(old or ()).difference(operand))


def _update_map(old: Any, operand: Any, container: type) -> Any:
    return {**(old or {}), **operand}


def _remove_keys(old: Any, operand: Any, container: type) -> Any:
    return {key: value for key, value in (old or {}).items() if key not in operand}


_OPERATORS: dict[tuple[str, str], CollectionUpdate] = {
    ("list", "append"): CollectionUpdate("add", False, False, _append),
    ("list", "prepend"): CollectionUpdate("prepend", False, False, _prepend),
    ("list", "remove"): CollectionUpdate("remove", True, False, _remove_from_list),
    ("list", "at"): CollectionUpdate("set_at", True, False, _set_at, element=True),
    ("set", "add"): CollectionUpdate("add", True, False, _add_to_set),
    ("set", "remove"): CollectionUpdate("remove", True, False, _remove_from_set),
    ("map", "update"): CollectionUpdate("add", True, False, _update_map),
    ("map", "remove"): CollectionUpdate("remove", True, True, _remove_keys),
}
_BY_KIND = {kind: [op for (k, op) in _OPERATORS if k == kind] for kind in ("list", "set", "map")}
_ALL_OPERATORS = frozenset(op for _, op in _OPERATORS)


def is_collection_operator(op: str) -> bool:
    """Whether ``op`` (the part after ``__``) is a collection update operator."""
    return op in _ALL_OPERATORS


def _listing() -> str:
    return "; ".join(
        f"{kind}s: {', '.join(f'__{op}' for op in ops)}" for kind, ops in _BY_KIND.items()
    )


def unknown_operator(model: str, key: str, op: str) -> InvalidQueryError:
    """The InvalidQueryError for ``key`` whose operator ``op`` is not one coodie knows, listing
    those it does."""
    return InvalidQueryError(
        f"{model}: unknown update operator {op!r} in {key!r}. Use the bare field name to "
        f"replace a value, or a collection operator ({_listing()})."
    )


def collection_update(model: str, column: ColumnDefinition, op: str) -> CollectionUpdate:
    """The operator ``op`` on ``column``, or an InvalidQueryError saying what applies."""
    cql_type = column.cql_type
    where = f"{model}.{column.name}"
    if cql_type.name not in _BY_KIND:
        raise InvalidQueryError(
            f"{where}__{op}: __{op} changes part of a list, set or map, but {column.name} is "
            f"{cql_type.cql}. Use update({column.name}=...) to replace the value."
        )
    if cql_type.frozen:
        raise InvalidQueryError(
            f"{where} is {cql_type.cql}: Cassandra can only replace a frozen collection as a "
            f"whole. Use update({column.name}=...) with the complete new value."
        )
    found = _OPERATORS.get((cql_type.name, op))
    if found is None:
        allowed = ", ".join(f"__{o}" for o in _BY_KIND[cql_type.name])
        raise InvalidQueryError(
            f"{where}__{op}: __{op} does not apply to a {cql_type.name} column; a "
            f"{cql_type.name} takes {allowed}."
        )
    return found
