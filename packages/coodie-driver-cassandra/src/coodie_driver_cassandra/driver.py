"""The cassandra-driver / scylla-driver implementation of coodie's :class:`AbstractDriver`.

Both distributions install the same ``cassandra`` import package; only APIs they share are
used here (checked against cassandra-driver 3.29/3.30 and scylla-driver 3.2x).

* Rows: requests run with an execution profile whose row factory is ``tuple_factory`` (a clone
  of the session's default profile, so a session a user hands in keeps its own row factory).
* Prepared statements: one bounded LRU cache per driver, keyed by CQL text.
* Sync: ``Session.execute``. Async: ``Session.execute_async`` plus a callback that completes an
  asyncio future through ``loop.call_soon_threadsafe`` (see :mod:`coodie_driver_cassandra.bridge`).
* Async prepare: a PREPARE request sent through the driver's own ``ResponseFuture`` and awaited
  the same way, instead of the blocking ``Session.prepare`` (see :meth:`_send_prepare`).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from cassandra import ConsistencyLevel
from cassandra.cluster import (
    EXEC_PROFILE_DEFAULT,
    Cluster,
    ExecutionProfile,
    ResponseFuture,
    ResultSet,
    Session,
)
from cassandra.protocol import PrepareMessage
from cassandra.query import BatchStatement as DriverBatch
from cassandra.query import BatchType as DriverBatchType
from cassandra.query import PreparedStatement, SimpleStatement, tuple_factory

from coodie.drivers.base import AbstractDriver
from coodie.exceptions import ConfigurationError, CoodieError, DriverError
from coodie.statement import BatchStatement, BatchType, Consistency, ResultPage, Statement
from coodie_driver_cassandra import DEFAULT_PREPARED_CACHE_SIZE, codecs
from coodie_driver_cassandra.bridge import to_asyncio_future
from coodie_driver_cassandra.cache import PreparedCache

if TYPE_CHECKING:
    from coodie.drivers.base import Decoder, Encoder
    from coodie.types import CqlType

__all__ = ["CONSISTENCY_LEVELS", "CassandraDriver", "connect", "connect_async", "parse_hosts"]

log = logging.getLogger(__name__)

#: coodie's consistency names -> ``cassandra.ConsistencyLevel`` values. ``Consistency`` is a
#: ``str`` enum, so plain names (``"QUORUM"``) are found too.
CONSISTENCY_LEVELS: dict[str, int] = {
    c.value: getattr(ConsistencyLevel, c.value) for c in Consistency
}

_BATCH_TYPES = {
    BatchType.LOGGED: DriverBatchType.LOGGED,
    BatchType.UNLOGGED: DriverBatchType.UNLOGGED,
    BatchType.COUNTER: DriverBatchType.COUNTER,
}


def consistency_level(value: Consistency | str | None, what: str = "consistency") -> int | None:
    """Map a coodie consistency (enum or name, any case) to cassandra-driver's constant."""
    if value is None:
        return None
    if isinstance(value, str):
        level = CONSISTENCY_LEVELS.get(value) or CONSISTENCY_LEVELS.get(value.upper())
        if level is not None:
            return level
    raise ConfigurationError(
        f"Unknown {what} level {value!r}. Use a coodie.statement.Consistency member or one of: "
        f"{', '.join(CONSISTENCY_LEVELS)}."
    )


# -- the driver ------------------------------------------------------------------------------


class CassandraDriver(AbstractDriver):
    """coodie driver on top of a cassandra-driver (or scylla-driver) ``Session``.

    Build it with :func:`connect` / :func:`connect_async` (or ``init_coodie(driver_type=
    "cassandra", ...)``). ``session`` and ``cluster`` stay available for direct use of the
    client library.
    """

    name: ClassVar[str] = "cassandra"

    def __init__(
        self,
        session: Any,
        *,
        owns_cluster: bool = False,
        keyspace: str | None = None,
        execution_profile: Any = None,
        legacy_consistency: int | None = None,
        legacy_timeout: float | None = None,
        prepared_cache_size: int = DEFAULT_PREPARED_CACHE_SIZE,
        aware_timestamps: bool = False,
        async_prepare: str = "auto",
    ) -> None:
        """Wrap ``session``.

        ``execution_profile`` is the profile (an ``ExecutionProfile`` instance) requests run
        with; ``None`` means the session's cluster uses legacy (pre-profile) settings, in which
        case ``legacy_consistency`` / ``legacy_timeout`` are applied per request instead.
        ``async_prepare`` is ``"auto"`` (PREPARE message when this driver version is known,
        else a worker thread), ``"message"`` or ``"thread"``.
        """
        self.session = session
        self.cluster = getattr(session, "cluster", None)
        self.keyspace = keyspace
        self.unset_value = _unset_value()
        self._owns_cluster = owns_cluster
        self._profile = execution_profile
        self._legacy_cl = legacy_consistency
        self._default_kwargs: dict[str, Any] = {}
        if execution_profile is not None:
            self._default_kwargs["execution_profile"] = execution_profile
        if legacy_timeout is not None:
            self._default_kwargs["timeout"] = legacy_timeout
        self._aware_timestamps = aware_timestamps
        self._prepared: PreparedCache[Any] = PreparedCache(prepared_cache_size)
        self._inflight: dict[str, asyncio.Task[Any]] = {}
        self._closed = False
        if async_prepare not in ("auto", "message", "thread"):
            raise ConfigurationError(
                f"async_prepare must be 'auto', 'message' or 'thread', got {async_prepare!r}."
            )
        self._from_message_params = _from_message_params()
        if async_prepare == "auto":
            use_message = self._from_message_params is not None and isinstance(session, Session)
        else:
            use_message = async_prepare == "message"
            if use_message and self._from_message_params is None:
                raise ConfigurationError(
                    "async_prepare='message' is not supported by the installed "
                    f"{_client_name()}; use async_prepare='thread' (or 'auto')."
                )
        self.async_prepare = "message" if use_message else "thread"
        if async_prepare == "auto" and not use_message and isinstance(session, Session):
            log.warning(
                "coodie: unknown %s internals; async prepare runs Session.prepare on a worker "
                "thread instead of sending PREPARE without blocking.",
                _client_name(),
            )

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<CassandraDriver keyspace={self.keyspace!r} {state}>"

    # -- codecs ----------------------------------------------------------------------------

    def decoder_for(self, cql_type: CqlType) -> Decoder | None:
        return codecs.decoder_for(cql_type, aware_timestamps=self._aware_timestamps)

    def encoder_for(self, cql_type: CqlType) -> Encoder | None:
        return codecs.encoder_for(cql_type)

    # -- prepared statements ---------------------------------------------------------------

    @property
    def prepared_cache(self) -> PreparedCache[Any]:
        return self._prepared

    def prepare(self, cql: str) -> Any:
        """The cached ``PreparedStatement`` for ``cql`` (preparing it, blocking, if needed)."""
        prepared = self._prepared.get(cql)
        if prepared is None:
            prepared = self.session.prepare(cql)
            self._prepared.put(cql, prepared)
        return prepared

    async def prepare_async(self, cql: str) -> Any:
        """Like :meth:`prepare` without blocking the event loop.

        Concurrent cold calls for one CQL text share a single PREPARE request.
        """
        prepared = self._prepared.get(cql)
        if prepared is not None:
            return prepared
        loop = asyncio.get_running_loop()
        task = self._inflight.get(cql)
        if task is None or task.get_loop() is not loop:
            task = loop.create_task(self._prepare_uncached_async(cql))
            self._inflight[cql] = task
            task.add_done_callback(partial(self._prepare_done, cql))
        # shield: one caller being cancelled must not cancel the others' request.
        return await asyncio.shield(task)

    def _prepare_done(self, cql: str, task: asyncio.Task[Any]) -> None:
        if self._inflight.get(cql) is task:
            del self._inflight[cql]
        if not task.cancelled() and task.exception() is None:
            self._prepared.put(cql, task.result())

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

    # -- building requests -----------------------------------------------------------------

    @staticmethod
    def _needs_prepare(statement: Statement) -> bool:
        # prepare=False statements without values run as simple statements. With values they
        # are still prepared (cassandra-driver can only bind `?` markers server-side through a
        # prepared statement) but not kept in the cache.
        return statement.prepare or bool(statement.values)

    def _apply_options(self, query: Any, statement: Statement) -> None:
        if statement.consistency is not None:
            query.consistency_level = consistency_level(statement.consistency)
        elif self._legacy_cl is not None:
            query.consistency_level = self._legacy_cl
        if statement.serial_consistency is not None:
            query.serial_consistency_level = consistency_level(
                statement.serial_consistency, "serial consistency"
            )
        if statement.fetch_size is not None:
            query.fetch_size = statement.fetch_size
        if statement.idempotent:
            query.is_idempotent = True

    def _single(self, statement: Statement, prepared: Any) -> Any:
        if prepared is None:
            query = SimpleStatement(statement.cql)
        else:
            query = prepared.bind(statement.values)
        self._apply_options(query, statement)
        return query

    def _batch(self, batch: BatchStatement, prepared: Sequence[Any]) -> Any:
        query = DriverBatch(batch_type=_BATCH_TYPES[BatchType(batch.batch_type)])
        cl = consistency_level(batch.consistency)
        if cl is None:
            cl = self._legacy_cl
        if cl is not None:
            query.consistency_level = cl
        if batch.serial_consistency is not None:
            query.serial_consistency_level = consistency_level(
                batch.serial_consistency, "serial consistency"
            )
        for child, child_prepared in zip(batch.statements, prepared, strict=True):
            if child_prepared is None:
                query.add(SimpleStatement(child.cql))
            else:
                query.add(child_prepared, child.values)
        return query

    def _kwargs(self, statement: Statement | BatchStatement) -> dict[str, Any]:
        """Keyword arguments of ``session.execute``/``execute_async`` for ``statement``."""
        paging_state = getattr(statement, "paging_state", None)
        if statement.timeout is None and paging_state is None:
            return self._default_kwargs  # most requests: built once, only ever unpacked
        kwargs = dict(self._default_kwargs)
        if statement.timeout is not None:
            kwargs["timeout"] = statement.timeout
        if paging_state is not None:
            kwargs["paging_state"] = paging_state
        return kwargs

    def _page(self, result: Any) -> ResultPage:
        if result.column_names is None:  # a write: no result set
            return _NO_ROWS
        rows = result.current_rows
        if self._profile is None and rows and not isinstance(rows[0], tuple):
            # Legacy-mode session with a non-tuple row factory (e.g. dict_factory).
            rows = [tuple(r.values()) if isinstance(r, Mapping) else tuple(r) for r in rows]
        return ResultPage(result.column_names or (), rows, result.paging_state)

    def _check_open(self) -> None:
        if self._closed:
            raise ConfigurationError(
                "This coodie cassandra driver is closed. Call init_coodie(...) again to reconnect."
            )

    # -- execution -------------------------------------------------------------------------

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        self._check_open()
        if isinstance(statement, BatchStatement) and not statement.statements:
            return ResultPage()
        try:
            query = self._query(statement)
            result = self.session.execute(query, None, **self._kwargs(statement))
            return self._page(result)
        except CoodieError:
            raise
        except Exception as exc:
            raise _driver_error(exc, statement) from exc

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
        slots = threading.Semaphore(concurrency)
        failures: list[DriverError] = []

        def done(_rows: Any) -> None:
            slots.release()

        def failed(error: BaseException, statement: Statement | BatchStatement) -> None:
            failures.append(_driver_error(error, statement))
            slots.release()

        sent = 0
        try:
            for statement in statements:
                slots.acquire()
                if failures:
                    slots.release()
                    break
                if isinstance(statement, BatchStatement) and not statement.statements:
                    slots.release()
                    sent += 1
                    continue
                try:
                    query = self._query(statement)
                    future = self.session.execute_async(query, None, **self._kwargs(statement))
                except CoodieError:
                    slots.release()
                    raise
                except Exception as exc:
                    slots.release()
                    raise _driver_error(exc, statement) from exc
                future.add_callbacks(done, partial(failed, statement=statement))
                sent += 1
        finally:
            for _ in range(concurrency):  # every slot back: nothing is in flight any more
                slots.acquire()
        if failures:
            raise failures[0]
        return sent

    def _prepare_for(self, statement: Statement) -> Any:
        if statement.prepare:
            return self.prepare(statement.cql)
        return self.session.prepare(statement.cql)

    async def _prepare_for_async(self, statement: Statement) -> Any:
        if statement.prepare:
            return await self.prepare_async(statement.cql)
        return await self._prepare_uncached_async(statement.cql)

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
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
            response_future = self.session.execute_async(query, None, **self._kwargs(statement))
            rows = await to_asyncio_future(response_future, loop)
            return self._page(ResultSet(response_future, rows))
        except CoodieError:
            raise
        except Exception as exc:
            raise _driver_error(exc, statement) from exc

    # -- lifetime --------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
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
        if self._owns_cluster and not self._closed:
            # Cluster.shutdown() joins the driver's threads: keep that off the event loop.
            await asyncio.to_thread(self.close)
        else:
            self.close()


#: The page of every statement without a result set (writes); pages are never mutated.
_NO_ROWS = ResultPage()


def _driver_error(exc: BaseException, statement: Statement | BatchStatement) -> DriverError:
    if isinstance(statement, BatchStatement):
        what = f"a {BatchType(statement.batch_type).value} batch of {len(statement.statements)}"
    else:
        cql = " ".join(statement.cql.split())
        what = repr(cql if len(cql) <= 200 else cql[:197] + "...")
    detail = str(exc) or "(no message)"
    return DriverError(f"cassandra-driver failed to execute {what}: {type(exc).__name__}: {detail}")


def _unset_value() -> Any:
    from cassandra.query import UNSET_VALUE

    return UNSET_VALUE


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


def _from_message_params() -> tuple[str, ...] | None:
    """The parameter names of ``PreparedStatement.from_message`` when every internal API used by
    :meth:`CassandraDriver._send_prepare` looks as expected, else ``None``."""
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


def _client_name() -> str:
    from importlib import metadata

    for dist in ("scylla-driver", "cassandra-driver"):
        try:
            return f"{dist} {metadata.version(dist)}"
        except metadata.PackageNotFoundError:
            continue
    return "cassandra client"


# -- connecting ------------------------------------------------------------------------------


def parse_hosts(hosts: str | Iterable[Any], default_port: int = 9042) -> list[tuple[str, int]]:
    """``"a,b:9043"``, ``["a", "b:9043", "[::1]:9042", ("c", 9044)]`` -> ``[(host, port)]``."""
    items: list[Any]
    if isinstance(hosts, str):
        items = [part.strip() for part in hosts.split(",") if part.strip()]
    else:
        try:
            items = list(hosts)
        except TypeError:
            raise ConfigurationError(
                f"hosts must be a string or a list of 'host' / 'host:port' strings, got {hosts!r}."
            ) from None
    if not items:
        raise ConfigurationError(
            "hosts is empty: give at least one contact point, e.g. hosts=['127.0.0.1']."
        )
    return [_parse_host(item, default_port) for item in items]


def _parse_host(item: Any, default_port: int) -> tuple[str, int]:
    if isinstance(item, tuple) and len(item) == 2:
        host, port = item
        return str(host), _check_port(port, item)
    if not isinstance(item, str) or not item.strip():
        raise ConfigurationError(
            f"Bad contact point {item!r}: use 'host', 'host:port', '[ipv6]:port' or (host, port)."
        )
    text = item.strip()
    if text.startswith("["):  # [ipv6] or [ipv6]:port
        end = text.find("]")
        if end < 0:
            raise ConfigurationError(f"Bad contact point {item!r}: missing ']'.")
        host, rest = text[1:end], text[end + 1 :]
        if not rest:
            return host, default_port
        if not rest.startswith(":"):
            raise ConfigurationError(f"Bad contact point {item!r}: expected ':port' after ']'.")
        return host, _check_port(rest[1:], item)
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, _check_port(port, item)
    return text, default_port  # a name, IPv4, or bare IPv6 without a port


def _check_port(port: Any, item: Any) -> int:
    try:
        value = int(port)
    except (TypeError, ValueError):
        value = -1
    if isinstance(port, bool) or not 0 < value < 65536:
        raise ConfigurationError(f"Bad port in contact point {item!r}: {port!r}.")
    return value


def connect(
    *,
    hosts: str | Iterable[Any] | None = None,
    session: Any = None,
    keyspace: str | None = None,
    port: int = 9042,
    username: str | None = None,
    password: str | None = None,
    ssl_context: Any = None,
    local_dc: str | None = None,
    protocol_version: int | None = None,
    compression: bool | str | None = None,
    consistency: Consistency | str | None = None,
    request_timeout: float | None = None,
    prepared_cache_size: int = DEFAULT_PREPARED_CACHE_SIZE,
    aware_timestamps: bool = False,
    async_prepare: str = "auto",
    **cluster_options: Any,
) -> CassandraDriver:
    """Connect (blocking) and return a :class:`CassandraDriver`.

    Either ``hosts`` (a new ``Cluster`` that the driver owns and shuts down on ``close()``) or
    ``session`` (an existing ``cassandra.cluster.Session`` that stays yours) must be given.
    Extra keyword arguments go to ``cassandra.cluster.Cluster``.
    """
    cl = consistency_level(consistency)
    _check_timeout(request_timeout)
    if session is not None:
        return _wrap_session(
            session,
            hosts=hosts,
            keyspace=keyspace,
            consistency=cl,
            request_timeout=request_timeout,
            prepared_cache_size=prepared_cache_size,
            aware_timestamps=aware_timestamps,
            async_prepare=async_prepare,
            cluster_options={
                "port": port if port != 9042 else None,
                "username": username,
                "password": password,
                "ssl_context": ssl_context,
                "local_dc": local_dc,
                "protocol_version": protocol_version,
                "compression": compression,
                **cluster_options,
            },
        )
    if hosts is None:
        raise ConfigurationError(
            "The cassandra driver needs hosts=['host', 'host:port', ...] (contact points) or "
            "session=<an existing cassandra.cluster.Session>."
        )
    cluster = _make_cluster(
        parse_hosts(hosts, _check_port(port, port)),
        username=username,
        password=password,
        ssl_context=ssl_context,
        local_dc=local_dc,
        protocol_version=protocol_version,
        compression=compression,
        consistency=cl,
        request_timeout=request_timeout,
        cluster_options=cluster_options,
    )
    try:
        new_session = cluster.connect()
        if keyspace is not None:
            _use_keyspace(new_session, keyspace)
        driver = CassandraDriver(
            new_session,
            owns_cluster=True,
            keyspace=keyspace,
            execution_profile=new_session.get_execution_profile(EXEC_PROFILE_DEFAULT),
            prepared_cache_size=prepared_cache_size,
            aware_timestamps=aware_timestamps,
            async_prepare=async_prepare,
        )
    except BaseException as exc:
        cluster.shutdown()
        if isinstance(exc, CoodieError):
            raise
        if isinstance(exc, Exception):
            where = ", ".join(f"{h}:{p}" for h, p in cluster.contact_points)
            raise DriverError(
                f"Could not connect to Cassandra/ScyllaDB at {where}: {type(exc).__name__}: "
                f"{exc}. Check that a node is running there and that hosts/port/credentials "
                "are right."
            ) from exc
        raise
    return driver


async def connect_async(**options: Any) -> CassandraDriver:
    """:func:`connect` from a running event loop (the blocking connect runs in a thread)."""
    return await asyncio.to_thread(partial(connect, **options))


def _check_timeout(request_timeout: Any) -> None:
    if request_timeout is not None and (
        isinstance(request_timeout, bool)
        or not isinstance(request_timeout, (int, float))
        or request_timeout <= 0
    ):
        raise ConfigurationError(
            f"request_timeout must be a number of seconds > 0, got {request_timeout!r}."
        )


def _make_cluster(
    contact_points: list[tuple[str, int]],
    *,
    username: str | None,
    password: str | None,
    ssl_context: Any,
    local_dc: str | None,
    protocol_version: int | None,
    compression: bool | str | None,
    consistency: int | None,
    request_timeout: float | None,
    cluster_options: dict[str, Any],
) -> Any:
    from cassandra.policies import DCAwareRoundRobinPolicy, TokenAwarePolicy

    reserved = {"contact_points", "execution_profiles", "auth_provider"} & set(cluster_options)
    if reserved:
        raise ConfigurationError(
            f"Do not pass {', '.join(sorted(reserved))} to the cassandra driver: use hosts=, "
            "username=/password= and consistency=/request_timeout=, or build your own "
            "Cluster and pass session=cluster.connect()."
        )
    if (username is None) != (password is None):
        raise ConfigurationError("Give both username= and password= (or neither).")
    profile_options: dict[str, Any] = {
        "load_balancing_policy": cluster_options.pop(
            "load_balancing_policy", TokenAwarePolicy(DCAwareRoundRobinPolicy(local_dc=local_dc))
        ),
        "row_factory": tuple_factory,
    }
    for key in ("retry_policy", "speculative_execution_policy", "serial_consistency_level"):
        if key in cluster_options:
            profile_options[key] = cluster_options.pop(key)
    if consistency is not None:
        profile_options["consistency_level"] = consistency
    if request_timeout is not None:
        profile_options["request_timeout"] = request_timeout
    kwargs: dict[str, Any] = {
        "contact_points": contact_points,
        "execution_profiles": {EXEC_PROFILE_DEFAULT: ExecutionProfile(**profile_options)},
    }
    if username is not None:
        from cassandra.auth import PlainTextAuthProvider

        kwargs["auth_provider"] = PlainTextAuthProvider(username=username, password=password)
    if ssl_context is not None:
        kwargs["ssl_context"] = ssl_context
    if protocol_version is not None:
        kwargs["protocol_version"] = protocol_version
    if compression is not None:
        kwargs["compression"] = compression
    kwargs.update(cluster_options)
    try:
        return Cluster(**kwargs)
    except TypeError as exc:
        raise ConfigurationError(
            f"Bad option for the cassandra driver: {exc}. Options other than coodie's are "
            "passed to cassandra.cluster.Cluster(...)."
        ) from exc
    except ValueError as exc:
        raise ConfigurationError(f"Bad option for the cassandra driver: {exc}.") from exc


def _use_keyspace(session: Any, keyspace: str) -> None:
    from coodie.cql.identifiers import check_identifier

    check_identifier(keyspace, "keyspace", "init_coodie")
    if session.keyspace == keyspace:
        return
    from cassandra import InvalidRequest

    try:
        session.set_keyspace(keyspace)
    except InvalidRequest as exc:
        raise ConfigurationError(
            f"Keyspace {keyspace!r} does not exist (or cannot be used): {exc}. Create it "
            f"first (CREATE KEYSPACE {keyspace} WITH replication = ...), or connect without "
            "keyspace= and name the keyspace in your models' Settings."
        ) from exc


def _wrap_session(
    session: Any,
    *,
    hosts: Any,
    keyspace: str | None,
    consistency: int | None,
    request_timeout: float | None,
    prepared_cache_size: int,
    aware_timestamps: bool,
    async_prepare: str,
    cluster_options: dict[str, Any],
) -> CassandraDriver:
    if hosts is not None:
        raise ConfigurationError(
            "Give either hosts= (coodie creates and owns a Cluster) or session= (coodie uses "
            "your Session and leaves its lifetime to you), not both."
        )
    given = sorted(k for k, v in cluster_options.items() if v is not None)
    if given:
        raise ConfigurationError(
            f"Options {', '.join(given)} configure a new Cluster and cannot apply to an "
            "existing session=. Set them on your Cluster, or pass hosts= instead of session=."
        )
    if not callable(getattr(session, "execute_async", None)) or not callable(
        getattr(session, "prepare", None)
    ):
        raise ConfigurationError(
            f"session= must be a cassandra.cluster.Session (from cluster.connect()), got "
            f"{type(session).__name__}."
        )
    if getattr(session, "is_shutdown", False):
        raise ConfigurationError("session= is shut down; pass an open Session.")
    legacy = _is_legacy(session)
    profile = None
    if not legacy:
        updates: dict[str, Any] = {"row_factory": tuple_factory}
        if consistency is not None:
            updates["consistency_level"] = consistency
        if request_timeout is not None:
            updates["request_timeout"] = request_timeout
        # A clone of the session's default profile: shares its (already initialised) load
        # balancing policy, and leaves the user's default row factory untouched.
        profile = session.execution_profile_clone_update(EXEC_PROFILE_DEFAULT, **updates)
    if keyspace is not None:
        _use_keyspace(session, keyspace)
    return CassandraDriver(
        session,
        owns_cluster=False,
        keyspace=keyspace if keyspace is not None else session.keyspace,
        execution_profile=profile,
        legacy_consistency=consistency if legacy else None,
        legacy_timeout=request_timeout if legacy else None,
        prepared_cache_size=prepared_cache_size,
        aware_timestamps=aware_timestamps,
        async_prepare=async_prepare,
    )


def _is_legacy(session: Any) -> bool:
    """True when the session's Cluster was configured with legacy (pre-profile) parameters:
    then ``execution_profile=`` cannot be passed per request."""
    try:
        from cassandra.cluster import _ConfigMode
    except ImportError:  # pragma: no cover - every supported version has it
        return False
    mode = getattr(getattr(session, "cluster", None), "_config_mode", None)
    return bool(mode == _ConfigMode.LEGACY)
