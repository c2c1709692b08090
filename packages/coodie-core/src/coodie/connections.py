"""Named connections: each name maps to one driver; models pick one with Settings.connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.exceptions import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from coodie.drivers.base import AbstractDriver
    from coodie.drivers.observe import ObserveOptions

__all__ = [
    "DEFAULT",
    "get_driver",
    "names",
    "on_change",
    "register_driver",
    "unregister_driver",
]

DEFAULT = "default"
_drivers: dict[str, AbstractDriver] = {}
#: The registry itself, read-only for other modules.
registered: Mapping[str, AbstractDriver] = _drivers
_listeners: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener()`` whenever a connection is registered, replaced or removed.

    Caches of anything derived from a driver (the models' mappers) use this to forget it,
    so the hot paths never have to check that the driver they hold is still current.
    """
    _listeners.append(listener)


def _changed() -> None:
    for listener in _listeners:
        listener()


def register_driver(
    driver: AbstractDriver, name: str = DEFAULT, observing: ObserveOptions | None = None
) -> AbstractDriver:
    """Make ``driver`` the connection called ``name`` (replacing any previous one).

    Its statements are logged (``coodie.cql``) and traced as ``observing`` says (by default:
    logged when that logger is enabled for DEBUG now; see :mod:`coodie.drivers.observe`).
    """
    from coodie.drivers.observe import observe

    observe(driver, observing)
    _drivers[name] = driver
    _changed()
    return driver


def unregister_driver(name: str = DEFAULT) -> AbstractDriver | None:
    """Forget the connection called ``name`` and return its driver (not closed)."""
    driver = _drivers.pop(name, None)
    _changed()
    return driver


def get_driver(name: str | None = None) -> AbstractDriver:
    """The driver of connection ``name`` (the default connection when ``None``)."""
    driver = _drivers.get(name or DEFAULT)
    if driver is None:
        known = ", ".join(sorted(_drivers)) or "none"
        raise ConfigurationError(
            f"No coodie connection named {name or DEFAULT!r}. Call init_coodie(...) (from "
            f"coodie.sync or coodie.aio) with name={name or DEFAULT!r} first. "
            f"Registered connections: {known}."
        )
    return driver


def names() -> list[str]:
    """The names of the open connections, sorted."""
    return sorted(_drivers)
