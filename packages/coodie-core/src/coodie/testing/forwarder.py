"""A tiny TCP forwarder for tests: a node that "appears" on a local port only after a delay,
and that stops answering while it is paused.

``init_coodie`` must keep trying to connect until its deadline; to test that without
restarting a node, point it at a free local port, and start forwarding that port to the real
node a few seconds later::

    with DelayedForwarder(("127.0.0.1", 9042), delay=2.0) as forwarder:
        init_coodie(hosts=[f"127.0.0.1:{forwarder.port}"], connect_timeout=30)

Until ``delay`` has passed nothing listens on the port, so connections are refused, as for a
node that is still starting.

``pause()`` holds every byte in both directions (connections stay open) until ``resume()``:
a request sent meanwhile cannot be answered, so a client timeout must fire, every time, as
for a node that hangs::

    with DelayedForwarder(("127.0.0.1", 9042)) as forwarder:
        ...connect through forwarder.port...
        forwarder.pause()   # the next request times out on the client
        forwarder.resume()  # held bytes flow on; the connection works again

Threads only; everything is closed on exit.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["DelayedForwarder", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the kernel's pick, released again)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class DelayedForwarder:
    """Forward ``127.0.0.1:<port>`` to ``target``, starting ``delay`` seconds after entry;
    ``pause()`` / ``resume()`` stop and restart the flow of bytes."""

    def __init__(
        self, target: tuple[str, int], delay: float = 0.0, port: int | None = None
    ) -> None:
        self.target = target
        self.delay = delay
        self.port = port if port is not None else free_port()
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._flowing = threading.Event()
        self._flowing.set()
        self._listener: socket.socket | None = None
        self._thread = threading.Thread(target=self._serve, name="coodie-forwarder", daemon=True)
        #: Connections accepted so far (after the delay).
        self.accepted = 0

    def __enter__(self) -> DelayedForwarder:
        # Without a delay the port listens before entry returns: nothing is ever refused.
        self._listener = None if self.delay > 0 else self._listen()
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def pause(self) -> None:
        """Hold every byte from now on, both ways, until :meth:`resume`."""
        self._flowing.clear()

    def resume(self) -> None:
        """Let held traffic flow again."""
        self._flowing.set()

    def close(self) -> None:
        """Stop forwarding and close every socket."""
        self._stop.set()
        self._flowing.set()  # release held pumps; their sockets are closed next
        self._thread.join(5)
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()
            self._sockets.clear()

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
        return sock

    def _listen(self) -> socket.socket:
        listener = self._track(socket.socket())
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        return listener

    def _serve(self) -> None:
        listener = self._listener
        if listener is None:
            if self._stop.wait(self.delay):
                return
            listener = self._listen()
        while not self._stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            try:
                upstream = socket.create_connection(self.target, timeout=10)
            except OSError:
                client.close()
                continue
            self._track(client)
            self._track(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                pump = threading.Thread(
                    target=_pump, args=(source, sink, self._flowing), daemon=True
                )
                pump.start()


def _pump(source: socket.socket, sink: socket.socket, flowing: threading.Event) -> None:
    """Copy bytes one way until either side closes; hold them while ``flowing`` is clear."""
    source.settimeout(None)
    try:
        while chunk := source.recv(65536):
            flowing.wait()
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
