"""What both API shells share to run lifecycle hooks: a batch's plain before-hooks (they
run when a write is queued, a plain call in both APIs; coodie.aio's batch holds a write with
a coroutine hook back until it is sent, coodie.sync's refuses it, naming the fix) and the
fields a ``before_update`` hook assigned."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from coodie.exceptions import InvalidQueryError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["run_before_hooks", "with_assigned"]


def run_before_hooks(hooks: tuple[Callable[[Any], Any], ...], doc: Any) -> None:
    """Call each hook with ``doc``, in order, refusing an ``async def`` one before it runs."""
    for hook in hooks:
        if inspect.iscoroutinefunction(hook):
            name = type(doc).__name__
            raise InvalidQueryError(
                f"{name}.{hook.__name__} is an async def before-hook, which a coodie.sync "
                "BatchQuery cannot await, so the write was not queued: use "
                f"coodie.aio.BatchQuery (it awaits the hook when the batch is sent), or make "
                f"{hook.__name__} a plain def."
            )
        hook(doc)


def with_assigned(
    before: Mapping[str, Any],
    doc: Any,
    values: Mapping[str, Any] | None,
    fields: Mapping[str, Any],
) -> Mapping[str, Any] | None:
    """The UPDATE's ``values`` plus the fields ``before_update`` hooks assigned on ``doc``
    (``before``: its fields before them); the call's own values win for a field both name,
    as the hook saw the instance before them."""
    changed = {
        name: value
        for name, value in doc.__dict__.items()
        if (name not in before or before[name] is not value) and name not in fields
    }
    if not changed:
        return values
    return changed if values is None else {**changed, **values}
