"""init_coodie(models=..., create_keyspace=..., check_models=...) on the recording driver."""

from __future__ import annotations

from typing import Annotated, Any

import pytest

from coodie import connections
from coodie.exceptions import ConfigurationError, SchemaError
from coodie.fields import PrimaryKey
from coodie.plugins.registry import set_registry


@pytest.fixture
def real_plugins() -> Any:
    previous_driver = connections.unregister_driver()
    previous = set_registry(None)  # the real entry points, "recording" among them
    yield
    set_registry(previous)
    connections.unregister_driver()
    if previous_driver is not None:
        connections.register_driver(previous_driver)


def crate_model(api: Any) -> type:
    class Crate(api.module.Document):
        id: Annotated[int, PrimaryKey()]
        owner: str = ""

    return Crate


async def test_models_are_synced_once_connected(api: Any, real_plugins: None) -> None:
    crate = crate_model(api)
    driver = await api(
        api.module.init_coodie(hosts=["x"], driver_type="recording", keyspace="ks", models=[crate])
    )
    assert (
        driver.cql[-1]
        == "CREATE TABLE IF NOT EXISTS ks.crate (id int, owner text, PRIMARY KEY (id))"
    )


async def test_check_models_names_the_ddl_instead_of_running_it(
    api: Any, real_plugins: None
) -> None:
    crate = crate_model(api)
    with pytest.raises(SchemaError, match=r"Crate: CREATE TABLE IF NOT EXISTS ks\.crate") as raised:
        await api(
            api.module.init_coodie(
                hosts=["x"],
                driver_type="recording",
                keyspace="ks",
                models=[crate],
                check_models=True,
            )
        )
    assert "coodie migrate" in str(raised.value)
    # A failed startup leaves no half-ready connection behind.
    assert connections.DEFAULT not in connections.names()


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"create_keyspace": True}, "needs keyspace="),
        ({"create_keyspace": {"replicas": 3}, "keyspace": "ks"}, r"unknown option\(s\)"),
        ({"create_keyspace": 3, "keyspace": "ks"}, "give True or the keywords"),
    ],
)
async def test_bad_startup_options_are_refused_before_connecting(
    api: Any, real_plugins: None, options: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        await api(api.module.init_coodie(hosts=["x"], driver_type="recording", **options))
    assert connections.names() == [] or connections.DEFAULT not in connections.names()


async def test_a_model_that_is_no_model_is_refused(api: Any, real_plugins: None) -> None:
    with pytest.raises(ConfigurationError, match="is neither a Document"):
        await api(
            api.module.init_coodie(
                hosts=["x"], driver_type="recording", keyspace="ks", models=[int]
            )
        )
