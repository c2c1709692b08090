"""The stdlib CQL probe against a tiny fake native-protocol v4 server."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from typing import TYPE_CHECKING, Any

import pytest

from pytest_coodie import CQLProbeError, probe
from pytest_coodie.cqlprobe import execute, parse_rows

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


def s(text: str) -> bytes:
    data = text.encode()
    return struct.pack(">H", len(data)) + data


def frame(opcode: int, body: bytes, stream: int) -> bytes:
    return struct.pack(">BBhBi", 0x84, 0, stream, opcode, len(body)) + body


def rows_body(value: bytes, column_type: bytes = struct.pack(">H", 0x000D)) -> bytes:
    """RESULT/Rows with global table spec, one column, one row."""
    metadata = struct.pack(">ii", 0x0001, 1) + s("system") + s("local") + s("release_version")
    cell = struct.pack(">i", len(value)) + value
    return struct.pack(">i", 2) + metadata + column_type + struct.pack(">i", 1) + cell


def read_request(conn: socket.socket) -> tuple[int, int, bytes]:
    header = conn.recv(9, socket.MSG_WAITALL)
    version, _flags, stream, opcode, length = struct.unpack(">BBhBi", header)
    assert version == 0x04
    return stream, opcode, conn.recv(length, socket.MSG_WAITALL) if length else b""


@contextlib.contextmanager
def serving(
    handle: Callable[[socket.socket, list[bytes]], None],
) -> Iterator[tuple[int, list[bytes]]]:
    """A one-connection server on a free port running ``handle(conn, seen)`` in a thread;
    yields the port and the request bodies ``handle`` recorded in ``seen``."""
    server = socket.create_server(("127.0.0.1", 0))
    seen: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            handle(conn, seen)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], seen
    finally:
        thread.join(5)
        server.close()


def fake_server(query_reply: tuple[int, bytes]) -> contextlib.AbstractContextManager[Any]:
    def handle(conn: socket.socket, seen: list[bytes]) -> None:
        stream, opcode, body = read_request(conn)
        assert opcode == 0x01
        seen.append(body)
        conn.sendall(frame(0x02, b"", stream))  # READY
        stream, opcode, body = read_request(conn)
        assert opcode == 0x07
        seen.append(body)
        conn.sendall(frame(query_reply[0], query_reply[1], stream))

    return serving(handle)


def test_probe_reads_release_version() -> None:
    with fake_server((0x08, rows_body(b"5.0.9"))) as (port, seen):
        assert probe("127.0.0.1", port, timeout=5) == "5.0.9"
    startup, query = seen
    assert startup == struct.pack(">H", 1) + s("CQL_VERSION") + s("3.0.0")
    text = b"SELECT release_version FROM system.local"
    assert query == struct.pack(">i", len(text)) + text + struct.pack(">HB", 1, 0)


def test_probe_reports_server_errors() -> None:
    error = struct.pack(">i", 0x1000) + s("Cannot achieve consistency level ONE")
    with fake_server((0x00, error)) as (port, _), pytest.raises(CQLProbeError, match="0x1000"):
        probe("127.0.0.1", port, timeout=5)


def test_probe_on_closed_port_raises_oserror() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConnectionRefusedError):
        probe("127.0.0.1", port, timeout=2)


def test_parse_rows_skips_nested_types_and_nulls() -> None:
    map_of_list = struct.pack(">HHHH", 0x0021, 0x000D, 0x0020, 0x0009)
    body = rows_body(b"x", column_type=map_of_list)
    assert parse_rows(body) == [[b"x"]]
    null_row = body[: -len(struct.pack(">i", 1) + b"x")] + struct.pack(">i", -1)
    assert parse_rows(null_row) == [[None]]


def test_parse_rows_rejects_truncation() -> None:
    with pytest.raises(CQLProbeError, match="truncated"):
        parse_rows(rows_body(b"5.0.9")[:-2])


AUTHENTICATE = frame(0x03, s("org.apache.cassandra.auth.PasswordAuthenticator"), 1)


def auth_server(accept: tuple[str, str] | None) -> contextlib.AbstractContextManager[Any]:
    """A node that answers STARTUP with AUTHENTICATE, then logs in ``accept`` only."""

    def handle(conn: socket.socket, seen: list[bytes]) -> None:
        stream, opcode, _ = read_request(conn)
        assert opcode == 0x01
        conn.sendall(AUTHENTICATE)
        if accept is None:  # the client must give up without logging in
            assert conn.recv(1) == b""
            return
        stream, opcode, body = read_request(conn)
        assert opcode == 0x0F
        seen.append(body)
        if body[4:] != b"\0%s\0%s" % (accept[0].encode(), accept[1].encode()):
            error = struct.pack(">i", 0x0100) + s("Provided username and/or password")
            conn.sendall(frame(0x00, error, stream))
            return
        conn.sendall(frame(0x10, struct.pack(">i", -1), stream))  # AUTH_SUCCESS, no token
        stream, opcode, body = read_request(conn)
        assert opcode == 0x07
        seen.append(body)
        if b"release_version" in body:
            conn.sendall(frame(0x08, rows_body(b"5.0.9"), stream))
        else:
            conn.sendall(frame(0x08, struct.pack(">i", 1), stream))  # RESULT Void

    return serving(handle)


def test_probe_logs_in_with_sasl_plain() -> None:
    with auth_server(("cassandra", "cassandra")) as (port, seen):
        version = probe("127.0.0.1", port, timeout=5, credentials=("cassandra", "cassandra"))
    assert version == "5.0.9"
    token = b"\0cassandra\0cassandra"
    assert seen[0] == struct.pack(">i", len(token)) + token


def test_probe_without_credentials_refuses_an_auth_node() -> None:
    with (
        auth_server(None) as (port, _),
        pytest.raises(CQLProbeError, match=r"requires authentication.*credentials"),
    ):
        probe("127.0.0.1", port, timeout=5)


def test_a_refused_login_is_not_ready_yet() -> None:
    """What a node says before its role manager has created the default superuser."""
    with (
        auth_server(("cassandra", "cassandra")) as (port, _),
        pytest.raises(CQLProbeError, match=r"login as 'cassandra' refused.*0x0100"),
    ):
        probe("127.0.0.1", port, timeout=5, credentials=("cassandra", "wrong"))


def test_execute_runs_a_statement_logged_in() -> None:
    with auth_server(("cassandra", "cassandra")) as (port, seen):
        execute("127.0.0.1", port, "CREATE ROLE x", ("cassandra", "cassandra"), timeout=5)
    assert b"CREATE ROLE x" in seen[1]
