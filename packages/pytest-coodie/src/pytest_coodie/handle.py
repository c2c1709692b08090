"""The common handle every provider returns, so callers never care where the node runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeVar

if TYPE_CHECKING:
    from types import TracebackType

    from .cqlprobe import Credentials

Kind = Literal["env", "docker-scylla", "local-cassandra"]
_H = TypeVar("_H", bound="ClusterHandle")


class ClusterHandle:
    """A running (or externally managed) cluster: where to connect and how to stop it.

    ``contact_points`` are ``(host, port)`` tuples; ``hosts`` gives the same as ``"host:port"``
    strings. ``credentials`` is ``(user, password)`` for a node started with authentication,
    else None. ``stop()`` is idempotent. Usable as a context manager.
    """

    kind: Kind

    def __init__(
        self,
        kind: Kind,
        contact_points: list[tuple[str, int]],
        credentials: Credentials | None = None,
    ) -> None:
        self.kind = kind
        self.contact_points = contact_points
        self.credentials = credentials
        self._stopped = False

    @property
    def hosts(self) -> list[str]:
        """The contact points as ``host:port`` strings."""
        return [f"{host}:{port}" for host, port in self.contact_points]

    @property
    def stopped(self) -> bool:
        """Whether ``stop()`` was called."""
        return self._stopped

    def stop(self) -> None:
        """Release the node; the base (``env``) handle owns nothing, so only marks it."""
        self._stopped = True

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r}, hosts={self.hosts!r})"
