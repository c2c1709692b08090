"""The conformance suite on examples/session_driver.py: a third-party-style driver over
cassandra-driver's Session built only from core's public helpers (coodie.drivers.kit)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from coodie.connect import build_connect_options
from coodie.drivers import Statement
from coodie.plugins.registry import get_registry
from coodie.testing.conformance import DriverConformanceSuite

if TYPE_CHECKING:
    from collections.abc import Iterator

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "session_driver.py"
KEYSPACE = "it_driverkit_conformance"
PLUGIN = "coodie-driver-kit-session"


def load_example() -> Any:
    spec = importlib.util.spec_from_file_location("session_driver", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["session_driver"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def kit_driver(coodie_contact_points: list[str]) -> Iterator[Any]:
    example = load_example()
    registry = get_registry()
    registry.register(example, PLUGIN, distribution="kit-session-example", version="0")

    def connect(keyspace: str | None) -> Any:
        options = {"request_timeout": 60}
        return example.connect(
            build_connect_options(coodie_contact_points, None, keyspace, options)
        )

    bootstrap = connect(None)
    try:
        bootstrap.execute(
            Statement(
                f"CREATE KEYSPACE IF NOT EXISTS {KEYSPACE} WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': 1}",
                prepare=False,
            )
        )
    finally:
        bootstrap.close()
    driver = connect(KEYSPACE)
    yield driver
    driver.close()
    registry.unregister(PLUGIN)


@pytest.mark.integration
class TestKitSessionDriverConformance(DriverConformanceSuite):
    @pytest.fixture
    def driver(self, kit_driver: Any) -> Any:
        return kit_driver
