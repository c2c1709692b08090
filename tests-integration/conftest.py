"""Fixtures of the integration suite: a real node, each installed driver, each API.

Every test runs for ``coodie.sync`` and ``coodie.aio`` and for every driver in DRIVERS.
Tests are written once as coroutines; :class:`Api` awaits results only for coodie.aio.
"""

from __future__ import annotations

import inspect
import uuid
from typing import TYPE_CHECKING, Any

import pytest

import coodie.aio
import coodie.sync
from coodie import connections

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

DRIVERS = ["cassandra", "acsylla"]
APIS = ["sync", "aio"]


class Api:
    """One of coodie's two APIs, with helpers to write a test once for both."""

    def __init__(self, kind: str, driver_type: str) -> None:
        self.kind = kind
        self.driver_type = driver_type
        self.module: Any = coodie.sync if kind == "sync" else coodie.aio
        self.Document: Any = self.module.Document
        self.BatchQuery: Any = self.module.BatchQuery
        self.connection = f"it-{driver_type}"
        self.keyspace = f"it_{driver_type}_{kind}"

    async def __call__(self, value: Any) -> Any:
        """``await api(Model.get(...))`` works for both APIs."""
        return await value if inspect.isawaitable(value) else value

    async def iterate(self, query: Any) -> list[Any]:
        if self.kind == "sync":
            return list(iter(query))
        return [doc async for doc in query]

    def settings(self, **extra: Any) -> type:
        """A Settings class bound to this run's keyspace and connection."""
        attrs = {"keyspace": self.keyspace, "connection": self.connection, **extra}
        return type("Settings", (), attrs)

    def table(self, prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session", params=DRIVERS)
def driver_type(request: pytest.FixtureRequest, coodie_contact_points: list[str]) -> Iterator[str]:
    name: str = request.param
    driver = coodie.sync.init_coodie(
        hosts=coodie_contact_points, driver_type=name, name=f"it-{name}"
    )
    for kind in APIS:
        coodie.sync.create_keyspace(f"it_{name}_{kind}", connection=f"it-{name}")
    yield name
    connections.unregister_driver(f"it-{name}")
    driver.close()


@pytest.fixture(params=APIS)
def api(request: pytest.FixtureRequest, driver_type: str) -> Api:
    return Api(request.param, driver_type)


@pytest.fixture
async def cleanup(api: Api) -> AsyncIterator[list[Any]]:
    """Models appended here get their table dropped after the test."""
    models: list[Any] = []
    yield models
    for model in models:
        await api(model.drop_table())
