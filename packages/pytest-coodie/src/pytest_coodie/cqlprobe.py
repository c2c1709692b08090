r"""A tiny CQL native-protocol v4 client: "is this node really serving CQL?" without a driver.

An open port is not readiness (Cassandra binds 9042 before the schema is usable), and the
launcher must not depend on a driver, so readiness means: STARTUP is answered with READY (or,
on a node with PasswordAuthenticator, the login succeeds) and
``SELECT release_version FROM system.local`` returns a row. Only what that needs is decoded.

A node with authentication answers STARTUP with AUTHENTICATE; the probe then logs in with
SASL PLAIN (one AUTH_RESPONSE holding ``\0user\0password``). Until the node has created its
default superuser, that login is refused: the probe reports it as not ready yet.
"""

from __future__ import annotations

import socket
import struct

from .errors import CQLProbeError

PROTOCOL_VERSION = 0x04
RESPONSE_VERSION = 0x84

OP_ERROR = 0x00
OP_STARTUP = 0x01
OP_READY = 0x02
OP_AUTHENTICATE = 0x03
OP_QUERY = 0x07
OP_RESULT = 0x08
OP_AUTH_CHALLENGE = 0x0E
OP_AUTH_RESPONSE = 0x0F
OP_AUTH_SUCCESS = 0x10

RESULT_ROWS = 0x0002
CONSISTENCY_ONE = 0x0001

_FLAG_GLOBAL_TABLES_SPEC = 0x0001
_FLAG_HAS_MORE_PAGES = 0x0002
_FLAG_NO_METADATA = 0x0004

_HEADER = struct.Struct(">BBhBi")
PROBE_QUERY = "SELECT release_version FROM system.local"


def _string(value: str) -> bytes:
    data = value.encode("utf-8")
    return struct.pack(">H", len(data)) + data


def _long_string(value: str) -> bytes:
    data = value.encode("utf-8")
    return struct.pack(">i", len(data)) + data


def encode_frame(opcode: int, body: bytes, stream: int = 0) -> bytes:
    """A request frame: version, flags, stream id, opcode, body length, body."""
    return _HEADER.pack(PROTOCOL_VERSION, 0, stream, opcode, len(body)) + body


def startup_body(cql_version: str = "3.0.0") -> bytes:
    """STARTUP's [string map] with the single mandatory option."""
    return struct.pack(">H", 1) + _string("CQL_VERSION") + _string(cql_version)


def query_body(query: str) -> bytes:
    """QUERY: [long string] query, [short] consistency, [byte] flags (no values, no paging)."""
    return _long_string(query) + struct.pack(">HB", CONSISTENCY_ONE, 0)


def plain_auth_body(username: str, password: str) -> bytes:
    r"""AUTH_RESPONSE: [bytes] token, the SASL PLAIN message ``\0user\0password``."""
    token = b"\0" + username.encode("utf-8") + b"\0" + password.encode("utf-8")
    return struct.pack(">i", len(token)) + token


class _Reader:
    """Sequential reader over a frame body that raises CQLProbeError on truncation."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise CQLProbeError("truncated CQL frame body")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def int32(self) -> int:
        value: int = struct.unpack(">i", self.take(4))[0]
        return value

    def uint16(self) -> int:
        value: int = struct.unpack(">H", self.take(2))[0]
        return value

    def string(self) -> str:
        return self.take(self.uint16()).decode("utf-8")

    def bytes_(self) -> bytes | None:
        n = self.int32()
        return None if n < 0 else self.take(n)

    def skip_option(self) -> None:
        """Skip a column type [option], including nested collection/UDT/tuple types."""
        type_id = self.uint16()
        if type_id == 0x0000:  # custom: class name
            self.string()
        elif type_id in (0x0020, 0x0022):  # list, set
            self.skip_option()
        elif type_id == 0x0021:  # map
            self.skip_option()
            self.skip_option()
        elif type_id == 0x0030:  # UDT
            self.string()
            self.string()
            for _ in range(self.uint16()):
                self.string()
                self.skip_option()
        elif type_id == 0x0031:  # tuple
            for _ in range(self.uint16()):
                self.skip_option()


def parse_error(body: bytes) -> str:
    """ERROR body: [int] code, [string] message."""
    reader = _Reader(body)
    code = reader.int32()
    return f"CQL error 0x{code:04x}: {reader.string()}"


def parse_rows(body: bytes) -> list[list[bytes | None]]:
    """Decode a RESULT/Rows body into raw cell values (types are skipped, not decoded)."""
    reader = _Reader(body)
    kind = reader.int32()
    if kind != RESULT_ROWS:
        raise CQLProbeError(f"expected a Rows result, got result kind {kind}")
    flags = reader.int32()
    columns = reader.int32()
    if flags & _FLAG_HAS_MORE_PAGES:
        reader.bytes_()
    if not flags & _FLAG_NO_METADATA:
        if flags & _FLAG_GLOBAL_TABLES_SPEC:
            reader.string()
            reader.string()
        for _ in range(columns):
            if not flags & _FLAG_GLOBAL_TABLES_SPEC:
                reader.string()
                reader.string()
            reader.string()
            reader.skip_option()
    return [[reader.bytes_() for _ in range(columns)] for _ in range(reader.int32())]


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < n:
        chunk = sock.recv(n - len(chunks))
        if not chunk:
            raise ConnectionError("server closed the connection")
        chunks += chunk
    return bytes(chunks)


def _read_frame(sock: socket.socket) -> tuple[int, bytes]:
    version, _flags, _stream, opcode, length = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    if version != RESPONSE_VERSION:
        raise CQLProbeError(f"unexpected protocol version byte 0x{version:02x}")
    return opcode, _recv_exact(sock, length)


Credentials = tuple[str, str]
"""``(username, password)`` for a node with PasswordAuthenticator."""


def _start_session(sock: socket.socket, credentials: Credentials | None) -> None:
    """STARTUP, then the SASL PLAIN login when the node asks for one."""
    sock.sendall(encode_frame(OP_STARTUP, startup_body(), stream=1))
    opcode, body = _read_frame(sock)
    if opcode == OP_ERROR:
        raise CQLProbeError(parse_error(body))
    if opcode == OP_AUTHENTICATE:
        if credentials is None:
            raise CQLProbeError(
                "server requires authentication; give the probe credentials "
                "(the launcher's auth option)"
            )
        sock.sendall(encode_frame(OP_AUTH_RESPONSE, plain_auth_body(*credentials), stream=1))
        opcode, body = _read_frame(sock)
        if opcode == OP_ERROR:
            # Also what a node says before it has created its default superuser.
            raise CQLProbeError(f"login as {credentials[0]!r} refused: {parse_error(body)}")
        if opcode != OP_AUTH_SUCCESS:
            raise CQLProbeError(f"expected AUTH_SUCCESS, got opcode 0x{opcode:02x}")
        return
    if opcode != OP_READY:
        raise CQLProbeError(f"expected READY after STARTUP, got opcode 0x{opcode:02x}")


def _query(sock: socket.socket, cql: str) -> bytes:
    """Send one QUERY and return its RESULT body."""
    sock.sendall(encode_frame(OP_QUERY, query_body(cql), stream=2))
    opcode, body = _read_frame(sock)
    if opcode == OP_ERROR:
        raise CQLProbeError(parse_error(body))
    if opcode != OP_RESULT:
        raise CQLProbeError(f"expected RESULT, got opcode 0x{opcode:02x}")
    return body


def probe(
    host: str, port: int, timeout: float = 5.0, credentials: Credentials | None = None
) -> str:
    """Return the node's ``release_version``; raise OSError if unreachable, CQLProbeError if
    it answers but is not (yet) serving queries. ``credentials`` log in to a node with
    PasswordAuthenticator; without them such a node is refused."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        _start_session(sock, credentials)
        rows = parse_rows(_query(sock, PROBE_QUERY))
    if not rows or not rows[0] or rows[0][0] is None:
        raise CQLProbeError("system.local returned no release_version")
    return rows[0][0].decode("utf-8")


def execute(
    host: str, port: int, cql: str, credentials: Credentials | None, timeout: float = 10.0
) -> None:
    """Run one CQL statement that returns no rows (the launcher creates a role with it)."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        _start_session(sock, credentials)
        _query(sock, cql)
