"""The test forwarder: bytes flow both ways, and pause() holds them until resume()."""

from __future__ import annotations

import socket
import threading

import pytest

from coodie.testing.forwarder import DelayedForwarder


def _echo_server() -> tuple[socket.socket, int]:
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            while data := conn.recv(1024):
                conn.sendall(data)

    threading.Thread(target=serve, daemon=True).start()
    return server, server.getsockname()[1]


def test_pause_holds_the_bytes_until_resume() -> None:
    server, port = _echo_server()
    with (
        server,
        DelayedForwarder(("127.0.0.1", port)) as forwarder,
        socket.create_connection(("127.0.0.1", forwarder.port), timeout=5) as client,
    ):
        client.sendall(b"one")
        assert client.recv(16) == b"one"
        forwarder.pause()
        client.sendall(b"two")
        client.settimeout(0.3)
        with pytest.raises(TimeoutError):  # nothing comes back while paused
            client.recv(16)
        forwarder.resume()
        client.settimeout(5)
        assert client.recv(16) == b"two"  # held, not lost
        assert forwarder.accepted == 1
