"""Docker detection and a pinned ScyllaDB container via testcontainers (optional extra).

Docker counts as available only when its daemon answers ``GET /_ping``: a ``docker`` binary
or a stale socket file says nothing about whether containers can actually be started.
"""

from __future__ import annotations

import http.client
import importlib
import os
import socket
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from .cqlprobe import probe
from .errors import CQLProbeError, NodeStartError
from .handle import ClusterHandle

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_SOCKET = "/var/run/docker.sock"
#: Pinned so test results do not change under us; override with COODIE_SCYLLA_IMAGE.
SCYLLA_IMAGE = "scylladb/scylla:2025.1"
SCYLLA_COMMAND = (
    "--smp 1 --memory 1G --overprovisioned 1 --developer-mode 1 --skip-wait-for-gossip-to-settle 0"
)


def _http_ping(conn: http.client.HTTPConnection) -> bool:
    try:
        conn.request("GET", "/_ping")
        response = conn.getresponse()
        body = response.read(64)
        return response.status == 200 and body.strip() == b"OK"
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def docker_available(env: Mapping[str, str] | None = None, timeout: float = 2.0) -> bool:
    """True only if the daemon named by DOCKER_HOST (default the unix socket) answers a ping."""
    env = os.environ if env is None else env
    host = env.get("DOCKER_HOST") or f"unix://{DEFAULT_SOCKET}"
    url = urlparse(host)
    if url.scheme == "unix":
        path = url.path or DEFAULT_SOCKET
        if not os.path.exists(path):
            return False
        return _http_ping(_UnixHTTPConnection(path, timeout))
    if url.scheme in ("tcp", "http") and url.hostname:
        return _http_ping(
            http.client.HTTPConnection(url.hostname, url.port or 2375, timeout=timeout)
        )
    return False  # https/ssh need TLS material or an ssh client: let testcontainers users opt in


def testcontainers_importable() -> bool:
    """The ``docker`` extra is optional; only import it when Docker is actually usable."""
    try:
        import testcontainers.community.scylla  # noqa: F401
    except ImportError:
        return False
    return True


class DockerScyllaCluster(ClusterHandle):
    """Handle for a ScyllaDB testcontainer; ``stop()`` removes the container."""

    def __init__(self, container: Any, host: str, port: int) -> None:
        super().__init__("docker-scylla", [(host, port)])
        self.container = container
        self.release_version: str | None = None

    def stop(self) -> None:
        """Stop the container; idempotent."""
        if self._stopped:
            return
        self._stopped = True
        self.container.stop()

    def detach(self) -> dict[str, Any]:
        """Leave the container running (CLI ``start``); Ryuk must be disabled for that."""
        self._stopped = True
        wrapped = self.container.get_wrapped_container()
        return {
            "kind": self.kind,
            "contact_points": [list(cp) for cp in self.contact_points],
            "container_id": wrapped.id,
            "release_version": self.release_version,
        }


def start_scylla(
    env: Mapping[str, str] | None = None, timeout: float = 180.0
) -> DockerScyllaCluster:
    """Start the pinned ScyllaDB image and wait until the CQL probe gets a row back.

    ``ScyllaContainer.start()`` waits with the cassandra driver; we start the plain container
    and wait with our own probe instead so the driver stays optional.
    """
    env = os.environ if env is None else env
    from testcontainers.community.scylla import ScyllaContainer
    from testcontainers.core.container import DockerContainer

    image = env.get("COODIE_SCYLLA_IMAGE") or SCYLLA_IMAGE
    container = ScyllaContainer(image=image)
    container.with_command(SCYLLA_COMMAND)
    DockerContainer.start(container)
    try:
        host = container.get_container_host_ip()
        port = int(container.get_exposed_port(9042))
        cluster = DockerScyllaCluster(container, host, port)
        cluster.release_version = _wait_for_cql(host, port, timeout)
    except BaseException:
        container.stop()
        raise
    return cluster


def _wait_for_cql(host: str, port: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    last = "no attempt yet"
    while time.monotonic() < deadline:
        try:
            return probe(host, port, timeout=5.0)
        except (OSError, CQLProbeError) as exc:
            last = f"{type(exc).__name__}: {exc}"
        time.sleep(1.0)
    raise NodeStartError(
        f"ScyllaDB at {host}:{port} did not answer CQL in {timeout:.0f} s ({last})"
    )


def remove_container(container_id: str) -> None:
    """Remove a detached container by id (CLI ``stop``), via the docker SDK testcontainers uses."""
    docker: Any = importlib.import_module("docker")  # untyped, and optional
    client = docker.from_env()
    try:
        client.containers.get(container_id).remove(force=True)
    except docker.errors.NotFound:
        pass
    finally:
        client.close()
