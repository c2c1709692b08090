"""Prepared statements of the cassandra driver: a bounded cache per CQL text, and an async
PREPARE that does not block the event loop.

``Session.prepare`` waits on a future, so the async path sends the PREPARE request through the
client's own ``ResponseFuture`` and awaits it (:meth:`PreparedStatements._send_prepare`). That
uses client internals, whose signatures are checked once (:func:`from_message_params`); when
they do not match, prepare runs on a worker thread instead.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import TYPE_CHECKING, Any

from cassandra.cluster import Cluster, ResponseFuture, Session
from cassandra.protocol import PrepareMessage
from cassandra.query import PreparedStatement

from coodie.drivers.kit import PreparedCache
from coodie.drivers.kit.cassandra import to_asyncio_future
from coodie.exceptions import ConfigurationError

if TYPE_CHECKING:
    from coodie.drivers import Statement

__all__ = ["PreparedStatements", "client_name", "from_message_params"]

log = logging.getLogger("coodie_driver_cassandra.driver")


class PreparedStatements:
    """The prepare half of :class:`~coodie_driver_cassandra.execution.CassandraDriver`."""

    session: Any
    async_prepare: str
    _prepared: PreparedCache[Any]
    _from_message_params: tuple[str, ...] | None

    def _init_prepare(self, session: Any, prepared_cache_size: int, async_prepare: str) -> None:
        """Set up the cache and pick how async prepare works (see ``CassandraDriver``)."""
        self._prepared = PreparedCache(prepared_cache_size)
        self._closed = False
        if async_prepare not in ("auto", "message", "thread"):
            raise ConfigurationError(
                f"async_prepare must be 'auto', 'message' or 'thread', got {async_prepare!r}."
            )
        self._from_message_params = from_message_params()
        if async_prepare == "auto":
            use_message = self._from_message_params is not None and isinstance(session, Session)
        else:
            use_message = async_prepare == "message"
            if use_message and self._from_message_params is None:
                raise ConfigurationError(
                    "async_prepare='message' is not supported by the installed "
                    f"{client_name()}; use async_prepare='thread' (or 'auto')."
                )
        self.async_prepare = "message" if use_message else "thread"
        if async_prepare == "auto" and not use_message and isinstance(session, Session):
            log.warning(
                "coodie: unknown %s internals; async prepare runs Session.prepare on a worker "
                "thread instead of sending PREPARE without blocking.",
                client_name(),
            )

    @property
    def prepared_cache(self) -> PreparedCache[Any]:
        """The cache of prepared statements, by CQL text."""
        return self._prepared

    def prepare(self, cql: str) -> Any:
        """The cached ``PreparedStatement`` for ``cql`` (preparing it, blocking, if needed).

        Concurrent cold calls for one CQL text share a single prepare (core's cache)."""
        return self._prepared.get_or_prepare(cql, self.session.prepare)

    async def prepare_async(self, cql: str) -> Any:
        """Like :meth:`prepare` without blocking the event loop.

        Concurrent cold calls for one CQL text share a single PREPARE request.
        """
        return await self._prepared.get_or_prepare_async(cql, self._prepare_uncached_async)

    async def _prepare_uncached_async(self, cql: str) -> Any:
        if self.async_prepare == "message":
            return await self._send_prepare(cql)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self.session.prepare, cql)

    async def _send_prepare(self, cql: str) -> Any:
        """PREPARE without ``Session.prepare``'s blocking ``future.result()``.

        This is what ``Session.prepare`` does, minus the wait: a ``PrepareMessage`` sent through
        a ``ResponseFuture`` (the driver's normal request path: load balancing, retries on
        another host, timeout), its PREPARED result turned into a ``PreparedStatement`` with
        ``PreparedStatement.from_message`` and registered with ``Cluster.add_prepared`` so the
        driver can re-prepare it transparently on hosts that do not know it (an UNPREPARED
        reply is handled on the I/O thread). The only step left out is ``Session.prepare``'s
        eager, blocking ``prepare_on_all_hosts``; other hosts get the statement on first use.
        These are internal APIs, so the driver checks their signatures at start-up and falls
        back to ``Session.prepare`` on a worker thread when they do not match.
        """
        session = self.session
        loop = asyncio.get_running_loop()
        response_future = ResponseFuture(
            session, PrepareMessage(query=cql), None, session.default_timeout
        )
        outcome = to_asyncio_future(response_future, loop)
        response_future.send_request()
        response = await outcome
        cluster = session.cluster
        known = {
            "query_id": response.query_id,
            "column_metadata": response.bind_metadata,
            "pk_indexes": response.pk_indexes,
            "cluster_metadata": cluster.metadata,
            "query": cql,
            # Statements use the session keyspace or qualified names, as with Session.prepare.
            "prepared_keyspace": None,
            "protocol_version": session._protocol_version,
            "result_metadata": response.column_metadata,
            "result_metadata_id": response.result_metadata_id,
            "is_lwt": getattr(response, "is_lwt", False),  # scylla-driver: LWT routing
            "column_encryption_policy": getattr(cluster, "column_encryption_policy", None),
        }
        args = [known[name] for name in self._from_message_params or ()]
        prepared = PreparedStatement.from_message(*args)
        cluster.add_prepared(response.query_id, prepared)
        return prepared

    @staticmethod
    def _needs_prepare(statement: Statement) -> bool:
        # prepare=False statements without values run as simple statements. With values they
        # are still prepared (cassandra-driver can only bind `?` markers server-side through a
        # prepared statement) but not kept in the cache.
        return statement.prepare or bool(statement.values)

    def _prepare_for(self, statement: Statement) -> Any:
        if statement.prepare:
            return self.prepare(statement.cql)
        return self.session.prepare(statement.cql)

    async def _prepare_for_async(self, statement: Statement) -> Any:
        if statement.prepare:
            return await self.prepare_async(statement.cql)
        return await self._prepare_uncached_async(statement.cql)


#: Parameters of ``PreparedStatement.from_message`` this driver knows how to fill, across
#: cassandra-driver 3.29/3.30 and scylla-driver 3.29 (which adds ``is_lwt``).
_FROM_MESSAGE_KNOWN = frozenset(
    {
        "query_id",
        "column_metadata",
        "pk_indexes",
        "cluster_metadata",
        "query",
        "prepared_keyspace",
        "protocol_version",
        "result_metadata",
        "result_metadata_id",
        "is_lwt",
        "column_encryption_policy",
    }
)
_FROM_MESSAGE_REQUIRED = ("query_id", "column_metadata", "query", "protocol_version")
_RESPONSE_FUTURE_PARAMS = ("self", "session", "message", "query", "timeout")


def from_message_params() -> tuple[str, ...] | None:
    """The parameter names of ``PreparedStatement.from_message`` when every internal API used by
    :meth:`PreparedStatements._send_prepare` looks as expected, else ``None``."""
    try:
        params = tuple(inspect.signature(PreparedStatement.from_message).parameters)
        future_params = tuple(inspect.signature(ResponseFuture.__init__).parameters)
        message_params = tuple(inspect.signature(PrepareMessage.__init__).parameters)
    except (TypeError, ValueError):
        return None
    if future_params[:5] != _RESPONSE_FUTURE_PARAMS or message_params[:2] != ("self", "query"):
        return None
    if not hasattr(Cluster, "add_prepared"):
        return None
    if not set(params) <= _FROM_MESSAGE_KNOWN or not set(_FROM_MESSAGE_REQUIRED) <= set(params):
        return None
    return params


def client_name() -> str:
    """The installed client library and its version, e.g. ``scylla-driver 3.29.1``."""
    from importlib import metadata

    for dist in ("scylla-driver", "cassandra-driver"):
        try:
            return f"{dist} {metadata.version(dist)}"
        except metadata.PackageNotFoundError:
            continue
    return "cassandra client"
