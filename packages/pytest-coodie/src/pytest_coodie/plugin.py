"""Pytest plugin (entry point ``pytest11: coodie``): a session-wide node, started lazily.

Nothing starts unless a test (directly or through another fixture) requests
``coodie_cluster`` or ``coodie_contact_points``, so unit-test-only runs never pay for a JVM.
The connection, keyspace and model fixtures for users' tests live in :mod:`.fixtures`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from . import fixtures
from .auth import parse_auth
from .fixtures import (
    _coodie_admin,
    _coodie_sync_driver,
    coodie_aio_connection,
    coodie_connect_options,
    coodie_connection,
    coodie_driver_type,
    coodie_keyspace,
    coodie_models,
)
from .launcher import provide_cluster

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .handle import ClusterHandle

# Fixtures of the plugin are found as attributes of this module.
__all__ = [
    "_coodie_admin",
    "_coodie_sync_driver",
    "coodie_aio_connection",
    "coodie_cluster",
    "coodie_connect_options",
    "coodie_connection",
    "coodie_contact_points",
    "coodie_driver_type",
    "coodie_keyspace",
    "coodie_models",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the ``--coodie-*`` options and ini keys."""
    group = parser.getgroup("coodie", "coodie test cluster")
    group.addoption(
        "--coodie-nodes",
        type=int,
        default=None,
        help="number of local Cassandra nodes to start (default: ini coodie_nodes or 1)",
    )
    parser.addini("coodie_nodes", "number of local Cassandra nodes to start", default="1")
    group.addoption(
        "--coodie-auth",
        default=None,
        metavar="USER:PASSWORD",
        help="start the node with PasswordAuthenticator and these credentials "
        "(default: ini coodie_auth, else COODIE_CASSANDRA_AUTH, else no authentication)",
    )
    parser.addini("coodie_auth", "USER:PASSWORD the node requires (empty: none)", default="")
    fixtures.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``integration`` marker."""
    config.addinivalue_line("markers", "integration: needs a real Cassandra/ScyllaDB node (slow)")
    config.addinivalue_line(
        "markers",
        f"{fixtures.MODELS_MARKER}([models]): models the coodie_connection fixtures sync first",
    )


def _nodes(config: pytest.Config) -> int:
    option = config.getoption("--coodie-nodes")
    if option is not None:
        return int(option)
    return int(str(config.getini("coodie_nodes")))


def _auth(config: pytest.Config) -> tuple[str, str] | None:
    value = config.getoption("--coodie-auth") or str(config.getini("coodie_auth"))
    return parse_auth(value) if value else None


@pytest.fixture(scope="session")
def coodie_cluster(pytestconfig: pytest.Config) -> Iterator[ClusterHandle]:
    """The session's :class:`ClusterHandle` (``kind``, ``contact_points``, ``credentials``);
    stopped at the end."""
    handle = provide_cluster(_nodes(pytestconfig), auth=_auth(pytestconfig))
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture(scope="session")
def coodie_contact_points(coodie_cluster: ClusterHandle) -> list[str]:
    """Contact points as ``"host:port"`` strings, e.g. ``["127.0.0.1:9042"]``."""
    return coodie_cluster.hosts
