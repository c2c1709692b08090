"""What one IF condition targets and the values it binds (no I/O).

A key of ``if_conditions`` names a column (``brand``, ``price__lt``) or an element of a
list or map column (``tags__at``, ``m__at__ne``, taking ``(index or key, value)``, as
``update(tags__at=(0, "x"))`` does). Each kind is one function of :data:`TARGETS`, tried in
order: a field of a user-defined type (``addr__city``, rendered ``addr.city``) is one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coodie.cql.conditions import IF_OPERATORS, split_key
from coodie.exceptions import InvalidQueryError
from coodie.mapping.user_type_updates import field_condition
from coodie.query.state import checked_value, checker_for, unknown_column

if TYPE_CHECKING:
    from coodie.mapping.values import ColumnValues
    from coodie.model.schema import ColumnDefinition

__all__ = ["TARGETS", "IfCondition", "check_element_index", "parse_condition", "udt_field_target"]

#: ``(target, operator, bound values)``: target ``price`` (a column), ``tags[]`` (an element,
#: rendered ``tags[?]``, its index or key bound first) or a UDT field ``addr.city``.
IfCondition = tuple[str, str, tuple[Any, ...]]
#: ``(values, key, value) -> IfCondition``, or ``None`` when the key is not of its kind.
Target = Callable[["ColumnValues", str, Any], "IfCondition | None"]

_ELEMENT = "at"


def _operator(values: ColumnValues, key: str, op: str) -> None:
    if op not in IF_OPERATORS:
        raise InvalidQueryError(
            f"{values.name}: operator __{op} cannot be used in if_conditions ({key!r}); use "
            "=, __ne, __gt, __gte, __lt, __lte or __in, on a column or on an element "
            "(field__at=(index or key, value))."
        )


def _condition_column(values: ColumnValues, name: str) -> ColumnDefinition:
    schema = values.schema
    column = schema.by_name.get(name)
    if column is None:
        raise unknown_column(schema, name)
    if column.is_primary_key:
        raise InvalidQueryError(
            f"{values.name}.{name} is a primary key column; conditions (IF) apply to "
            "other columns. The key already selects the row."
        )
    return column


def _encoded(values: ColumnValues, name: str, op: str, checked: Any) -> Any:
    if op == "in":
        return [values.encode(name, v) for v in checked]
    return values.encode(name, checked)


def column_target(values: ColumnValues, key: str, value: Any) -> IfCondition | None:
    """``price__lt=10`` -> ``price < ?``; ``brand=None`` -> ``brand = null``."""
    name, op = split_key(key, values.schema.by_name)
    column = _condition_column(values, name)
    _operator(values, key, op)
    if value is None and op in ("eq", "ne"):
        return (name, op, (None,))
    # Same value checks as filters: __in needs a non-empty list of valid values.
    checked = checked_value(values.schema, column, "eq" if op == "ne" else op, value)
    return (name, op, (_encoded(values, name, op, checked),))


def check_element_index(where: str, column: ColumnDefinition, index: Any) -> int:
    """A list element's index: an int >= 0 (Cassandra refuses one past the end itself)."""
    if type(index) is not int or index < 0:
        raise InvalidQueryError(
            f"{where}: a list index must be an int >= 0, got {index!r} (Cassandra has no "
            f"negative indexes; read {column.name} to find the last one)."
        )
    return index


def element_target(values: ColumnValues, key: str, value: Any) -> IfCondition | None:
    """``tags__at=(0, "x")`` -> ``tags[?] = ?``; ``m__at__ne=("k", 1)`` -> ``m[?] != ?``."""
    by_name = values.schema.by_name
    name, op = split_key(key, by_name)
    if op == _ELEMENT and name in by_name:
        op = "eq"
    elif name.endswith(f"__{_ELEMENT}") and name[: -len(_ELEMENT) - 2] in by_name:
        name = name[: -len(_ELEMENT) - 2]
    else:
        return None
    column = _condition_column(values, name)
    _operator(values, key, op)
    where = f"{values.name}.{key}"
    cql_type = column.cql_type
    if cql_type.name not in ("list", "map"):
        raise InvalidQueryError(
            f"{where}: __{_ELEMENT} compares one element of a list or map, but {name} is "
            f"{cql_type.cql}; compare the whole value with {name}=... instead."
        )
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise InvalidQueryError(
            f"{where} takes (index or key, value), e.g. {key}=(0, 'x'); got {value!r}."
        )
    at, expected = value
    schema = values.schema
    if cql_type.name == "list":
        bound_at: Any = check_element_index(where, column, at)
    else:
        checked_key = checker_for(schema, column, "contains_key")(at)
        encode_key = values.element_encoder(cql_type, "contains_key")
        bound_at = checked_key if encode_key is None else encode_key(checked_key)
    if expected is None and op in ("eq", "ne"):
        return (f"{name}[]", op, (bound_at, None))
    check = checker_for(schema, column, "contains")
    encode = values.element_encoder(cql_type, "contains")
    if op == "in":
        if isinstance(expected, (str, bytes)) or not hasattr(expected, "__iter__"):
            raise InvalidQueryError(f"{where}: __in needs a list of values, got {expected!r}.")
        items = [check(v) for v in expected]
        if not items:
            raise InvalidQueryError(f"{where}: __in got an empty list; it would match nothing.")
        bound: Any = items if encode is None else [encode(v) for v in items]
    else:
        checked = check(expected)
        bound = checked if encode is None else encode(checked)
    return (f"{name}[]", op, (bound_at, bound))


def udt_field_target(values: ColumnValues, key: str, value: Any) -> IfCondition | None:
    """``addr__city="Paris"`` on a user-defined type column -> ``addr.city = ?``."""
    name, field = split_key(key, values.schema.by_name)
    column = values.schema.by_name.get(name)
    if column is None or not column.cql_type.is_udt or field not in dict(column.cql_type.fields):
        return None
    _condition_column(values, name)
    target, op, bound = field_condition(values.name, column, field, value, values.driver)
    return (target, op, (bound,))


#: Condition kinds, most specific first; the column kind takes every other key.
TARGETS: list[Target] = [element_target, udt_field_target, column_target]


def parse_condition(values: ColumnValues, key: str, value: Any) -> IfCondition:
    """The IF condition that ``key=value`` of ``if_conditions`` asks for (a column, a collection
    element or a user type field)."""
    for target in TARGETS:
        condition = target(values, key, value)
        if condition is not None:
            return condition
    raise AssertionError("column_target takes every key")  # pragma: no cover
