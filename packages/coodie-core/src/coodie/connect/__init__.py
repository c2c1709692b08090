"""Connecting: ``init_coodie(...)``'s arguments turned into one validated, frozen record.

:func:`connect_options` is what both ``init_coodie`` functions call: it builds the
:class:`ConnectOptions` record once (contact points parsed, keyspace checked, options
validated) and refuses what the chosen driver cannot honour, before the driver runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.connect.capabilities import (
    ALL_CAPABILITIES,
    CONNECT_CAPABILITIES,
    PATH_CAPABILITIES,
    Capability,
    check_supported,
    unsupported,
)
from coodie.connect.contact_points import DEFAULT_PORT, ContactPoint, parse_contact_points
from coodie.connect.keyspaces import missing_keyspace
from coodie.connect.options import (
    DEFAULT_PREPARED_CACHE_SIZE,
    ConnectOptions,
    build_connect_options,
)
from coodie.connect.timeouts import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_DDL_TIMEOUT,
    ddl_timeout,
    is_schema_change,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from coodie.plugins.spec import DriverSpec

__all__ = [
    "ALL_CAPABILITIES",
    "CONNECT_CAPABILITIES",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_DDL_TIMEOUT",
    "DEFAULT_PORT",
    "DEFAULT_PREPARED_CACHE_SIZE",
    "PATH_CAPABILITIES",
    "Capability",
    "ConnectOptions",
    "ContactPoint",
    "build_connect_options",
    "check_supported",
    "connect_options",
    "ddl_timeout",
    "is_schema_change",
    "missing_keyspace",
    "parse_contact_points",
    "unsupported",
]


def connect_options(
    spec: DriverSpec,
    hosts: object,
    session: Any,
    keyspace: object,
    options: Mapping[str, Any],
) -> ConnectOptions:
    """The record for ``init_coodie(hosts, session, keyspace, **options)`` on driver ``spec``."""
    record = build_connect_options(hosts, session, keyspace, options)
    check_supported(spec.name, record, spec.capabilities, spec.advice)
    return record
