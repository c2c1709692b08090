"""coodie.drivers.kit: consistency tables, error tables, sync bulk helpers, contact points."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from coodie.connect import build_connect_options
from coodie.drivers import BatchStatement, BatchType, Consistency, Statement
from coodie.drivers.kit import (
    ConsistencyLevels,
    Done,
    ErrorTable,
    describe_statement,
    execute_in_threads,
    host_port_pairs,
    host_port_strings,
    hosts_and_shared_port,
    send_with_callbacks,
)
from coodie.exceptions import (
    ConfigurationError,
    DriverError,
    InvalidRequestError,
    UnavailableError,
    UnsupportedByDriverError,
    WriteTimeoutError,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

# -- consistency ---------------------------------------------------------------------------


class ClientLevels:
    ONE = 1
    QUORUM = 4
    LOCAL_SERIAL = 9


def test_levels_from_an_enum_by_name_any_case() -> None:
    levels: ConsistencyLevels[int] = ConsistencyLevels.from_names("mydb", ClientLevels)
    assert levels.level(Consistency.ONE) == 1
    assert levels.level("quorum") == 4
    assert levels.level("LOCAL_SERIAL", "serial consistency") == 9
    assert levels.level(None) is None
    assert levels.table == {"ONE": 1, "QUORUM": 4, "LOCAL_SERIAL": 9}


def test_a_level_the_client_lacks_names_the_driver() -> None:
    levels = ConsistencyLevels("mydb", {Consistency.ONE: "one"})
    with pytest.raises(UnsupportedByDriverError, match="mydb driver has no consistency level ALL"):
        levels.level(Consistency.ALL)
    with pytest.raises(UnsupportedByDriverError, match="serial consistency level SERIAL"):
        levels.level("serial", "serial consistency")


@pytest.mark.parametrize("value", ["nope", 1, object()])
def test_an_unknown_level_is_a_configuration_error(value: object) -> None:
    levels = ConsistencyLevels("mydb", {Consistency.ONE: "one"})
    with pytest.raises(ConfigurationError, match="Unknown consistency level"):
        levels.level(value)  # type: ignore[arg-type]


# -- errors --------------------------------------------------------------------------------


class ClientError(Exception):
    pass


class Timeout(ClientError):
    pass


class WriteTimedOut(Timeout):
    replicas = 2


class BadQuery(ClientError):
    pass


def unavailable(exc: BaseException, message: str) -> DriverError:
    return UnavailableError(message, required=3, alive=1)


TABLE = ErrorTable(
    "mydb-client",
    [
        (WriteTimedOut, WriteTimeoutError),
        ((BadQuery, KeyError), InvalidRequestError),
        ("Unavailable", unavailable),  # a class name: no import of the client needed
        (Timeout, lambda exc, msg: None),  # a factory may decline
    ],
)


def test_a_class_row_maps_and_keeps_the_message() -> None:
    error = TABLE.wrap(WriteTimedOut("slow"), "the message")
    assert type(error) is WriteTimeoutError
    assert str(error) == "the message"


def test_a_tuple_row_and_a_name_row() -> None:
    assert type(TABLE.wrap(KeyError("k"), "m")) is InvalidRequestError
    unavailable_cls = type("Unavailable", (ClientError,), {})
    error = TABLE.wrap(unavailable_cls(), "m")
    assert isinstance(error, UnavailableError)
    assert error.alive == 1


def test_the_most_specific_class_wins_and_unknown_errors_fall_back() -> None:
    class SubBadQuery(BadQuery):
        pass

    assert type(TABLE.wrap(SubBadQuery(), "m")) is InvalidRequestError
    assert type(TABLE.wrap(Timeout(), "m")) is DriverError  # the factory declined
    assert type(TABLE.wrap(ValueError("x"), "m")) is DriverError
    assert TABLE.lookup(ValueError("x"), "m") is None


def test_statement_errors_name_the_client_and_the_statement() -> None:
    error = TABLE.statement_error(BadQuery("no such table"), Statement("SELECT *  FROM t", ()))
    assert str(error) == (
        "mydb-client failed to execute 'SELECT * FROM t': BadQuery: no such table"
    )
    batch = BatchStatement([Statement("INSERT", ())], batch_type=BatchType.UNLOGGED)
    assert describe_statement(batch) == "a UNLOGGED batch of 1"
    assert describe_statement(Statement("x" * 300, ()), limit=10) == "'xxxxxxx...'"


def test_a_bad_table_is_refused() -> None:
    with pytest.raises(TypeError, match="not a DriverError"):
        ErrorTable("c", [(KeyError, ValueError)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="not an exception class"):
        ErrorTable("c", [(int, DriverError)])  # type: ignore[list-item]


# -- execute_many for sync code ------------------------------------------------------------


class CallbackClient:
    """Answers each request from a timer thread, tracking how many are in flight."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.in_flight = 0
        self.most_in_flight = 0
        self.sent: list[int] = []
        self.fail_on = fail_on
        self._lock = threading.Lock()

    def send(self, statement: int, done: Done) -> None:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self.sent.append(statement)

        def finish() -> None:
            with self._lock:
                self.in_flight -= 1
            done(RuntimeError(f"failed {statement}") if statement == self.fail_on else None)

        threading.Timer(0.005, finish).start()


def test_send_with_callbacks_bounds_the_requests_in_flight() -> None:
    client = CallbackClient()
    assert send_with_callbacks(range(50), 4, client.send) == 50
    assert client.most_in_flight <= 4
    assert client.in_flight == 0
    assert sorted(client.sent) == list(range(50))


def test_send_with_callbacks_stops_at_the_first_failure_after_the_flight_lands() -> None:
    client = CallbackClient(fail_on=3)
    consumed: list[int] = []

    def statements() -> Iterator[int]:
        for n in range(1000):
            consumed.append(n)
            yield n

    with pytest.raises(RuntimeError, match="failed 3"):
        send_with_callbacks(statements(), 2, client.send)
    assert client.in_flight == 0
    assert len(consumed) < 20  # lazy, and nothing much was sent after the failure


def test_send_with_callbacks_lets_a_send_error_propagate() -> None:
    def send(statement: int, done: Done) -> None:
        raise ValueError("cannot build")

    with pytest.raises(ValueError, match="cannot build"):
        send_with_callbacks([1, 2], 3, send)


def test_execute_in_threads_bounds_concurrency_and_counts() -> None:
    lock = threading.Lock()
    state = {"now": 0, "most": 0}

    def execute(statement: int) -> None:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.002)
        with lock:
            state["now"] -= 1

    assert execute_in_threads(execute, range(60), 5) == 60
    assert 1 <= state["most"] <= 5
    assert execute_in_threads(execute, range(3), 1) == 3


def test_execute_in_threads_raises_the_first_failure_and_stops() -> None:
    ran: list[int] = []

    def execute(statement: int) -> None:
        if statement == 5:
            raise RuntimeError("boom")
        ran.append(statement)

    def statements() -> Iterator[int]:
        yield from range(10_000)

    with pytest.raises(RuntimeError, match="boom"):
        execute_in_threads(execute, statements(), 3)
    assert len(ran) < 100


def test_execute_in_threads_raises_an_error_building_a_statement() -> None:
    def statements() -> Iterator[int]:
        yield 1
        raise ValueError("bad document")

    with pytest.raises(ValueError, match="bad document"):
        execute_in_threads(lambda s: None, statements(), 4)


# -- contact points ------------------------------------------------------------------------


def test_contact_point_shapes_from_the_connect_record() -> None:
    record = build_connect_options(["a", "b:9043", "[::1]:9044"], None, None, {})
    assert host_port_pairs(record) == [("a", 9042), ("b", 9043), ("::1", 9044)]
    assert host_port_strings(record) == ["a:9042", "b:9043", "[::1]:9044"]
    with pytest.raises(UnsupportedByDriverError, match="mydb driver uses one port"):
        hosts_and_shared_port(record, "mydb")
    shared = build_connect_options(["a", "b"], None, None, {"port": 9142})
    assert hosts_and_shared_port(shared, "mydb") == (["a", "b"], 9142)


def test_contact_point_helpers_read_any_record_shape() -> None:
    @dataclass
    class Point:
        host: str
        port: int

    @dataclass
    class Record:
        contact_points: tuple[Point, ...]
        port: int = 9042

    assert host_port_pairs(Record((Point("h", 1),))) == [("h", 1)]
    assert hosts_and_shared_port(Record(()), "x") == ([], 9042)


async def test_translate_wraps_client_errors_and_passes_coodie_errors() -> None:
    statement = Statement("SELECT 1", ())
    with pytest.raises(InvalidRequestError) as info, TABLE.translate(statement):
        raise BadQuery("nope")
    assert isinstance(info.value.__cause__, BadQuery)
    with pytest.raises(ConfigurationError, match="mine"), TABLE.translate(statement):
        raise ConfigurationError("mine")
    with TABLE.translate(statement):
        await asyncio.sleep(0)  # usable around awaits too
