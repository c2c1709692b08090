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

    ``capabilities`` lists what the driver supports beyond the baseline (contact points
    sharing one port, a keyspace, plain statements): connect options (per-host ports,
    ``ssl_context=``, ...) and what statements may ask for (resuming from a
    ``paging_state``, LWT, each batch type, vector columns). Core refuses a connect option
    it lacks before the factory runs, and a statement needing one before it is sent, naming
    the driver and appending ``advice[capability]`` (what to do instead) when given. The
    sync and async paths are the factories: a driver without one gives ``None``, and that
    API's ``init_coodie`` is refused naming the driver. The conformance suite skips what a
    driver does not declare.
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
        """The driver's name and its aliases."""
        return (self.name, *self.aliases)

    def supports_sync(self) -> bool:
        """Whether the driver can connect for the blocking API."""
        return self.connect is not None

    def supports_async(self) -> bool:
        """Whether the driver can connect for the asyncio API."""
        return self.connect_async is not None

    def origin(self) -> str:
        """``distribution version`` for messages, e.g. ``coodie-driver-cassandra 0.1.0``."""
        return f"{self.distribution} {self.version}".strip() or "an unnamed plugin"
