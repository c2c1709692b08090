"""Mutant drivers for the conformance suite's self-test (run by test_conformance_mutants.py).

Each mutant is the real cassandra driver breaking one rule that docs/writing-a-driver.md
states; the suite must catch every one of them, in bounded time. The mutants are registered
as plugins of their own (``mutant-<rule>``), so the suite's tests that connect through
``init_coodie`` get the mutant too. Not collected by a normal run (no ``test_`` prefix).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

from coodie.drivers import Statement
from coodie.drivers.statement import BatchStatement, BatchType, ResultPage
from coodie.exceptions import DriverError
from coodie.plugins import DriverSpec, hookimpl
from coodie.plugins.registry import get_registry
from coodie.testing.conformance import DriverConformanceSuite
from coodie_driver_cassandra import plugin
from coodie_driver_cassandra.driver import CassandraDriver, connect

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.connect import ConnectOptions

KEYSPACE = "coodie_driver_cassandra_mutants"


def _changed(statement: Statement | BatchStatement, **changes: Any) -> Any:
    if isinstance(statement, BatchStatement):
        return statement
    changed = copy.copy(statement)
    for name, value in changes.items():
        setattr(changed, name, value)
    return changed


class Mutant(CassandraDriver):
    """The real driver with its statements (or results) altered by :meth:`mutate`."""

    name: ClassVar[str] = "mutant"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return statement

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        return super().execute(self.mutate(statement))

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        return await super().execute_async(self.mutate(statement))


class IgnoresPagingState(Mutant):
    name = "mutant-paging-state"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, paging_state=None)


class IgnoresConsistency(Mutant):
    name = "mutant-consistency"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, consistency=None)


class IgnoresSerialConsistency(Mutant):
    name = "mutant-serial-consistency"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, serial_consistency=None)


class DropsIdempotent(Mutant):
    name = "mutant-idempotent"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, idempotent=False)


class IgnoresTimeout(Mutant):
    name = "mutant-timeout"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, timeout=None)


class BlocksTheLoop(Mutant):
    """execute_async runs the blocking path on the event loop."""

    name = "mutant-blocking"

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        return self.execute(statement)


class MapsErrorsWrongly(Mutant):
    """Every client error becomes a plain DriverError (no unavailable/invalid types)."""

    name = "mutant-errors"

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        try:
            return super().execute(statement)
        except DriverError as error:
            raise DriverError(str(error)) from error.__cause__

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        try:
            return await super().execute_async(statement)
        except DriverError as error:
            raise DriverError(str(error)) from error.__cause__


class IgnoresFetchSize(Mutant):
    name = "mutant-fetch-size"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, fetch_size=None)


class BindsNoneForUnset(Mutant):
    """Writes null (a tombstone) where the unset marker asks to leave a column alone."""

    name = "mutant-unset"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        if isinstance(statement, BatchStatement):
            return statement
        unset = self.unset_value
        values = [None if value is unset else value for value in statement.values]
        return _changed(statement, values=values)


class SendsBatchesLogged(Mutant):
    """Ignores the batch type: every batch is sent LOGGED (counter batches then fail)."""

    name = "mutant-batch-type"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        if not isinstance(statement, BatchStatement):
            return statement
        logged = copy.copy(statement)
        logged.batch_type = BatchType.LOGGED
        return logged


class SwallowsErrors(Mutant):
    """Answers an empty page where the node refused the statement."""

    name = "mutant-swallows"

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        try:
            return super().execute(statement)
        except DriverError:
            return ResultPage()

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        try:
            return await super().execute_async(statement)
        except DriverError:
            return ResultPage()


class RowsAsLists(Mutant):
    name = "mutant-rows"

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        return _as_lists(super().execute(statement))

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        return _as_lists(await super().execute_async(statement))


def _as_lists(page: ResultPage) -> ResultPage:
    return ResultPage(page.columns, [list(row) for row in page.rows], page.paging_state)


MUTANTS: list[type[Mutant]] = [
    IgnoresFetchSize,
    BindsNoneForUnset,
    SendsBatchesLogged,
    SwallowsErrors,
    RowsAsLists,
    IgnoresPagingState,
    IgnoresConsistency,
    IgnoresSerialConsistency,
    DropsIdempotent,
    IgnoresTimeout,
    BlocksTheLoop,
    MapsErrorsWrongly,
]


def _turned(driver: CassandraDriver, kind: type[Mutant]) -> Mutant:
    driver.__class__ = kind  # same layout: the subclasses add no state
    return driver  # type: ignore[return-value]


class MutantPlugin:
    @hookimpl
    def coodie_drivers(self) -> list[DriverSpec]:
        return [_spec(kind) for kind in MUTANTS]


def _spec(kind: type[Mutant]) -> DriverSpec:
    def connect_sync(options: ConnectOptions) -> Mutant:
        return _turned(plugin.connect(options), kind)

    async def connect_async(options: ConnectOptions) -> Mutant:
        return _turned(await plugin.connect_async(options), kind)

    return DriverSpec(
        name=kind.name,
        connect=connect_sync,
        connect_async=connect_async,
        capabilities=plugin.CAPABILITIES,
    )


if not get_registry()._manager.has_plugin("coodie-mutants"):
    get_registry().register(MutantPlugin(), "coodie-mutants", distribution="coodie-mutants")


@pytest.fixture(scope="module")
def real_driver(contact_points: list[str]) -> Iterator[CassandraDriver]:
    bootstrap = connect(hosts=contact_points, request_timeout=60)
    try:
        bootstrap.execute(
            Statement(
                f"CREATE KEYSPACE IF NOT EXISTS {KEYSPACE} WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': 1}",
                prepare=False,
            )
        )
    finally:
        bootstrap.close()
    driver = connect(hosts=contact_points, keyspace=KEYSPACE, request_timeout=60)
    yield driver
    driver.close()


def _suite_for(kind: type[Mutant]) -> type:
    class Suite(DriverConformanceSuite):
        @pytest.fixture
        def driver(self, real_driver: CassandraDriver) -> Iterator[Mutant]:
            original = type(real_driver)
            yield _turned(real_driver, kind)
            real_driver.__class__ = original

    Suite.__name__ = Suite.__qualname__ = f"Test{kind.__name__}"
    return pytest.mark.integration(Suite)


for _kind in MUTANTS:
    globals()[f"Test{_kind.__name__}"] = _suite_for(_kind)
