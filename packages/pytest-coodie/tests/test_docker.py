"""Docker counts as present only when a daemon answers GET /_ping."""

from __future__ import annotations

import contextlib
import socket
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_coodie import docker_available
from pytest_coodie.errors import CoodieNodeError
from pytest_coodie.launcher import provide_cluster

# POSIX-only: fake shell-script programs, process groups and unix sockets.
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX only")

if TYPE_CHECKING:
    from collections.abc import Iterator


def test_missing_socket_means_no_docker(tmp_path: Path) -> None:
    assert docker_available({"DOCKER_HOST": f"unix://{tmp_path}/nope.sock"}) is False


def test_closed_tcp_port_means_no_docker() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens on it once closed
    assert docker_available({"DOCKER_HOST": f"tcp://127.0.0.1:{port}"}, timeout=1) is False


@contextlib.contextmanager
def fake_daemon(path: Path, status_line: bytes) -> Iterator[None]:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    requests: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            requests.append(conn.recv(4096))
            conn.sendall(status_line + b"\r\nContent-Length: 2\r\n\r\nOK")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join(5)
        server.close()
        assert requests
        assert requests[0].startswith(b"GET /_ping HTTP/1.1")


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """Unix socket paths are limited to ~100 bytes; pytest's tmp_path can be longer."""
    with tempfile.TemporaryDirectory(prefix="cd-", dir="/tmp") as d:
        yield Path(d)


def test_answering_daemon_means_docker(short_tmp: Path) -> None:
    sock = short_tmp / "d.sock"
    with fake_daemon(sock, b"HTTP/1.1 200 OK"):
        assert docker_available({"DOCKER_HOST": f"unix://{sock}"}) is True


def test_daemon_error_means_no_docker(short_tmp: Path) -> None:
    sock = short_tmp / "d.sock"
    with fake_daemon(sock, b"HTTP/1.1 500 Internal Server Error"):
        assert docker_available({"DOCKER_HOST": f"unix://{sock}"}) is False


def test_forced_docker_backend_without_daemon_fails_clearly(tmp_path: Path) -> None:
    env = {"COODIE_BACKEND": "docker", "DOCKER_HOST": f"unix://{tmp_path}/nope.sock"}
    with pytest.raises(CoodieNodeError, match="no Docker daemon answered"):
        provide_cluster(env=env)


def test_unknown_backend_is_rejected() -> None:
    with pytest.raises(CoodieNodeError, match="COODIE_BACKEND"):
        provide_cluster(env={"COODIE_BACKEND": "podman"})
