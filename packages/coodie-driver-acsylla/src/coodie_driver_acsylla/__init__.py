"""coodie driver plugin for acsylla (asyncio bindings of the ScyllaDB/DataStax C++ driver).

Importing this package does not import acsylla; :func:`connect` and :func:`connect_async` do.
"""

from __future__ import annotations

from coodie_driver_acsylla.codecs import UNSET
from coodie_driver_acsylla.driver import AcsyllaDriver, connect, connect_async

__all__ = ["UNSET", "AcsyllaDriver", "connect", "connect_async"]
