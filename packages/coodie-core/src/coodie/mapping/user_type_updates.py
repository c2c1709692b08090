"""Updating one field of a non-frozen UDT column in place: ``update(addr__city="x")`` ->
``UPDATE ... SET addr.city = ?``, without reading or rewriting the other fields.

The operator is a :class:`~coodie.mapping.collection_updates.CollectionUpdate` whose kind is
``.<field>`` (what :func:`coodie.cql.dml.update` renders as ``col.field = ?``); its operand is
checked against the field's own type. No I/O.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from coodie.exceptions import InvalidQueryError
from coodie.mapping.codecs import build_encoder
from coodie.mapping.collection_updates import CollectionUpdate
from coodie.model.user_types import type_schema
from coodie.query.value_checks import build_checker

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.drivers.base import AbstractDriver, Encoder
    from coodie.model.schema import ColumnDefinition

__all__ = ["field_condition", "field_update", "field_update_codecs", "is_field_update"]


def is_field_update(operator: CollectionUpdate | None) -> bool:
    """Whether ``operator`` sets one field of a user type column (``address__.city=...``)."""
    return operator is not None and operator.kind.startswith(".")


def field_update(model: str, column: ColumnDefinition, op: str) -> CollectionUpdate | None:
    """The in-place update of field ``op`` of UDT ``column``; None when ``column`` is no
    UDT (the caller reports the operator); an error naming the fix when it cannot be done."""
    t = column.cql_type
    if not t.is_udt:
        return None
    names = [name for name, _ in t.fields]
    where = f"{model}.{column.name}__{op}"
    if op not in names:
        raise InvalidQueryError(
            f"{where}: {t.python_type.__name__} has no field {op!r} (its fields: "
            f"{', '.join(names)}). Use update({column.name}__<field>=...) with one of them."
        )
    if t.frozen:
        raise InvalidQueryError(
            f"{where}: {column.name} is {t.cql}, and Cassandra replaces a frozen UDT only as a "
            f"whole. Use update({column.name}=...) with the complete value, or declare the "
            "column without Frozen() to update single fields."
        )
    return CollectionUpdate(f".{op}", True, False, partial(_with_field, op))


def _with_field(name: str, old: Any, value: Any, container: Any) -> Any:
    """The column's value once field ``name`` is ``value`` (a null UDT gets null fields)."""
    if old is None:
        empty = dict.fromkeys(container.model_fields)
        return container.model_construct(**{**empty, name: value})
    return old.model_copy(update={name: value})


def field_update_codecs(
    model: str, column: ColumnDefinition, operator: CollectionUpdate, driver: AbstractDriver
) -> tuple[Callable[[Any], Any], Encoder | None]:
    """The checker (against the field's type; None allowed for an Optional field) and the
    encoder of what ``update(col__field=...)`` takes."""
    return _field_codecs(model, column, operator.kind[1:], driver)


def field_condition(
    model: str, column: ColumnDefinition, name: str, value: Any, driver: AbstractDriver
) -> tuple[str, str, Any]:
    """``if_conditions={"addr__city": v}`` -> the condition ``addr.city = ?`` with ``v``
    checked against the field's type and encoded (None: the field is null)."""
    if value is None:
        return f"{column.name}.{name}", "eq", None
    key = (model, id(column), name, id(driver))
    found = _CONDITION_CODECS.get(key)
    if found is None or found[0] is not column or found[1] is not driver:
        found = _CONDITION_CODECS[key] = (
            column,
            driver,
            _field_codecs(model, column, name, driver),
        )
    check, encode = found[2]
    checked = check(value)
    encoded = checked if encode is None or checked is None else encode(checked)
    return f"{column.name}.{name}", "eq", encoded


#: Codecs of the UDT fields IF conditions name, built once per (model, column, field, driver).
_CONDITION_CODECS: dict[tuple[str, int, str, int], tuple[Any, Any, Any]] = {}


def _field_codecs(
    model: str, column: ColumnDefinition, name: str, driver: AbstractDriver
) -> tuple[Callable[[Any], Any], Encoder | None]:
    field = next(f for f in type_schema(column.cql_type.python_type).fields if f.name == name)
    # Messages name the field (``Person.addr.city``) and its CQL type.
    as_column = replace(column, name=f"{column.name}.{name}", cql_type=field.cql_type)
    check = build_checker(model, as_column, field.value_annotation, field.cql_type)
    where = f"{model}.{column.name}__{name}"

    def checked(value: Any) -> Any:
        if value is None:
            if not field.optional:
                raise InvalidQueryError(
                    f"{where}: the field {name} is not Optional, so it cannot be set to None; "
                    "declare it Optional in the UserType."
                )
            return None
        return check(value)

    return checked, build_encoder(field.cql_type, driver)
