"""Schema changes get the DDL timeout; finished requests let go of their rows at once."""

from __future__ import annotations

from typing import Any

from cassandra.connection import Timer

from coodie.connect import DEFAULT_DDL_TIMEOUT
from coodie.drivers import Statement
from coodie_driver_cassandra.requests import release_timer


def _timeout_of(session: Any) -> Any:
    return session.executed[-1][1].get("timeout")


def test_schema_changes_get_the_ddl_timeout(driver: Any, session: Any) -> None:
    session.columns = None
    for cql in ("CREATE TABLE t (k int PRIMARY KEY)", "  drop table t", "ALTER TABLE t WITH x=1"):
        driver.execute(Statement(cql, prepare=False))
        assert _timeout_of(session) == DEFAULT_DDL_TIMEOUT
    driver.execute(Statement("TRUNCATE t", prepare=False, timeout=3))
    assert _timeout_of(session) == 3  # a timeout of its own wins


def test_other_statements_keep_the_default_timeout(driver: Any, session: Any) -> None:
    driver.execute(Statement("SELECT * FROM t", prepare=False))
    assert _timeout_of(session) is None
    driver.execute(Statement("SELECT * FROM t WHERE k = ?", [1]))
    assert _timeout_of(session) is None


class _Future:
    def __init__(self, timer: Timer | None) -> None:
        self._timer = timer

    def _on_timeout(self) -> None:  # what cassandra-driver's timer calls
        raise AssertionError("a finished request timed out")


def test_a_cancelled_timer_no_longer_holds_the_finished_request() -> None:
    """cassandra-driver keeps cancelled timers queued until their deadline; their callback
    (a bound method of the ResponseFuture) held the future and its rows that long."""
    future = _Future(None)
    timer = Timer(10.0, future._on_timeout)
    future._timer = timer
    timer.cancel()
    release_timer(future)
    assert getattr(timer.callback, "__self__", None) is not future
    assert timer.finish(timer.end + 1)  # still finishes quietly


def test_a_running_timer_is_left_alone() -> None:
    future = _Future(None)
    timer = Timer(10.0, future._on_timeout)
    future._timer = timer
    release_timer(future)
    assert timer.callback == future._on_timeout
    release_timer(None)  # results without a future (test doubles, legacy wrappers)
    release_timer(_Future(None))


def test_a_new_cluster_waits_for_schema_agreement_as_long_as_the_ddl_timeout() -> None:
    from coodie.connect import build_connect_options
    from coodie_driver_cassandra.connecting import _make_cluster

    cluster = _make_cluster(build_connect_options("127.0.0.1", None, None, {}), {})
    try:
        assert cluster.max_schema_agreement_wait == DEFAULT_DDL_TIMEOUT
    finally:
        cluster.shutdown()
    longer = build_connect_options("127.0.0.1", None, None, {"request_timeout": 90})
    cluster = _make_cluster(longer, {"max_schema_agreement_wait": 5})
    try:
        assert cluster.max_schema_agreement_wait == 5  # the caller's own setting wins
    finally:
        cluster.shutdown()


def test_a_request_timeout_given_applies_to_schema_changes(make_driver: Any, session: Any) -> None:
    session.columns = None
    driver = make_driver(request_timeout=5.0)
    driver.execute(Statement("CREATE TABLE t (k int PRIMARY KEY)", prepare=False))
    assert _timeout_of(session) == 5.0
