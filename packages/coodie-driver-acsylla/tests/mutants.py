"""Mutant acsylla drivers for the conformance suite's self-test (test_conformance_mutants.py).

Each mutant wraps a real acsylla driver through its public methods only (``execute``,
``execute_async``, ``close``, the codec hooks), so it keeps working whatever the driver does
inside, and breaks one rule of docs/writing-a-driver.md. The mutants are registered as
plugins of their own (``acsylla-mutant-<rule>``) so that the suite's tests connecting
through ``init_coodie`` get the mutant too. Not collected by a normal run (no ``test_``
prefix).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

from coodie.drivers import AbstractDriver, BatchStatement, ResultPage, Statement
from coodie.exceptions import DriverError
from coodie.plugins import DriverSpec, hookimpl
from coodie.plugins.registry import get_registry
from coodie.testing.conformance import DriverConformanceSuite
from coodie_driver_acsylla import plugin

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.connect import ConnectOptions
    from coodie.drivers import Decoder, Encoder, RequestObserver
    from coodie.model.types import CqlType

KEYSPACE = "coodie_driver_acsylla_mutants"


def _changed(statement: Statement | BatchStatement, **changes: Any) -> Any:
    if isinstance(statement, BatchStatement):
        return statement
    changed = copy.copy(statement)
    for name, value in changes.items():
        setattr(changed, name, value)
    return changed


class Mutant(AbstractDriver):
    """A real driver behind its public methods, statements altered by :meth:`mutate`."""

    name: ClassVar[str] = "acsylla-mutant"

    def __init__(self, inner: AbstractDriver) -> None:
        self.inner = inner
        self.keyspace = inner.keyspace
        self.unset_value = inner.unset_value

    @property  # type: ignore[override]
    def request_observer(self) -> RequestObserver | None:
        return self.inner.request_observer

    @request_observer.setter
    def request_observer(self, observer: RequestObserver | None) -> None:
        self.inner.request_observer = observer

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return statement

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        return self.inner.execute(self.mutate(statement))

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        return await self.inner.execute_async(self.mutate(statement))

    def close(self) -> None:
        self.inner.close()

    async def close_async(self) -> None:
        await self.inner.close_async()

    def decoder_for(self, cql_type: CqlType) -> Decoder | None:
        return self.inner.decoder_for(cql_type)

    def encoder_for(self, cql_type: CqlType) -> Encoder | None:
        return self.inner.encoder_for(cql_type)


class IgnoresConsistency(Mutant):
    name = "acsylla-mutant-consistency"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, consistency=None)


class IgnoresSerialConsistency(Mutant):
    name = "acsylla-mutant-serial-consistency"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, serial_consistency=None)


class DropsIdempotent(Mutant):
    name = "acsylla-mutant-idempotent"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, idempotent=False)


class IgnoresTimeout(Mutant):
    name = "acsylla-mutant-timeout"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, timeout=None)


class IgnoresPagingState(Mutant):
    name = "acsylla-mutant-paging-state"

    def mutate(self, statement: Statement | BatchStatement) -> Statement | BatchStatement:
        return _changed(statement, paging_state=None)


class RowsAsLists(Mutant):
    name = "acsylla-mutant-rows"

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        return _as_lists(super().execute(statement))

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        return _as_lists(await super().execute_async(statement))


def _as_lists(page: ResultPage) -> ResultPage:
    return ResultPage(page.columns, [list(row) for row in page.rows], page.paging_state)


class BlocksTheLoop(Mutant):
    """execute_async calls the blocking path from the event loop."""

    name = "acsylla-mutant-blocking"

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        return self.execute(statement)


class MapsErrorsWrongly(Mutant):
    """Every client error becomes a plain DriverError (no unavailable/invalid types)."""

    name = "acsylla-mutant-errors"

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


MUTANTS: list[type[Mutant]] = [
    IgnoresConsistency,
    IgnoresSerialConsistency,
    DropsIdempotent,
    IgnoresTimeout,
    IgnoresPagingState,
    RowsAsLists,
    BlocksTheLoop,
    MapsErrorsWrongly,
]


class MutantPlugin:
    @hookimpl
    def coodie_drivers(self) -> list[DriverSpec]:
        return [_spec(kind) for kind in MUTANTS]


def _spec(kind: type[Mutant]) -> DriverSpec:
    def connect_sync(options: ConnectOptions) -> Mutant:
        return kind(plugin.connect(options))

    async def connect_async(options: ConnectOptions) -> Mutant:
        return kind(await plugin.connect_async(options))

    return DriverSpec(
        name=kind.name,
        connect=connect_sync,
        connect_async=connect_async,
        capabilities=plugin.CAPABILITIES,
        advice=plugin.ADVICE,
    )


if not get_registry()._manager.has_plugin("coodie-acsylla-mutants"):
    get_registry().register(
        MutantPlugin(), "coodie-acsylla-mutants", distribution="coodie-acsylla-mutants"
    )


@pytest.fixture(scope="module")
def real_driver(acsylla_hosts: list[str]) -> Iterator[AbstractDriver]:
    from coodie_driver_acsylla import connect

    bootstrap = connect(hosts=acsylla_hosts)
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
    driver = connect(hosts=acsylla_hosts, keyspace=KEYSPACE)
    yield driver
    driver.close()


def _suite_for(kind: type[Mutant]) -> type:
    class Suite(DriverConformanceSuite):
        @pytest.fixture
        def driver(self, real_driver: AbstractDriver) -> Mutant:
            return kind(real_driver)

    Suite.__name__ = Suite.__qualname__ = f"Test{kind.__name__}"
    return pytest.mark.integration(Suite)


for _kind in MUTANTS:
    globals()[f"Test{_kind.__name__}"] = _suite_for(_kind)
