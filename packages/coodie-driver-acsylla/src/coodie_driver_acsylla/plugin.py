"""The ``coodie`` entry point of this distribution: registers the ``acsylla`` driver.

Nothing here imports acsylla; the factories do when they are called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.connect import ALL_CAPABILITIES, Capability
from coodie.plugins.hookspecs import hookimpl
from coodie.plugins.spec import DriverSpec

if TYPE_CHECKING:
    from collections.abc import Mapping

    from coodie.connect import ConnectOptions
    from coodie_driver_acsylla.driver import AcsyllaDriver

NAME = "acsylla"

#: What acsylla (the C++ driver) cannot do: one port serves every contact point, TLS is
#: configured from PEM text rather than an ``ssl.SSLContext``, and a session opened by the
#: caller keeps the request defaults it was created with. Its sync path is core's bridge
#: (a background event loop, coodie.drivers.AsyncOnlyDriver), not acsylla's own.
CAPABILITIES = ALL_CAPABILITIES - {
    Capability.PER_HOST_PORTS,
    Capability.SSL_CONTEXT,
    Capability.SESSION_DEFAULTS,
    Capability.NATIVE_SYNC,
}
ADVICE: Mapping[Capability, str] = {
    Capability.PER_HOST_PORTS: (
        "acsylla connects to every contact point on the same port. Use one port for all "
        "hosts (e.g. hosts=['a:19042', 'b:19042'], or port=19042), or driver_type='cassandra', "
        "which takes a port per host."
    ),
    Capability.SSL_CONTEXT: (
        "acsylla cannot use an ssl.SSLContext: pass ssl=True with ssl_trusted_cert=<CA PEM or "
        "path>, and for client certificates ssl_cert= / ssl_private_key= (and "
        "ssl_verify_flags='NONE'|'PEER_CERT'|'PEER_IDENTITY'|'PEER_IDENTITY_DNS')."
    ),
    Capability.SESSION_DEFAULTS: (
        "set consistency / request_timeout on the acsylla cluster you created the session "
        "from, or pass hosts= instead of session=."
    ),
}


def connect(options: ConnectOptions) -> AcsyllaDriver:
    """A connected AcsyllaDriver for the blocking API."""
    from coodie_driver_acsylla.driver import open_driver

    return open_driver(options)


async def connect_async(options: ConnectOptions) -> AcsyllaDriver:
    """A connected AcsyllaDriver for the asyncio API."""
    from coodie_driver_acsylla.driver import open_driver_async

    return await open_driver_async(options)


@hookimpl
def coodie_drivers() -> list[DriverSpec]:
    """The ``acsylla`` driver plugin."""
    return [
        DriverSpec(
            name=NAME,
            connect=connect,
            connect_async=connect_async,
            description="acsylla: native asyncio over the C++ driver (Cassandra, ScyllaDB)",
            capabilities=CAPABILITIES,
            advice=ADVICE,
        )
    ]
