"""Schema statements of user-defined types: CREATE TYPE, ALTER TYPE ... ADD, DROP TYPE."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.model.identifiers import quote

if TYPE_CHECKING:
    from coodie.model.user_types import UserTypeField, UserTypeSchema

__all__ = ["alter_type_add", "create_type", "drop_type"]


def _field_spec(field: UserTypeField) -> str:
    return f"{quote(field.name)} {field.cql_type.cql}"


def create_type(schema: UserTypeSchema, keyspace: str) -> str:
    """``CREATE TYPE IF NOT EXISTS`` for the user type of ``schema`` in ``keyspace``."""
    fields = ", ".join(_field_spec(f) for f in schema.fields)
    return f"CREATE TYPE IF NOT EXISTS {schema.qualified(keyspace)} ({fields})"


def alter_type_add(schema: UserTypeSchema, keyspace: str, field: UserTypeField) -> str:
    """``ALTER TYPE ... ADD`` for ``field``."""
    return f"ALTER TYPE {schema.qualified(keyspace)} ADD {_field_spec(field)}"


def drop_type(schema: UserTypeSchema, keyspace: str) -> str:
    """``DROP TYPE IF EXISTS`` for the user type of ``schema``."""
    return f"DROP TYPE IF EXISTS {schema.qualified(keyspace)}"
