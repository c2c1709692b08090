"""``sync_type()`` and ``drop_type()``: the schema of a user-defined type, asynchronously."""

from __future__ import annotations

from typing import Any

from coodie.api.runner import run_async
from coodie.api.user_types import drop_type_statement, sync_type_operation
from coodie.model.user_types import UserType

__all__ = ["UserType", "drop_type", "sync_type"]


async def sync_type(
    user_type: Any,
    *,
    keyspace: str | None = None,
    connection: str | None = None,
    dry_run: bool = False,
) -> list[str]:
    """CREATE the UserType (and the types it uses, first), or ALTER TYPE ... ADD the fields
    the live type lacks; returns the DDL that ran (``dry_run=True``: would run). A field
    whose type differs from the live one is a SchemaError. The keyspace: ``keyspace``, else
    the type's ``Settings.keyspace``, else the connection's."""
    driver, operation = sync_type_operation(user_type, keyspace, connection, dry_run)
    return await run_async(driver, operation)


async def drop_type(
    user_type: Any, *, keyspace: str | None = None, connection: str | None = None
) -> None:
    """``DROP TYPE IF EXISTS`` (Cassandra refuses while a table or another type uses it)."""
    driver, statement = drop_type_statement(user_type, keyspace, connection)
    await driver.execute_async(statement)
