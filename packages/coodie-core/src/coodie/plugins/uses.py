"""Refusing, per statement, what the connection's driver does not declare it supports.

A driver's :class:`~coodie.plugins.spec.DriverSpec` may leave out statement capabilities
(resuming from a ``paging_state``, lightweight transactions, a kind of batch, vector
columns). :func:`guard` then wraps that driver's execute methods so that a statement needing
one is refused with :class:`~coodie.exceptions.UnsupportedByDriverError` naming the driver,
before it is sent. A driver that declares them all is left untouched and costs nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from coodie.connect import Capability
from coodie.drivers.statement import BatchStatement, BatchType
from coodie.exceptions import UnsupportedByDriverError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from coodie.drivers.base import AbstractDriver
    from coodie.drivers.statement import ResultPage, Statement
    from coodie.plugins.spec import DriverSpec

__all__ = ["STATEMENT_CAPABILITIES", "guard", "needs"]

#: A write with a condition (DDL's ``IF NOT EXISTS`` is not a transaction).
_CONDITIONAL = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b.*\bIF\b", re.IGNORECASE | re.DOTALL)
_VECTOR = re.compile(r"\bvector\s*<", re.IGNORECASE)
_BATCHES = {
    BatchType.LOGGED: Capability.LOGGED_BATCH,
    BatchType.UNLOGGED: Capability.UNLOGGED_BATCH,
    BatchType.COUNTER: Capability.COUNTER_BATCH,
}
STATEMENT_CAPABILITIES = frozenset(
    {Capability.PAGING_STATE, Capability.LWT, Capability.VECTOR, *_BATCHES.values()}
)


def _needs_one(statement: Statement) -> set[Capability]:
    found = set()
    if statement.paging_state is not None:
        found.add(Capability.PAGING_STATE)
    if _CONDITIONAL.match(statement.cql):
        found.add(Capability.LWT)
    if not statement.prepare and _VECTOR.search(statement.cql):
        found.add(Capability.VECTOR)
    return found


def needs(statement: Statement | BatchStatement) -> set[Capability]:
    """The statement capabilities sending ``statement`` takes."""
    if not isinstance(statement, BatchStatement):
        return _needs_one(statement)
    found = {_BATCHES[statement.batch_type]}
    for child in statement.statements:
        found |= _needs_one(child)
    return found


def _refusal(spec: DriverSpec, missing: set[Capability]) -> UnsupportedByDriverError:
    names = ", ".join(sorted(capability.value for capability in missing))
    advice = "; ".join(spec.advice[c] for c in sorted(missing) if c in spec.advice)
    return UnsupportedByDriverError(
        f"The {spec.name} driver ({spec.origin()}) does not support {names}, which this "
        "statement needs; nothing was sent. "
        + (advice or "Pick a driver that does (python -m coodie drivers lists them).")
    )


def guard(spec: DriverSpec, driver: AbstractDriver) -> AbstractDriver:
    """Make ``driver`` refuse statements needing what ``spec`` does not declare."""
    lacking = STATEMENT_CAPABILITIES - spec.capabilities
    if not lacking or not hasattr(driver, "__dict__"):
        return driver
    raw_execute = driver.execute
    raw_execute_async = driver.execute_async
    raw_many = driver.execute_many
    raw_many_async = driver.execute_many_async

    def check(statement: Statement | BatchStatement) -> Statement | BatchStatement:
        missing = needs(statement) & lacking
        if missing:
            raise _refusal(spec, missing)
        return statement

    def execute(statement: Statement | BatchStatement) -> ResultPage:
        return raw_execute(check(statement))

    def execute_async(statement: Statement | BatchStatement) -> Awaitable[ResultPage]:
        return raw_execute_async(check(statement))

    def execute_many(statements: Iterable[Statement | BatchStatement], concurrency: int) -> int:
        return raw_many(map(check, statements), concurrency)

    def execute_many_async(
        statements: Iterable[Statement | BatchStatement], concurrency: int
    ) -> Awaitable[int]:
        return raw_many_async(map(check, statements), concurrency)

    checked: dict[str, Callable[..., object]] = {
        "execute": execute,
        "execute_async": execute_async,
        "execute_many": execute_many,
        "execute_many_async": execute_many_async,
    }
    vars(driver).update(checked)
    return driver
