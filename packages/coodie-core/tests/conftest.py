"""Shared fixtures of coodie-core's unit tests (no database).

* ``driver``: a RecordingDriver registered as the default connection for one test.
* ``api``: runs a behaviour test once with ``coodie.sync`` and once with ``coodie.aio``;
  ``await api(x)`` awaits ``x`` when the aio API returned an awaitable, so one test body
  serves both. ``api.m`` holds the test models defined on that API's Document class.
"""

import contextlib
import datetime as dt
import functools
import inspect
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace
from typing import Annotated, Any
from uuid import UUID

import pytest
from pydantic import Field

import coodie.aio
import coodie.sync
from coodie import connections
from coodie.fields import ClusteringKey, Counter, Indexed, PrimaryKey
from coodie.plugins.registry import DriverRegistry, set_registry
from coodie.testing import RecordingDriver


@functools.cache
def build_models(module_name: str) -> SimpleNamespace:
    """The models the behaviour tests use, defined on ``coodie.<module_name>.Document``."""
    base: Any = coodie.sync.Document if module_name == "sync" else coodie.aio.Document

    class Product(base):
        id: Annotated[UUID, PrimaryKey()]
        name: str
        price: float = 0.0
        category: Annotated[str, Indexed()] = "misc"
        tags: set[str] = Field(default_factory=set)
        description: str | None = None

    class Review(base):
        product_id: Annotated[UUID, PrimaryKey()]
        region: Annotated[str, PrimaryKey(partition_key_index=1)]
        created_at: Annotated[dt.datetime, ClusteringKey(order="DESC")]
        author: Annotated[str, ClusteringKey(clustering_key_index=1)]
        rating: int = 0
        body: str | None = None

    class PageView(base):
        page: Annotated[str, PrimaryKey()]
        views: Annotated[int, Counter()] = 0
        clicks: Annotated[int, Counter()] = 0

    return SimpleNamespace(Product=Product, Review=Review, PageView=PageView)


class Api:
    """One of the two public APIs, with helpers that hide the sync/async difference."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.is_async = name == "aio"
        self.module: Any = coodie.aio if self.is_async else coodie.sync
        self.m = build_models(name)

    def __repr__(self) -> str:
        return f"Api({self.name})"

    async def __call__(self, value: Any) -> Any:
        """The result of an API call: awaited for aio, as is for sync."""
        if self.is_async:
            assert inspect.isawaitable(value), f"aio call returned {value!r}, not an awaitable"
            return await value
        assert not inspect.isawaitable(value), "sync call returned an awaitable"
        return value

    async def collect(self, queryset: Any) -> list[Any]:
        """Iterate a QuerySet the API's way (``for`` / ``async for``)."""
        if self.is_async:
            return [doc async for doc in queryset]
        return [doc for doc in queryset]  # noqa: C416 - exercise __iter__ explicitly

    @contextlib.asynccontextmanager
    async def batch(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        """``with BatchQuery(...)`` or ``async with BatchQuery(...)``."""
        batch = self.module.BatchQuery(*args, **kwargs)
        if self.is_async:
            async with batch as entered:
                yield entered
        else:
            with batch as entered:
                yield entered


@pytest.fixture(params=["sync", "aio"])
def api(request: pytest.FixtureRequest) -> Api:
    return Api(request.param)


@pytest.fixture
def driver() -> Iterator[RecordingDriver]:
    """A RecordingDriver (keyspace ``test``) registered as the default connection."""
    previous = connections.unregister_driver()
    recording = RecordingDriver()
    connections.register_driver(recording)
    yield recording
    connections.unregister_driver()
    if previous is not None:
        connections.register_driver(previous)


@pytest.fixture
def no_connection() -> Iterator[None]:
    """No connection registered at all during the test."""
    saved = {name: connections.unregister_driver(name) for name in connections.names()}
    yield
    for name in connections.names():  # whatever the test registered
        connections.unregister_driver(name)
    for name, registered in saved.items():
        if registered is not None:
            connections.register_driver(registered, name)


@pytest.fixture
def registry() -> Iterator[DriverRegistry]:
    """An empty DriverRegistry (no entry points) swapped in as the process-wide one."""
    fresh = DriverRegistry(entry_points=list)
    previous = set_registry(fresh)
    yield fresh
    set_registry(previous)
