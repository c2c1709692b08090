"""The typed record a driver plugin returns from the ``coodie_drivers`` hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from coodie.drivers.base import AbstractDriver

__all__ = ["DriverSpec"]


@dataclass(frozen=True)
class DriverSpec:
    """Describes one driver without connecting to anything.

    ``connect`` builds a ready driver from ``init_coodie``'s arguments (``hosts``,
    ``session``, ``keyspace`` and driver-specific options) for the sync API;
    ``connect_async`` does the same from a running event loop. Factories should import the
    client library themselves, so listing drivers stays cheap.
    """

    name: str
    connect: Callable[..., AbstractDriver]
    connect_async: Callable[..., Awaitable[AbstractDriver]]
    description: str = ""
    aliases: tuple[str, ...] = ()
    #: Filled in by the registry from the plugin's distribution.
    distribution: str = field(default="", compare=False)
    version: str = field(default="", compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def origin(self) -> str:
        """``distribution version`` for messages, e.g. ``coodie-driver-cassandra 0.1.0``."""
        return f"{self.distribution} {self.version}".strip() or "an unnamed plugin"

    def connect_kwargs(self, **options: Any) -> dict[str, Any]:
        return options
