"""Lifecycle hooks: methods a Document marks to run before or after its writes.

``@before_save``, ``@after_insert``, ... mark a method; :func:`collect_hooks` gathers a
class's marked methods once, when the class is created, into one :class:`Hooks` record (or
``None`` when it has none, so the write paths of a model without hooks test one attribute and
call nothing). Base-class hooks run first; a subclass method of the same name replaces the
base's (as any Python override does) and runs where the subclass's hooks run.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from coodie.exceptions import SchemaError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "HOOKED",
    "HOOK_EVENTS",
    "NO_HOOKS",
    "Hooks",
    "after_delete",
    "after_insert",
    "after_save",
    "after_update",
    "before_delete",
    "before_insert",
    "before_save",
    "before_update",
    "collect_hooks",
]

F = TypeVar("F", bound=Callable[..., Any])
HookEvent = Literal[
    "before_save",
    "after_save",
    "before_insert",
    "after_insert",
    "before_update",
    "after_update",
    "before_delete",
    "after_delete",
]
#: Every event, in the order of :class:`Hooks`' fields.
HOOK_EVENTS: tuple[HookEvent, ...] = (
    "before_save",
    "after_save",
    "before_insert",
    "after_insert",
    "before_update",
    "after_update",
    "before_delete",
    "after_delete",
)
_MARK = "__coodie_hook_events__"
#: Every class that has hooks or a subclass with hooks: ``insert_many`` on such a class may
#: be handed documents whose own class has hooks (a polymorphic hierarchy's members).
HOOKED: set[type] = set()


@dataclass(frozen=True)
class Hooks:
    """The hooks of one Document class, per event, in the order they run."""

    before_save: tuple[Callable[[Any], Any], ...]
    after_save: tuple[Callable[[Any], Any], ...]
    before_insert: tuple[Callable[[Any], Any], ...]
    after_insert: tuple[Callable[[Any], Any], ...]
    before_update: tuple[Callable[[Any], Any], ...]
    after_update: tuple[Callable[[Any], Any], ...]
    before_delete: tuple[Callable[[Any], Any], ...]
    after_delete: tuple[Callable[[Any], Any], ...]


#: The record of a class without hooks, for code that runs each document's own hooks.
NO_HOOKS = Hooks((), (), (), (), (), (), (), ())


def _marker(event: HookEvent) -> Callable[[F], F]:
    def mark(method: F) -> F:
        target = method.__func__ if isinstance(method, (classmethod, staticmethod)) else method
        if isinstance(method, (classmethod, staticmethod)) or not callable(target):
            raise SchemaError(
                f"@{event} marks an instance method (def {event}_hook(self): ...); "
                f"{method!r} is not one."
            )
        events: tuple[HookEvent, ...] = getattr(method, _MARK, ())
        if event not in events:
            setattr(method, _MARK, (*events, event))
        return method

    mark.__name__ = mark.__qualname__ = event
    mark.__doc__ = f"Mark a Document method to run {event.replace('_', ' the ')} write."
    return mark


before_save = _marker("before_save")
after_save = _marker("after_save")
before_insert = _marker("before_insert")
after_insert = _marker("after_insert")
before_update = _marker("before_update")
after_update = _marker("after_update")
before_delete = _marker("before_delete")
after_delete = _marker("after_delete")


def _marked(cls: type) -> Iterator[tuple[str, Any]]:
    """Every attribute of ``cls`` by name, base classes first, a subclass's last definition
    of a name replacing (and moving after) the bases' one."""
    found: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            found.pop(name, None)
            found[name] = value
    return iter(found.items())


def collect_hooks(cls: type, *, awaits: bool) -> Hooks | None:
    """The hooks of ``cls`` (``None`` without any). ``awaits``: the class's API awaits
    coroutine hooks (coodie.aio); coodie.sync refuses them here, at class creation."""
    per_event: dict[str, list[Callable[[Any], Any]]] = {event: [] for event in HOOK_EVENTS}
    for name, value in _marked(cls):
        events = getattr(value, _MARK, None) if inspect.isfunction(value) else None
        if not events:
            continue
        if not awaits and inspect.iscoroutinefunction(value):
            raise SchemaError(
                f"{cls.__name__}.{name} is an async def hook, but {cls.__name__} is a "
                "coodie.sync Document, which cannot await it: make it a plain def, or "
                "subclass coodie.aio.Document."
            )
        for event in events:
            per_event[event].append(value)
    if not any(per_event.values()):
        return None
    HOOKED.update(cls.__mro__)
    return Hooks(**{event: tuple(hooks) for event, hooks in per_event.items()})
