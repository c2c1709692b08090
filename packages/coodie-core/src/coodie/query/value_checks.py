"""Checking a filter, condition, update or saved value against its column before sending.

A checker validates (and coerces, the way pydantic would) one value and raises
InvalidQueryError naming the column, the value and what to pass instead. pydantic is skipped
when the value already has exactly the declared classes (the common case costs a class
check); what CQL itself refuses (:mod:`coodie.query.cql_limits`: integer ranges, lone
surrogates, key sizes, empty partition keys) is checked either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from pydantic import TypeAdapter, ValidationError

from coodie.exceptions import InvalidQueryError
from coodie.fields import Counter, CqlTypeMarker, Frozen, Vector
from coodie.model.types import show_annotation
from coodie.query.cql_limits import Problem, show_value, value_rules

if TYPE_CHECKING:
    from coodie.model.schema import ColumnDefinition
    from coodie.model.types import CqlType

__all__ = ["Checker", "build_checker", "build_write_checker", "has_constraints"]

Checker = Callable[[Any], Any]
_COODIE_MARKERS = (CqlTypeMarker, Frozen, Counter, Vector)


def has_constraints(annotation: Any) -> bool:
    """Whether ``annotation`` carries constraints only pydantic knows (``Field(max_length=3)``,
    a validator), anywhere inside: such values always go through pydantic."""
    if get_origin(annotation) is Annotated:
        inner, *meta = get_args(annotation)
        if any(not isinstance(m, _COODIE_MARKERS) for m in meta):
            return True
        return has_constraints(inner)
    return any(has_constraints(arg) for arg in get_args(annotation))


def _core(
    owner: str,
    column: ColumnDefinition,
    annotation: Any,
    cql_type: CqlType,
    key: Problem | None,
    fix: str,
) -> Checker:
    conforms, problem = value_rules(cql_type)
    constrained = has_constraints(annotation)
    adapter: TypeAdapter[Any] | None = None
    where = f"{owner}.{column.name}"
    cql = cql_type.cql

    def check(value: Any) -> Any:
        nonlocal adapter
        if constrained or not conforms(value):
            if adapter is None:
                adapter = TypeAdapter(annotation)
            try:
                value = adapter.validate_python(value)
            except ValidationError as error:
                reason = error.errors()[0]["msg"]
                raise InvalidQueryError(
                    f"{where}: {show_value(value)} is not a valid value for a "
                    f"{column.cql_type.cql} column ({reason}). {fix}"
                ) from None
        found = (problem is not None and problem(value)) or (key is not None and key(value))
        if found:
            raise InvalidQueryError(
                f"{where}: {show_value(value)} is not a valid value for a {cql} column: {found}."
            )
        return value

    return check


def build_checker(
    owner: str,
    column: ColumnDefinition,
    annotation: Any,
    cql_type: CqlType | None = None,
    key: Problem | None = None,
) -> Checker:
    """Validate (and coerce) a filter, condition or update value for ``column``; None is
    refused (comparing with null is not CQL).

    ``annotation`` / ``cql_type`` are what the value must be (the column's, or its element or
    key type for CONTAINS / CONTAINS KEY); ``key`` the column's primary key rule, if any.
    """
    shown = show_annotation(annotation)
    core = _core(
        owner,
        column,
        annotation,
        cql_type or column.cql_type,
        key,
        f"Pass a value of type {shown}.",
    )

    def check(value: Any) -> Any:
        if value is None:
            raise InvalidQueryError(
                f"{owner}.{column.name}: None cannot be compared. Filters and conditions need a "
                "value; to clear a column use update(field=None) or delete_columns()."
            )
        return core(value)

    return check


def build_write_checker(
    owner: str, column: ColumnDefinition, key: Problem | None, on_none: Callable[[str], Any]
) -> Checker:
    """Validate (and coerce) the value a document holds for ``column`` when it is saved: a
    field may have been assigned anything after the document was built. ``None`` returns
    ``on_none(column name)`` (None for a regular column: left unset; an error for a key)."""
    shown = show_annotation(column.value_annotation)
    fix = f"Set the field to a value of type {shown} before writing."
    core = _core(owner, column, column.value_annotation, column.cql_type, key, fix)
    name = column.name

    def check(value: Any) -> Any:
        if value is None:
            return on_none(name)
        return core(value)

    return check
