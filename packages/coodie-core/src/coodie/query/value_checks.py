"""Checking a filter, condition or update value against its column's type before sending.

A checker validates (and coerces, the way pydantic would) one value and raises
InvalidQueryError naming the column, the value and the type to pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from coodie.exceptions import InvalidQueryError
from coodie.model.types import show_annotation

if TYPE_CHECKING:
    from coodie.model.schema import ColumnDefinition

__all__ = ["Checker", "build_checker"]

Checker = Callable[[Any], Any]


def build_checker(owner: str, column: ColumnDefinition, annotation: Any) -> Checker:
    """Validate (and coerce, the way pydantic would) a value for ``column``.

    ``annotation`` is the type the value must have (the column's, or its element/key type
    for CONTAINS / CONTAINS KEY). The common case, a value already of the exact class, costs
    one ``type()`` check.
    """
    exact = annotation if isinstance(annotation, type) else None
    adapter: TypeAdapter[Any] | None = None

    def check(value: Any) -> Any:
        nonlocal adapter
        if value is None:
            raise InvalidQueryError(
                f"{owner}.{column.name}: None cannot be compared. Filters and conditions need a "
                "value; to clear a column use update(field=None) or delete_columns()."
            )
        if exact is not None and type(value) is exact:
            return value
        if adapter is None:
            adapter = TypeAdapter(annotation)
        try:
            return adapter.validate_python(value)
        except ValidationError as error:
            problem = error.errors()[0]["msg"]
            raise InvalidQueryError(
                f"{owner}.{column.name}: {value!r} is not a valid value for a "
                f"{column.cql_type.cql} column ({problem}). Pass a value of type "
                f"{show_annotation(annotation)}."
            ) from None

    return check
