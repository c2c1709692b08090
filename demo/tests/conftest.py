"""Fixtures of the demo's integration tests: the app on a real node, for each driver."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from coodie_demo.app import create_app
from coodie_demo.settings import DRIVERS


def keyspace_for(driver: str) -> str:
    return f"coodie_demo_it_{driver}"


@pytest.fixture(params=DRIVERS)
def driver(
    request: pytest.FixtureRequest,
    coodie_contact_points: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """The environment the app reads, pointing at the test node and a test keyspace."""
    name: str = request.param
    monkeypatch.setenv("COODIE_HOSTS", ",".join(coodie_contact_points))
    monkeypatch.setenv("COODIE_KEYSPACE", keyspace_for(name))
    monkeypatch.setenv("COODIE_DRIVER", name)
    monkeypatch.delenv("COODIE_DEMO_TOKEN_KEY", raising=False)
    return name


@pytest.fixture
async def app(driver: str) -> AsyncIterator[FastAPI]:
    """The app built from the environment, with its lifespan running (connected, schema
    synced)."""
    app = create_app()
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://catalog.test") as client:
        yield client
