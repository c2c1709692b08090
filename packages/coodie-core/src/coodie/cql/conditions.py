"""Filter keyword parsing (``price__gte=10``) and WHERE / IF clause rendering."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.model.identifiers import quote

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "IF_OPERATORS",
    "OPERATORS",
    "render_conditions",
    "render_if_conditions",
    "split_key",
    "token_expression",
]

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

#: IF condition suffix -> CQL operator (LWT conditions take ``!=``, filters do not).
IF_OPERATORS: dict[str, str] = {
    "eq": "=",
    "ne": "!=",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "in": "IN",
}
#: What a WHERE value marker becomes for an operator that wraps its value in a CQL function
#: (``("created", "gt:maxTimeuuid")`` -> ``created > maxTimeuuid(?)``).
_FUNCTION_SEPARATOR = ":"


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


def _condition(name: str, op: str) -> str:
    op, _, function = op.partition(_FUNCTION_SEPARATOR)
    marker = f"{function}(?)" if function else "?"
    return f"{quote(name)} {OPERATORS[op]} {marker}"


def render_conditions(conditions: Sequence[tuple[str, str]]) -> str:
    """``[("a", "eq"), ("b", "in")]`` -> ``a = ? AND b IN ?``; an operator ``gt:fn`` binds its
    value through the CQL function ``fn`` (``b > fn(?)``)."""
    return " AND ".join(_condition(name, op) for name, op in conditions)


def _if_target(target: str) -> str:
    """A condition's target: a column (``price``), an element of a list or map (``tags[]``,
    rendered ``tags[?]``) or a field of a UDT (``addr.city``)."""
    if target.endswith("[]"):
        return f"{quote(target[:-2])}[?]"
    return ".".join(quote(part) for part in target.split("."))


def render_if_conditions(conditions: Sequence[tuple[str, str]]) -> str:
    """``[("a", "ne"), ("tags[]", "eq")]`` -> ``a != ? AND tags[?] = ?``."""
    return " AND ".join(f"{_if_target(t)} {IF_OPERATORS[op]} ?" for t, op in conditions)


def token_expression(partition_keys: Sequence[str]) -> str:
    """``token(k1, k2, ...)`` over the quoted partition key columns."""
    return f"token({', '.join(quote(name) for name in partition_keys)})"
