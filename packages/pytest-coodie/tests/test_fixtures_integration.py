"""The users' fixtures against a real node: users' test modules run by pytester (in a
subprocess, so a driver or event loop of the inner run cannot leak into this one).

Run with ``COODIE_TEST_HOSTS`` pointing at a node (the inner runs take it from there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import coodie.sync

if TYPE_CHECKING:
    from pathlib import Path

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.integration

DRIVERS = ["cassandra", "acsylla"]
INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"

SYNC_MODULE = """
import pytest
from typing import Annotated
from coodie import PrimaryKey
from coodie.sync import Document

class Item(Document):
    id: Annotated[int, PrimaryKey()]
    name: str

pytestmark = pytest.mark.coodie_models([Item])

def test_save_and_find(coodie_connection, coodie_keyspace):
    Item(id=1, name="one").save()
    assert Item.get(id=1).name == "one"
    assert coodie_connection.keyspace == coodie_keyspace
    with open({record!r}, "a") as f:
        f.write(coodie_keyspace + "\\n")

def test_same_keyspace_in_the_module(coodie_connection, coodie_keyspace):
    assert Item.get(id=1).name == "one"  # the row of the first test: one keyspace per module
    with open({record!r}, "a") as f:
        f.write(coodie_keyspace + "\\n")
"""

AIO_MODULE = """
import pytest
from coodie.aio import Document
from typing import Annotated
from coodie import PrimaryKey

class Thing(Document):
    id: Annotated[int, PrimaryKey()]
    label: str

@pytest.fixture
def coodie_models():
    return [Thing]

@pytest.mark.asyncio
async def test_save_and_find(coodie_aio_connection, coodie_keyspace):
    await Thing(id=7, label="seven").save()
    assert (await Thing.get(id=7)).label == "seven"
    assert coodie_aio_connection.keyspace == coodie_keyspace
    with open({record!r}, "a") as f:
        f.write(coodie_keyspace + "\\n")
"""


def keyspaces(hosts: list[str]) -> set[str]:
    """The node's keyspaces (read with the cassandra driver: which one does not matter)."""
    coodie.sync.init_coodie(hosts=hosts, driver_type="cassandra", name="fixtures-check")
    try:
        page = coodie.sync.execute(
            "SELECT keyspace_name FROM system_schema.keyspaces", connection="fixtures-check"
        )
        return {row[0] for row in page.rows}
    finally:
        coodie.sync.close_coodie("fixtures-check")


@pytest.mark.parametrize("driver_type", DRIVERS)
def test_user_modules_get_connection_keyspace_and_models(
    pytester: pytest.Pytester, tmp_path: Path, driver_type: str, coodie_contact_points: list[str]
) -> None:
    record = tmp_path / "keyspaces.txt"
    pytester.makepyfile(
        test_sync_user=SYNC_MODULE.format(record=str(record)),
        test_aio_user=AIO_MODULE.format(record=str(record)),
    )
    pytester.makeini(INI + "asyncio_mode = strict\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--coodie-driver", driver_type)
    result.assert_outcomes(passed=3)
    aio_ks, sync_ks, sync_ks_again = record.read_text().split()  # aio module sorts first
    assert sync_ks == sync_ks_again
    assert aio_ks != sync_ks
    assert aio_ks.startswith("t_test_aio_user_")
    assert sync_ks.startswith("t_test_sync_user_")
    left = keyspaces(coodie_contact_points)
    assert "system" in left
    assert not {aio_ks, sync_ks} & left  # dropped after their module


def test_a_model_that_does_not_fit_fails_the_test_not_the_session(
    pytester: pytest.Pytester, coodie_contact_points: list[str]
) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.coodie_models([int])
        def test_bad(coodie_connection):
            pass

        def test_good(coodie_connection):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ConfigurationError*not a model class*"])
