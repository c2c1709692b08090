"""Connecting the async API: awaitable ``init_coodie`` and keyspace helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie import connections
from coodie.aio import startup
from coodie.connect import Capability, connect_options, retry
from coodie.cql import ddl
from coodie.drivers.observe import take_observe_options
from coodie.drivers.statement import ResultPage, Statement
from coodie.plugins import checks, uses
from coodie.plugins.registry import get_registry
from coodie.query.page_tokens import set_signing_keys
from coodie.query.write_options import hand_written

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from coodie.drivers.base import AbstractDriver
    from coodie.drivers.statement import Consistency

__all__ = ["close_coodie", "create_keyspace", "drop_keyspace", "execute", "init_coodie"]


async def init_coodie(
    hosts: str | list[str] | None = None,
    session: Any = None,
    keyspace: str | None = None,
    driver_type: str = "cassandra",
    name: str = connections.DEFAULT,
    *,
    models: Sequence[type] = (),
    create_keyspace: bool | Mapping[str, Any] = False,
    check_models: bool = False,
    **options: Any,
) -> AbstractDriver:
    """Connect with the driver plugin ``driver_type`` and register it as connection ``name``.

    One-call startup: ``create_keyspace=True`` (one replica) or its replication
    (``{"replication_factor": 3}``, ``{"datacenters": {"dc1": 3}}``) creates ``keyspace``
    if it does not exist; ``models`` (Documents, MaterializedViews, UserTypes on this
    connection) are then synced (types first, views last), or with ``check_models=True``
    only compared: a difference is a SchemaError naming the DDL that would run (and the
    connection is closed again).

    Core validates everything once into a :class:`~coodie.connect.ConnectOptions` record
    (hosts, port, keyspace, username/password, ssl_context, local_dc, protocol_version,
    consistency, serial_consistency, connect/request timeouts, prepared_cache_size,
    page_token_key); other ``options`` are driver extras, passed through to the driver.

    Seeing the CQL: ``log_cql`` (None: log to the ``coodie.cql`` logger when it is enabled
    for DEBUG at this call; True: install the hook anyway; False: never), ``log_values=False``
    (bound values shown as ``<redacted>``), ``tracing=True`` (one OpenTelemetry span per
    statement, needs ``coodie[otel]``) and ``trace_query_text=False`` (no ``db.query.text``).

    A connection coodie opens is tried again while it fails in a way that may pass (nothing
    listening yet, a timeout), until ``connect_timeout`` seconds (default 60) have passed;
    then :class:`~coodie.exceptions.ConnectTimeoutError` says how long it tried and what it
    saw. Bad credentials or a missing keyspace fail at once.
    """
    if create_keyspace:
        ks_options = startup.keyspace_options(keyspace, create_keyspace)
        # The keyspace must exist before a connection can use it: create it on a
        # connection without one, then connect as asked.
        await init_coodie(hosts, session, None, driver_type, name, **options)
        try:
            await startup.ensure_keyspace(name, keyspace or "", ks_options)
        finally:
            await close_coodie(name)
    driver = await _connect(hosts, session, keyspace, driver_type, name, options)
    if models:
        try:
            await startup.prepare_models(name, models, check=check_models)
        except BaseException:
            await close_coodie(name)  # a failed startup leaves no half-ready connection
            raise
    return driver


async def _connect(
    hosts: str | list[str] | None,
    session: Any,
    keyspace: str | None,
    driver_type: str,
    name: str,
    options: dict[str, Any],
) -> AbstractDriver:
    observing = take_observe_options(options)
    spec = get_registry().resolve(driver_type)
    factory = checks.connect_async(spec)  # refuses a driver without this API's path
    record = connect_options(spec, hosts, session, keyspace, options)
    per_attempt = Capability.CONNECT_TIMEOUT in spec.capabilities
    driver = await retry.connect_async(factory, record, per_attempt_timeout=per_attempt)
    set_signing_keys(name, record.page_token_key)
    # After the observer hooks in: the guard refuses before anything is logged or sent.
    return uses.guard(spec, connections.register_driver(driver, name, observing))


async def close_coodie(name: str = connections.DEFAULT) -> None:
    """Close and forget connection ``name`` (no error if it does not exist)."""
    driver = connections.unregister_driver(name)
    set_signing_keys(name, None)
    if driver is not None:
        await driver.close_async()


async def create_keyspace(
    name: str,
    *,
    replication_factor: int = 1,
    strategy: str = "SimpleStrategy",
    datacenters: Mapping[str, int] | None = None,
    durable_writes: bool = True,
    connection: str | None = None,
) -> None:
    """``CREATE KEYSPACE IF NOT EXISTS`` (SimpleStrategy or NetworkTopologyStrategy)."""
    cql = ddl.create_keyspace(
        name,
        replication_factor=replication_factor,
        strategy=strategy,
        datacenters=datacenters,
        durable_writes=durable_writes,
    )
    await connections.get_driver(connection).execute_async(Statement(cql, prepare=False))


async def drop_keyspace(name: str, *, connection: str | None = None) -> None:
    """DROP KEYSPACE IF EXISTS ``name`` (every table in it goes too)."""
    await connections.get_driver(connection).execute_async(
        Statement(ddl.drop_keyspace(name), prepare=False)
    )


async def execute(
    statement: Statement | str,
    values: Sequence[Any] = (),
    *,
    consistency: Consistency | str | None = None,
    timeout: float | None = None,
    connection: str | None = None,
) -> ResultPage:
    """Run a hand-written statement (values bound, never formatted) and return its page.

    ``statement`` is a :class:`~coodie.drivers.Statement`, or CQL text with ``?`` markers
    whose ``values``, ``consistency`` and ``timeout`` are given here.
    """
    checked = hand_written(statement, values, consistency, timeout)
    return await connections.get_driver(connection).execute_async(checked)
