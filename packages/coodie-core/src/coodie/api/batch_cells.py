"""The cells the statements of one batch write, so that a batch never writes one cell twice.

Cassandra gives every statement of a batch the same timestamp. Two writes of one cell then
do not resolve as "the last one wins": the larger value wins, and a deletion beats any value.
The documents of the batch are mirrored in queueing order, so they would show the last
value while the table keeps another. Such a batch is refused when the write is queued.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from coodie.exceptions import InvalidQueryError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coodie.model.schema import TableSchema

__all__ = ["BatchCells", "CellKind"]

#: How a statement writes a cell: a plain value ("set", harmless twice when equal), a
#: relative change ("op": collection operators, counter deltas) or a tombstone ("clear").
CellKind = Literal["set", "op", "clear"]


class BatchCells:
    """What the statements queued so far write, by (table, row key, column)."""

    __slots__ = ("_cells", "_deleted_rows", "_written_rows")

    def __init__(self) -> None:
        self._cells: dict[tuple[Any, ...], tuple[str, CellKind, Any]] = {}
        #: Rows a row DELETE removes, and rows some statement writes a value into.
        self._deleted_rows: dict[tuple[Any, ...], str] = {}
        self._written_rows: dict[tuple[Any, ...], tuple[str, str]] = {}

    def clear(self) -> None:
        """Forget every cell recorded so far (the batch was sent or discarded)."""
        self._cells.clear()
        self._deleted_rows.clear()
        self._written_rows.clear()

    def add_row_delete(self, schema: TableSchema, data: dict[str, Any], action: str) -> None:
        """Record that ``action`` deletes a whole row; refused if another statement writes in it."""
        row = _row(schema, data, partition_only=False)
        written = self._written_rows.get(row)
        if written is not None:
            _refuse(schema, written[1], written[0], action)
        self._deleted_rows.setdefault(row, action)

    def add_saved(self, schema: TableSchema, data: dict[str, Any], action: str) -> None:
        """Record the cells a save or insert writes: every non-key column not None."""
        cells: list[tuple[str, CellKind, Any]] = [
            (c.name, "set", data[c.name])
            for c in schema.columns
            if not c.is_primary_key and data.get(c.name) is not None
        ]
        self.add_cells(schema, data, action, cells)

    def add_cells(
        self,
        schema: TableSchema,
        data: dict[str, Any],
        action: str,
        cells: Iterable[tuple[str, CellKind, Any]],
    ) -> None:
        """Record the ``(column, kind, value)`` cells a statement writes in ``data``'s row;
        refuse the statement if the batch already writes one of them."""
        by_name = schema.by_name
        row = _row(schema, data, partition_only=False)
        partition: tuple[Any, ...] | None = None
        found: list[tuple[tuple[Any, ...], str, CellKind, Any, bool]] = []
        for name, kind, value in cells:  # check them all before recording any
            static = by_name[name].static
            if static and partition is None:
                partition = _row(schema, data, partition_only=True)
            key = (partition if static else row, name)
            earlier = self._cells.get(key)
            if earlier is not None and not _compatible(earlier[1:], (kind, value)):
                _refuse(schema, name, earlier[0], action)
            writes_row = kind != "clear" and not static
            if writes_row and row in self._deleted_rows:
                _refuse(schema, name, self._deleted_rows[row], action)
            found.append((key, name, kind, value, writes_row))
        for key, name, kind, value, writes_row in found:
            self._cells[key] = (action, kind, value)
            if writes_row:
                self._written_rows.setdefault(row, (action, name))


def _compatible(earlier: tuple[CellKind, Any], new: tuple[CellKind, Any]) -> bool:
    if earlier[0] == "clear" and new[0] == "clear":
        return True
    if earlier[0] == "set" and new[0] == "set":
        try:
            return bool(earlier[1] == new[1])
        except Exception:  # a value whose == fails is treated as different
            return False
    return False


def _row(schema: TableSchema, data: dict[str, Any], *, partition_only: bool) -> tuple[Any, ...]:
    keys = schema.partition_keys if partition_only else schema.primary_key
    values = tuple(data.get(c.name) for c in keys)
    try:
        hash(values)
    except TypeError:  # e.g. a frozen list in the key: compare by representation
        values = tuple(repr(v) for v in values)
    return (schema.keyspace, schema.table, values)


def _refuse(schema: TableSchema, column: str, earlier: str, action: str) -> None:
    raise InvalidQueryError(
        f"{schema.model_name}.{column}: {action}() would write this cell again after "
        f"{earlier}() in the same batch, on the same row. All statements of a batch get one "
        "timestamp, so Cassandra keeps the larger value (a deletion beats any value), not "
        "the last one, and the document would not show what is stored. Merge the two "
        "writes into one, or send them in separate batches."
    )
