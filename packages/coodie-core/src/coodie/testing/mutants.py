"""Mutant drivers: any real driver, wrapped so that it breaks exactly one rule of the guide.

Each mutant kind wraps an :class:`~coodie.drivers.AbstractDriver` through its public methods
only (``execute``, ``execute_async``, ``close``, ``close_async``, the codec hooks and the
``request_observer``), so it works over any driver whatever it does inside. The
conformance suite must fail on every kind: :mod:`coodie.testing.self_test` runs it so.

Bulk writes go through the mutant's own ``execute`` / ``execute_async`` (the base class's
``execute_many`` defaults), so the broken rule reaches them too.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, ClassVar

from coodie.connect.capabilities import Capability
from coodie.drivers.base import AbstractDriver
from coodie.drivers.statement import BatchStatement, BatchType, ResultPage, Statement
from coodie.exceptions import DriverError

if TYPE_CHECKING:
    from coodie.drivers.base import Decoder, Encoder
    from coodie.drivers.sent import RequestObserver
    from coodie.model.types import CqlType
    from coodie.plugins.spec import DriverSpec

__all__ = ["MUTANT_KINDS", "Mutant", "kind_named"]

AnyStatement = Statement | BatchStatement


def _changed(statement: AnyStatement, **changes: Any) -> AnyStatement:
    """A copy of a single statement with ``changes`` applied (batches pass unchanged)."""
    if isinstance(statement, BatchStatement):
        return statement
    changed = copy.copy(statement)
    for name, value in changes.items():
        setattr(changed, name, value)
    return changed


class Mutant(AbstractDriver):
    """A real driver behind its public methods; subclasses break one rule.

    The class attributes describe the kind for the self-test: ``slug`` names it (in driver
    names and ``COODIE_MUTANT``), ``rule`` says what it breaks, ``caught_by`` lists the
    suite's tests that must fail on it, ``needs`` the capability without which those tests
    are skipped (so the kind cannot apply).
    """

    name: ClassVar[str] = "mutant"
    slug: ClassVar[str] = ""
    rule: ClassVar[str] = ""
    caught_by: ClassVar[tuple[str, ...]] = ()
    needs: ClassVar[Capability | None] = None
    needs_sync: ClassVar[bool] = False
    needs_async: ClassVar[bool] = False

    def __init__(self, inner: AbstractDriver) -> None:
        self.inner = inner
        self.keyspace = inner.keyspace
        self.unset_value = inner.unset_value

    @classmethod
    def why_not(cls, spec: DriverSpec) -> str | None:
        """Why this kind cannot apply to the driver ``spec`` describes, or None."""
        if cls.needs is not None and cls.needs not in spec.capabilities:
            return f"the {spec.name} driver does not declare {cls.needs.value}"
        if cls.needs_sync and not spec.supports_sync():
            return f"the {spec.name} driver has no sync path"
        if cls.needs_async and not spec.supports_async():
            return f"the {spec.name} driver has no async path"
        return None

    @property
    def request_observer(self) -> RequestObserver | None:
        """The real driver's observer (the suite sets it through the mutant)."""
        return self.inner.request_observer

    @request_observer.setter
    def request_observer(self, observer: RequestObserver | None) -> None:
        self.inner.request_observer = observer

    def mutate(self, statement: AnyStatement) -> AnyStatement:
        """The statement the inner driver is given instead of ``statement``."""
        return statement

    def execute(self, statement: AnyStatement) -> ResultPage:
        """The real ``execute`` of the mutated statement."""
        return self.inner.execute(self.mutate(statement))

    async def execute_async(self, statement: AnyStatement) -> ResultPage:
        """The real ``execute_async`` of the mutated statement."""
        return await self.inner.execute_async(self.mutate(statement))

    def close(self) -> None:
        """Close the real driver."""
        self.inner.close()

    async def close_async(self) -> None:
        """Close the real driver without blocking the loop."""
        await self.inner.close_async()

    def decoder_for(self, cql_type: CqlType) -> Decoder | None:
        """The real driver's decoder."""
        return self.inner.decoder_for(cql_type)

    def encoder_for(self, cql_type: CqlType) -> Encoder | None:
        """The real driver's encoder."""
        return self.inner.encoder_for(cql_type)


class IgnoresPagingState(Mutant):
    slug = "paging-state"
    rule = "ignores paging_state (every page is the first)"
    caught_by = ("test_paging_sync", "test_paging_async")
    needs = Capability.PAGING_STATE

    def mutate(self, statement: AnyStatement) -> AnyStatement:
        return _changed(statement, paging_state=None)


class IgnoresFetchSize(Mutant):
    slug = "fetch-size"
    rule = "ignores fetch_size (pages of the client's default size)"
    caught_by = ("test_paging_sync",)
    needs = Capability.PAGING_STATE

    def mutate(self, statement: AnyStatement) -> AnyStatement:
        return _changed(statement, fetch_size=None)


class IgnoresConsistency(Mutant):
    slug = "consistency"
    rule = "ignores the statement's consistency"
    caught_by = ("test_too_few_replicas_is_unavailable_error",)

    def mutate(self, statement: AnyStatement) -> AnyStatement:
        return _changed(statement, consistency=None)


class IgnoresSerialConsistency(Mutant):
    slug = "serial-consistency"
    rule = "ignores the statement's serial_consistency"
    caught_by = (
        "test_requests_carry_the_statement_options",
        "test_async_requests_carry_the_statement_options",
    )

    def mutate(self, statement: AnyStatement) -> AnyStatement:
        return _changed(statement, serial_consistency=None)


class DropsIdempotent(Mutant):
    slug = "idempotent"
    rule = "drops the idempotent flag"
    caught_by = (
        "test_requests_carry_the_statement_options",
        "test_async_requests_carry_the_statement_options",
    )

    def mutate(self, statement: AnyStatement) -> AnyStatement:
        return _changed(statement, idempotent=False)


class IgnoresTimeout(Mutant):
    slug = "timeout"
    rule = "ignores the statement's timeout"
    caught_by = ("test_a_client_timeout_is_a_request_timeout_error",)
    needs_sync = True  # the test connects through coodie.sync.init_coodie

    def mutate(self, statement: AnyStatement) -> AnyStatement:
        return _changed(statement, timeout=None)


class BindsNoneForUnset(Mutant):
    slug = "unset"
    rule = "binds None (a tombstone) where the unset marker asks to leave a column alone"
    caught_by = ("test_unset_value_leaves_the_column_alone",)

    def mutate(self, statement: AnyStatement) -> AnyStatement:
        if isinstance(statement, BatchStatement):
            return statement
        unset = self.unset_value
        return _changed(statement, values=[None if v is unset else v for v in statement.values])


class SendsBatchesLogged(Mutant):
    slug = "batch-type"
    rule = "ignores the batch type: every batch is LOGGED (counter batches then fail)"
    caught_by = ("test_counter_batch_async",)
    needs = Capability.COUNTER_BATCH

    def mutate(self, statement: AnyStatement) -> AnyStatement:
        if not isinstance(statement, BatchStatement):
            return statement
        logged = copy.copy(statement)
        logged.batch_type = BatchType.LOGGED
        return logged


class SwallowsErrors(Mutant):
    slug = "swallows-errors"
    rule = "answers an empty page where the node refused the statement"
    caught_by = ("test_errors_are_driver_errors", "test_async_errors_are_driver_errors")

    def execute(self, statement: AnyStatement) -> ResultPage:
        try:
            return super().execute(statement)
        except DriverError:
            return ResultPage()

    async def execute_async(self, statement: AnyStatement) -> ResultPage:
        try:
            return await super().execute_async(statement)
        except DriverError:
            return ResultPage()


def _as_lists(page: ResultPage) -> ResultPage:
    return ResultPage(page.columns, [list(row) for row in page.rows], page.paging_state)


class RowsAsLists(Mutant):
    slug = "rows-as-lists"
    rule = "returns rows as lists instead of tuples"
    caught_by = ("test_insert_then_select_returns_tuples_in_column_order", "test_async_round_trip")

    def execute(self, statement: AnyStatement) -> ResultPage:
        return _as_lists(super().execute(statement))

    async def execute_async(self, statement: AnyStatement) -> ResultPage:
        return _as_lists(await super().execute_async(statement))


class BlocksTheLoop(Mutant):
    slug = "blocking"
    rule = "execute_async calls the blocking path on the event loop"
    caught_by = ("test_execute_async_leaves_the_event_loop_free",)
    needs_sync = True
    needs_async = True

    async def execute_async(self, statement: AnyStatement) -> ResultPage:
        return self.execute(statement)


class PreparesOnTheLoop(Mutant):
    """Async requests are truly async, except the first of each prepared text: it goes
    through the blocking path, as a client that prepares synchronously would."""

    slug = "blocking-prepare"
    rule = "prepares a statement blockingly on the event loop the first time it is sent"
    caught_by = ("test_execute_async_leaves_the_event_loop_free",)
    needs_sync = True
    needs_async = True

    def __init__(self, inner: AbstractDriver) -> None:
        super().__init__(inner)
        self._prepared: set[str] = set()

    async def execute_async(self, statement: AnyStatement) -> ResultPage:
        if self._first_prepare_of(statement):
            return self.execute(statement)
        return await super().execute_async(statement)

    def _first_prepare_of(self, statement: AnyStatement) -> bool:
        if not isinstance(statement, Statement) or not statement.prepare:
            return False
        first = statement.cql not in self._prepared
        self._prepared.add(statement.cql)
        return first


class MapsErrorsWrongly(Mutant):
    slug = "error-mapping"
    rule = "maps every client error to a plain DriverError (no unavailable/invalid types)"
    caught_by = (
        "test_too_few_replicas_is_unavailable_error",
        "test_cql_the_server_refuses_is_invalid_request_error",
    )

    def execute(self, statement: AnyStatement) -> ResultPage:
        try:
            return super().execute(statement)
        except DriverError as error:
            raise DriverError(str(error)) from error.__cause__

    async def execute_async(self, statement: AnyStatement) -> ResultPage:
        try:
            return await super().execute_async(statement)
        except DriverError as error:
            raise DriverError(str(error)) from error.__cause__


#: Every kind, in the order the self-test runs them.
MUTANT_KINDS: tuple[type[Mutant], ...] = (
    IgnoresPagingState,
    IgnoresFetchSize,
    IgnoresConsistency,
    IgnoresSerialConsistency,
    DropsIdempotent,
    IgnoresTimeout,
    BindsNoneForUnset,
    SendsBatchesLogged,
    SwallowsErrors,
    RowsAsLists,
    BlocksTheLoop,
    PreparesOnTheLoop,
    MapsErrorsWrongly,
)


def kind_named(slug: str) -> type[Mutant]:
    """The kind whose ``slug`` is given; a ValueError listing the kinds otherwise."""
    for kind in MUTANT_KINDS:
        if kind.slug == slug:
            return kind
    known = ", ".join(kind.slug for kind in MUTANT_KINDS)
    raise ValueError(f"no mutant kind {slug!r}; the kinds are: {known}")
