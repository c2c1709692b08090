"""coodie's driver conformance suite, run against a real node (``-m integration``), and its
self-test: the suite must fail, in bounded time, on every mutant of this driver."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coodie.drivers import Statement
from coodie.testing.conformance import DriverConformanceSuite
from coodie.testing.self_test import mutant_self_test
from coodie_driver_cassandra.driver import CassandraDriver, connect

if TYPE_CHECKING:
    from collections.abc import Iterator

KEYSPACE = "coodie_driver_cassandra_conformance"


@pytest.fixture(scope="module")
def conformance_driver(contact_points: list[str]) -> Iterator[CassandraDriver]:
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


@pytest.mark.integration
class TestCassandraDriverConformance(DriverConformanceSuite):
    # A function-scoped fixture handing out the module-scoped driver: pytest 9 deprecates
    # class-scoped fixtures written as instance methods (PytestRemovedIn10Warning).
    @pytest.fixture
    def driver(self, conformance_driver: CassandraDriver) -> CassandraDriver:
        return conformance_driver


TestMutants = mutant_self_test("conformance_driver")
