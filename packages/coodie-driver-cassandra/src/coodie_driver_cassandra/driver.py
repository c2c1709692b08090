"""The names this module has always offered, now defined by job in sibling modules.

:mod:`~coodie_driver_cassandra.execution` (the driver class),
:mod:`~coodie_driver_cassandra.requests` (requests and pages),
:mod:`~coodie_driver_cassandra.prepare` (prepared statements) and
:mod:`~coodie_driver_cassandra.connecting` (core's connect record -> a ``Cluster``).
"""

from __future__ import annotations

from typing import Any

from coodie.connect import DEFAULT_PORT, parse_contact_points
from coodie_driver_cassandra.connecting import connect, connect_async
from coodie_driver_cassandra.execution import CassandraDriver
from coodie_driver_cassandra.requests import CONSISTENCY_LEVELS, consistency_level

__all__ = [
    "CONSISTENCY_LEVELS",
    "CassandraDriver",
    "connect",
    "connect_async",
    "consistency_level",
    "parse_hosts",
]


def parse_hosts(hosts: Any, default_port: int = DEFAULT_PORT) -> list[tuple[str, int]]:
    """``"a,b:9043"``, ``["a", "b:9043", "[::1]:9042", ("c", 9044)]`` -> ``[(host, port)]``
    (core's parser, in the form cassandra-driver's ``Cluster(contact_points=...)`` takes)."""
    return [(p.host, p.port) for p in parse_contact_points(hosts, default_port)]
