"""The typed record a driver plugin returns from the ``coodie_drivers`` hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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

    A client with only one path declares it with :meth:`async_only` / :meth:`sync_only`:
    core derives the other factory (the ``NATIVE_SYNC`` / ``NATIVE_ASYNC`` capabilities say
    which path is the client's own).
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

    @classmethod
    def async_only(
        cls,
        name: str,
        connect_async: Callable[[ConnectOptions], Awaitable[AbstractDriver]],
        **fields: Any,
    ) -> DriverSpec:
        """The spec of an asyncio-only driver (an ``AsyncOnlyDriver``): core's sync path runs
        ``connect_async`` on a background event loop the driver owns. ``capabilities`` loses
        ``NATIVE_SYNC`` (the listing says the sync API is bridged)."""
        from coodie.connect import Capability
        from coodie.plugins.bridged import sync_via_own_loop

        capabilities = frozenset(fields.pop("capabilities", ())) - {Capability.NATIVE_SYNC}
        return cls(
            name=name,
            connect=sync_via_own_loop(name, connect_async),
            connect_async=connect_async,
            capabilities=capabilities | {Capability.NATIVE_ASYNC},
            **fields,
        )

    @classmethod
    def sync_only(
        cls, name: str, connect: Callable[[ConnectOptions], AbstractDriver], **fields: Any
    ) -> DriverSpec:
        """The spec of a blocking-only driver (a ``SyncOnlyDriver``): core's async path runs
        ``connect`` in a worker thread, and the driver runs requests on its worker pool.
        ``capabilities`` loses ``NATIVE_ASYNC``."""
        from coodie.connect import Capability
        from coodie.plugins.bridged import async_via_thread

        capabilities = frozenset(fields.pop("capabilities", ())) - {Capability.NATIVE_ASYNC}
        return cls(
            name=name,
            connect=connect,
            connect_async=async_via_thread(name, connect),
            capabilities=capabilities | {Capability.NATIVE_SYNC},
            **fields,
        )

    def origin(self) -> str:
        """``distribution version`` for messages, e.g. ``coodie-driver-cassandra 0.1.0``."""
        return f"{self.distribution} {self.version}".strip() or "an unnamed plugin"
