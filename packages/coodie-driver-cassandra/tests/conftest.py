"""Fakes of cassandra-driver's Session / ResponseFuture for unit tests (no database), and the
contact points for integration tests."""

from __future__ import annotations

import importlib.util
import os
import threading
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from cassandra.cluster import ExecutionProfile
    from cassandra.query import PreparedStatement

    from coodie_driver_cassandra.driver import CassandraDriver

# Without cassandra-driver / scylla-driver (e.g. an acsylla-only environment) there is
# nothing to test here; skip collection instead of failing on imports.
collect_ignore_glob = [] if importlib.util.find_spec("cassandra") else ["test_*.py"]

KEYSPACE = "coodie_driver_cassandra_tests"


def make_prepared(cql: str, n_values: int = 1) -> PreparedStatement:
    """A real PreparedStatement (as if returned by the server) with n int/text markers."""
    from cassandra.cqltypes import Int32Type, UTF8Type
    from cassandra.protocol import ColumnMetadata
    from cassandra.query import PreparedStatement

    types = [Int32Type, UTF8Type]
    columns = [ColumnMetadata("ks", "t", f"c{i}", types[i % 2]) for i in range(n_values)]
    return PreparedStatement(
        column_metadata=columns,
        query_id=("id:" + cql).encode(),
        routing_key_indexes=None,
        query=cql,
        keyspace="ks",
        protocol_version=4,
        result_metadata=[],
        result_metadata_id=None,
    )


class FakeResultSet:
    def __init__(self, columns: Any, rows: list[Any], paging_state: bytes | None) -> None:
        self.column_names = columns
        self.current_rows = rows
        self.paging_state = paging_state


class FakeResponseFuture:
    """Enough of ResponseFuture for the bridge and for cassandra.cluster.ResultSet."""

    def __init__(self, columns: Any = None, paging_state: bytes | None = None) -> None:
        self._col_names = columns
        self._col_types = None
        self._paging_state = paging_state
        self._callbacks: list[tuple[Callable[[Any], None], Callable[[Any], None]]] = []
        self._outcome: tuple[str, Any] | None = None
        self._lock = threading.Lock()

    @property
    def has_more_pages(self) -> bool:
        return self._paging_state is not None

    def add_callbacks(
        self, callback: Callable[[Any], None], errback: Callable[[Any], None]
    ) -> None:
        with self._lock:
            outcome = self._outcome
            if outcome is None:
                self._callbacks.append((callback, errback))
        if outcome is not None:
            (callback if outcome[0] == "ok" else errback)(outcome[1])

    def _finish(self, kind: str, value: Any) -> None:
        with self._lock:
            self._outcome = (kind, value)
            callbacks, self._callbacks = self._callbacks, []
        for callback, errback in callbacks:
            (callback if kind == "ok" else errback)(value)

    def resolve(self, rows: Any) -> None:
        self._finish("ok", rows)

    def fail(self, error: BaseException) -> None:
        self._finish("error", error)

    def resolve_in_thread(self, rows: Any, delay: float = 0.01) -> threading.Thread:
        """Fire the callback from another thread, as the driver's I/O thread does."""
        thread = threading.Timer(delay, self.resolve, args=(rows,))
        thread.start()
        return thread

    def fail_in_thread(self, error: BaseException, delay: float = 0.01) -> threading.Thread:
        thread = threading.Timer(delay, self.fail, args=(error,))
        thread.start()
        return thread


class FakeCluster:
    def __init__(self) -> None:
        self.shutdown_calls = 0
        self.metadata = None

    def shutdown(self) -> None:
        self.shutdown_calls += 1


class FakeSession:
    """Records prepare/execute calls; answers with ``self.columns`` / ``self.rows``."""

    def __init__(self) -> None:
        self.cluster = FakeCluster()
        self.keyspace: str | None = None
        self.is_shutdown = False
        from cassandra.cluster import ExecutionProfile

        self.default_profile = ExecutionProfile()
        self.prepared: list[str] = []
        self.executed: list[tuple[Any, dict[str, Any]]] = []
        self.columns: Any = ("id", "name")
        self.rows: list[Any] = [(1, "a"), (2, "b")]
        self.paging_state: bytes | None = None
        self.error: BaseException | None = None
        self.prepare_error: BaseException | None = None
        self.prepare_delay = 0.0
        self.futures: list[FakeResponseFuture] = []
        self.set_keyspace_calls: list[str] = []
        self.auto_resolve = True

    def prepare(self, cql: str) -> PreparedStatement:
        if self.prepare_delay:
            threading.Event().wait(self.prepare_delay)
        self.prepared.append(cql)
        if self.prepare_error is not None:
            raise self.prepare_error
        return make_prepared(cql, cql.count("?"))

    def execute(self, query: Any, parameters: Any = None, **kwargs: Any) -> FakeResultSet:
        self.executed.append((query, kwargs))
        if self.error is not None:
            raise self.error
        return FakeResultSet(self.columns, list(self.rows or ()), self.paging_state)

    def execute_async(
        self, query: Any, parameters: Any = None, **kwargs: Any
    ) -> FakeResponseFuture:
        self.executed.append((query, kwargs))
        future = FakeResponseFuture(self.columns, self.paging_state)
        self.futures.append(future)
        if self.auto_resolve:
            if self.error is not None:
                future.fail_in_thread(self.error)
            else:
                future.resolve_in_thread(None if self.rows is None else list(self.rows))
        return future

    def execution_profile_clone_update(self, ep: Any, **kwargs: Any) -> ExecutionProfile:
        from cassandra.cluster import EXEC_PROFILE_DEFAULT, ExecutionProfile

        assert ep is EXEC_PROFILE_DEFAULT
        clone = ExecutionProfile(
            load_balancing_policy=self.default_profile.load_balancing_policy,
            row_factory=self.default_profile.row_factory,
        )
        for key, value in kwargs.items():
            setattr(clone, key, value)
        return clone

    def set_keyspace(self, keyspace: str) -> None:
        self.set_keyspace_calls.append(keyspace)
        self.keyspace = keyspace


@pytest.fixture
def fake_future() -> type[FakeResponseFuture]:
    return FakeResponseFuture


@pytest.fixture
def session() -> FakeSession:
    return FakeSession()


@pytest.fixture
def make_driver(session: FakeSession) -> Iterator[Callable[..., CassandraDriver]]:
    made: list[CassandraDriver] = []

    def make(**options: Any) -> CassandraDriver:
        from coodie_driver_cassandra.driver import connect

        driver = connect(session=session, **options)
        made.append(driver)
        return driver

    yield make
    for driver in made:
        driver.close()


@pytest.fixture
def driver(make_driver: Callable[..., CassandraDriver]) -> CassandraDriver:
    return make_driver()


# -- integration -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def contact_points(request: pytest.FixtureRequest) -> list[str]:
    """COODIE_TEST_HOSTS, else pytest-coodie's node (started lazily), else skip."""
    env = os.environ.get("COODIE_TEST_HOSTS", "").strip()
    if env:
        return [h.strip() for h in env.split(",") if h.strip()]
    if request.config.pluginmanager.hasplugin("coodie"):
        points: list[str] = request.getfixturevalue("coodie_contact_points")
        return points
    pytest.skip("no Cassandra node: set COODIE_TEST_HOSTS=host:port or install pytest-coodie")
