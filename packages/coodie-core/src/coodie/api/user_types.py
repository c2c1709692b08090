"""What ``sync_type()`` and ``drop_type()`` of both APIs share: the keyspace and the plans."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie import connections
from coodie.cql import user_types as ddl
from coodie.drivers.statement import Statement
from coodie.exceptions import ConfigurationError, SchemaError
from coodie.mapping.user_type_sync import plan_types
from coodie.model.user_types import UserType, type_schema

if TYPE_CHECKING:
    from coodie.drivers.base import AbstractDriver
    from coodie.mapping import Operation

__all__ = ["drop_type_statement", "sync_type_operation"]


def _target(
    user_type: Any, keyspace: str | None, connection: str | None
) -> tuple[AbstractDriver, str]:
    if not (isinstance(user_type, type) and issubclass(user_type, UserType)):
        raise SchemaError(
            f"{user_type!r} is not a UserType; pass the class, e.g. sync_type(Address)."
        )
    schema = type_schema(user_type)
    driver = connections.get_driver(connection)
    found = keyspace or schema.keyspace or driver.keyspace
    if found is None:
        raise ConfigurationError(
            f"{schema.model_name}: no keyspace. Pass keyspace=..., set Settings.keyspace on "
            "the UserType or pass keyspace=... to init_coodie()."
        )
    return driver, found


def sync_type_operation(
    user_type: Any, keyspace: str | None, connection: str | None, dry_run: bool
) -> tuple[AbstractDriver, Operation[list[str]]]:
    """The driver and the operation that creates or alters ``user_type`` (and the types it uses);
    with ``dry_run`` it only plans the DDL."""
    driver, target = _target(user_type, keyspace, connection)

    def operation() -> Operation[list[str]]:
        planned = yield from plan_types([user_type.__coodie_cql_type__(frozen=True)], target)
        if not dry_run:
            for cql in planned:
                yield Statement(cql, prepare=False)
        return planned

    return driver, operation()


def drop_type_statement(
    user_type: Any, keyspace: str | None, connection: str | None
) -> tuple[AbstractDriver, Statement]:
    """The driver and the ``DROP TYPE IF EXISTS`` statement for ``user_type``."""
    driver, target = _target(user_type, keyspace, connection)
    return driver, Statement(ddl.drop_type(type_schema(user_type), target), prepare=False)
