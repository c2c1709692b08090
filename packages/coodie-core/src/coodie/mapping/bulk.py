"""The statements of ``insert_many(documents)``: every document checked before it is sent
(no I/O)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.exceptions import InvalidQueryError
from coodie.query.write_options import check_timestamp, check_ttl

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from coodie.drivers.statement import Statement
    from coodie.mapping.writes import Writes

__all__ = ["BulkSave"]


class BulkSave:
    """The INSERTs of many documents, handed to the driver's bulk-write hook.

    A list or tuple is checked whole first, so one bad document means nothing is sent. A
    lazy iterable (a generator, a query) is checked as it is read: a refused document ends
    it, the statements built before it are still sent, and :meth:`finish` then raises,
    saying how many documents were written.
    """

    def __init__(
        self,
        writes: Writes,
        documents: Iterable[Any],
        ttl: Any,
        timestamp: Any,
        options: Mapping[str, Any],
    ) -> None:
        self.writes = writes
        self.name = writes.name
        self.documents = documents
        self.ttl = ttl
        self.timestamp = timestamp
        self.options = options
        self.refused: tuple[int, InvalidQueryError] | None = None
        if ttl is not None:
            check_ttl(ttl, self.name)
        if timestamp is not None:
            check_timestamp(timestamp, self.name)
        if isinstance(documents, (list, tuple)):
            check = writes.values.check_row
            for position, doc in enumerate(documents):
                try:
                    try:
                        check(doc.__dict__)
                    except KeyError as missing:  # another model, or a model_construct gap
                        raise writes.missing_field(doc, missing) from None
                except InvalidQueryError as error:
                    raise InvalidQueryError(
                        f"{self.name}.insert_many(): document {position} of {len(documents)} "
                        f"was refused, so none was sent. {error}"
                    ) from error

    def __iter__(self) -> Iterator[Statement]:
        statements = self.writes.save_statements(
            self.documents, self.ttl, self.timestamp, self.options
        )
        position = 0
        while True:
            try:
                statement = next(statements)
            except StopIteration:
                return
            except InvalidQueryError as error:
                self.refused = (position, error)
                return
            position += 1
            yield statement

    def finish(self, written: int) -> None:
        """Raise the refusal of a document of a lazy iterable, once what came before it ran."""
        if self.refused is None:
            return
        position, error = self.refused
        raise InvalidQueryError(
            f"{self.name}.insert_many(): document {position} was refused. {error} The "
            f"{written} document(s) before it were written; it and the rest were not sent "
            "(pass a list to have every document checked before anything is sent)."
        ) from error
