"""The typed record a driver plugin returns from the ``coodie_drivers`` hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from coodie.connect import Capability, ConnectOptions
    from coodie.drivers.base import AbstractDriver

__all__ = ["DriverSpec"]


@dataclass(frozen=True)
class DriverSpec:
    """Describes one driver without connecting to anything.

    ``connect`` builds a ready driver from the :class:`~coodie.connect.ConnectOptions` record
    core made of ``init_coodie``'s arguments, for the sync API; ``connect_async`` does the
    same from a running event loop. Factories should import the client library themselves,
    so listing drivers stays cheap.

    ``capabilities`` lists the connect options the driver honours beyond the baseline
    (contact points sharing one port, a keyspace); core refuses any other option the caller
    sets, naming the driver, and appends ``advice[capability]`` (what to do instead) when
    the driver gives it.
    """

    name: str
    #: None when the driver has no sync (or no async) path: core then refuses that API's
    #: ``init_coodie`` with an error naming the driver.
    connect: Callable[[ConnectOptions], AbstractDriver] | None
    connect_async: Callable[[ConnectOptions], Awaitable[AbstractDriver]] | None
    description: str = ""
    aliases: tuple[str, ...] = ()
    capabilities: frozenset[Capability] = frozenset()
    advice: Mapping[Capability, str] = field(default_factory=dict, compare=False, hash=False)
    #: Filled in by the registry from the plugin's distribution.
    distribution: str = field(default="", compare=False)
    version: str = field(default="", compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def origin(self) -> str:
        """``distribution version`` for messages, e.g. ``coodie-driver-cassandra 0.1.0``."""
        return f"{self.distribution} {self.version}".strip() or "an unnamed plugin"
