"""Building model instances without validation: pydantic slot setters and per-row defaults.

The generated hydrators (``coodie.mapping.compiled``) store rows straight into the slots pydantic
uses; these helpers give them the setters and the fresh per-instance defaults that
pydantic's own ``__init__`` would make.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from pydantic import BaseModel

__all__ = ["SLOT_SETTERS", "field_default", "private_defaults", "private_values"]


def _slot_setters() -> dict[str, Callable[[Any, Any], None]]:
    from pydantic import BaseModel

    setters: dict[str, Callable[[Any, Any], None]] = {}
    for name in (
        "__dict__",
        "__pydantic_fields_set__",
        "__pydantic_extra__",
        "__pydantic_private__",
    ):
        descriptor = BaseModel.__dict__.get(name)
        if descriptor is not None and hasattr(descriptor, "__set__"):
            setters[name] = descriptor.__set__
        else:  # pragma: no cover - other pydantic layouts
            setters[name] = partial(_set_slot, name)
    return setters


SLOT_SETTERS = _slot_setters()


def _set_slot(name: str, obj: Any, value: Any) -> None:
    object.__setattr__(obj, name, value)


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
