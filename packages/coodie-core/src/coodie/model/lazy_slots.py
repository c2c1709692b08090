"""Lazily filled pydantic slots for the instances coodie builds from rows.

pydantic keeps three per-instance slots beside ``__dict__``: the set of fields given, the
extra values and the private values. An instance built from a row (``coodie.mapping``'s
hydrators) would set all four, and those setter calls cost as much as the rest of building
the instance; for a model without private attributes the three have fixed values (every
loaded field, none, none). So hydrators set ``__dict__`` only and the first read of another
slot fills it here: ``__getattr__`` runs only when normal lookup fails, which for an
instance pydantic built never happens, so models built by pydantic pay nothing.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["SLOT_SETTERS", "LazySlots", "fills_slots_lazily"]


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


def _set_slot(name: str, obj: Any, value: Any) -> None:
    object.__setattr__(obj, name, value)


#: Direct setters of pydantic's instance slots (bypassing ``BaseModel.__setattr__``).
SLOT_SETTERS = _slot_setters()
_set_fields = SLOT_SETTERS["__pydantic_fields_set__"]
_set_extra = SLOT_SETTERS["__pydantic_extra__"]
_set_private = SLOT_SETTERS["__pydantic_private__"]


class LazySlots:
    """Mixin of Document and UserType: the pydantic slots a row-built instance left unset."""

    __slots__ = ()

    if not TYPE_CHECKING:  # as pydantic does: type checkers must not see a __getattr__

        def __getattr__(self, item: str) -> Any:
            if item == "__pydantic_fields_set__":
                # Every field the row filled (pydantic adds a field it assigns after storing it
                # in __dict__, so an assignment before the first read is counted too).
                value: Any = set(object.__getattribute__(self, "__dict__"))
                _set_fields(self, value)
                return value
            if item == "__pydantic_extra__":
                _set_extra(self, None)
                return None
            if item == "__pydantic_private__":
                _set_private(self, None)
                return None
            return super().__getattr__(item)


def fills_slots_lazily(model: type) -> bool:
    """Whether ``model`` fills its unset slots on first read (it keeps LazySlots' hook)."""
    hook = getattr(model, "__getattr__", None)
    return hook is not None and hook is getattr(LazySlots, "__getattr__", None)
