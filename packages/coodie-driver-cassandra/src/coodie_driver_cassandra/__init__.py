"""coodie driver plugin for cassandra-driver and scylla-driver (both import as ``cassandra``).

Importing this package does not import the client library; :func:`connect`,
:func:`connect_async` and :class:`CassandraDriver` are loaded on first access, so listing
coodie's plugins stays cheap even when no client is installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "DEFAULT_PREPARED_CACHE_SIZE",
    "CassandraDriver",
    "PreparedCache",
    "ValueConversionError",
    "connect",
    "connect_async",
]
__version__ = "2.0.0"

DEFAULT_PREPARED_CACHE_SIZE = 1000

if TYPE_CHECKING:
    from coodie.drivers.kit import PreparedCache
    from coodie.drivers.kit.cassandra import ValueConversionError
    from coodie_driver_cassandra.connecting import connect, connect_async
    from coodie_driver_cassandra.execution import CassandraDriver

_LAZY = {
    "CassandraDriver": "coodie_driver_cassandra.execution",
    "connect": "coodie_driver_cassandra.connecting",
    "connect_async": "coodie_driver_cassandra.connecting",
    "ValueConversionError": "coodie.drivers.kit.cassandra.codecs",
    "PreparedCache": "coodie.drivers.kit.prepared",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
