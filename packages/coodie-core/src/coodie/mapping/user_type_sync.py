"""``sync_type()`` and the UDT part of ``sync_table()``: each UserType a model uses is
created, or given the fields it lacks, before the table (no I/O: operations yield their
statements, as :mod:`coodie.mapping.tables` does).

A field whose type differs from the live type's is a SchemaError: CQL cannot change a
field's type in place.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from coodie.cql import user_types as ddl
from coodie.drivers.statement import Statement
from coodie.exceptions import SchemaError
from coodie.mapping.schema_drift import page_dicts
from coodie.model.user_types import type_schema, user_types_of

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable

    from coodie.drivers.statement import BatchStatement, ResultPage
    from coodie.model.types import CqlType

__all__ = ["TYPES_QUERY", "plan_types", "type_plan"]

TYPES_QUERY = (
    "SELECT field_names, field_types FROM system_schema.types "
    "WHERE keyspace_name = ? AND type_name = ?"
)

_SPACES = re.compile(r"\s+")


def _normal(cql: str) -> str:
    return _SPACES.sub("", cql.lower()).replace("varchar", "text")


def type_plan(
    cls: Any, keyspace: str
) -> Generator[Statement | BatchStatement, ResultPage, list[str]]:
    """The DDL that brings UserType ``cls`` (not the types it uses) up to date in
    ``keyspace``: one CREATE TYPE, or an ALTER TYPE ... ADD per new field."""
    schema = type_schema(cls)
    rows = page_dicts((yield Statement(TYPES_QUERY, [keyspace, schema.name])))
    if not rows:
        return [ddl.create_type(schema, keyspace)]
    live = dict(zip(rows[0]["field_names"] or (), rows[0]["field_types"] or (), strict=True))
    problems = [
        f"field {f.name!r} is {live[f.name]} in the type, the model declares {f.cql_type.cql}"
        for f in schema.fields
        if f.name in live and _normal(live[f.name]) != _normal(f.cql_type.cql)
    ]
    if problems:
        raise SchemaError(
            f"{schema.model_name}: the existing type {keyspace}.{schema.name} differs from the "
            f"model: {'; '.join(problems)}. CQL cannot change a field's type in place: add a "
            "field under a new name, or change the model back to match the type."
        )
    return [ddl.alter_type_add(schema, keyspace, f) for f in schema.fields if f.name not in live]


def plan_types(
    types: Iterable[CqlType], keyspace: str
) -> Generator[Statement | BatchStatement, ResultPage, list[str]]:
    """The DDL for every UserType the CQL ``types`` use, nested types first."""
    planned: list[str] = []
    for cls in user_types_of(types):
        planned += yield from type_plan(cls, keyspace)
    return planned
