"""One-call startup: init_coodie(create_keyspace=..., models=[...], check_models=...)."""

from __future__ import annotations

from typing import Annotated, Any

import pytest

import coodie.aio
import coodie.sync
from coodie.exceptions import ConfigurationError, SchemaError
from coodie.fields import ClusteringKey, PrimaryKey

pytestmark = pytest.mark.integration

NAME = "it-startup"


def models(api: Any, *, extra_column: bool = False) -> list[type]:
    class Origin(api.module.UserType):
        country: str
        city: str | None = None

    class Crate(api.Document):
        id: Annotated[int, PrimaryKey()]
        owner: str = ""
        origin: Origin | None = None
        if extra_column:
            weight: int = 0
        Settings = type("Settings", (), {"name": "crates", "connection": NAME})

    class CrateByOwner(api.module.MaterializedView):
        owner: Annotated[str, PrimaryKey()]
        id: Annotated[int, ClusteringKey()]
        Settings = type("Settings", (), {"name": "crates_by_owner", "base": Crate})

    # Out of order on purpose: types first and views last is init_coodie's job.
    return [CrateByOwner, Crate, Origin]


async def test_create_keyspace_and_sync_models_in_one_call(
    api: Any, coodie_contact_points: list[str]
) -> None:
    keyspace = f"it_startup_{api.driver_type}_{api.kind}"
    await api(api.module.drop_keyspace(keyspace, connection=api.connection))
    connect = {"hosts": coodie_contact_points, "driver_type": api.driver_type, "name": NAME}
    view, crate, origin = models(api)
    try:
        await api(
            api.module.init_coodie(
                keyspace=keyspace, create_keyspace=True, models=[view, crate, origin], **connect
            )
        )
        await api(crate(id=1, owner="ana", origin=origin(country="pt")).save())
        assert (await api(crate.get(id=1))).origin == origin(country="pt")
        rows = (
            await api(
                api.module.execute(
                    "SELECT view_name FROM system_schema.views WHERE keyspace_name = ?",
                    [keyspace],
                    connection=NAME,
                )
            )
        ).rows
        assert rows == [("crates_by_owner",)]
        await api(api.module.close_coodie(NAME))

        # The same models again: checking finds nothing to change.
        await api(
            api.module.init_coodie(keyspace=keyspace, models=[crate], check_models=True, **connect)
        )
        await api(api.module.close_coodie(NAME))

        # A column the table lacks: check_models names the DDL instead of running it.
        changed = models(api, extra_column=True)[1]
        with pytest.raises(SchemaError, match=r"Crate: ALTER TABLE .*crates ADD weight int"):
            await api(
                api.module.init_coodie(
                    keyspace=keyspace, models=[changed], check_models=True, **connect
                )
            )
    finally:
        await api(api.module.close_coodie(NAME))
        await api(api.module.drop_keyspace(keyspace, connection=api.connection))


async def test_create_keyspace_needs_a_keyspace(api: Any, coodie_contact_points: list[str]) -> None:
    with pytest.raises(ConfigurationError, match="needs keyspace="):
        await api(
            api.module.init_coodie(
                hosts=coodie_contact_points,
                driver_type=api.driver_type,
                name=NAME,
                create_keyspace=True,
            )
        )
    with pytest.raises(ConfigurationError, match=r"unknown option\(s\) \['replicas'\]"):
        await api(
            api.module.init_coodie(
                hosts=coodie_contact_points,
                keyspace="it_startup_never",
                driver_type=api.driver_type,
                name=NAME,
                create_keyspace={"replicas": 3},
            )
        )


def test_both_apis_expose_the_startup_keywords() -> None:
    import inspect

    for module in (coodie.sync, coodie.aio):
        params = inspect.signature(module.init_coodie).parameters
        assert {"models", "create_keyspace", "check_models"} <= set(params)
