"""The conformance suite's self-test on this driver (coodie.testing.self_test): the suite
must fail, in bounded time, on every mutant of the real cassandra driver."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coodie.drivers import Statement
from coodie.testing.self_test import mutant_self_test
from coodie_driver_cassandra.driver import CassandraDriver, connect

if TYPE_CHECKING:
    from collections.abc import Iterator

KEYSPACE = "coodie_driver_cassandra_mutants"


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


TestMutants = mutant_self_test("real_driver")
