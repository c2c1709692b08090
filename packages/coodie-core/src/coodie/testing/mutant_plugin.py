"""Mutants as drivers of their own: ``<driver>-mutant-<kind>`` in the plugin registry.

The conformance suite's connect tests open connections through ``init_coodie(driver_type=
driver.name)``; registering every mutant kind of a real driver as a plugin (its factories
wrap the real driver's) makes those connections mutants too, so the whole suite sees the
broken rule.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from coodie.plugins import DriverSpec, hookimpl
from coodie.plugins.registry import DriverRegistry, get_registry
from coodie.testing.mutants import MUTANT_KINDS, Mutant

if TYPE_CHECKING:
    from coodie.connect import ConnectOptions
    from coodie.drivers.base import AbstractDriver

__all__ = ["mutant_name", "register_mutants", "wrap"]

#: The plugin names registered with each registry, so each registration happens once.
_registered: weakref.WeakKeyDictionary[DriverRegistry, set[str]] = weakref.WeakKeyDictionary()
_classes: dict[tuple[type[Mutant], type[AbstractDriver]], type[Mutant]] = {}


def mutant_name(real_name: str, kind: type[Mutant]) -> str:
    """The driver name a mutant kind of ``real_name`` registers under."""
    return f"{real_name}-mutant-{kind.slug}"


def wrap(inner: AbstractDriver, kind: type[Mutant]) -> Mutant:
    """``inner`` as the ``kind`` mutant, registered under its own driver name."""
    register_mutants(inner.name)
    key = (kind, type(inner))
    if key not in _classes:
        # One subclass per real driver class: the name resolves to the mutant's spec, and
        # the types the real driver cannot carry stay refused.
        attributes = {
            "name": mutant_name(inner.name, kind),
            "unsupported_types": dict(type(inner).unsupported_types),
        }
        _classes[key] = type(kind.__name__, (kind,), attributes)
    return _classes[key](inner)


class _MutantsOf:
    """Plugin offering every mutant kind of the driver ``real`` describes."""

    def __init__(self, real: DriverSpec) -> None:
        # Resolved before registering: a hook may not ask the registry it is collected by.
        self.real = real

    @hookimpl
    def coodie_drivers(self) -> list[DriverSpec]:
        return [_spec(self.real, kind) for kind in MUTANT_KINDS]


def _spec(real: DriverSpec, kind: type[Mutant]) -> DriverSpec:
    connect, connect_async = real.connect, real.connect_async

    def connect_sync(options: ConnectOptions) -> AbstractDriver:
        assert connect is not None
        return wrap(connect(options), kind)

    async def connect_in_loop(options: ConnectOptions) -> AbstractDriver:
        assert connect_async is not None
        return wrap(await connect_async(options), kind)

    return DriverSpec(
        name=mutant_name(real.name, kind),
        connect=connect_sync if connect is not None else None,
        connect_async=connect_in_loop if connect_async is not None else None,
        description=f"{real.name}, but it {kind.rule} (conformance self-test)",
        capabilities=real.capabilities,
        advice=real.advice,
    )


def register_mutants(real_name: str) -> None:
    """Register the mutants of ``real_name`` with the current registry (once)."""
    registry = get_registry()
    plugin_name = f"coodie-mutants-{real_name}"
    done = _registered.setdefault(registry, set())
    if plugin_name in done:
        return
    plugin = _MutantsOf(registry.resolve(real_name))
    registry.register(plugin, plugin_name, distribution="coodie.testing")
    done.add(plugin_name)
