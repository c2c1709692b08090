"""Fixtures for users' own tests: a connected coodie, a throw-away keyspace, synced models.

coodie is imported only when one of these fixtures runs, so the plugin (and the launcher)
keep working without it. ``coodie_aio_connection`` needs pytest-asyncio
(``pip install 'pytest-coodie[aio]'``).
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator, Sequence

    from .handle import ClusterHandle

DEFAULT_DRIVER = "cassandra"
ADMIN_CONNECTION = "pytest-coodie-admin"
MODELS_MARKER = "coodie_models"
_MAX_KEYSPACE = 48  # Cassandra's limit on keyspace names


def add_options(parser: pytest.Parser) -> None:
    """Register the fixtures' command-line and ini options (driver choice)."""
    parser.getgroup("coodie").addoption(
        "--coodie-driver",
        default=None,
        metavar="NAME",
        help="coodie driver plugin the coodie_connection fixtures use "
        f"(default: ini coodie_driver, else {DEFAULT_DRIVER})",
    )
    parser.addini("coodie_driver", "coodie driver plugin of the connection fixtures", default="")


def keyspace_name(module_name: str, suffix: str | None = None) -> str:
    """A unique, valid keyspace name that tells which test module made it."""
    base = re.sub(r"[^a-z0-9_]+", "_", module_name.rsplit(".", 1)[-1].lower()).strip("_")
    suffix = suffix or uuid.uuid4().hex[:10]
    room = _MAX_KEYSPACE - len("t__") - len(suffix)
    return f"t_{base[:room]}_{suffix}" if base else f"t_{suffix}"


def markers_models(node: pytest.Item) -> list[type]:
    """Models named by every ``coodie_models`` marker of the test (closest first), once each.

    A marker takes a list (``coodie_models([Item])``): pytest would apply a marker called
    with one class to that class instead of recording it.
    """
    models: list[type] = []
    for marker in node.iter_markers(MODELS_MARKER):
        for arg in marker.args:
            for model in arg if isinstance(arg, (list, tuple)) else (arg,):
                if model not in models:
                    models.append(model)
    return models


def _import_coodie() -> Any:
    try:
        import coodie.aio
        import coodie.sync
    except ImportError as exc:  # pragma: no cover - coodie is there in our own runs
        raise pytest.UsageError(
            "the coodie_* connection fixtures need coodie: pip install 'coodie[cassandra]'"
        ) from exc
    return coodie


def _login(cluster: ClusterHandle) -> dict[str, str]:
    if cluster.credentials is None:
        return {}
    user, password = cluster.credentials
    return {"username": user, "password": password}


@pytest.fixture(scope="session")
def coodie_driver_type(pytestconfig: pytest.Config) -> str:
    """Driver plugin of the connection fixtures: ``--coodie-driver`` / ini ``coodie_driver``."""
    value = pytestconfig.getoption("--coodie-driver") or str(pytestconfig.getini("coodie_driver"))
    return value.strip() or DEFAULT_DRIVER


@pytest.fixture(scope="session")
def coodie_connect_options(coodie_cluster: ClusterHandle) -> dict[str, Any]:
    """Keyword arguments every fixture connection passes to ``init_coodie`` (hosts and
    login); override it to add options (timeouts, ``local_dc``, ...)."""
    return {"hosts": coodie_cluster.hosts, **_login(coodie_cluster)}


@pytest.fixture(scope="session")
def _coodie_admin(coodie_driver_type: str, coodie_connect_options: dict[str, Any]) -> Iterator[str]:
    """A sync connection without a keyspace that creates and drops the throw-away ones."""
    coodie = _import_coodie()
    driver = coodie.sync.init_coodie(
        driver_type=coodie_driver_type, name=ADMIN_CONNECTION, **coodie_connect_options
    )
    try:
        yield ADMIN_CONNECTION
    finally:
        coodie.connections.unregister_driver(ADMIN_CONNECTION)
        driver.close()


@pytest.fixture(scope="module")
def coodie_keyspace(request: pytest.FixtureRequest, _coodie_admin: str) -> Iterator[str]:
    """A keyspace of this test module alone (unique name, one replica), dropped after it."""
    coodie = _import_coodie()
    name = keyspace_name(request.module.__name__ if request.module else "tests")
    coodie.sync.create_keyspace(name, replication_factor=1, connection=_coodie_admin)
    try:
        yield name
    finally:
        coodie.sync.drop_keyspace(name, connection=_coodie_admin)


@pytest.fixture
def coodie_models(request: pytest.FixtureRequest) -> Sequence[type]:
    """Models the connection fixtures sync before the test: those of the
    ``@pytest.mark.coodie_models([...])`` markers; override the fixture to return your own."""
    return markers_models(request.node)


@pytest.fixture(scope="module")
def _coodie_sync_driver(
    coodie_driver_type: str, coodie_connect_options: dict[str, Any], coodie_keyspace: str
) -> Iterator[Any]:
    """One sync connection per test module (connecting per test would cost seconds)."""
    coodie = _import_coodie()
    driver = coodie.sync.init_coodie(
        keyspace=coodie_keyspace, driver_type=coodie_driver_type, **coodie_connect_options
    )
    try:
        yield driver
    finally:
        if coodie.connections.registered.get(coodie.connections.DEFAULT) is driver:
            coodie.connections.unregister_driver()
        driver.close()


@pytest.fixture
def coodie_connection(_coodie_sync_driver: Any, coodie_models: Sequence[type]) -> Any:
    """The default ``coodie.sync`` connection (its keyspace: ``coodie_keyspace``), with
    ``coodie_models`` synced; the driver is returned."""
    coodie = _import_coodie()
    from coodie.sync import startup

    if coodie.connections.registered.get(coodie.connections.DEFAULT) is not _coodie_sync_driver:
        coodie.connections.register_driver(_coodie_sync_driver)  # an aio test replaced it
    startup.prepare_models(coodie.connections.DEFAULT, list(coodie_models), check=False)
    return _coodie_sync_driver


async def _aio_connection(
    driver_type: str, options: dict[str, Any], keyspace: str, models: Sequence[type]
) -> AsyncIterator[Any]:
    coodie = _import_coodie()
    driver = await coodie.aio.init_coodie(
        keyspace=keyspace, driver_type=driver_type, models=list(models), **options
    )
    try:
        yield driver
    finally:
        if coodie.connections.registered.get(coodie.connections.DEFAULT) is driver:
            coodie.connections.unregister_driver()
        await driver.close_async()


async def _aio_fixture(
    coodie_driver_type: str,
    coodie_connect_options: dict[str, Any],
    coodie_keyspace: str,
    coodie_models: Sequence[type],
) -> AsyncIterator[Any]:
    """The default ``coodie.aio`` connection (its keyspace: ``coodie_keyspace``), with
    ``coodie_models`` synced; opened in the test's event loop, closed after the test."""
    async for driver in _aio_connection(
        coodie_driver_type, coodie_connect_options, coodie_keyspace, coodie_models
    ):
        yield driver


def _aio_missing() -> Any:
    """Stands in for the aio fixture when pytest-asyncio is not installed."""
    raise pytest.UsageError(
        "coodie_aio_connection needs pytest-asyncio: pip install 'pytest-coodie[aio]'"
    )


def _make_aio_fixture() -> Any:
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover - exercised only without the extra
        return pytest.fixture(_aio_missing, name="coodie_aio_connection")
    return pytest_asyncio.fixture(_aio_fixture, name="coodie_aio_connection")


coodie_aio_connection = _make_aio_fixture()
