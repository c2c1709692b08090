"""The acsylla driver: native asyncio, with a sync API through core's sync bridge.

Design (see README.md for the long version):

* acsylla binds a cluster, its session and every future they create to the event loop that
  was running when ``create_cluster`` was called. Each driver therefore has one *home loop*
  and runs every acsylla call there: it is a :class:`coodie.drivers.AsyncOnlyDriver`, and
  core routes sync calls and calls from other loops to that loop.
* :func:`connect` (sync) opens the session on a background loop thread the driver owns
  (core's :func:`coodie.drivers.run_on_own_loop`).
* :func:`connect_async` (from a running loop) makes that loop the home loop by default: no
  thread, no hop, ``execute_async`` awaits acsylla directly. ``execute`` from another thread
  is bridged to the home loop; from the home loop's own thread it raises
  ``BlockingCallOnLoopError`` (it would block the loop it waits for). ``background_loop=True``
  gives the sync behaviour instead, for a driver that must outlive the caller's loop (e.g.
  pytest's per-test loops).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import gc
import inspect
import socket
from typing import TYPE_CHECKING, Any

from coodie.connect import (
    ConnectOptions,
    build_connect_options,
    check_supported,
    ddl_timeout,
    missing_keyspace,
)
from coodie.drivers import (
    AsyncOnlyDriver,
    BackgroundLoop,
    BatchStatement,
    BatchType,
    Consistency,
    ResultPage,
    Statement,
    run_on_own_loop,
    run_on_own_loop_async,
)
from coodie.drivers.kit import PreparedCache
from coodie.exceptions import ConfigurationError, DriverError
from coodie_driver_acsylla.codecs import DECODERS, ENCODERS, UNSET, UNSUPPORTED_TYPES
from coodie_driver_acsylla.errors import map_error
from coodie_driver_acsylla.json_reads import json_reader, needs_json, readable_rows
from coodie_driver_acsylla.options import cluster_kwargs
from coodie_driver_acsylla.requests import RequestBuilder, bind_prepared, sent_request
from coodie_driver_acsylla.vectors import vector_decoder, vector_encoder

if TYPE_CHECKING:
    from coodie.drivers import Decoder, Encoder
    from coodie.model.types import CqlType

__all__ = ["AcsyllaDriver", "connect", "connect_async", "open_driver", "open_driver_async"]

#: Seconds to wait for the session to close when the driver closes.
CLOSE_TIMEOUT = 30.0


def _acsylla() -> Any:
    try:
        import acsylla
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ConfigurationError(
            f'The acsylla driver needs the acsylla package: pip install "coodie[acsylla]" ({error})'
        ) from error
    return acsylla


#: The page of every statement without a result (writes); pages are never mutated.
_NO_ROWS = ResultPage()


def _describe(statement: Statement | BatchStatement) -> str:
    if isinstance(statement, BatchStatement):
        return f"a {statement.batch_type.value} batch of {len(statement.statements)} statements"
    cql = statement.cql if len(statement.cql) <= 200 else statement.cql[:197] + "..."
    return repr(cql)


class AcsyllaDriver(RequestBuilder, AsyncOnlyDriver):
    """coodie driver over an acsylla session (see :func:`connect`, :func:`connect_async`)."""

    name = "acsylla"
    unset_value = UNSET
    unsupported_types = UNSUPPORTED_TYPES
    close_timeout = CLOSE_TIMEOUT
    loop_advice = (
        "With acsylla: connect() or connect_async(background_loop=True) give the driver a "
        "loop thread of its own."
    )

    def __init__(
        self,
        session: Any,
        *,
        loop: asyncio.AbstractEventLoop,
        cluster: Any = None,
        keyspace: str | None = None,
        loop_thread: BackgroundLoop | None = None,
        owns_session: bool = True,
        prepared_cache_size: int = 1000,
        request_timeout: float | None = None,
    ) -> None:
        _check_cache_size(prepared_cache_size)
        self._ddl_timeout = ddl_timeout(request_timeout)
        acsylla = _acsylla()
        self.session = session
        self.keyspace = keyspace
        self._cluster = cluster
        self.use_loop(loop, loop_thread)
        self._owns_session = owns_session
        self._cache: PreparedCache[Any] = PreparedCache(prepared_cache_size)
        self._create_statement = acsylla.create_statement
        self._levels: dict[str, Any] = {c.value: acsylla.Consistency[c.value] for c in Consistency}
        self._batch_factories = {
            BatchType.LOGGED: acsylla.create_batch_logged,
            BatchType.UNLOGGED: acsylla.create_batch_unlogged,
            BatchType.COUNTER: acsylla.create_batch_counter,
        }
        row_type = getattr(getattr(acsylla._cython, "cyacsylla", None), "Row", None)
        as_tuple = getattr(row_type, "as_tuple", None)
        self._as_tuple: Any = as_tuple if callable(as_tuple) else (lambda row: row.as_tuple())

    # -- introspection -------------------------------------------------------------------

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The event loop that owns the acsylla session (the *home loop*)."""
        loop = self.home_loop
        assert loop is not None  # set by __init__
        return loop

    @property
    def prepared_cache(self) -> PreparedCache[Any]:
        """The cache of prepared statements, by CQL text."""
        return self._cache

    def __repr__(self) -> str:
        where = "own loop thread" if self._thread is not None else "caller's loop"
        state = "closed" if self._closed else "open"
        return f"<AcsyllaDriver keyspace={self.keyspace!r} {where} {state}>"

    # -- codecs ----------------------------------------------------------------------------

    def decoder_for(self, cql_type: CqlType) -> Decoder | None:
        """How to turn acsylla's value of ``cql_type`` into coodie's, or ``None`` when it is
        already."""
        if cql_type.name == "vector":
            return vector_decoder(cql_type)
        return DECODERS.get(cql_type.name)

    def encoder_for(self, cql_type: CqlType) -> Encoder | None:
        """How to turn coodie's value of ``cql_type`` into acsylla's, or ``None`` when it is
        already."""
        if cql_type.name == "vector":
            return vector_encoder(cql_type)
        return ENCODERS.get(cql_type.name)

    def json_reader_for(self, cql_type: CqlType) -> Decoder | None:
        """Columns acsylla cannot decode (a set of UDTs, ...) are read as ``toJson(col)``:
        this turns that text into acsylla's values (see :mod:`.json_reads`)."""
        return json_reader(cql_type) if needs_json(cql_type) else None

    # -- execution -------------------------------------------------------------------------

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        """Build, send and convert one statement. Runs on the home loop (core's bridge
        routes sync calls and other loops' calls there)."""
        try:
            if isinstance(statement, BatchStatement):
                batch = await self._batch(statement)
                if self.request_observer is not None:
                    self.request_observer(sent_request(statement, batch))
                result = await self.session.execute_batch(batch)
            else:
                # Fast path: a cached prepared statement is bound without another coroutine.
                prepared = self._cache.get(statement.cql) if statement.prepare else None
                if prepared is not None:
                    values = statement.values
                    native = self._options(
                        bind_prepared(prepared, values, statement.unset_free), statement
                    )
                else:
                    native = await self._statement(statement)
                if self.request_observer is not None:
                    self.request_observer(sent_request(statement, native))
                result = await self.session.execute(native)
            columns = result.columns_names()
            if not columns:  # a write: nothing to convert
                return _NO_ROWS
            try:
                rows = list(map(self._as_tuple, result))
            except TypeError:
                # A column acsylla cannot decode, in a result whose text core could not
                # rewrite (a failed conditional write's current row): leave it out.
                columns, rows = readable_rows(result, columns)
            state = result.page_state() if result.has_more_pages() else None
        except DriverError:
            raise
        except Exception as error:
            what = _describe(statement)
            message = f"acsylla failed to execute {what}: {type(error).__name__}: {error}"
            raise map_error(error, message) from error
        return ResultPage(columns, rows, state)

    async def _prepare(self, cql: str) -> Any:
        return await self.session.create_prepared(cql)

    # -- closing -------------------------------------------------------------------------------

    async def close_async(self) -> None:
        """Close the session (when the driver opened it); runs on the home loop, once."""
        self._cache.clear()
        if self._owns_session:
            try:
                await self.session.close()
            finally:
                if self._cluster is not None:
                    _release_cluster(self._cluster, asyncio.get_running_loop())

    def release_abandoned(self) -> None:
        """The home loop is gone, so nothing can be awaited or delivered any more; the C++
        session is freed with the object. Close acsylla's socket pair."""
        if self.loop.is_closed() and self._owns_session and self._cluster is not None:
            self._cache.clear()
            for sock in _sockets_of(self._cluster):
                sock.close()


# -- factories --------------------------------------------------------------------------------


def _build_kwargs(acsylla: Any, options: ConnectOptions) -> dict[str, Any]:
    """``create_cluster`` keyword arguments for core's record."""
    allowed = set(inspect.signature(acsylla.create_cluster).parameters)
    kwargs = cluster_kwargs(options, allowed=allowed, own=_OWN_EXTRAS)
    for name, value in _cluster_defaults(options).items():
        if name in allowed:
            kwargs.setdefault(name, value)
    return kwargs


def _cluster_defaults(options: ConnectOptions) -> dict[str, Any]:
    """The defaults coodie gives acsylla settings the caller did not pass.

    ``fallthrough``: the C++ driver's default policy sends an "unavailable" answer to the
    next host, and with none left reports "no hosts available", losing what the server said;
    coodie raises the server's error (UnavailableError, timeouts, ...) and leaves retrying to
    the caller, who can tell from ``retryable`` / ``maybe_applied``. Pass
    ``retry_policy="default"`` for the C++ driver's own policy.
    """
    return {
        "retry_policy": "fallthrough",
        "max_schema_wait_time_ms": int(ddl_timeout(options.request_timeout) * 1000),
    }


#: Extras the factories take themselves rather than passing to ``create_cluster``.
_OWN_EXTRAS = ("loop", "background_loop")


async def _open(acsylla: Any, kwargs: dict[str, Any], keyspace: str | None) -> tuple[Any, Any]:
    """Create cluster + session on the running loop (which becomes the home loop)."""
    where = ",".join(kwargs["contact_points"]) + f" port {kwargs['port']}"
    try:
        cluster = acsylla.create_cluster(**kwargs)
    except (ValueError, TypeError, AttributeError) as error:
        raise ConfigurationError(f"acsylla rejected the connection options: {error}") from error
    _retain_logger_sockets(cluster)
    try:
        session = await cluster.create_session()
    except Exception as error:
        _release_cluster(cluster, asyncio.get_running_loop())
        raise map_error(
            error, f"acsylla could not connect to {where}: {type(error).__name__}: {error}"
        ) from error
    if keyspace is not None:
        try:
            await _use_keyspace(acsylla, session, keyspace)
        except BaseException:
            # Nothing is handed out, so nothing else would ever close them.
            with contextlib.suppress(Exception):
                await session.close()
            _release_cluster(cluster, asyncio.get_running_loop())
            raise
    return cluster, session


#: Socket pairs of acsylla's process-wide logger. acsylla replaces them (without closing
#: them) each time a cluster is created; keeping a reference avoids ResourceWarnings when
#: the replaced ones would be garbage-collected. Two small descriptors per cluster created.
_RETAINED_LOGGER_SOCKETS: list[socket.socket] = []


@atexit.register
def _close_retained_logger_sockets() -> None:
    # Nothing reads them once the interpreter exits; closing them here keeps the exit free of
    # "unclosed socket" warnings (an error under ``-W error``).
    for sock in _RETAINED_LOGGER_SOCKETS:
        sock.close()


def _sockets_of(obj: Any) -> list[socket.socket]:
    return [o for o in gc.get_referents(obj) if isinstance(o, socket.socket)]


def _retain_logger_sockets(cluster: Any) -> None:
    get_logger = getattr(cluster, "get_logger", None)
    if get_logger is None:  # pragma: no cover - other acsylla versions
        return
    with contextlib.suppress(Exception):
        for sock in _sockets_of(get_logger()):
            if sock not in _RETAINED_LOGGER_SOCKETS:
                _RETAINED_LOGGER_SOCKETS.append(sock)


def _release_cluster(cluster: Any, loop: asyncio.AbstractEventLoop) -> None:
    """Close the socket pair acsylla's Cluster registers on its loop (it never does itself).

    Called on the home loop once the session is closed, so no callback can still arrive.
    """
    for sock in _sockets_of(cluster):
        with contextlib.suppress(Exception):
            loop.remove_reader(sock)
        sock.close()


async def _use_keyspace(acsylla: Any, session: Any, keyspace: str) -> None:
    """Bind the session to ``keyspace``; a keyspace that does not exist fails fast, with the
    same ConfigurationError as on every coodie driver."""
    from coodie.model.identifiers import quote

    try:
        await session.execute(acsylla.create_statement(f"USE {quote(keyspace)}"))
    except Exception as error:
        if "does not exist" in str(error) or "Keyspace" in str(error):
            raise missing_keyspace(keyspace, error) from error
        raise map_error(error, f"acsylla could not use keyspace {keyspace!r}: {error}") from error


#: Seconds to wait for ``USE`` on a borrowed session's loop (a loop that is not running
#: would otherwise block the caller for ever).
_BORROWED_USE_TIMEOUT_S = 60.0


def _use_keyspace_on(loop: Any, acsylla: Any, session: Any, keyspace: str) -> None:
    """:func:`_use_keyspace` on the loop a borrowed session belongs to, from another thread."""
    future = asyncio.run_coroutine_threadsafe(_use_keyspace(acsylla, session, keyspace), loop)
    try:
        future.result(timeout=_BORROWED_USE_TIMEOUT_S)
    except concurrent.futures.TimeoutError as error:
        future.cancel()
        raise ConfigurationError(
            f"USE {keyspace} on the borrowed session did not finish in "
            f"{_BORROWED_USE_TIMEOUT_S:.0f} s: is loop= running (in another thread)?"
        ) from error


def _check_cache_size(size: object) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ConfigurationError(f"prepared_cache_size must be an int >= 1, got {size!r}")


def _record(hosts: Any, session: Any, keyspace: Any, options: dict[str, Any]) -> ConnectOptions:
    """Core's record for the keyword form of :func:`connect` / :func:`connect_async`."""
    from coodie_driver_acsylla.plugin import ADVICE, CAPABILITIES, NAME

    record = build_connect_options(hosts, session, keyspace, options)
    check_supported(NAME, record, CAPABILITIES, ADVICE)
    return record


def connect(
    *, hosts: Any = None, session: Any = None, keyspace: str | None = None, **options: Any
) -> AcsyllaDriver:
    """Open an acsylla session on a new background event-loop thread (for sync use).

    Takes ``init_coodie``'s keyword arguments (core validates them, see :func:`open_driver`).
    ``hosts``: contact points, ``"host"`` or ``"host:port"`` (one port for all). ``session``:
    an existing acsylla session instead, together with ``loop=`` (the loop it was created on,
    running in another thread); with ``keyspace=`` it is bound to that keyspace (``USE``, as
    cassandra-driver's ``set_keyspace``: the session is shared, so its owner sees it too).
    Other keyword arguments of ``acsylla.create_cluster`` (e.g. ``num_threads_io``,
    ``log_level``, ``ssl_trusted_cert``) are passed through.
    """
    return open_driver(_record(hosts, session, keyspace, options))


async def connect_async(
    *, hosts: Any = None, session: Any = None, keyspace: str | None = None, **options: Any
) -> AcsyllaDriver:
    """Open an acsylla session from a running event loop.

    By default the calling loop becomes the driver's home loop (native asyncio, no thread).
    ``background_loop=True`` opens it on a driver-owned loop thread instead, like
    :func:`connect`, so the driver can be used from other loops and outlive this one.
    ``session=``: an existing acsylla session created on the calling loop (bound to
    ``keyspace=`` when given, as with :func:`connect`).
    """
    return await open_driver_async(_record(hosts, session, keyspace, options))


def open_driver(options: ConnectOptions) -> AcsyllaDriver:
    """The sync DriverSpec factory: core's record -> a driver on its own loop thread."""
    acsylla = _acsylla()
    keyspace = options.keyspace
    loop = options.extras.get("loop")
    _check_cache_size(options.prepared_cache_size)
    if options.session is not None:
        if loop is None:
            raise ConfigurationError(
                "an acsylla session is bound to the event loop it was created on; pass "
                "loop=<that loop> (running in another thread) with session=, or call "
                "connect_async(session=...) from that loop."
            )
        if keyspace is not None:
            _use_keyspace_on(loop, acsylla, options.session, keyspace)
        return AcsyllaDriver(
            options.session,
            loop=loop,
            keyspace=keyspace,
            owns_session=False,
            prepared_cache_size=options.prepared_cache_size,
        )
    if loop is not None:
        raise ConfigurationError("loop= is only meaningful together with session=")
    kwargs = _build_kwargs(acsylla, options)
    return run_on_own_loop(lambda: _open_here(acsylla, kwargs, options), "coodie-acsylla")


async def open_driver_async(options: ConnectOptions) -> AcsyllaDriver:
    """The async DriverSpec factory: core's record -> a driver on the running loop (or, with
    ``background_loop=True``, on its own loop thread)."""
    acsylla = _acsylla()
    keyspace = options.keyspace
    running = asyncio.get_running_loop()
    _check_cache_size(options.prepared_cache_size)
    if options.session is not None:
        if keyspace is not None:
            await _use_keyspace(acsylla, options.session, keyspace)
        return AcsyllaDriver(
            options.session,
            loop=running,
            keyspace=keyspace,
            owns_session=False,
            prepared_cache_size=options.prepared_cache_size,
        )
    kwargs = _build_kwargs(acsylla, options)
    if not options.extras.get("background_loop", False):
        return await _open_here(acsylla, kwargs, options)
    return await run_on_own_loop_async(
        lambda: _open_here(acsylla, kwargs, options), "coodie-acsylla"
    )


async def _open_here(
    acsylla: Any, kwargs: dict[str, Any], options: ConnectOptions
) -> AcsyllaDriver:
    """A driver whose session is opened on (and bound to) the running loop."""
    cluster, opened = await _open(acsylla, kwargs, options.keyspace)
    return AcsyllaDriver(
        opened,
        cluster=cluster,
        loop=asyncio.get_running_loop(),
        keyspace=options.keyspace,
        prepared_cache_size=options.prepared_cache_size,
        request_timeout=options.request_timeout,
    )
