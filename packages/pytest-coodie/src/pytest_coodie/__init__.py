"""pytest-coodie: a running Cassandra/ScyllaDB node for coodie's tests and its users' tests."""

from __future__ import annotations

from .auth import DEFAULT_CREDENTIALS, auth_from_env, parse_auth
from .config import NodeSpec
from .cqlprobe import probe
from .docker import DockerScyllaCluster, docker_available
from .errors import (
    CoodieNodeError,
    CQLProbeError,
    FetchError,
    InvalidAuthError,
    InvalidHostsError,
    JavaNotFoundError,
    MavenNotFoundError,
    NodeStartError,
    PortInUseError,
)
from .fetch import DEFAULT_CASSANDRA_VERSION, ensure_jars
from .handle import ClusterHandle, Kind
from .javatools import find_java, find_maven
from .launcher import hosts_from_env, parse_hosts, provide_cluster
from .local import LocalCassandraCluster, start_local_cassandra

__all__ = [
    "DEFAULT_CASSANDRA_VERSION",
    "DEFAULT_CREDENTIALS",
    "CQLProbeError",
    "ClusterHandle",
    "CoodieNodeError",
    "DockerScyllaCluster",
    "FetchError",
    "InvalidAuthError",
    "InvalidHostsError",
    "JavaNotFoundError",
    "Kind",
    "LocalCassandraCluster",
    "MavenNotFoundError",
    "NodeSpec",
    "NodeStartError",
    "PortInUseError",
    "auth_from_env",
    "docker_available",
    "ensure_jars",
    "find_java",
    "find_maven",
    "hosts_from_env",
    "parse_auth",
    "parse_hosts",
    "probe",
    "provide_cluster",
    "start_local_cassandra",
]
