"""The conformance suite's self-test on this driver (coodie.testing.self_test): the suite
must fail, in bounded time, on every mutant of the real acsylla driver."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coodie.drivers import Statement
from coodie.testing.self_test import mutant_self_test

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie_driver_acsylla import AcsyllaDriver

KEYSPACE = "coodie_driver_acsylla_mutants"


@pytest.fixture(scope="module")
def real_driver(acsylla_hosts: list[str]) -> Iterator[AcsyllaDriver]:
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


TestMutants = mutant_self_test("real_driver")
