"""coodie's plugin system: pluggy hook specs, typed driver records, entry-point discovery."""

from coodie.plugins.hookspecs import hookimpl, hookspec
from coodie.plugins.registry import DriverRegistry, PluginFailure, get_registry
from coodie.plugins.spec import DriverSpec

__all__ = ["DriverRegistry", "DriverSpec", "PluginFailure", "get_registry", "hookimpl", "hookspec"]
