"""Write statements: INSERT, UPDATE, DELETE, BATCH."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.cql.conditions import render_conditions, render_if_conditions
from coodie.model.identifiers import quote

if TYPE_CHECKING:
    from collections.abc import Sequence

    from coodie.model.schema import TableSchema

__all__ = ["batch_cql", "delete", "insert", "update", "using_clause"]


def using_clause(ttl: bool, timestamp: bool) -> str:
    """`` USING TTL ? AND TIMESTAMP ?`` (either part, or empty): both values are bound."""
    parts = (["TTL ?"] if ttl else []) + (["TIMESTAMP ?"] if timestamp else [])
    return f" USING {' AND '.join(parts)}" if parts else ""


def _key_clause(schema: TableSchema) -> str:
    return render_conditions([(c.name, "eq") for c in schema.primary_key])


def _if_clause(if_exists: bool, if_conditions: Sequence[tuple[str, str]]) -> str:
    if if_exists:
        return " IF EXISTS"
    if if_conditions:
        return f" IF {render_if_conditions(if_conditions)}"
    return ""


def insert(
    schema: TableSchema,
    columns: Sequence[str],
    *,
    if_not_exists: bool = False,
    ttl: bool = False,
    timestamp: bool = False,
) -> str:
    """``INSERT INTO t (cols) VALUES (?...) [IF NOT EXISTS] [USING TTL ? AND TIMESTAMP ?]``."""
    names = ", ".join(quote(c) for c in columns)
    markers = ", ".join("?" for _ in columns)
    cql = f"INSERT INTO {schema.qualified_table} ({names}) VALUES ({markers})"
    if if_not_exists:
        cql += " IF NOT EXISTS"
    return cql + using_clause(ttl, timestamp)


def update(
    schema: TableSchema,
    assignments: Sequence[tuple[str, str]],
    *,
    ttl: bool = False,
    timestamp: bool = False,
    if_exists: bool = False,
    if_conditions: Sequence[tuple[str, str]] = (),
) -> str:
    """``UPDATE t [USING ...] SET ... WHERE <primary key> [IF ...]``.

    ``assignments`` are ``(column, kind)`` with kind ``set`` (``c = ?``), ``add``
    (``c = c + ?``: counters, collection append/union), ``remove`` (``c = c - ?``) or
    ``.field`` (``c.field = ?``: one field of a user-defined type).
    ``set_at`` (``c[?] = ?``: one list element).
    """
    parts = []
    for name, kind in assignments:
        q = quote(name)
        if kind == "set":
            parts.append(f"{q} = ?")
        elif kind == "add":
            parts.append(f"{q} = {q} + ?")
        elif kind == "prepend":
            parts.append(f"{q} = ? + {q}")
        elif kind.startswith("."):  # one field of a non-frozen UDT
            parts.append(f"{q}.{quote(kind[1:])} = ?")
        elif kind == "set_at":
            parts.append(f"{q}[?] = ?")
        else:
            parts.append(f"{q} = {q} - ?")
    return (
        f"UPDATE {schema.qualified_table}{using_clause(ttl, timestamp)} SET {', '.join(parts)} "
        f"WHERE {_key_clause(schema)}{_if_clause(if_exists, if_conditions)}"
    )


def delete(
    schema: TableSchema,
    *,
    columns: Sequence[str] = (),
    where: Sequence[tuple[str, str]] | None = None,
    timestamp: bool = False,
    if_exists: bool = False,
    if_conditions: Sequence[tuple[str, str]] = (),
) -> str:
    """``DELETE [cols] FROM t [USING TIMESTAMP ?] WHERE ... [IF ...]``.

    ``where`` defaults to the full primary key (a single row).
    """
    selected = f" {', '.join(quote(c) for c in columns)}" if columns else ""
    clause = _key_clause(schema) if where is None else render_conditions(where)
    return (
        f"DELETE{selected} FROM {schema.qualified_table}{using_clause(False, timestamp)} "
        f"WHERE {clause}{_if_clause(if_exists, if_conditions)}"
    )


def batch_cql(
    statements: Sequence[str], batch_type: str = "LOGGED", timestamp: bool = False
) -> str:
    """The CQL text of a batch (drivers send batches natively; this is its text form)."""
    kind = "" if batch_type == "LOGGED" else f"{batch_type} "
    body = " ".join(f"{s};" for s in statements)
    return f"BEGIN {kind}BATCH{using_clause(False, timestamp)} {body} APPLY BATCH"
