"""A third-party coodie driver over cassandra-driver's ``Session``, built from core's public
helpers only (docs/writing-a-driver.md, "What core gives you"). It passes the conformance
suite (tests-integration/test_conformance_kit.py); a test keeps it under 150 lines.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from cassandra.cluster import ResultSet
from cassandra.query import UNSET_VALUE, SimpleStatement
from cassandra.query import BatchStatement as ClientBatch

from coodie import DriverSpec, hookimpl
from coodie.connect import ALL_CAPABILITIES, Capability, ConnectOptions
from coodie.drivers import AbstractDriver, BatchStatement, ResultPage, Statement
from coodie.drivers.kit import Done, PreparedCache, send_with_callbacks
from coodie.drivers.kit import cassandra as kit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coodie.drivers import Decoder, Encoder
    from coodie.model.types import CqlType

NAME = "kit-session"
Request = Statement | BatchStatement


class SessionDriver(AbstractDriver):
    name = NAME
    bulk_sends_through_execute = False  # execute_many sends with session.execute_async

    def __init__(self, cluster: Any, session: Any, options: ConnectOptions) -> None:
        self.cluster, self.session, self.keyspace = cluster, session, options.keyspace
        self.unset_value = UNSET_VALUE
        self.prepared: PreparedCache[Any] = PreparedCache(options.prepared_cache_size)

    def decoder_for(self, cql_type: CqlType) -> Decoder | None:
        return kit.decoder_for(cql_type)

    def encoder_for(self, cql_type: CqlType) -> Encoder | None:
        return kit.encoder_for(cql_type)

    def _prepare(self, st: Statement) -> Any:
        if st.prepare or st.values:  # the client binds `?` markers only when prepared
            return self.prepared.get_or_prepare(st.cql, self.session.prepare)
        return None

    async def _prepare_async(self, st: Statement) -> Any:
        if st.prepare or st.values:  # a worker thread: Session.prepare blocks
            return await self.prepared.get_or_prepare_async(
                st.cql, lambda cql: asyncio.to_thread(self.session.prepare, cql)
            )
        return None

    def _request(self, st: Request, prepared: list[Any]) -> tuple[Any, dict[str, Any]]:
        """The client's statement for ``st`` and the keywords of ``session.execute``."""
        if isinstance(st, BatchStatement):
            query = ClientBatch(batch_type=kit.BATCH_TYPES[st.batch_type])
            for child, ps in zip(st.statements, prepared, strict=True):
                query.add(SimpleStatement(child.cql) if ps is None else ps, child.values or None)
        else:
            query = SimpleStatement(st.cql) if prepared[0] is None else prepared[0].bind(st.values)
            query.fetch_size = st.fetch_size or query.fetch_size
        query.consistency_level = kit.CONSISTENCY_LEVELS.level(st.consistency)
        query.serial_consistency_level = kit.CONSISTENCY_LEVELS.level(st.serial_consistency)
        query.is_idempotent = st.idempotent
        kwargs: dict[str, Any] = {"timeout": st.timeout} if st.timeout is not None else {}
        if isinstance(st, Statement) and st.paging_state is not None:
            kwargs["paging_state"] = st.paging_state
        if self.request_observer is not None:  # the conformance suite's view of each request
            self.request_observer(kit.sent_request(st, query, kwargs))
        return query, kwargs

    def execute(self, st: Request) -> ResultPage:
        if _empty(st):
            return ResultPage()
        with kit.CASSANDRA_ERRORS.translate(st):
            query, kwargs = self._request(st, [self._prepare(s) for s in _parts(st)])
            return kit.result_page(self.session.execute(query, **kwargs))

    async def execute_async(self, st: Request) -> ResultPage:
        if _empty(st):
            return ResultPage()
        with kit.CASSANDRA_ERRORS.translate(st):
            query, kwargs = self._request(st, [await self._prepare_async(s) for s in _parts(st)])
            future = self.session.execute_async(query, **kwargs)
            rows = await kit.to_asyncio_future(future, asyncio.get_running_loop())
            return kit.result_page(ResultSet(future, rows))

    def execute_many(self, statements: Iterable[Request], concurrency: int) -> int:
        def send(st: Request, done: Done) -> None:
            if _empty(st):
                return done(None)
            with kit.CASSANDRA_ERRORS.translate(st):
                query, kwargs = self._request(st, [self._prepare(s) for s in _parts(st)])
            future = self.session.execute_async(query, **kwargs)
            future.add_callbacks(
                lambda _: done(None), lambda e: done(kit.CASSANDRA_ERRORS.statement_error(e, st))
            )
            return None

        return send_with_callbacks(statements, concurrency, send)

    def close(self) -> None:
        self.prepared.clear()
        self.cluster.shutdown()

    async def close_async(self) -> None:  # Cluster.shutdown joins the client's threads
        await asyncio.to_thread(self.close)


def _empty(st: Request) -> bool:
    return isinstance(st, BatchStatement) and not st.statements


def _parts(st: Request) -> list[Statement]:
    return list(st.statements) if isinstance(st, BatchStatement) else [st]


def connect(options: ConnectOptions) -> SessionDriver:
    cluster, session = kit.open_session(options)  # Cluster(**cluster_settings(options)), keyspace
    return SessionDriver(cluster, session, options)


async def connect_async(options: ConnectOptions) -> SessionDriver:
    return await asyncio.to_thread(connect, options)


SPEC = DriverSpec(
    name=NAME,
    connect=connect,
    connect_async=connect_async,
    description="cassandra-driver Session, built on coodie.drivers.kit",
    capabilities=ALL_CAPABILITIES - {Capability.EXISTING_SESSION, Capability.SESSION_DEFAULTS},
)


@hookimpl
def coodie_drivers() -> list[DriverSpec]:
    return [SPEC]
