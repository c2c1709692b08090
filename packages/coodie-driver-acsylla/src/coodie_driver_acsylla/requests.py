"""Turning coodie statements into acsylla statements and batches, options applied.

The part of :class:`~coodie_driver_acsylla.driver.AcsyllaDriver` that builds requests; it
does no I/O but preparing (through the driver's prepared-statement cache).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.connect import is_schema_change
from coodie.drivers import BatchStatement, BatchType, SentRequest, Statement
from coodie_driver_acsylla.codecs import UNSET

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

    from coodie.drivers.kit import PreparedCache

__all__ = ["DEFAULT_PAGE_SIZE", "RequestBuilder", "bind_prepared", "sent_request"]

#: Rows per page of a statement that sets no ``fetch_size`` (cassandra-driver's default).
DEFAULT_PAGE_SIZE = 5000


class RequestBuilder:
    """Builds acsylla requests; the driver sets these attributes in its ``__init__``."""

    _cache: PreparedCache[Any]
    _prepare: Callable[[str], Awaitable[Any]]
    _create_statement: Callable[..., Any]
    _levels: dict[str, Any]
    _ddl_timeout: float
    _batch_factories: dict[BatchType, Callable[..., Any]]

    async def _statement(self, statement: Statement, *, in_batch: bool = False) -> Any:
        values = statement.values
        if statement.prepare:
            cql = statement.cql
            prepared = self._cache.get(cql)
            if prepared is None:
                prepared = await self._cache.get_or_prepare_async(cql, self._prepare)
            native = bind_prepared(prepared, values, statement.unset_free)
        else:
            native = self._create_statement(statement.cql, parameters=len(values))
            if values:
                _bind_each(native, values)
        if in_batch:
            return native
        return self._options(native, statement)

    def _options(self, native: Any, statement: Statement) -> Any:
        """Apply the statement's request options to the acsylla statement ``native``."""
        if statement.consistency is not None:
            native.set_consistency(self._levels[statement.consistency])
        if statement.serial_consistency is not None:
            native.set_serial_consistency(self._levels[statement.serial_consistency])
        if statement.timeout is not None:
            native.set_timeout(_timeout(statement.timeout))
        elif not statement.prepare and is_schema_change(statement.cql):
            native.set_timeout(self._ddl_timeout)  # schema agreement takes long under load
        # acsylla pages only when asked: without a page size a SELECT comes back as one page
        # of every row, so streaming it would hold them all. Same default as cassandra-driver.
        native.set_page_size(int(statement.fetch_size or DEFAULT_PAGE_SIZE))
        if statement.paging_state:
            native.set_page_state(bytes(statement.paging_state))
        if statement.idempotent:
            native.set_is_idempotent(True)
        return native

    async def _batch(self, statement: BatchStatement) -> Any:
        factory = self._batch_factories[BatchType(statement.batch_type)]
        timeout = None if statement.timeout is None else _timeout(statement.timeout)
        batch = factory(timeout=timeout)
        get_cached = self._cache.get
        add = batch.add_statement
        for child in statement.statements:
            prepared = get_cached(child.cql) if child.prepare else None
            if prepared is not None:  # no coroutine per child when already prepared
                add(bind_prepared(prepared, child.values, child.unset_free))
            else:
                add(await self._statement(child, in_batch=True))
        if statement.consistency is not None:
            batch.set_consistency(self._levels[statement.consistency])
        if statement.serial_consistency is not None:
            batch.set_serial_consistency(self._levels[statement.serial_consistency])
        if statement.idempotent:
            batch.set_is_idempotent(True)
        return batch


def sent_request(statement: Statement | BatchStatement, native: Any) -> SentRequest:
    """What :meth:`RequestBuilder._options` / ``_batch`` set on ``native`` (acsylla's
    requests cannot be read back), for the driver's ``request_observer``."""
    timeout = None if statement.timeout is None else _timeout(statement.timeout)
    if isinstance(statement, BatchStatement):
        return SentRequest(
            statement,
            consistency=statement.consistency,
            serial_consistency=statement.serial_consistency,
            timeout=timeout,
            idempotent=bool(statement.idempotent),
            batch_type=BatchType(statement.batch_type),
            request=native,
        )
    return SentRequest(
        statement,
        consistency=statement.consistency,
        serial_consistency=statement.serial_consistency,
        timeout=timeout,
        fetch_size=int(statement.fetch_size or DEFAULT_PAGE_SIZE),
        paging_state=bytes(statement.paging_state) if statement.paging_state else None,
        idempotent=bool(statement.idempotent),
        request=native,
    )


def _timeout(seconds: float) -> float:
    """Seconds for acsylla, never below 1 ms (the C++ driver reads 0 ms as "no timeout")."""
    return max(float(seconds), 0.001)


def bind_prepared(prepared: Any, values: Sequence[Any], unset_free: bool = False) -> Any:
    """A bound statement of ``prepared``; UNSET positions are left unbound.

    ``unset_free`` is the statement's promise that no value is UNSET: the scan for it costs
    a comparison per value (a Python-level ``__eq__`` for UUIDs), so it is skipped then.
    """
    if not values:
        return prepared.bind()
    # ``in`` compares by identity first; CQL value types never compare equal to UNSET.
    if not unset_free and UNSET in values:
        native = prepared.bind()
        _bind_each(native, values)
        return native
    return prepared.bind(values if type(values) is list else list(values))


def _bind_each(native: Any, values: Sequence[Any]) -> None:
    """Bind position by position, leaving UNSET positions unbound (= unset on the wire)."""
    bind = native.bind
    for index, value in enumerate(values):
        if value is not UNSET:
            bind(index, value)
