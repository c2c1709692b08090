"""Seeing the CQL: the ``coodie.cql`` logger and OpenTelemetry spans, one per statement.

Every statement coodie sends goes through its connection's driver (``execute``,
``execute_async``, and the bulk hooks that ``insert_many`` uses), so that is where the
observer hooks in: :func:`observe` replaces those methods *on the driver instance* with
wrappers that time the call and report it. It is installed only when something listens
(tracing on, ``log_cql=True``, or the ``coodie.cql`` logger enabled for DEBUG when the
connection is registered): otherwise the driver is left untouched and costs nothing more.
Once installed, each statement pays one cached ``isEnabledFor`` check while nothing records.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coodie.cql.dml import batch_cql
from coodie.drivers.base import AbstractDriver
from coodie.drivers.statement import BatchStatement

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from coodie.drivers.statement import ResultPage, Statement
    from coodie.drivers.tracing import Tracing

__all__ = ["LOGGER", "ObserveOptions", "observe"]

#: Statements coodie sends, one DEBUG record each (the record's ``cql``, ``cql_values``,
#: ``driver``, ``consistency``, ``duration_ms`` and ``rows`` attributes hold the parts).
LOGGER = logging.getLogger("coodie.cql")
_DEBUG = logging.DEBUG
_REPR_LIMIT = 200


@dataclass(frozen=True)
class ObserveOptions:
    """How a connection reports its statements (``init_coodie`` keyword options)."""

    #: None: log when the ``coodie.cql`` logger is enabled for DEBUG at connect time;
    #: True: install the logging hook anyway (enable the logger later); False: never log.
    log_cql: bool | None = None
    #: False replaces the bound values by ``<redacted>`` in the log records.
    log_values: bool = True
    #: One OpenTelemetry client span per statement (needs ``coodie[otel]``).
    tracing: bool = False
    #: Put the statement's text (``?`` markers, never values) in ``db.query.text``.
    trace_query_text: bool = True


def _shown(value: Any, unset: Any) -> str:
    if value is unset and unset is not None:
        return "<unset>"
    text = repr(value)
    return text if len(text) <= _REPR_LIMIT else f"{text[: _REPR_LIMIT - 3]}..."


class _Call:
    """One statement on its way: started when sent, reported when its page (or error) is back."""

    __slots__ = ("observer", "span", "started", "statement")

    def __init__(self, observer: _Observer, statement: Statement | BatchStatement) -> None:
        self.observer = observer
        self.statement = statement
        tracing = observer.tracing
        self.span = tracing.start(statement) if tracing is not None else None
        self.started = time.perf_counter()

    def finished(self, page: ResultPage) -> None:
        elapsed = time.perf_counter() - self.started
        rows = len(page.rows)
        if LOGGER.isEnabledFor(_DEBUG) and self.observer.logging:
            self.observer.log(self.statement, elapsed, f"{rows} rows", rows)
        if self.span is not None:
            self.observer.tracing.finish(self.span, rows)  # type: ignore[union-attr]

    def failed(self, error: BaseException) -> None:
        elapsed = time.perf_counter() - self.started
        if LOGGER.isEnabledFor(_DEBUG) and self.observer.logging:
            self.observer.log(self.statement, elapsed, f"failed: {type(error).__name__}", None)
        if self.span is not None:
            self.observer.tracing.fail(self.span, error)  # type: ignore[union-attr]


class _Observer:
    """What a driver's wrappers share: the options, the driver's name, the span factory."""

    def __init__(self, driver: AbstractDriver, options: ObserveOptions) -> None:
        self.driver_name = driver.name
        self.unset = driver.unset_value
        self.logging = options.log_cql is not False
        self.log_values = options.log_values
        self.tracing: Tracing | None = None
        if options.tracing:
            from coodie.drivers.tracing import Tracing

            self.tracing = Tracing(driver, options.trace_query_text)

    def active(self) -> bool:
        return self.tracing is not None or (self.logging and LOGGER.isEnabledFor(_DEBUG))

    def log(
        self, statement: Statement | BatchStatement, elapsed: float, outcome: str, rows: int | None
    ) -> None:
        if isinstance(statement, BatchStatement):
            cql = batch_cql([s.cql for s in statement.statements], statement.batch_type.value)
            values: list[Any] = [self._values(s.values) for s in statement.statements]
        else:
            cql = statement.cql
            values = self._values(statement.values)
        consistency = statement.consistency.value if statement.consistency else "default"
        more = " (a further page)" if getattr(statement, "paging_state", None) else ""
        LOGGER.debug(
            "%s%s | values=%s | driver=%s consistency=%s | %.3f ms, %s",
            cql,
            more,
            values,
            self.driver_name,
            consistency,
            elapsed * 1000,
            outcome,
            extra={
                "cql": cql,
                "cql_values": values,
                "driver": self.driver_name,
                "consistency": consistency,
                "duration_ms": elapsed * 1000,
                "rows": rows,
            },
        )

    def _values(self, values: Iterable[Any]) -> Any:
        if not self.log_values:
            return "<redacted>"
        return [_shown(value, self.unset) for value in values]


def observe(driver: AbstractDriver, options: ObserveOptions | None = None) -> bool:
    """Report ``driver``'s statements as ``options`` say; True when the hooks were installed.

    Installed at most once per driver; nothing is installed when nothing would listen.
    """
    options = options or ObserveOptions()
    wanted = options.tracing or options.log_cql is True
    if options.log_cql is None:
        wanted = wanted or LOGGER.isEnabledFor(_DEBUG)
    if not wanted:
        return False
    if not hasattr(driver, "__dict__"):  # a third-party driver with __slots__ only
        LOGGER.warning(
            "%s has no instance __dict__, so coodie cannot report its statements "
            "(logging, tracing); give the class a __dict__ slot.",
            type(driver).__qualname__,
        )
        return False
    if "execute" in vars(driver):
        return False
    observer = _Observer(driver, options)
    raw_execute = driver.execute
    raw_execute_async = driver.execute_async
    active = observer.active
    # The check when nothing records, inlined (locals only): logging's own per-level cache
    # answers isEnabledFor, so a hooked driver with the logger off costs one lookup.
    tracing = observer.tracing
    logging_wanted = observer.logging
    enabled_for = LOGGER.isEnabledFor

    def execute(statement: Statement | BatchStatement) -> ResultPage:
        if tracing is None and not (logging_wanted and enabled_for(10)):
            return raw_execute(statement)
        call = _Call(observer, statement)
        try:
            page = raw_execute(statement)
        except BaseException as error:
            call.failed(error)
            raise
        call.finished(page)
        return page

    async def observed_async(statement: Statement | BatchStatement) -> ResultPage:
        call = _Call(observer, statement)
        try:
            page = await raw_execute_async(statement)
        except BaseException as error:
            call.failed(error)
            raise
        call.finished(page)
        return page

    def execute_async(statement: Statement | BatchStatement) -> Awaitable[ResultPage]:
        # A plain function handing back the awaitable: no extra coroutine when nothing records.
        if tracing is None and not (logging_wanted and enabled_for(10)):
            return raw_execute_async(statement)
        return observed_async(statement)

    vars(driver).update(execute=execute, execute_async=execute_async)
    if not type(driver).bulk_sends_through_execute:
        vars(driver)["execute_many"] = _bulk_through_execute(driver, active)
    return True


def _bulk_through_execute(
    driver: AbstractDriver, active: Callable[[], bool]
) -> Callable[[Iterable[Statement | BatchStatement], int], int]:
    """The driver's own sync bulk hook, or, while something records, core's default one that
    sends each statement through the observed ``execute`` (one record and span each)."""
    own = driver.execute_many
    one_by_one = AbstractDriver.execute_many.__get__(driver)

    def execute_many(statements: Iterable[Statement | BatchStatement], concurrency: int) -> int:
        return (one_by_one if active() else own)(statements, concurrency)

    return execute_many


_OPTION_NAMES = ("log_cql", "log_values", "tracing", "trace_query_text")


def take_observe_options(options: dict[str, Any]) -> ObserveOptions:
    """Remove the observing options from ``init_coodie``'s ``options`` and check them."""
    from coodie.exceptions import ConfigurationError

    given = {name: options.pop(name) for name in _OPTION_NAMES if name in options}
    for name, value in given.items():
        if not isinstance(value, bool) and not (name == "log_cql" and value is None):
            also = " (or None: follow the coodie.cql logger's level)" if name == "log_cql" else ""
            raise ConfigurationError(
                f"init_coodie({name}={value!r}): {name} takes True or False{also}."
            )
    return ObserveOptions(**given)
