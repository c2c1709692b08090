"""Building model instances without validation: pydantic slot setters and per-row defaults.

The generated hydrators (``coodie.mapping.compiled``) store rows straight into the slots pydantic
uses; these helpers give them the setters and the fresh per-instance defaults that
pydantic's own ``__init__`` would make.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from coodie.exceptions import SchemaError
from coodie.model.lazy_slots import SLOT_SETTERS
from coodie.model.types import show_annotation

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from pydantic import BaseModel

    from coodie.model.schema import ColumnDefinition

__all__ = [
    "SLOT_SETTERS",
    "NullFiller",
    "field_default",
    "private_defaults",
    "private_values",
]


def field_default(field: Any, data: dict[str, Any]) -> Any:
    """A field's default for one row, made fresh as pydantic's __init__ would make it."""
    return field.get_default(call_default_factory=True, validated_data=data)


def private_defaults(model: type[BaseModel]) -> dict[str, Any] | None:
    """The model's private attributes; each hydrated row gets fresh defaults from them."""
    private = getattr(model, "__private_attributes__", None)
    if not private:
        return None
    return dict(private)


def private_values(private: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Fresh private attribute defaults for one instance, the way pydantic's __init__ makes them
    (default factories called per instance, so mutable defaults are never shared)."""
    from pydantic_core import PydanticUndefined

    values: dict[str, Any] = {}
    for name, attr in private.items():
        if attr.default_factory_takes_validated_data:
            default = attr.get_default(call_default_factory=True, validated_data={**data, **values})
        else:
            default = attr.get_default(call_default_factory=True)
        if default is not PydanticUndefined:
            values[name] = default
    return values


class NullFiller:
    """What a null read back for a field that cannot be None becomes: the field's default
    (made per row), 0 for a counter never incremented, else a SchemaError that says how to
    fix the model or the data. A typical cause: a column added to the model and the table
    after rows were written."""

    __slots__ = ("fills",)

    def __init__(
        self,
        model: type[BaseModel],
        columns: Iterable[ColumnDefinition],
        key_names: tuple[str, ...],
    ) -> None:
        fills: list[tuple[str, Callable[[dict[str, Any]], Any]]] = []
        for column in columns:
            field = model.model_fields[column.name]
            if not field.is_required():
                fills.append((column.name, partial(field_default, field)))
            elif column.is_counter:
                fills.append((column.name, _zero))
            else:
                fills.append((column.name, partial(_no_value, model.__name__, column, key_names)))
        self.fills = tuple(fills)

    def __call__(self, data: dict[str, Any]) -> None:
        """Replace each null of ``data`` that its field cannot hold by what that field gets."""
        for name, fill in self.fills:
            if data[name] is None:
                data[name] = fill(data)


def _zero(data: dict[str, Any]) -> int:
    return 0


def _no_value(
    model: str, column: ColumnDefinition, key_names: tuple[str, ...], data: dict[str, Any]
) -> None:
    key = ", ".join(f"{k}={data[k]!r}" for k in key_names if k in data)
    shown = show_annotation(column.annotation)
    raise SchemaError(
        f"{model}.{column.name}: the row read back has no value (null) in column "
        f"{column.name!r}, but the field ({shown}) cannot be None and has no default. Make it "
        f"Optional ({column.name}: {shown} | None = None), give it a default, or backfill the "
        f"column (UPDATE ... SET {column.name} = ... for rows written before it existed). "
        f"Row key: {key or 'not selected'}."
    )
