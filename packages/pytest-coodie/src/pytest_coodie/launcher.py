"""Pick where the test cluster comes from: user hosts, then Docker ScyllaDB, then a local JVM.

Pure standard library (no pytest, no driver) so applications and scripts can reuse it.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from .auth import auth_from_env
from .docker import docker_available, start_scylla, testcontainers_importable
from .errors import CoodieNodeError, InvalidHostsError
from .handle import ClusterHandle
from .local import start_local_cassandra

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .cqlprobe import Credentials

DEFAULT_CQL_PORT = 9042
BACKENDS = ("auto", "docker", "local")


def parse_hosts(value: str, default_port: int = DEFAULT_CQL_PORT) -> list[tuple[str, int]]:
    """Parse ``host[:port],host[:port]`` (IPv6 as ``[::1]:9042``) into ``(host, port)``."""
    points: list[tuple[str, int]] = []
    for raw in value.split(","):
        item = raw.strip()
        if not item:
            continue
        port_text: str | None = None
        if item.startswith("["):
            host, sep, rest = item[1:].partition("]")
            if not sep or (rest and not rest.startswith(":")):
                raise InvalidHostsError(f"bad IPv6 contact point {item!r}; use [addr]:port")
            port_text = rest[1:] if rest else None
        elif item.count(":") == 1:
            host, port_text = item.split(":")
        elif ":" in item:
            raise InvalidHostsError(f"bare IPv6 contact point {item!r}; write it as [addr]:port")
        else:
            host = item
        if not host:
            raise InvalidHostsError(f"empty host in contact point {item!r}")
        port = default_port
        if port_text is not None:
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise InvalidHostsError(f"bad port in contact point {item!r}")
            port = int(port_text)
        points.append((host, port))
    if not points:
        raise InvalidHostsError(f"no contact points in {value!r}")
    return points


def hosts_from_env(env: Mapping[str, str] | None = None) -> list[tuple[str, int]] | None:
    """Contact points from COODIE_TEST_HOSTS, or None when it is unset or blank."""
    env = os.environ if env is None else env
    value = env.get("COODIE_TEST_HOSTS", "")
    return parse_hosts(value) if value.strip() else None


def _log(message: str) -> None:
    print(f"[pytest-coodie] {message}", file=sys.stderr, flush=True)


def provide_cluster(
    nodes: int = 1,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    auth: Credentials | None = None,
) -> ClusterHandle:
    """Return a ready cluster handle: COODIE_TEST_HOSTS, else Docker ScyllaDB (when a daemon
    answers and testcontainers is installed, single node only), else local Cassandra 5.0.

    ``COODIE_BACKEND=docker|local`` forces one of the last two. ``auth`` (else
    COODIE_CASSANDRA_AUTH) asks for a node with PasswordAuthenticator and those
    credentials; only the local backend starts one (with user hosts they are passed on).
    """
    env = os.environ if env is None else env
    auth = auth or auth_from_env(env)
    points = hosts_from_env(env)
    if points is not None:
        return ClusterHandle("env", points, auth)

    backend = (env.get("COODIE_BACKEND") or "auto").strip().lower()
    if backend not in BACKENDS:
        raise CoodieNodeError(f"COODIE_BACKEND must be one of {BACKENDS}, got {backend!r}")
    if backend == "docker" and auth is not None:
        raise CoodieNodeError(
            "authentication is only set up on the local backend: use COODIE_BACKEND=local "
            "(or auto) with the auth option"
        )
    if backend in ("auto", "docker"):
        usable = (
            auth is None and nodes == 1 and docker_available(env) and testcontainers_importable()
        )
        if usable:
            _log("starting ScyllaDB in Docker ...")
            return start_scylla(env, timeout=timeout or 180.0)
        if backend == "docker":
            raise CoodieNodeError(
                "COODIE_BACKEND=docker but no Docker daemon answered a ping, testcontainers "
                "is missing (pip install 'pytest-coodie[docker]'), or nodes > 1"
            )
    _log(f"starting {nodes} local Cassandra node(s) ...")
    return start_local_cassandra(nodes, timeout=timeout, env=env, auth=auth)
