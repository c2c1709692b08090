"""Turning coodie statements into cassandra-driver requests, and their results into pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cassandra.query import BatchStatement as DriverBatch
from cassandra.query import SimpleStatement

from coodie.connect import is_schema_change
from coodie.drivers import (
    BatchStatement,
    BatchType,
    Consistency,
    ResultPage,
    Statement,
)
from coodie.drivers.kit.cassandra import (
    BATCH_TYPES,
    CASSANDRA_ERRORS,
    release_timer,
    result_page,
    sent_request,
)
from coodie.drivers.kit.cassandra import CONSISTENCY_LEVELS as _LEVELS
from coodie.exceptions import ConfigurationError, DriverError

__all__ = [
    "CONSISTENCY_LEVELS",
    "RequestBuilder",
    "consistency_level",
    "driver_error",
    "release_timer",
    "sent_request",
]

#: coodie's consistency names -> ``cassandra.ConsistencyLevel`` values (core's table).
CONSISTENCY_LEVELS: dict[str, int] = _LEVELS.table


def consistency_level(value: Consistency | str | None, what: str = "consistency") -> int | None:
    """Map a coodie consistency (enum or name, any case) to cassandra-driver's constant."""
    return _LEVELS.level(value, what)


class RequestBuilder:
    """The request half of :class:`~coodie_driver_cassandra.execution.CassandraDriver`."""

    _legacy_cl: int | None
    _legacy_serial_cl: int | None
    _default_kwargs: dict[str, Any]
    _ddl_kwargs: dict[str, Any]
    _profile: Any
    _closed: bool

    def _apply_options(self, query: Any, statement: Statement) -> None:
        if statement.consistency is not None:
            query.consistency_level = consistency_level(statement.consistency)
        elif self._legacy_cl is not None:
            query.consistency_level = self._legacy_cl
        if statement.serial_consistency is not None:
            query.serial_consistency_level = consistency_level(
                statement.serial_consistency, "serial consistency"
            )
        elif self._legacy_serial_cl is not None:
            query.serial_consistency_level = self._legacy_serial_cl
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
        query = DriverBatch(batch_type=BATCH_TYPES[BatchType(batch.batch_type)])
        cl = consistency_level(batch.consistency)
        if cl is None:
            cl = self._legacy_cl
        if cl is not None:
            query.consistency_level = cl
        if batch.serial_consistency is not None:
            query.serial_consistency_level = consistency_level(
                batch.serial_consistency, "serial consistency"
            )
        elif self._legacy_serial_cl is not None:
            query.serial_consistency_level = self._legacy_serial_cl
        if batch.idempotent:
            query.is_idempotent = True
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
            if (
                isinstance(statement, Statement)
                and not statement.prepare
                and is_schema_change(statement.cql)
            ):
                return self._ddl_kwargs  # schema agreement takes long under load
            return self._default_kwargs  # most requests: built once, only ever unpacked
        kwargs = dict(self._default_kwargs)
        if statement.timeout is not None:
            kwargs["timeout"] = statement.timeout
        if paging_state is not None:
            kwargs["paging_state"] = paging_state
        return kwargs

    def _page(self, result: Any) -> ResultPage:
        rows = result.current_rows if result.column_names is not None else None
        if self._profile is None and rows and not isinstance(rows[0], tuple):
            # Legacy-mode session with a non-tuple row factory (e.g. dict_factory).
            release_timer(getattr(result, "response_future", None))
            rows = [tuple(r.values()) if isinstance(r, Mapping) else tuple(r) for r in rows]
            return ResultPage(result.column_names or (), rows, result.paging_state)
        return result_page(result)

    def _check_open(self) -> None:
        if self._closed:
            raise ConfigurationError(
                "This coodie cassandra driver is closed. Call init_coodie(...) again to reconnect."
            )


def driver_error(exc: BaseException, statement: Statement | BatchStatement) -> DriverError:
    """The coodie error for ``exc``, raised by cassandra-driver running ``statement``."""
    return CASSANDRA_ERRORS.statement_error(exc, statement)
