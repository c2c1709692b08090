"""coodie's driver conformance suite, run against a real node with both connection modes, and
its self-test: the suite must fail, in bounded time, on every mutant of this driver."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coodie.testing.conformance import DriverConformanceSuite
from coodie.testing.self_test import mutant_self_test

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie_driver_acsylla import AcsyllaDriver


@pytest.mark.integration
class TestAcsyllaConformance(DriverConformanceSuite):
    """Driver from connect(): sync calls go to its loop thread, async calls are bridged."""

    @pytest.fixture(scope="class")
    @classmethod
    def driver(  # type: ignore[override]
        cls, acsylla_hosts: list[str], acsylla_keyspace: str
    ) -> Iterator[AcsyllaDriver]:
        from coodie_driver_acsylla import connect

        driver = connect(hosts=acsylla_hosts, keyspace=acsylla_keyspace)
        yield driver
        driver.close()


# conftest.py's module-scoped driver from connect() (usable from sync code and any loop).
TestMutants = mutant_self_test("sync_driver")
