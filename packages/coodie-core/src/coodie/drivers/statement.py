"""What coodie hands a driver (statements) and what it gets back (result pages).

Statements carry CQL text with ``?`` markers, the bound values, and the per-request options a
real application needs. A driver executes one and returns one page of rows plus the paging
state of the next page, so paging is always explicit and never silently truncated.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["BatchStatement", "BatchType", "Consistency", "ResultPage", "Statement", "bound"]


class Consistency(str, enum.Enum):
    """Driver-neutral consistency levels; drivers map them to their own constants."""

    ANY = "ANY"
    ONE = "ONE"
    TWO = "TWO"
    THREE = "THREE"
    QUORUM = "QUORUM"
    ALL = "ALL"
    LOCAL_QUORUM = "LOCAL_QUORUM"
    EACH_QUORUM = "EACH_QUORUM"
    SERIAL = "SERIAL"
    LOCAL_SERIAL = "LOCAL_SERIAL"
    LOCAL_ONE = "LOCAL_ONE"


class BatchType(str, enum.Enum):
    """The kind of a CQL batch: ``LOGGED`` (atomic), ``UNLOGGED`` or ``COUNTER``."""

    LOGGED = "LOGGED"
    UNLOGGED = "UNLOGGED"
    COUNTER = "COUNTER"


class Statement:
    """One CQL statement with its bound values and request options.

    ``prepare`` is false for DDL and other one-off statements that are not worth caching.
    ``values`` may contain the driver's unset marker (see ``AbstractDriver.unset_value``).
    Options left at their defaults are not stored on the instance (the class holds them),
    which keeps creating a statement cheap on hot paths.
    """

    consistency: Consistency | None = None
    serial_consistency: Consistency | None = None
    timeout: float | None = None
    fetch_size: int | None = None
    paging_state: bytes | None = None
    idempotent: bool = False
    prepare: bool = True
    #: True when whoever built the statement guarantees that ``values`` holds no unset marker,
    #: so a driver that must bind unset positions one by one can skip looking for them.
    unset_free: bool = False

    def __init__(
        self,
        cql: str,
        values: Sequence[Any] = (),
        *,
        consistency: Consistency | None = None,
        serial_consistency: Consistency | None = None,
        timeout: float | None = None,
        fetch_size: int | None = None,
        paging_state: bytes | None = None,
        idempotent: bool = False,
        prepare: bool = True,
    ) -> None:
        self.cql = cql
        self.values = values
        if consistency is not None:
            self.consistency = consistency
        if serial_consistency is not None:
            self.serial_consistency = serial_consistency
        if timeout is not None:
            self.timeout = timeout
        if fetch_size is not None:
            self.fetch_size = fetch_size
        if paging_state is not None:
            self.paging_state = paging_state
        if idempotent:
            self.idempotent = True
        if not prepare:
            self.prepare = False

    def __repr__(self) -> str:
        return f"Statement({self.cql!r}, {list(self.values)!r})"


def bound(
    cql: str, values: Sequence[Any], idempotent: bool = False, unset_free: bool = False
) -> Statement:
    """A Statement with default options, built without keyword parsing (mapper hot paths)."""
    statement = _new_object(Statement)
    statement.cql = cql
    statement.values = values
    if idempotent:
        statement.idempotent = True
    if unset_free:
        statement.unset_free = True
    return statement


_new_object = object.__new__


class BatchStatement:
    """Several write statements applied together (``BEGIN ... BATCH``).

    Drivers send it as a native protocol batch so that each child stays a prepared statement;
    :func:`coodie.cql.dml.batch_cql` renders the equivalent CQL text.
    """

    __slots__ = (
        "batch_type",
        "consistency",
        "idempotent",
        "serial_consistency",
        "statements",
        "timeout",
    )

    def __init__(
        self,
        statements: Sequence[Statement],
        batch_type: BatchType = BatchType.LOGGED,
        *,
        consistency: Consistency | None = None,
        serial_consistency: Consistency | None = None,
        timeout: float | None = None,
        idempotent: bool = False,
    ) -> None:
        self.statements = statements
        self.batch_type = batch_type
        self.consistency = consistency
        self.serial_consistency = serial_consistency
        self.timeout = timeout
        #: Safe to send again after a timeout (every statement in it is).
        self.idempotent = idempotent

    def __repr__(self) -> str:
        return f"BatchStatement({self.batch_type.value}, {len(self.statements)} statements)"


class ResultPage:
    """One page of a result: column names, rows as tuples, and the next page's paging state.

    ``paging_state`` is ``None`` on the last page. Rows are sequences in ``columns`` order.
    """

    __slots__ = ("columns", "paging_state", "rows")

    def __init__(
        self,
        columns: Sequence[str] = (),
        rows: Sequence[Sequence[Any]] = (),
        paging_state: bytes | None = None,
    ) -> None:
        self.columns = tuple(columns)
        self.rows = rows
        self.paging_state = paging_state

    def __repr__(self) -> str:
        more = ", more" if self.paging_state else ""
        return f"ResultPage(columns={self.columns!r}, {len(self.rows)} rows{more})"
