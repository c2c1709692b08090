"""The cassandra-driver / scylla-driver implementation of coodie's :class:`AbstractDriver`.

Both distributions install the same ``cassandra`` import package; only APIs they share are
used here (checked against cassandra-driver 3.29/3.30 and scylla-driver 3.2x). The driver is
split by job: this module executes; :mod:`~coodie_driver_cassandra.requests` builds
requests and pages; :mod:`~coodie_driver_cassandra.prepare` prepares;
:mod:`~coodie_driver_cassandra.connecting` turns core's connect record into a ``Cluster``.

* Rows: requests run with an execution profile whose row factory is ``tuple_factory`` (a clone
  of the session's default profile, so a session a user hands in keeps its own row factory).
* Prepared statements: one bounded LRU cache per driver, keyed by CQL text.
* Sync: ``Session.execute``. Async: ``Session.execute_async`` plus a callback that completes an
  asyncio future through ``loop.call_soon_threadsafe`` (core's
  :func:`coodie.drivers.kit.cassandra.to_asyncio_future`).
* Async prepare: a PREPARE request sent through the driver's own ``ResponseFuture`` and awaited
  the same way, instead of the blocking ``Session.prepare``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from cassandra.cluster import ResultSet

from coodie.connect import ddl_timeout
from coodie.drivers import AbstractDriver, BatchStatement, ResultPage, Statement
from coodie.drivers.kit import Done, send_with_callbacks
from coodie.drivers.kit.cassandra import codecs, to_asyncio_future
from coodie.exceptions import CoodieError
from coodie_driver_cassandra import DEFAULT_PREPARED_CACHE_SIZE
from coodie_driver_cassandra.prepare import PreparedStatements
from coodie_driver_cassandra.requests import RequestBuilder, driver_error, sent_request

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coodie.drivers import Decoder, Encoder
    from coodie.model.types import CqlType

__all__ = ["CassandraDriver"]


class CassandraDriver(PreparedStatements, RequestBuilder, AbstractDriver):
    """coodie driver on top of a cassandra-driver (or scylla-driver) ``Session``.

    Build it with :func:`connect` / :func:`connect_async` (or ``init_coodie(driver_type=
    "cassandra", ...)``). ``session`` and ``cluster`` stay available for direct use of the
    client library.
    """

    name: ClassVar[str] = "cassandra"
    #: execute_many sends through session.execute_async, not through execute.
    bulk_sends_through_execute: ClassVar[bool] = False

    def __init__(
        self,
        session: Any,
        *,
        owns_cluster: bool = False,
        keyspace: str | None = None,
        execution_profile: Any = None,
        legacy_consistency: int | None = None,
        legacy_serial_consistency: int | None = None,
        legacy_timeout: float | None = None,
        prepared_cache_size: int = DEFAULT_PREPARED_CACHE_SIZE,
        aware_timestamps: bool = False,
        async_prepare: str = "auto",
        request_timeout: float | None = None,
    ) -> None:
        """Wrap ``session``.

        ``execution_profile`` is the profile (an ``ExecutionProfile`` instance) requests run
        with; ``None`` means the session's cluster uses legacy (pre-profile) settings, in which
        case ``legacy_consistency`` / ``legacy_serial_consistency`` / ``legacy_timeout`` are
        applied per request instead (the caller's session itself is left unchanged).
        ``async_prepare`` is ``"auto"`` (PREPARE message when this driver version is known,
        else a worker thread), ``"message"`` or ``"thread"``. ``request_timeout``: the
        connection's ``request_timeout=`` (None when not given), which decides the timeout
        of schema changes (:func:`coodie.connect.ddl_timeout`).
        """
        self.session = session
        self.cluster = getattr(session, "cluster", None)
        self.keyspace = keyspace
        self.unset_value = _unset_value()
        self._owns_cluster = owns_cluster
        self._profile = execution_profile
        self._legacy_cl = legacy_consistency
        self._legacy_serial_cl = legacy_serial_consistency
        self._default_kwargs: dict[str, Any] = {}
        if execution_profile is not None:
            self._default_kwargs["execution_profile"] = execution_profile
        if legacy_timeout is not None:
            self._default_kwargs["timeout"] = legacy_timeout
        self._ddl_kwargs = {**self._default_kwargs, "timeout": ddl_timeout(request_timeout)}
        self._aware_timestamps = aware_timestamps
        self._closed = False
        self._init_prepare(session, prepared_cache_size, async_prepare)

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<CassandraDriver keyspace={self.keyspace!r} {state}>"

    # -- codecs ----------------------------------------------------------------------------

    def decoder_for(self, cql_type: CqlType) -> Decoder | None:
        """How to turn cassandra-driver's value of ``cql_type`` into coodie's, or ``None`` when it
        is already."""
        return codecs.decoder_for(cql_type, aware_timestamps=self._aware_timestamps)

    def encoder_for(self, cql_type: CqlType) -> Encoder | None:
        """How to turn coodie's value of ``cql_type`` into cassandra-driver's, or ``None`` when it
        is already."""
        return codecs.encoder_for(cql_type)

    # -- execution -------------------------------------------------------------------------

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        """Run ``statement`` (preparing it once if asked) and return its page."""
        self._check_open()
        if isinstance(statement, BatchStatement) and not statement.statements:
            return ResultPage()
        try:
            query = self._query(statement)
            kwargs = self._kwargs(statement)
            if self.request_observer is not None:
                self.request_observer(sent_request(statement, query, kwargs))
            result = self.session.execute(query, None, **kwargs)
            return self._page(result)
        except CoodieError:
            raise
        except Exception as exc:
            raise driver_error(exc, statement) from exc

    def _query(self, statement: Statement | BatchStatement) -> Any:
        """The cassandra-driver statement for ``statement``, preparing (blocking) on a miss."""
        if isinstance(statement, BatchStatement):
            prepared = [
                self._prepare_for(child) if self._needs_prepare(child) else None
                for child in statement.statements
            ]
            return self._batch(statement, prepared)
        ps = self._prepare_for(statement) if self._needs_prepare(statement) else None
        return self._single(statement, ps)

    def execute_many(
        self, statements: Iterable[Statement | BatchStatement], concurrency: int
    ) -> int:
        """Keep up to ``concurrency`` requests in flight from the calling thread.

        Each statement is built here (so errors in building one surface on this thread)
        and sent with ``execute_async``; completion callbacks on the driver's I/O thread only
        release a slot or record the failure. Nothing new is sent after a failure, and the
        requests in flight are waited for before it is raised.
        """
        self._check_open()

        def send(statement: Statement | BatchStatement, done: Done) -> None:
            if isinstance(statement, BatchStatement) and not statement.statements:
                done(None)
                return
            try:
                query = self._query(statement)
                kwargs = self._kwargs(statement)
                if self.request_observer is not None:
                    self.request_observer(sent_request(statement, query, kwargs))
                future = self.session.execute_async(query, None, **kwargs)
            except CoodieError:
                raise
            except Exception as exc:
                raise driver_error(exc, statement) from exc
            future.add_callbacks(
                lambda _rows: done(None), lambda error: done(driver_error(error, statement))
            )

        return send_with_callbacks(statements, concurrency, send)

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        """Run ``statement`` without blocking the loop: the driver's future is bridged to an asyncio
        one."""
        self._check_open()
        loop = asyncio.get_running_loop()
        try:
            if isinstance(statement, BatchStatement):
                if not statement.statements:
                    return ResultPage()
                prepared = [
                    await self._prepare_for_async(child) if self._needs_prepare(child) else None
                    for child in statement.statements
                ]
                query = self._batch(statement, prepared)
            else:
                ps = None
                if self._needs_prepare(statement):
                    # Cache hit (the usual case): no coroutine for prepare_async per request.
                    if statement.prepare:
                        ps = self._prepared.get(statement.cql)
                    if ps is None:
                        ps = await self._prepare_for_async(statement)
                query = self._single(statement, ps)
            kwargs = self._kwargs(statement)
            if self.request_observer is not None:
                self.request_observer(sent_request(statement, query, kwargs))
            response_future = self.session.execute_async(query, None, **kwargs)
            rows = await to_asyncio_future(response_future, loop)
            return self._page(ResultSet(response_future, rows))
        except CoodieError:
            raise
        except Exception as exc:
            raise driver_error(exc, statement) from exc

    # -- lifetime --------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._closed

    def close(self) -> None:
        """Shut down the cluster this driver created; a session you passed in stays open."""
        if self._closed:
            return
        self._closed = True
        self._prepared.clear()
        if self._owns_cluster and self.cluster is not None:
            self.cluster.shutdown()

    async def close_async(self) -> None:
        """Close without blocking the loop (shutting a cluster down joins its threads)."""
        if self._owns_cluster and not self._closed:
            # Cluster.shutdown() joins the driver's threads: keep that off the event loop.
            await asyncio.to_thread(self.close)
        else:
            self.close()


def _unset_value() -> Any:
    from cassandra.query import UNSET_VALUE

    return UNSET_VALUE
