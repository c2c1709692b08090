"""Connecting the catalog: keyspace, tables and indexes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.aio import close_coodie, init_coodie
from coodie_demo.models import Product, Review

if TYPE_CHECKING:
    from coodie.aio import Document
    from coodie_demo.settings import DemoSettings

__all__ = ["MODELS", "close_catalog", "open_catalog"]

MODELS: tuple[type[Document], ...] = (Product, Review)


async def open_catalog(settings: DemoSettings) -> list[str]:
    """Connect the default coodie connection to ``settings.keyspace``, creating the keyspace,
    the tables and their indexes when missing. Returns the DDL that ran (empty when the
    schema was already up to date)."""
    await init_coodie(
        hosts=list(settings.hosts),
        keyspace=settings.keyspace,
        create_keyspace={"replication_factor": settings.replication_factor},
        driver_type=settings.driver,
        page_token_key=settings.token_key,  # None: a random key per process
    )
    # The tables are synced here rather than by init_coodie(models=...), to report the DDL.
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
