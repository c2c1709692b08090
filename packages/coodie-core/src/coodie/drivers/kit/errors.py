"""Client exceptions -> coodie's driver-neutral errors, from a table the driver declares.

Each row of an :class:`ErrorTable` names client exceptions (classes, or class *names*, which
need no import of the client and survive versions that add classes) and what they become: a
:class:`~coodie.exceptions.DriverError` subclass, built from the message, or a function
``(exc, message) -> DriverError | None`` for errors that carry more (replica counts, the
errors of each host). The most specific class of the exception that has a row wins (its
class first, then its bases in MRO order); an exception without one becomes the fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from coodie.drivers.statement import BatchStatement, BatchType
from coodie.exceptions import CoodieError, DriverError

if TYPE_CHECKING:
    from coodie.drivers.statement import Statement

__all__ = ["ErrorFactory", "ErrorKey", "ErrorTable", "describe_statement"]

#: What a row matches: a class, a tuple of classes, or a class name (matched along the MRO).
ErrorKey = type[BaseException] | tuple[type[BaseException], ...] | str
#: Builds the coodie error for a client exception, or None to let less specific rows decide.
ErrorFactory = Callable[[BaseException, str], DriverError | None]


class ErrorTable:
    """The error mapping of one client library (``client`` names it in messages)."""

    __slots__ = ("_by_class", "_by_name", "client", "fallback")

    def __init__(
        self,
        client: str,
        rows: Iterable[tuple[ErrorKey, type[DriverError] | ErrorFactory]],
        *,
        fallback: type[DriverError] = DriverError,
    ) -> None:
        self.client = client
        self.fallback = fallback
        self._by_class: dict[type[BaseException], ErrorFactory] = {}
        self._by_name: dict[str, ErrorFactory] = {}
        for key, target in rows:
            factory = _factory(target)
            if isinstance(key, str):
                self._by_name.setdefault(key, factory)
                continue
            for cls in key if isinstance(key, tuple) else (key,):
                if not (isinstance(cls, type) and issubclass(cls, BaseException)):
                    raise TypeError(f"error table key {cls!r} is not an exception class")
                self._by_class.setdefault(cls, factory)

    def lookup(self, exc: BaseException, message: str) -> DriverError | None:
        """The coodie error a row gives for ``exc``, or ``None`` when no row fits."""
        for cls in type(exc).__mro__:
            factory = self._by_class.get(cls) or self._by_name.get(cls.__name__)
            if factory is not None:
                mapped = factory(exc, message)
                if mapped is not None:
                    return mapped
        return None

    def wrap(self, exc: BaseException, message: str | None = None) -> DriverError:
        """The :class:`DriverError` (subclass) to raise for ``exc``; the caller chains it
        (``raise table.wrap(exc, msg) from exc``). The message defaults to the exception's."""
        if message is None:
            message = f"{self.client} failed: {type(exc).__name__}: {exc or '(no message)'}"
        return self.lookup(exc, message) or self.fallback(message)

    def statement_error(
        self, exc: BaseException, statement: Statement | BatchStatement
    ) -> DriverError:
        """:meth:`wrap` with a message naming the statement that failed."""
        detail = str(exc) or "(no message)"
        return self.wrap(
            exc,
            f"{self.client} failed to execute {describe_statement(statement)}: "
            f"{type(exc).__name__}: {detail}",
        )

    @contextmanager
    def translate(self, statement: Statement | BatchStatement) -> Iterator[None]:
        """Wrap what the block raises: coodie's own errors pass, client errors become
        :meth:`statement_error` (chained), so a driver writes ``with table.translate(st):``
        around each request instead of the same ``try``/``except`` everywhere."""
        try:
            yield
        except CoodieError:
            raise
        except Exception as exc:
            raise self.statement_error(exc, statement) from exc


def describe_statement(statement: Statement | BatchStatement, limit: int = 200) -> str:
    """A one-line description for error messages: the CQL (cut at ``limit``), or the batch."""
    if isinstance(statement, BatchStatement):
        kind = BatchType(statement.batch_type).value
        return f"a {kind} batch of {len(statement.statements)}"
    cql = " ".join(statement.cql.split())
    return repr(cql if len(cql) <= limit else cql[: limit - 3] + "...")


def _factory(target: type[DriverError] | ErrorFactory) -> ErrorFactory:
    if isinstance(target, type):
        if not issubclass(target, DriverError):
            raise TypeError(f"error table target {target!r} is not a DriverError subclass")
        error_type = target

        def build(_exc: BaseException, message: str) -> DriverError:
            return error_type(message)

        return build
    return target
