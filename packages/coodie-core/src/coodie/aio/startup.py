"""One-call startup: ``init_coodie(models=..., create_keyspace=...)`` ensures the keyspace and
syncs (or checks) the models once the connection is open."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from coodie import connections
from coodie.aio.user_types import sync_type
from coodie.api.document import mapper_of
from coodie.cql import ddl
from coodie.drivers.statement import Statement
from coodie.exceptions import ConfigurationError, SchemaError
from coodie.model.kinds import is_view
from coodie.model.user_types import UserType

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["ensure_keyspace", "prepare_models"]


def keyspace_options(keyspace: str | None, create: bool | Mapping[str, Any]) -> dict[str, Any]:
    """``create_keyspace=True`` (one replica, SimpleStrategy) or the create_keyspace()
    keywords (``{"replication_factor": 3}``, ``{"datacenters": {"dc1": 3}}``)."""
    if keyspace is None:
        raise ConfigurationError(
            "init_coodie(create_keyspace=...) needs keyspace=: name the keyspace to create."
        )
    if create is True:
        return {}
    if not isinstance(create, Mapping):
        raise ConfigurationError(
            f"init_coodie(create_keyspace={create!r}): give True or the keywords of "
            "create_keyspace(), e.g. {'replication_factor': 3}."
        )
    allowed = {"replication_factor", "strategy", "datacenters", "durable_writes"}
    unknown = set(create) - allowed
    if unknown:
        raise ConfigurationError(
            f"init_coodie(create_keyspace={dict(create)!r}): unknown option(s) "
            f"{sorted(unknown)}; use {sorted(allowed)} (those of create_keyspace())."
        )
    return dict(create)


async def ensure_keyspace(name: str, keyspace: str, options: Mapping[str, Any]) -> None:
    """``CREATE KEYSPACE IF NOT EXISTS`` on the connection ``name`` (opened without one)."""
    cql = ddl.create_keyspace(keyspace, **options)
    await connections.get_driver(name).execute_async(Statement(cql, prepare=False))


def _order(models: Sequence[type]) -> list[type]:
    """User-defined types, then tables, then views (a view needs its base table)."""
    return sorted(models, key=lambda m: 0 if issubclass(m, UserType) else 2 if is_view(m) else 1)


async def prepare_models(name: str, models: Sequence[type], *, check: bool) -> None:
    """Sync every model on connection ``name`` (``check``: only compare, and raise a
    SchemaError naming what would change)."""
    driver = connections.get_driver(name)
    pending: list[str] = []
    for model in _order(models):
        if not isinstance(model, type):
            raise ConfigurationError(f"init_coodie(models=...): {model!r} is not a model class.")
        if issubclass(model, UserType):
            planned = await sync_type(model, connection=name, dry_run=check)
        else:
            if not hasattr(model, "coodie_schema"):
                raise ConfigurationError(
                    f"init_coodie(models=...): {model.__name__} is neither a Document, a "
                    "MaterializedView nor a UserType."
                )
            if mapper_of(cast("Any", model)).driver is not driver:
                raise ConfigurationError(
                    f"init_coodie(models=...): {model.__name__} uses another connection than "
                    f"{name!r} (its Settings.connection); sync it with that connection."
                )
            if is_view(model):
                planned = await model.sync_view(dry_run=check)  # type: ignore[attr-defined]
            else:
                planned = await model.sync_table(dry_run=check)  # type: ignore[attr-defined]
        pending += [f"{model.__name__}: {cql}" for cql in planned]
    if check and pending:
        raise SchemaError(
            "init_coodie(check_models=True): the live schema differs from the models; run "
            "a migration (coodie migrate) or sync_table(). It would run:\n  " + "\n  ".join(pending)
        )
