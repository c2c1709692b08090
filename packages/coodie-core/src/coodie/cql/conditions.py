"""Filter keyword parsing (``price__gte=10``) and WHERE / IF clause rendering."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.model.identifiers import quote

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["OPERATORS", "render_conditions", "split_key", "token_expression"]

#: Filter suffix -> CQL operator.
OPERATORS: dict[str, str] = {
    "eq": "=",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "in": "IN",
    "contains": "CONTAINS",
    "contains_key": "CONTAINS KEY",
}


def split_key(key: str, columns: Iterable[str]) -> tuple[str, str]:
    """``"price__gte"`` -> ``("price", "gte")``; a bare column name means equality.

    The column name is returned even when unknown; the caller reports unknown names with the
    model's column list.
    """
    if key in columns:
        return key, "eq"
    name, sep, op = key.rpartition("__")
    if not sep:
        return key, "eq"
    if op == "key" and name.endswith("__contains"):
        return name[: -len("__contains")], "contains_key"
    return name, op


def render_conditions(conditions: Sequence[tuple[str, str]]) -> str:
    """``[("a", "eq"), ("b", "in")]`` -> ``a = ? AND b IN ?``; ``"addr.city"`` (a UDT
    field: column names never hold a dot) -> ``addr.city``."""
    return " AND ".join(f"{_target(name)} {OPERATORS[op]} ?" for name, op in conditions)


def _target(name: str) -> str:
    return ".".join(quote(part) for part in name.split("."))


def token_expression(partition_keys: Sequence[str]) -> str:
    return f"token({', '.join(quote(name) for name in partition_keys)})"
