"""coodie plugin entry point: registers the ``cassandra`` driver (aliases ``scylla``, ...).

Listing plugins must stay cheap, so this module never imports the ``cassandra`` client; the
factories import :mod:`coodie_driver_cassandra.driver` on first use.
"""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING, Any

from coodie.connect import ALL_CAPABILITIES
from coodie.exceptions import ConfigurationError
from coodie.plugins.hookspecs import hookimpl
from coodie.plugins.spec import DriverSpec

if TYPE_CHECKING:
    from collections.abc import Mapping

    from coodie.connect import Capability, ConnectOptions
    from coodie_driver_cassandra.execution import CassandraDriver

__all__ = ["ADVICE", "CAPABILITIES", "connect", "connect_async", "coodie_drivers"]

NAME = "cassandra"
ALIASES = ("scylla", "cassandra-driver", "scylla-driver")
_CLIENTS = ("scylla-driver", "cassandra-driver")
#: cassandra-driver honours every option of core's connect record.
CAPABILITIES = ALL_CAPABILITIES
ADVICE: Mapping[Capability, str] = {}


def installed_client() -> str | None:
    """``"cassandra-driver 3.30.1"`` / ``"scylla-driver 3.29.2"``, or None (no import done)."""
    for dist in _CLIENTS:
        try:
            return f"{dist} {metadata.version(dist)}"
        except metadata.PackageNotFoundError:
            continue
    return None


def _driver_module() -> Any:
    try:
        from coodie_driver_cassandra import connecting as driver
    except ImportError as exc:
        if exc.name is not None and exc.name.split(".")[0] == "cassandra":
            raise ConfigurationError(
                "The coodie cassandra driver needs cassandra-driver or scylla-driver. Install "
                'one of them with: pip install "coodie[cassandra]" (or "coodie[scylla]").'
            ) from exc
        raise
    return driver


def connect(options: ConnectOptions) -> CassandraDriver:
    """Factory used by ``coodie.sync.init_coodie``: core's record -> a connected driver."""
    result: CassandraDriver = _driver_module().open_driver(options)
    return result


async def connect_async(options: ConnectOptions) -> CassandraDriver:
    """Factory used by ``coodie.aio.init_coodie``."""
    result: CassandraDriver = await _driver_module().open_driver_async(options)
    return result


@hookimpl
def coodie_drivers() -> list[DriverSpec]:
    """The ``cassandra`` driver plugin (also for scylla-driver, which imports the same way)."""
    client = installed_client()
    where = client or 'client not installed: pip install "coodie[cassandra]"'
    return [
        DriverSpec(
            name=NAME,
            connect=connect,
            connect_async=connect_async,
            description=f"Apache Cassandra / ScyllaDB via {where}",
            aliases=ALIASES,
            capabilities=CAPABILITIES,
            advice=ADVICE,
        )
    ]
