"""Fixtures for the acsylla driver tests.

Integration tests get contact points from pytest-coodie's ``coodie_contact_points`` (which
honours ``COODIE_TEST_HOSTS``) and use their own keyspace.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

import pytest

from coodie.drivers import Statement

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie_driver_acsylla import AcsyllaDriver

KEYSPACE = "coodie_driver_acsylla_tests"

# acsylla has no Windows wheels: where it (or this plugin) is not installed, collect none of
# these tests instead of failing on their imports.
if (
    importlib.util.find_spec("acsylla") is None
    or importlib.util.find_spec("coodie_driver_acsylla") is None
):
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def acsylla_hosts(coodie_contact_points: list[str]) -> list[str]:
    return list(coodie_contact_points)


@pytest.fixture(scope="session")
def acsylla_keyspace(acsylla_hosts: list[str]) -> str:
    from coodie_driver_acsylla import connect

    driver = connect(hosts=acsylla_hosts)
    try:
        driver.execute(
            Statement(
                f"CREATE KEYSPACE IF NOT EXISTS {KEYSPACE} WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': 1}",
                prepare=False,
            )
        )
    finally:
        driver.close()
    return KEYSPACE


@pytest.fixture(scope="module")
def sync_driver(acsylla_hosts: list[str], acsylla_keyspace: str) -> Iterator[AcsyllaDriver]:
    """A driver opened with connect(): its own loop thread, usable from sync and any loop."""
    from coodie_driver_acsylla import connect

    driver = connect(hosts=acsylla_hosts, keyspace=acsylla_keyspace)
    yield driver
    driver.close()
