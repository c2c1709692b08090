"""coodie's driver conformance suite, run against a real node with both connection modes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coodie.testing.conformance import DriverConformanceSuite

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
