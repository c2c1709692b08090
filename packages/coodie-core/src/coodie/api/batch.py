"""Collecting writes into one BATCH: the part shared by the sync and async batch classes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from coodie.api.batch_cells import BatchCells
from coodie.api.batch_held import HeldWrites
from coodie.api.document import mapper_of
from coodie.api.hooks import with_assigned
from coodie.drivers.statement import BatchStatement, BatchType, Consistency, ResultPage, Statement
from coodie.exceptions import InvalidQueryError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from coodie.api.document import DocumentBase
    from coodie.drivers.base import AbstractDriver
    from coodie.mapping import Mapper, Write

__all__ = ["BatchBase"]


class BatchBase:
    """Queues statements built from documents; the subclass decides how the batch is sent.

    ``batch_type`` is ``"logged"`` (atomic), ``"unlogged"`` (one partition, cheaper) or
    ``"counter"`` (counter updates only). Documents are updated in memory only after the
    batch was applied.
    """

    #: Whether coroutine before-hooks are awaited (coodie.aio: the writes they belong to,
    #: and every write queued after them, are queued when the batch is sent).
    _awaits_hooks: ClassVar[bool] = False

    def __init__(
        self,
        batch_type: BatchType | str = BatchType.LOGGED,
        *,
        consistency: Consistency | None = None,
        serial_consistency: Consistency | None = None,
        timeout: float | None = None,
    ) -> None:
        try:
            self.batch_type = BatchType(str(getattr(batch_type, "value", batch_type)).upper())
        except ValueError:
            raise InvalidQueryError(
                f"batch_type={batch_type!r} is invalid; use 'logged', 'unlogged' or 'counter'."
            ) from None
        self.consistency = consistency
        self.serial_consistency = serial_consistency
        self.timeout = timeout
        self.statements: list[Statement] = []
        self._driver: AbstractDriver | None = None
        self._after: list[Callable[[], None]] = []
        self._after_hooks: list[tuple[tuple[Callable[[Any], Any], ...], DocumentBase]] = []
        self._conditional: Mapper[Any] | None = None
        self._last: tuple[type, Mapper[Any]] | None = None
        self._cells = BatchCells()
        self._held = HeldWrites(self._awaits_hooks)
        self._before = self._held.run_or_hold

    def _mapper(self, doc: DocumentBase) -> Mapper[Any]:
        cls = type(doc)
        last = self._last  # batches usually hold many documents of one class
        if last is not None and last[0] is cls:
            return last[1]
        mapper = mapper_of(cls)
        if self._driver is None:
            self._driver = mapper.driver
        elif mapper.driver is not self._driver:
            raise InvalidQueryError(
                "A batch can only hold statements for one connection; "
                f"{type(doc).__name__} uses a different one."
            )
        self._last = (cls, mapper)
        return mapper

    def _queue(self, statement: Statement, *, counter: bool = False) -> None:
        if counter:
            if self.batch_type is not BatchType.COUNTER:
                raise InvalidQueryError(
                    "Counter updates need a counter batch: use batch_type='counter'."
                )
        elif self.batch_type is BatchType.COUNTER:
            raise InvalidQueryError(
                "A counter batch can only hold counter updates (increment()); use a logged or "
                "unlogged batch for other writes."
            )
        self.statements.append(statement)

    def add(self, statement: Statement, *, connection: str | None = None) -> None:
        """Queue a hand-written statement (for connection ``connection`` if none is set yet)."""
        if self._driver is None:
            from coodie.connections import get_driver

            self._driver = get_driver(connection)
        if self._held.entries is not None:
            self._before((), None, lambda _: self.statements.append(statement))
        else:
            self.statements.append(statement)

    def _write(
        self, doc: DocumentBase, mapper: Mapper[Any], write: Write, after: str | None = None
    ) -> None:
        self._queue(write.statement, counter=write.action == "increment")
        if write.conditional:
            self._conditional = mapper
        if write.changes:
            self._after.append(lambda: mapper.writes.apply_changes(doc, write.changes))
        if after is not None:
            self._after_hook(doc, mapper, after)

    def _after_hook(self, doc: DocumentBase, mapper: Mapper[Any], event: str) -> None:
        """Remember ``doc``'s after-hooks of ``event``: they run once the batch was applied."""
        hooks = getattr(mapper.hooks, event, ())
        if hooks:
            self._after_hooks.append((hooks, doc))

    def save(self, doc: DocumentBase, *, ttl: int | None = None, timestamp: Any = None) -> None:
        """Queue an upsert of ``doc`` (INSERT without IF NOT EXISTS), with an optional ``ttl`` and
        write ``timestamp``."""
        mapper = self._mapper(doc)
        if mapper.hooks is None and self._held.entries is None:  # no closure on this path
            self._queue_save(doc, mapper, ttl, timestamp)
            return
        self._before(
            getattr(mapper.hooks, "before_save", ()),
            doc,
            lambda _: self._queue_save(doc, mapper, ttl, timestamp),
        )

    def _queue_save(self, doc: DocumentBase, mapper: Mapper[Any], ttl: Any, timestamp: Any) -> None:
        try:
            statement = mapper.writes.save_statement(doc, ttl, timestamp)
        except KeyError as error:
            raise mapper.writes.missing_field(doc, error) from None
        if self.batch_type is BatchType.COUNTER:
            self._queue(statement)  # raises the explanatory error
        self._cells.add_saved(mapper.schema, doc.__dict__, "save")
        self.statements.append(statement)
        if mapper.hooks is not None:
            self._after_hook(doc, mapper, "after_save")

    def insert(self, doc: DocumentBase, *, ttl: int | None = None, timestamp: Any = None) -> None:
        """INSERT ... IF NOT EXISTS inside the batch (all conditions must target one partition)."""
        mapper = self._mapper(doc)

        def queue(_: Any) -> None:
            write = mapper.writes.insert_write(doc, ttl, timestamp)
            self._cells.add_saved(mapper.schema, doc.__dict__, "insert")
            self._write(doc, mapper, write, "after_insert")

        self._before(getattr(mapper.hooks, "before_insert", ()), doc, queue)

    def update(
        self,
        doc: DocumentBase,
        values: Mapping[str, Any] | None = None,
        /,
        *,
        ttl: int | None = None,
        timestamp: Any = None,
        if_conditions: Mapping[str, Any] | None = None,
        if_exists: bool = False,
        **fields: Any,
    ) -> None:
        """Queue an UPDATE of ``doc``'s row: ``values`` and ``fields`` name the columns to set
        (collection operators allowed), with the same options as ``Document.update``."""
        mapper = self._mapper(doc)

        def queue(before: dict[str, Any] | None) -> None:
            merged = values if before is None else with_assigned(before, doc, values, fields)
            write = mapper.updates.update_write(
                doc, merged, fields, ttl, timestamp, if_conditions, if_exists
            )
            plain = fields.keys() if merged is None else {**merged, **fields}.keys()
            self._cells.add_cells(
                mapper.schema,
                doc.__dict__,
                "update",
                ((n, "set" if n in plain else "op", new) for n, new in write.changes.items()),
            )
            self._write(doc, mapper, write, "after_update")

        self._before(getattr(mapper.hooks, "before_update", ()), doc, queue, snapshot=True)

    def delete(
        self,
        doc: DocumentBase,
        *,
        timestamp: Any = None,
        if_exists: bool = False,
        if_conditions: Mapping[str, Any] | None = None,
    ) -> None:
        """Queue a DELETE of ``doc``'s row, optionally conditional (``if_exists``,
        ``if_conditions``)."""
        mapper = self._mapper(doc)

        def queue(_: Any) -> None:
            write = mapper.writes.delete_write(doc, (), timestamp, if_exists, if_conditions)
            self._cells.add_row_delete(mapper.schema, doc.__dict__, "delete")
            self._write(doc, mapper, write, "after_delete")

        self._before(getattr(mapper.hooks, "before_delete", ()), doc, queue)

    def delete_columns(self, doc: DocumentBase, *columns: str) -> None:
        """Delete some columns of ``doc``'s row (at least one) inside the batch."""
        mapper = self._mapper(doc)

        def queue(_: Any) -> None:
            write = mapper.writes.delete_columns_write(doc, columns)
            self._cells.add_cells(
                mapper.schema,
                doc.__dict__,
                "delete_columns",
                ((c, "clear", None) for c in columns),
            )
            self._write(doc, mapper, write)

        self._before((), doc, queue)

    def increment(self, doc: DocumentBase, **deltas: int) -> None:
        """Queue counter increments of ``doc``'s row (``views=1``, ``likes=-2``); counter batches
        only hold these."""
        mapper = self._mapper(doc)

        def queue(_: Any) -> None:
            write = mapper.writes.increment_write(doc, deltas)
            self._cells.add_cells(
                mapper.schema, doc.__dict__, "increment", ((c, "op", d) for c, d in deltas.items())
            )
            self._write(doc, mapper, write)

        self._before((), doc, queue)

    def _discard(self) -> None:
        """Forget every queued write (nothing is sent); the batch can be used again."""
        self._after, self._after_hooks, self._conditional = [], [], None
        self._held.entries = None
        self.statements.clear()
        self._cells.clear()

    def batch_statement(self) -> BatchStatement:
        """The queued statements as one batch, idempotent (safe to retry) when each is."""
        statements = list(self.statements)
        return BatchStatement(
            statements,
            self.batch_type,
            consistency=self.consistency,
            serial_consistency=self.serial_consistency,
            timeout=self.timeout,
            idempotent=all(s.idempotent for s in statements),
        )

    def _finish(self, page: ResultPage) -> list[tuple[tuple[Callable[[Any], Any], ...], Any]]:
        """Check the sent batch's outcome and mirror it on the documents; returns the
        after-hooks to run now that it was applied (with the document each runs on)."""
        # The batch was sent: whatever its outcome, it must not be sent again.
        after, hooks, conditional = self._after, self._after_hooks, self._conditional
        self._discard()
        if conditional is not None:
            conditional.conditions.check_applied(page, "batch")
        for apply in after:
            apply()
        return hooks
