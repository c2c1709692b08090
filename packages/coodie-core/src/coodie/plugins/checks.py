"""Core's guard around a plugin's factories: the API it lacks, the object it returns.

``init_coodie`` takes its factory from here rather than from the spec, so that a driver
without a sync (or async) path is refused with a message naming the driver, instead of
``TypeError: 'NoneType' object is not callable``, and a factory that returns something other
than an :class:`~coodie.drivers.base.AbstractDriver` is caught at connect time, naming the
plugin, instead of failing later at the first query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.drivers.base import AbstractDriver
from coodie.exceptions import ConfigurationError, PluginLoadError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from coodie.connect import ConnectOptions
    from coodie.plugins.spec import DriverSpec

__all__ = ["checked_driver", "connect", "connect_async"]


def _missing(spec: DriverSpec, api: str, other: str) -> ConfigurationError:
    return ConfigurationError(
        f"The {spec.name} driver ({spec.origin()}) has no {api} path (its DriverSpec gives "
        f"no {'connect' if api == 'sync' else 'connect_async'} factory): use "
        f"coodie.{other}.init_coodie(...) with it, or pick a driver that supports the {api} "
        "API (python -m coodie drivers lists the installed ones)."
    )


def checked_driver(spec: DriverSpec, driver: object) -> AbstractDriver:
    """``driver`` if it is an AbstractDriver, else PluginLoadError naming the plugin."""
    if isinstance(driver, AbstractDriver):
        return driver
    raise PluginLoadError(
        f"The coodie plugin {spec.origin()} is broken: the factory of its {spec.name!r} driver "
        f"returned {type(driver).__name__}, not a coodie.drivers.AbstractDriver. Its connect "
        "factories must return a connected driver; report this to the plugin's authors."
    )


def connect(spec: DriverSpec) -> Callable[[ConnectOptions], AbstractDriver]:
    """The sync factory of ``spec``, checking what it returns (refused when there is none)."""
    factory = spec.connect
    if factory is None:
        raise _missing(spec, "sync", "aio")

    def checked(options: ConnectOptions) -> AbstractDriver:
        return checked_driver(spec, factory(options))

    return checked


def connect_async(spec: DriverSpec) -> Callable[[ConnectOptions], Awaitable[AbstractDriver]]:
    """The async factory of ``spec``, checking what it returns (refused when there is none)."""
    factory = spec.connect_async
    if factory is None:
        raise _missing(spec, "async", "sync")

    async def checked(options: ConnectOptions) -> AbstractDriver:
        return checked_driver(spec, await factory(options))

    return checked
