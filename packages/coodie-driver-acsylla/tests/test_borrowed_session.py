"""``session=`` + ``keyspace=``: a borrowed acsylla session is bound to the keyspace (USE),
as cassandra-driver's ``set_keyspace`` does, so unqualified CQL resolves there, through
both ``init_coodie`` functions; a missing keyspace fails as on every driver."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

import coodie.aio
import coodie.sync
from coodie.drivers import Statement
from coodie.exceptions import ConfigurationError
from coodie_driver_acsylla import connect, connect_async

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.integration


@pytest.fixture
def table(acsylla_hosts: list[str], acsylla_keyspace: str) -> Iterator[str]:
    """A fresh table ``(k int PRIMARY KEY)`` in the test keyspace holding k = 7."""
    name = f"borrowed_{uuid.uuid4().hex[:8]}"
    setup = connect(hosts=acsylla_hosts, keyspace=acsylla_keyspace)
    setup.execute(Statement(f"CREATE TABLE {name} (k int PRIMARY KEY)", prepare=False))
    setup.execute(Statement(f"INSERT INTO {name} (k) VALUES (7)", prepare=False))
    yield name
    setup.execute(Statement(f"DROP TABLE IF EXISTS {name}", prepare=False))
    setup.close()


def test_sync_init_with_a_borrowed_session_uses_the_keyspace(
    acsylla_hosts: list[str], acsylla_keyspace: str, table: str
) -> None:
    owner = connect(hosts=acsylla_hosts)  # its session has no keyspace
    try:
        coodie.sync.init_coodie(
            driver_type="acsylla",
            name="borrowed-sync",
            session=owner.session,
            loop=owner.loop,
            keyspace=acsylla_keyspace,
        )
        try:
            page = coodie.sync.execute(f"SELECT k FROM {table}", connection="borrowed-sync")
            assert [tuple(row) for row in page.rows] == [(7,)]
        finally:
            coodie.sync.close_coodie("borrowed-sync")
        with pytest.raises(ConfigurationError, match="no_such_keyspace_here"):
            connect(session=owner.session, loop=owner.loop, keyspace="no_such_keyspace_here")
        assert owner.execute(Statement("SELECT release_version FROM system.local")).rows
    finally:
        owner.close()


async def test_aio_init_with_a_borrowed_session_uses_the_keyspace(
    acsylla_hosts: list[str], acsylla_keyspace: str, table: str
) -> None:
    owner = await connect_async(hosts=acsylla_hosts)
    try:
        await coodie.aio.init_coodie(
            driver_type="acsylla",
            name="borrowed-aio",
            session=owner.session,
            keyspace=acsylla_keyspace,
        )
        try:
            page = await coodie.aio.execute(f"SELECT k FROM {table}", connection="borrowed-aio")
            assert [tuple(row) for row in page.rows] == [(7,)]
        finally:
            await coodie.aio.close_coodie("borrowed-aio")
        with pytest.raises(ConfigurationError, match="no_such_keyspace_here"):
            await connect_async(session=owner.session, keyspace="no_such_keyspace_here")
        probe = Statement("SELECT release_version FROM system.local")
        assert (await owner.execute_async(probe)).rows
    finally:
        await owner.close_async()
