"""The connect record -> a cassandra-driver ``Cluster`` and ``Session``, and results -> pages.

Every driver over cassandra-driver translates the same record the same way: contact points,
credentials, TLS, protocol version, connect timeout, and a default execution profile with
tuple rows, the record's consistency, serial consistency, request timeout and local data
centre. :func:`cluster_settings` builds those ``Cluster(...)`` keywords, :func:`open_session`
connects and binds the keyspace (a missing one is core's ``missing_keyspace`` error, any
failure shuts the cluster down), :func:`result_page` turns a result into a ``ResultPage``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cassandra import InvalidRequest
from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
from cassandra.query import tuple_factory

from coodie.drivers.kit.cassandra.errors import CASSANDRA_ERRORS
from coodie.drivers.kit.cassandra.terms import CONSISTENCY_LEVELS, cluster_contact_points
from coodie.drivers.kit.keyspaces import missing_keyspace
from coodie.drivers.statement import ResultPage
from coodie.exceptions import CoodieError

if TYPE_CHECKING:
    from coodie.drivers.kit.contact_points import HasContactPoints

__all__ = ["cluster_settings", "open_session", "profile_settings", "release_timer", "result_page"]

#: The page of every result without columns (writes); pages are never mutated.
NO_ROWS = ResultPage()


def profile_settings(options: Any) -> dict[str, Any]:
    """``ExecutionProfile`` keywords for the record's consistency levels and request timeout
    (only those it sets)."""
    settings: dict[str, Any] = {}
    if options.consistency is not None:
        settings["consistency_level"] = CONSISTENCY_LEVELS.level(options.consistency)
    if options.serial_consistency is not None:
        settings["serial_consistency_level"] = CONSISTENCY_LEVELS.level(
            options.serial_consistency, "serial consistency"
        )
    if options.request_timeout is not None:
        settings["request_timeout"] = options.request_timeout
    return settings


def cluster_settings(options: Any, **profile: Any) -> dict[str, Any]:
    """``Cluster(...)`` keywords for ``options`` (a ``coodie.connect.ConnectOptions``).

    The default execution profile returns tuple rows and routes token-aware within
    ``local_dc``; ``profile`` adds settings (e.g. a ``retry_policy``) or replaces those
    defaults, while the record's consistency levels and request timeout always apply.
    """
    from cassandra.policies import DCAwareRoundRobinPolicy, TokenAwarePolicy

    if "load_balancing_policy" not in profile:
        profile["load_balancing_policy"] = TokenAwarePolicy(
            DCAwareRoundRobinPolicy(local_dc=options.local_dc)
        )
    profile = {"row_factory": tuple_factory, **profile, **profile_settings(options)}
    points: HasContactPoints = options
    settings: dict[str, Any] = {
        **cluster_contact_points(points),
        "execution_profiles": {EXEC_PROFILE_DEFAULT: ExecutionProfile(**profile)},
    }
    if options.username is not None:
        from cassandra.auth import PlainTextAuthProvider

        settings["auth_provider"] = PlainTextAuthProvider(
            username=options.username, password=options.password
        )
    for name in ("ssl_context", "protocol_version", "connect_timeout"):
        if getattr(options, name) is not None:
            settings[name] = getattr(options, name)
    return settings


def open_session(options: Any, cluster: Any = None) -> tuple[Any, Any]:
    """``(cluster, session)``: ``cluster`` (default: ``Cluster(**cluster_settings(options))``)
    connected and bound to the record's keyspace. On failure the cluster is shut down (no thread or
    connection left) and the error is coodie's: ``missing_keyspace`` for a keyspace that does
    not exist, else the mapped ``DriverError`` naming the contact points."""
    if cluster is None:
        cluster = Cluster(**cluster_settings(options))
    try:
        session = cluster.connect()
        keyspace = options.keyspace
        if keyspace is not None and session.keyspace != keyspace:
            try:
                session.set_keyspace(keyspace)
            except InvalidRequest as exc:
                raise missing_keyspace(keyspace, exc) from exc
    except BaseException as exc:
        cluster.shutdown()
        if isinstance(exc, CoodieError) or not isinstance(exc, Exception):
            raise
        where = ", ".join(str(point) for point in options.contact_points)
        raise CASSANDRA_ERRORS.wrap(
            exc,
            f"Could not connect to Cassandra/ScyllaDB at {where}: {type(exc).__name__}: "
            f"{exc}. Check that a node is running there and that hosts/port/credentials "
            "are right.",
        ) from exc
    return cluster, session


def result_page(result: Any) -> ResultPage:
    """The page of a ``ResultSet`` whose rows are tuples (``tuple_factory``)."""
    release_timer(getattr(result, "response_future", None))
    if result.column_names is None:  # a write: no result set
        return NO_ROWS
    return ResultPage(result.column_names or (), result.current_rows, result.paging_state)


def _nothing() -> None:
    return None


def release_timer(response_future: Any) -> None:
    """Let go of a finished request's rows now rather than ``request_timeout`` later.

    cassandra-driver cancels a request's timeout timer when the answer comes, but a cancelled
    timer stays in the I/O loop's queue until its deadline, and its callback (a bound method
    of the ``ResponseFuture``) keeps the future and its page of rows alive until then. Streaming
    a large result thus held every page fetched in the last ``request_timeout`` seconds
    (~150 bytes a row). Pointing the cancelled timer's callback elsewhere frees the future
    once coodie has taken the page; a timer that is still running is left alone.
    """
    timer = getattr(response_future, "_timer", None)
    if timer is not None and getattr(timer, "canceled", False):
        timer.callback = _nothing
