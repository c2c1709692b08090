"""Connecting: core's :class:`~coodie.connect.ConnectOptions` record -> a ``Cluster``.

Core parsed and validated every option; this module only translates the record into
cassandra-driver terms (and checks the driver extras, which go to ``Cluster(...)``).

Ports: core's :func:`coodie.drivers.kit.cassandra.cluster_contact_points` (one shared port
goes as ``Cluster(port=...)``, hosts on different ports as ``(host, port)`` pairs).
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster
from cassandra.query import tuple_factory

from coodie.connect import ConnectOptions, build_connect_options, check_supported, ddl_timeout
from coodie.connect import missing_keyspace as _missing_keyspace
from coodie.drivers.kit.cassandra import (
    cluster_settings,
    open_session,
    profile_settings,
)
from coodie.exceptions import ConfigurationError
from coodie_driver_cassandra.execution import CassandraDriver
from coodie_driver_cassandra.plugin import ADVICE, CAPABILITIES, NAME
from coodie_driver_cassandra.requests import consistency_level

__all__ = ["connect", "connect_async", "open_driver", "open_driver_async"]


def connect(
    *, hosts: Any = None, session: Any = None, keyspace: str | None = None, **options: Any
) -> CassandraDriver:
    """Connect (blocking) and return a :class:`CassandraDriver`.

    Takes ``init_coodie``'s keyword arguments (core validates them into a ConnectOptions
    record, see :func:`open_driver`). Either ``hosts`` (a new ``Cluster`` that the driver
    owns and shuts down on ``close()``) or ``session`` (an existing
    ``cassandra.cluster.Session`` that stays yours) must be given. Extra keyword arguments
    (other than ``aware_timestamps`` and ``async_prepare``) go to
    ``cassandra.cluster.Cluster``.
    """
    record = build_connect_options(hosts, session, keyspace, options)
    check_supported(NAME, record, CAPABILITIES, ADVICE)
    return open_driver(record)


async def connect_async(**options: Any) -> CassandraDriver:
    """:func:`connect` from a running event loop (the blocking connect runs in a thread)."""
    return await asyncio.to_thread(partial(connect, **options))


async def open_driver_async(options: ConnectOptions) -> CassandraDriver:
    """:func:`open_driver` from a running event loop (the blocking connect runs in a thread)."""
    return await asyncio.to_thread(open_driver, options)


def open_driver(options: ConnectOptions) -> CassandraDriver:
    """The DriverSpec factory: translate ``options`` and connect (blocking)."""
    extras = dict(options.extras)
    aware_timestamps = bool(extras.pop("aware_timestamps", False))
    async_prepare = extras.pop("async_prepare", "auto")
    if options.session is not None:
        return _wrap_session(options, extras, aware_timestamps, async_prepare)
    cluster, session = open_session(options, _make_cluster(options, extras))
    try:
        return CassandraDriver(
            session,
            owns_cluster=True,
            keyspace=options.keyspace,
            execution_profile=session.get_execution_profile(EXEC_PROFILE_DEFAULT),
            prepared_cache_size=options.prepared_cache_size,
            aware_timestamps=aware_timestamps,
            async_prepare=async_prepare,
            request_timeout=options.request_timeout,
        )
    except BaseException:
        cluster.shutdown()
        raise


def _make_cluster(options: ConnectOptions, cluster_options: dict[str, Any]) -> Any:
    reserved = {"contact_points", "execution_profiles", "auth_provider"} & set(cluster_options)
    if reserved:
        raise ConfigurationError(
            f"Do not pass {', '.join(sorted(reserved))} to the cassandra driver: use hosts=, "
            "username=/password= and consistency=/request_timeout=, or build your own "
            "Cluster and pass session=cluster.connect()."
        )
    profile = {
        key: cluster_options.pop(key)
        for key in (
            "load_balancing_policy",
            "retry_policy",
            "speculative_execution_policy",
            "serial_consistency_level",
        )
        if key in cluster_options
    }
    kwargs = cluster_settings(options, **profile)
    # Schema changes wait for agreement as long as their own (DDL) timeout.
    kwargs["max_schema_agreement_wait"] = ddl_timeout(options.request_timeout)
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
    if session.keyspace == keyspace:
        return
    from cassandra import InvalidRequest

    try:
        session.set_keyspace(keyspace)
    except InvalidRequest as exc:
        raise _missing_keyspace(keyspace, exc) from exc


def _wrap_session(
    options: ConnectOptions,
    cluster_options: dict[str, Any],
    aware_timestamps: bool,
    async_prepare: str,
) -> CassandraDriver:
    session = options.session
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
        updates: dict[str, Any] = {"row_factory": tuple_factory, **profile_settings(options)}
        # A clone of the session's default profile: shares its (already initialised) load
        # balancing policy, and leaves the user's default row factory untouched.
        profile = session.execution_profile_clone_update(EXEC_PROFILE_DEFAULT, **updates)
    keyspace = options.keyspace
    if keyspace is not None:
        _use_keyspace(session, keyspace)
    return CassandraDriver(
        session,
        owns_cluster=False,
        keyspace=keyspace if keyspace is not None else session.keyspace,
        execution_profile=profile,
        legacy_consistency=consistency_level(options.consistency) if legacy else None,
        legacy_serial_consistency=(
            consistency_level(options.serial_consistency, "serial consistency") if legacy else None
        ),
        legacy_timeout=options.request_timeout if legacy else None,
        prepared_cache_size=options.prepared_cache_size,
        aware_timestamps=aware_timestamps,
        async_prepare=async_prepare,
        request_timeout=options.request_timeout,
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
