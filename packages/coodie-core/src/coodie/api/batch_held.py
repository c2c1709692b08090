"""A batch's writes held back for coroutine before-hooks (coodie.aio).

Queueing a batch write is a plain call, so an ``async def`` before-hook cannot be awaited
there. coodie.aio's batch holds such a write, and every write queued after it (the batch
keeps the order of the calls), until it is sent; coodie.sync's refuses it, naming the fix
(:func:`coodie.api.hooks.run_before_hooks`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeAlias

from coodie.api.hooks import run_before_hooks

__all__ = ["HeldWrite", "HeldWrites", "values_before"]

#: The rest of a queueing call once its before-hooks ran: given the document's field values
#: from before the hooks when it asked for them (``update()``: to see what they assigned).
Queue: TypeAlias = Callable[[dict[str, Any] | None], None]
#: One held call: its hooks, the document, the rest of the call, whether it wants the values.
HeldWrite: TypeAlias = tuple[tuple[Callable[[Any], Any], ...], Any, Queue, bool]


def values_before(
    hooks: tuple[Callable[[Any], Any], ...], doc: Any, snapshot: bool
) -> dict[str, Any] | None:
    """What a held call's ``queue`` is given: ``doc``'s field values before ``hooks`` run,
    when it asked for them and there are hooks to change them, else None."""
    return dict(doc.__dict__) if snapshot and hooks else None


class HeldWrites:
    """The held calls of one batch, in call order; none while ``entries`` is None."""

    __slots__ = ("awaits", "entries")

    def __init__(self, awaits: bool) -> None:
        #: Whether coroutine hooks are held (coodie.aio) rather than refused.
        self.awaits = awaits
        self.entries: list[HeldWrite] | None = None

    def run_or_hold(
        self,
        hooks: tuple[Callable[[Any], Any], ...],
        doc: Any,
        queue: Queue,
        snapshot: bool = False,
    ) -> None:
        """Run ``hooks`` on ``doc``, then ``queue`` the write (given ``doc``'s field values
        from before the hooks when ``snapshot``); or hold the call back when a write is held
        already or one of ``hooks`` is a coroutine function this batch awaits."""
        entries = self.entries
        if entries is None:
            if not (self.awaits and any(map(inspect.iscoroutinefunction, hooks))):
                before = values_before(hooks, doc, snapshot)
                run_before_hooks(hooks, doc)
                queue(before)
                return
            entries = self.entries = []
        entries.append((hooks, doc, queue, snapshot))

    def take(self) -> list[HeldWrite]:
        """The held calls, forgotten here."""
        entries, self.entries = self.entries or [], None
        return entries
