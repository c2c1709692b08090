"""OpenTelemetry client spans for statements (the ``coodie[otel]`` extra).

One span per statement, named and described after the OpenTelemetry database semantic
conventions: ``db.system.name`` ``cassandra``, ``db.operation.name``, ``db.collection.name``,
``db.namespace``, ``db.query.text`` (the text has ``?`` markers, never values; it can be left
out), ``db.response.returned_rows``, ``cassandra.consistency.level``; a failure sets
``error.type``, the span's error status and an exception event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.drivers.statement import BatchStatement
from coodie.drivers.statement_info import statement_info
from coodie.exceptions import ConfigurationError

if TYPE_CHECKING:
    from coodie.drivers.base import AbstractDriver
    from coodie.drivers.statement import Statement

__all__ = ["Tracing"]


def _opentelemetry() -> Any:
    try:
        from opentelemetry import trace
    except ImportError:
        raise ConfigurationError(
            "init_coodie(..., tracing=True) needs OpenTelemetry: "
            'pip install "coodie[otel]" (or opentelemetry-api).'
        ) from None
    return trace


class Tracing:
    """Starts and ends the spans of one connection's statements."""

    def __init__(self, driver: AbstractDriver, query_text: bool) -> None:
        from coodie import __version__

        self._trace = _opentelemetry()
        self._tracer = self._trace.get_tracer("coodie", __version__)
        self._client = self._trace.SpanKind.CLIENT
        self._driver = driver
        self._query_text = query_text

    def start(self, statement: Statement | BatchStatement) -> Any:
        """Open a client span for ``statement``, named and attributed by the database semantic
        conventions."""
        attributes: dict[str, Any] = {"db.system.name": "cassandra"}
        if isinstance(statement, BatchStatement):
            children = statement.statements
            infos = [statement_info(child.cql) for child in children]
            operation = "BATCH"
            tables = {info.table for info in infos}
            table = tables.pop() if len(tables) == 1 else None
            keyspaces = {info.keyspace for info in infos}
            keyspace = keyspaces.pop() if len(keyspaces) == 1 else None
            attributes["db.operation.batch.size"] = len(children)
            text = "; ".join(child.cql for child in children)
        else:
            info = statement_info(statement.cql)
            operation, keyspace, table = info
            text = statement.cql
            if statement.fetch_size:
                attributes["cassandra.page.size"] = statement.fetch_size
        keyspace = keyspace or self._driver.keyspace
        attributes["db.operation.name"] = operation
        if table:
            attributes["db.collection.name"] = table
        if keyspace:
            attributes["db.namespace"] = keyspace
        if self._query_text:
            attributes["db.query.text"] = text
        if statement.consistency is not None:
            attributes["cassandra.consistency.level"] = statement.consistency.value.lower()
        attributes["cassandra.query.idempotent"] = statement.idempotent
        target = table or keyspace
        name = f"{operation} {target}" if target else operation or "cassandra"
        return self._tracer.start_span(name, kind=self._client, attributes=attributes)

    def finish(self, span: Any, rows: int) -> None:
        """End ``span`` of a statement that returned ``rows`` rows."""
        span.set_attribute("db.response.returned_rows", rows)
        span.end()

    def fail(self, span: Any, error: BaseException) -> None:
        """End ``span`` of a statement that raised ``error``: its type, the exception event and an
        error status."""
        kind = type(error)
        span.set_attribute("error.type", f"{kind.__module__}.{kind.__qualname__}")
        span.record_exception(error)
        span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, str(error)[:200]))
        span.end()
