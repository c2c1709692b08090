"""Hook specifications of the ``coodie`` pluggy project.

A plugin module listed under the ``coodie`` entry-point group implements these with
``@coodie.hookimpl``::

    @hookimpl
    def coodie_drivers() -> list[DriverSpec]:
        return [DriverSpec(name="mydb", connect=..., connect_async=...)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coodie.plugins.spec import DriverSpec

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "coodie"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def coodie_drivers() -> Iterable[DriverSpec]:  # type: ignore[empty-body]
    """Return the drivers this plugin provides."""
