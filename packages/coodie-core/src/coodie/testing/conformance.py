"""The driver conformance suite: what every coodie driver must do against a real node.

A driver package runs it by subclassing and supplying a ``driver`` fixture that yields a
connected driver whose ``keyspace`` exists::

    from coodie.testing.conformance import DriverConformanceSuite

    @pytest.mark.integration
    class TestMyDriver(DriverConformanceSuite):
        @pytest.fixture
        def driver(self, shared_driver):  # e.g. a module-scoped fixture that connects once
            return shared_driver

The suite needs pytest and pytest-asyncio; it creates and drops its own tables. Its connect
tests (:mod:`coodie.testing.conformance_connect`) also need the node's contact points.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from contextlib import contextmanager
from decimal import Decimal
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING, Annotated, Any

import pytest

from coodie.drivers.base import AbstractDriver
from coodie.drivers.statement import Consistency, ResultPage, Statement
from coodie.exceptions import DriverError, UnsupportedTypeError
from coodie.fields import Ascii, BigInt, SmallInt, TimeUUID, TinyInt, VarInt
from coodie.mapping.codecs import build_decoder, build_encoder, refuse_unsupported
from coodie.model.types import cql_type_for
from coodie.testing.conformance_behaviour import BehaviourConformance
from coodie.testing.conformance_bulk import BulkWriteConformance
from coodie.testing.conformance_connect import ConnectConformance
from coodie.testing.conformance_errors import ErrorConformance
from coodie.testing.conformance_requests import RequestConformance
from coodie.testing.conformance_statements import StatementKindsConformance

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.model.types import CqlType

__all__ = ["DriverConformanceSuite"]

#: (column type annotation, a value to write) for every scalar type coodie maps.
SCALAR_SAMPLES: dict[str, tuple[Any, Any]] = {
    "c_text": (str, "zoë ✓ 'quoted'"),
    "c_ascii": (Annotated[str, Ascii()], "plain ascii"),
    "c_int": (int, -2_147_483_648),
    "c_bigint": (Annotated[int, BigInt()], 9_223_372_036_854_775_807),
    "c_smallint": (Annotated[int, SmallInt()], -32_768),
    "c_tinyint": (Annotated[int, TinyInt()], 127),
    "c_varint": (Annotated[int, VarInt()], 10**40 + 7),
    "c_double": (float, 3.141592653589793),
    "c_boolean": (bool, True),
    "c_uuid": (uuid.UUID, uuid.UUID("12345678-1234-5678-1234-567812345678")),
    "c_timeuuid": (Annotated[uuid.UUID, TimeUUID()], uuid.uuid1()),
    "c_timestamp": (dt.datetime, dt.datetime(2024, 2, 29, 13, 45, 12, 345000)),
    "c_date": (dt.date, dt.date(1999, 12, 31)),
    "c_time": (dt.time, dt.time(23, 59, 58, 123456)),
    "c_duration": (dt.timedelta, dt.timedelta(days=3, hours=4, microseconds=5)),
    "c_blob": (bytes, b"\x00\x01binary\xff"),
    "c_decimal": (Decimal, Decimal("-12345.678900")),
    "c_inet4": (IPv4Address, IPv4Address("192.0.2.1")),
    "c_inet6": (IPv6Address, IPv6Address("2001:db8::1")),
}

COLLECTION_SAMPLES: dict[str, tuple[Any, Any]] = {
    "c_list": (list[int], [3, 1, 2, 1]),
    "c_set": (set[str], {"b", "a", "c"}),
    "c_map": (dict[str, int], {"x": 1, "y": 2}),
    "c_tuple": (tuple[int, str, uuid.UUID], (1, "one", uuid.UUID(int=1))),
    "c_nested": (dict[str, list[set[int]]], {"k": [{1, 2}, {3}]}),
    "c_uuid_set": (set[uuid.UUID], {uuid.UUID(int=5), uuid.UUID(int=6)}),
    "c_time_list": (list[dt.time], [dt.time(1, 2, 3), dt.time(4, 5, 6, 7)]),
}


def _carries(driver: AbstractDriver, t: Any) -> bool:
    try:
        refuse_unsupported(t, driver, "Conformance")
    except UnsupportedTypeError:
        return False
    return True


class DriverConformanceSuite(
    BehaviourConformance,
    BulkWriteConformance,
    ConnectConformance,
    ErrorConformance,
    RequestConformance,
    StatementKindsConformance,
):
    """Behaviour coodie-core relies on. Subclass it and provide a ``driver`` fixture."""

    @pytest.fixture
    def driver(self) -> AbstractDriver:  # pragma: no cover - overridden by subclasses
        """A connected driver: override this fixture in the subclass."""
        raise NotImplementedError("provide a `driver` fixture yielding a connected driver")

    @pytest.fixture
    def table(self, driver: AbstractDriver) -> Iterator[str]:
        """A fresh ``(k int, c int, v text, n int)`` table, dropped afterwards."""
        assert driver.keyspace, "the driver fixture must connect with a keyspace"
        name = f"{driver.keyspace}.conformance_{uuid.uuid4().hex[:12]}"
        driver.execute(
            Statement(
                f"CREATE TABLE {name} (k int, c int, v text, n int, PRIMARY KEY (k, c))",
                prepare=False,
            )
        )
        yield name
        driver.execute(Statement(f"DROP TABLE IF EXISTS {name}", prepare=False))

    # -- basics --------------------------------------------------------------------------

    def test_is_a_coodie_driver(self, driver: AbstractDriver) -> None:
        assert isinstance(driver, AbstractDriver)
        assert driver.name
        assert driver.name != "abstract"
        assert driver.name != "abstract"

    def test_insert_then_select_returns_tuples_in_column_order(
        self, driver: AbstractDriver, table: str
    ) -> None:
        driver.execute(
            Statement(f"INSERT INTO {table} (k, c, v, n) VALUES (?, ?, ?, ?)", [1, 2, "x", 3])
        )
        page = driver.execute(Statement(f"SELECT n, v, c, k FROM {table} WHERE k = ?", [1]))
        assert isinstance(page, ResultPage)
        assert page.columns == ("n", "v", "c", "k")
        assert [tuple(row) for row in page.rows] == [(3, "x", 2, 1)]
        assert all(isinstance(row, tuple) for row in page.rows), "rows must be tuples"
        assert page.paging_state is None

    @pytest.mark.asyncio
    async def test_async_round_trip(self, driver: AbstractDriver, table: str) -> None:
        await driver.execute_async(
            Statement(f"INSERT INTO {table} (k, c, v) VALUES (?, ?, ?)", [7, 1, "async"])
        )
        page = await driver.execute_async(Statement(f"SELECT v FROM {table} WHERE k = ?", [7]))
        assert [tuple(r) for r in page.rows] == [("async",)]
        assert all(isinstance(row, tuple) for row in page.rows), "rows must be tuples"

    @pytest.mark.asyncio
    async def test_many_concurrent_async_requests(self, driver: AbstractDriver, table: str) -> None:
        insert = f"INSERT INTO {table} (k, c, n) VALUES (?, ?, ?)"
        await asyncio.gather(
            *(driver.execute_async(Statement(insert, [100, i, i * i])) for i in range(200))
        )
        page = await driver.execute_async(
            Statement(f"SELECT COUNT(*) FROM {table} WHERE k = ?", [100])
        )
        assert page.rows[0][0] == 200

    def test_empty_result_has_columns_and_no_rows(self, driver: AbstractDriver, table: str) -> None:
        page = driver.execute(Statement(f"SELECT k, v FROM {table} WHERE k = ?", [404]))
        assert list(page.rows) == []
        assert page.paging_state is None

    def test_unset_value_leaves_the_column_alone(self, driver: AbstractDriver, table: str) -> None:
        insert = f"INSERT INTO {table} (k, c, v, n) VALUES (?, ?, ?, ?)"
        driver.execute(Statement(insert, [2, 1, "kept", 1]))
        driver.execute(Statement(insert, [2, 1, driver.unset_value, 2]))
        page = driver.execute(Statement(f"SELECT v, n FROM {table} WHERE k = ?", [2]))
        assert [tuple(r) for r in page.rows] == [("kept", 2)]

    def test_none_writes_null(self, driver: AbstractDriver, table: str) -> None:
        insert = f"INSERT INTO {table} (k, c, v) VALUES (?, ?, ?)"
        driver.execute(Statement(insert, [3, 1, "gone"]))
        driver.execute(Statement(insert, [3, 1, None]))
        page = driver.execute(Statement(f"SELECT v FROM {table} WHERE k = ?", [3]))
        assert [tuple(r) for r in page.rows] == [(None,)]

    def test_unprepared_statement_with_values(self, driver: AbstractDriver, table: str) -> None:
        driver.execute(
            Statement(f"INSERT INTO {table} (k, c, v) VALUES (?, ?, ?)", [4, 1, "s"], prepare=False)
        )
        page = driver.execute(Statement(f"SELECT v FROM {table} WHERE k = ?", [4], prepare=False))
        assert [tuple(r) for r in page.rows] == [("s",)]

    def test_bind_markers_for_limit_and_in(self, driver: AbstractDriver, table: str) -> None:
        insert = f"INSERT INTO {table} (k, c) VALUES (?, ?)"
        for k in (10, 11, 12):
            for c in range(3):
                driver.execute(Statement(insert, [k, c]))
        page = driver.execute(
            Statement(f"SELECT k, c FROM {table} WHERE k IN ? LIMIT ?", [[10, 12], 4])
        )
        assert len(page.rows) == 4
        assert {row[0] for row in page.rows} <= {10, 12}
        page = driver.execute(
            Statement(f"SELECT k, c FROM {table} PER PARTITION LIMIT ?", [1], fetch_size=100)
        )
        assert sorted(tuple(r) for r in page.rows) == [(10, 0), (11, 0), (12, 0)]

    def test_options_are_accepted(self, driver: AbstractDriver, table: str) -> None:
        statement = Statement(
            f"SELECT k FROM {table} WHERE k = ?",
            [1],
            consistency=Consistency.ONE,
            timeout=10.0,
            fetch_size=5,
            idempotent=True,
        )
        assert list(driver.execute(statement).rows) == []

    def test_errors_are_driver_errors(self, driver: AbstractDriver, table: str) -> None:
        with pytest.raises(DriverError):
            driver.execute(Statement(f"SELECT nope FROM {table}", []))

    @pytest.mark.asyncio
    async def test_async_errors_are_driver_errors(self, driver: AbstractDriver, table: str) -> None:
        with pytest.raises(DriverError):
            await driver.execute_async(Statement(f"SELECT nope FROM {table}", []))

    # -- value types through coodie's codecs ---------------------------------------------

    @contextmanager
    def _stored(
        self, driver: AbstractDriver, samples: dict[str, tuple[Any, Any]], label: str
    ) -> Iterator[tuple[str, dict[str, CqlType], dict[str, tuple[Any, Any]]]]:
        """A throw-away table holding one row (id 1) of the samples the driver can carry,
        each encoded through coodie's codecs: ``(table, types, samples)``, dropped after."""
        types = {
            name: cql_type_for(annotation, model="Conformance", field=name)
            for name, (annotation, _) in samples.items()
        }
        # A type the driver declares it cannot carry is refused by core (tested below).
        types = {col: t for col, t in types.items() if _carries(driver, t)}
        samples = {col: sample for col, sample in samples.items() if col in types}
        name = f"{driver.keyspace}.conformance_{label}_{uuid.uuid4().hex[:8]}"
        columns = ", ".join(f"{col} {t.cql}" for col, t in types.items())
        driver.execute(
            Statement(f"CREATE TABLE {name} (id int PRIMARY KEY, {columns})", prepare=False)
        )
        try:
            values = []
            for col, (_, value) in samples.items():
                encoder = build_encoder(types[col], driver)
                values.append(value if encoder is None else encoder(value))
            markers = ", ".join("?" for _ in samples)
            driver.execute(
                Statement(
                    f"INSERT INTO {name} (id, {', '.join(samples)}) VALUES (?, {markers})",
                    [1, *values],
                )
            )
            yield name, types, samples
        finally:
            driver.execute(Statement(f"DROP TABLE IF EXISTS {name}", prepare=False))

    def _round_trip(self, driver: AbstractDriver, samples: dict[str, tuple[Any, Any]]) -> None:
        with self._stored(driver, samples, "types") as (name, types, samples):
            page = driver.execute(
                Statement(f"SELECT {', '.join(samples)} FROM {name} WHERE id = ?", [1])
            )
            row = dict(zip(page.columns, page.rows[0], strict=True))
            for col, (_, expected) in samples.items():
                decoder = build_decoder(types[col], driver)
                got = row[col] if decoder is None else decoder(row[col])
                assert got == expected, f"{col}: wrote {expected!r}, read {got!r}"
                assert type(got) is type(expected), f"{col}: {type(got)} is not {type(expected)}"

    def test_every_scalar_type_round_trips(self, driver: AbstractDriver) -> None:
        self._round_trip(driver, SCALAR_SAMPLES)

    def test_numbers_are_stored_as_other_clients_read_them(self, driver: AbstractDriver) -> None:
        """Reading back what one wrote proves little: a client that encodes and decodes a type
        wrongly in the same way passes it. The server's own text form of each stored number
        (``CAST(c AS text)``) must be the number written."""
        numbers = {
            col: sample
            for col, sample in SCALAR_SAMPLES.items()
            if type(sample[1]) in (int, float, Decimal)
        }
        with self._stored(driver, numbers, "numbers") as (name, _, numbers):
            casts = ", ".join(f"CAST({col} AS text)" for col in numbers)
            page = driver.execute(Statement(f"SELECT {casts} FROM {name} WHERE id = ?", [1]))
            for (col, (_, expected)), text in zip(numbers.items(), page.rows[0], strict=True):
                assert type(expected)(text) == expected, (
                    f"{col}: wrote {expected!r}, the server holds {text}"
                )

    def test_types_the_driver_cannot_carry_are_refused(self, driver: AbstractDriver) -> None:
        if not driver.unsupported_types:
            pytest.skip(f"{driver.name} declares no unsupported types")
        for cql_name in driver.unsupported_types:
            annotation = next(
                (a for a, _ in SCALAR_SAMPLES.values() if cql_type_for(a).name == cql_name), None
            )
            if annotation is None:
                continue
            for shape in (annotation, list[annotation], dict[str, annotation]):  # type: ignore[valid-type]
                with pytest.raises(UnsupportedTypeError, match=f"cannot carry CQL {cql_name}"):
                    refuse_unsupported(cql_type_for(shape), driver, "Conformance.c")

    def test_collections_round_trip(self, driver: AbstractDriver) -> None:
        self._round_trip(driver, COLLECTION_SAMPLES)

    def test_empty_collections_read_back_empty(self, driver: AbstractDriver) -> None:
        self._round_trip(
            driver,
            {"c_list": (list[int], []), "c_set": (set[str], set()), "c_map": (dict[str, int], {})},
        )
