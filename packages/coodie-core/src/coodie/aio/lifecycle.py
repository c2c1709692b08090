"""Running a Document's lifecycle hooks (see coodie.model.hooks) around its writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.api.hooks import with_assigned
from coodie.api.runner import IS_ASYNC

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["run_hooks", "run_update_hooks"]


async def run_hooks(hooks: tuple[Callable[[Any], Any], ...], doc: Any) -> None:
    """Call each hook with ``doc``, in order (coodie.aio awaits a coroutine hook)."""
    for hook in hooks:
        if IS_ASYNC:
            result = hook(doc)
            if result is not None and hasattr(result, "__await__"):
                await result
        else:
            hook(doc)


async def run_update_hooks(
    hooks: tuple[Callable[[Any], Any], ...],
    doc: Any,
    values: Mapping[str, Any] | None,
    fields: Mapping[str, Any],
) -> Mapping[str, Any] | None:
    """Run ``before_update`` hooks; the fields they assign join the UPDATE's values."""
    if not hooks:
        return values
    before = dict(doc.__dict__)
    await run_hooks(hooks, doc)
    return with_assigned(before, doc, values, fields)
