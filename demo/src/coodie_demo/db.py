"""Connecting the catalog: keyspace, tables and indexes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.aio import close_coodie, create_keyspace, init_coodie
from coodie_demo.models import Product, Review

if TYPE_CHECKING:
    from coodie.aio import Document
    from coodie_demo.settings import DemoSettings

__all__ = ["MODELS", "close_catalog", "open_catalog"]

MODELS: tuple[type[Document], ...] = (Product, Review)

# A short-lived connection without a keyspace creates the keyspace before the real one
# connects to it (a driver session cannot start in a keyspace that does not exist yet).
_SETUP_CONNECTION = "coodie-demo-setup"


async def open_catalog(settings: DemoSettings) -> list[str]:
    """Connect the default coodie connection to ``settings.keyspace``, creating the keyspace,
    the tables and their indexes when missing. Returns the DDL that ran (empty when the
    schema was already up to date)."""
    hosts = list(settings.hosts)
    await init_coodie(hosts=hosts, driver_type=settings.driver, name=_SETUP_CONNECTION)
    try:
        await create_keyspace(
            settings.keyspace,
            replication_factor=settings.replication_factor,
            connection=_SETUP_CONNECTION,
        )
    finally:
        await close_coodie(_SETUP_CONNECTION)
    await init_coodie(
        hosts=hosts,
        keyspace=settings.keyspace,
        driver_type=settings.driver,
        page_token_key=settings.token_key,  # None: a random key per process
    )
    try:
        ddl: list[str] = []
        for model in MODELS:
            ddl.extend(await model.sync_table())
    except BaseException:
        await close_coodie()
        raise
    return ddl


async def close_catalog() -> None:
    await close_coodie()
