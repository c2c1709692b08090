"""The abstract driver: the only place where coodie meets a client library.

A driver executes :class:`~coodie.drivers.statement.Statement` and
:class:`~coodie.drivers.statement.BatchStatement` objects, synchronously and asynchronously, and
returns one :class:`~coodie.drivers.statement.ResultPage` per call. Everything else (CQL text,
validation, hydration, paging bookkeeping) is done by coodie-core.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from coodie.drivers.concurrency import run_concurrently

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coodie.drivers.sent import RequestObserver
    from coodie.drivers.statement import BatchStatement, ResultPage, Statement
    from coodie.model.types import CqlType

__all__ = ["AbstractDriver", "Decoder", "Encoder"]

Decoder = Callable[[Any], Any]
Encoder = Callable[[Any], Any]


class AbstractDriver(ABC):
    """Base class of every coodie driver.

    Subclasses implement :meth:`execute`, :meth:`execute_async` and :meth:`close`; they may
    override :meth:`close_async`, the bulk-write hooks :meth:`execute_many` and
    :meth:`execute_many_async`, and the codec hooks when their client library uses value
    types of its own (e.g. a ``SortedSet`` or a ``Duration`` class).
    """

    #: Short name, as used with ``init_coodie(driver_type=...)``.
    name: ClassVar[str] = "abstract"

    #: The object the client library treats as "leave this column unset" (protocol v4+).
    #: coodie binds it instead of ``None`` on inserts so that no tombstone is written.
    unset_value: Any = None

    #: Keyspace the connection uses for models whose Settings name none.
    keyspace: str | None = None

    #: False when the sync :meth:`execute_many` sends without calling :meth:`execute`: while
    #: the ``coodie.cql`` logger or tracing records, core then sends bulk writes one by one
    #: through ``execute`` so that each statement is logged and traced.
    bulk_sends_through_execute: ClassVar[bool] = True

    #: CQL type names (``"decimal"``) this driver cannot carry correctly, each with the
    #: reason. Core refuses a model with such a column (at any depth: in a collection, a
    #: tuple or a user-defined type) with an UnsupportedTypeError before anything is sent,
    #: rather than let the client store a value other clients read differently.
    unsupported_types: ClassVar[dict[str, str]] = {}

    #: Set by the conformance suite (never by core): when not None, the driver calls it once
    #: per request it sends with a :class:`~coodie.drivers.sent.SentRequest` describing the
    #: client request it built, so the suite can see options no result shows (idempotent,
    #: serial consistency). See docs/writing-a-driver.md.
    request_observer: RequestObserver | None = None

    @abstractmethod
    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        """Run one statement and return its first (or only) page."""

    @abstractmethod
    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        """Run one statement without blocking the event loop."""

    # -- bulk writes: one hook per API, the same contract ---------------------------------
    #
    # ``insert_many`` calls ``execute_many`` (coodie.sync) or ``execute_many_async``
    # (coodie.aio) after checking ``concurrency`` (a positive int), so overrides need not.
    # Both run statements whose results are not needed with at most ``concurrency`` in
    # flight and return how many ran. ``statements`` is consumed lazily, and building one
    # may raise: let that propagate. At the first failure send nothing more, let the
    # requests in flight end (finish or be cancelled), then raise it (a DriverError when
    # the client failed).

    def execute_many(
        self, statements: Iterable[Statement | BatchStatement], concurrency: int
    ) -> int:
        """Bulk writes from synchronous code (see the contract above).

        This default runs them one after another; override it when the client can keep
        several requests in flight from a blocking caller.
        """
        count = 0
        for statement in statements:
            self.execute(statement)
            count += 1
        return count

    async def execute_many_async(
        self, statements: Iterable[Statement | BatchStatement], concurrency: int
    ) -> int:
        """Bulk writes from async code (see the contract above).

        This default is core's pool of ``concurrency`` workers awaiting
        :meth:`execute_async`; it suits any driver whose ``execute_async`` is truly
        asynchronous, so few drivers override it.
        """
        return await run_concurrently(self, statements, concurrency)

    @abstractmethod
    def close(self) -> None:
        """Release connections. Idempotent."""

    async def close_async(self) -> None:
        """Release connections from async code (defaults to :meth:`close`)."""
        self.close()

    def decoder_for(self, cql_type: CqlType) -> Decoder | None:
        """A function turning the client's value for a *scalar* ``cql_type`` into Python.

        Return ``None`` when the client already returns the declared Python type. coodie-core
        composes these into per-column converters once per model, so this is never called
        per row. Collections are handled by core (it calls this for their element types).
        """
        return None

    def encoder_for(self, cql_type: CqlType) -> Encoder | None:
        """A function turning a Python value of a *scalar* ``cql_type`` into the client's."""
        return None

    def json_reader_for(self, cql_type: CqlType) -> Decoder | None:
        """For a *column* type the client cannot decode (e.g. a set whose elements it turns
        into unhashable dicts): a function turning the column's ``toJson()`` text into the
        value core's decoders take from this client; ``None`` (the default) reads it as is.

        Core then selects such a column as ``toJson(col) AS col``, once per model. Results
        that carry the column itself (a failed conditional write's current row) cannot be
        rewritten: the driver must leave such a column out of those rows rather than fail.
        """
        return None
