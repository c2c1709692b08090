"""Contact points from the connect record, in the shapes client libraries take.

Core parsed every spelling of ``hosts=`` into ``ConnectOptions.contact_points`` (a tuple of
``ContactPoint(host, port)``). These helpers read any record with ``contact_points`` and
``port`` attributes, so a driver does not depend on how the record is built.
"""

from __future__ import annotations

from typing import Protocol

from coodie.exceptions import UnsupportedByDriverError

__all__ = ["HasContactPoints", "host_port_pairs", "host_port_strings", "hosts_and_shared_port"]


class _Point(Protocol):
    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int: ...


class HasContactPoints(Protocol):
    """What these helpers read from ``coodie.connect.ConnectOptions``."""

    @property
    def contact_points(self) -> tuple[_Point, ...]:
        """The parsed contact points, each with its host and port."""

    @property
    def port(self) -> int:
        """The port of contact points given without one."""


def host_port_pairs(options: HasContactPoints) -> list[tuple[str, int]]:
    """``[(host, port), ...]``, every port explicit."""
    return [(point.host, point.port) for point in options.contact_points]


def host_port_strings(options: HasContactPoints) -> list[str]:
    """``["host:port", "[v6]:port", ...]``."""
    return [
        f"[{p.host}]:{p.port}" if ":" in p.host else f"{p.host}:{p.port}"
        for p in options.contact_points
    ]


def hosts_and_shared_port(options: HasContactPoints, driver: str) -> tuple[list[str], int]:
    """The hosts and the one port they all use, for clients that take a single port.

    Core refuses hosts on different ports unless the driver declares ``PER_HOST_PORTS``; a
    driver that declares it but calls this anyway gets the same clear error here.
    """
    hosts = [point.host for point in options.contact_points]
    ports = {point.port for point in options.contact_points}
    if len(ports) > 1:
        raise UnsupportedByDriverError(
            f"The {driver} driver uses one port for every host, but the contact points name "
            f"{len(ports)} ports ({', '.join(map(str, sorted(ports)))}); put every node on one "
            "port and pass it as port=."
        )
    return hosts, next(iter(ports), options.port)
