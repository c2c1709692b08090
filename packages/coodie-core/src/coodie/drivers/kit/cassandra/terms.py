"""coodie's settings in cassandra-driver terms: consistency levels, batch types, contact points."""

from __future__ import annotations

from typing import Any

from cassandra import ConsistencyLevel
from cassandra.query import BatchType as DriverBatchType

from coodie.drivers.kit.consistency import ConsistencyLevels
from coodie.drivers.kit.contact_points import HasContactPoints, host_port_pairs
from coodie.drivers.statement import BatchType

__all__ = ["BATCH_TYPES", "CONSISTENCY_LEVELS", "cluster_contact_points"]

#: coodie's consistency levels -> ``cassandra.ConsistencyLevel`` values.
CONSISTENCY_LEVELS: ConsistencyLevels[int] = ConsistencyLevels.from_names(
    "cassandra-driver", ConsistencyLevel
)

#: coodie's batch types -> cassandra-driver's.
BATCH_TYPES: dict[BatchType, Any] = {
    BatchType.LOGGED: DriverBatchType.LOGGED,
    BatchType.UNLOGGED: DriverBatchType.UNLOGGED,
    BatchType.COUNTER: DriverBatchType.COUNTER,
}


def cluster_contact_points(options: HasContactPoints) -> dict[str, Any]:
    """``Cluster(**...)`` keywords for the record's contact points.

    When every contact point uses one port, the hosts go as plain addresses with
    ``Cluster(port=...)``: scylla-driver 3.29 ignores the port of ``(host, port)`` contact
    points, and both clients use ``Cluster.port`` for the nodes they discover. Hosts on
    different ports go as ``(host, port)`` pairs, with ``port=`` (default 9042) for the others.
    """
    ports = {point.port for point in options.contact_points}
    if len(ports) <= 1:
        hosts = [point.host for point in options.contact_points]
        return {"contact_points": hosts, "port": next(iter(ports), options.port)}
    return {"contact_points": host_port_pairs(options), "port": options.port}
