"""One real local Cassandra node: fetch, start, CQL probe, stop (slow: run with -m integration)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from pytest_coodie import probe, start_local_cassandra
from pytest_coodie.local import process_group_alive


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.integration
def test_local_node_starts_answers_and_stops() -> None:
    # Free ports, so this also works next to a node started by `python -m pytest_coodie start`.
    cluster = start_local_cassandra(1, native_port=free_port(), storage_port=free_port())
    try:
        assert cluster.kind == "local-cassandra"
        ((host, port),) = cluster.contact_points
        assert host == "127.0.0.1"
        assert probe(host, port).startswith("5.0.")
        assert cluster.release_version == probe(host, port)
        (pgid,) = cluster.pgids
        assert process_group_alive(pgid)
        workdir = Path(cluster.workdir)
        assert (workdir / "node1" / "logs" / "output.log").is_file()
    finally:
        cluster.stop()
    assert not process_group_alive(pgid)
    assert cluster.procs[0].returncode is not None
    assert not workdir.exists()
    with pytest.raises(ConnectionRefusedError):
        probe(host, port, timeout=2)
