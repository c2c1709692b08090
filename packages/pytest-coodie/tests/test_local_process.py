"""Process handling of the local launcher, with stand-in processes instead of a JVM."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from pytest_coodie import LocalCassandraCluster, NodeStartError, PortInUseError, config
from pytest_coodie.local import check_ports, process_group_alive, terminate_groups

# POSIX-only: fake shell-script programs, process groups and unix sockets.
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX only")

if TYPE_CHECKING:
    from pathlib import Path


def test_busy_port_fails_fast_with_the_override_name(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        specs = config.node_specs(1, tmp_path, native_port=port, storage_port=port + 1)
        with pytest.raises(PortInUseError, match=rf"127\.0\.0\.1:{port}.*COODIE_CASSANDRA_PORT"):
            check_ports(specs)


def test_early_exit_raises_at_once_with_the_log_tail(tmp_path: Path) -> None:
    (spec,) = config.node_specs(1, tmp_path, native_port=1, storage_port=2)
    spec.log_dir.mkdir(parents=True)
    with open(spec.output_log, "wb") as log:
        proc = subprocess.Popen(
            ["sh", "-c", "echo 'ERROR fatal configuration error'; exit 3"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    cluster = LocalCassandraCluster([spec], [proc], tmp_path, "5.0.9")
    began = time.monotonic()
    with pytest.raises(NodeStartError, match=r"(?s)exited with code 3.*fatal configuration"):
        cluster.wait_ready(timeout=60)
    assert time.monotonic() - began < 10
    cluster.stop()
    assert not tmp_path.exists()


def test_terminate_groups_escalates_to_sigkill() -> None:
    proc = subprocess.Popen(
        ["sh", "-c", "trap '' TERM; sleep 60 & wait"],
        start_new_session=True,
    )
    time.sleep(0.3)
    assert os.getpgid(proc.pid) == proc.pid
    assert process_group_alive(proc.pid)
    began = time.monotonic()
    terminate_groups([proc.pid], grace=1.0, procs=[proc])
    assert not process_group_alive(proc.pid)
    assert proc.returncode == -9
    assert time.monotonic() - began < 8
