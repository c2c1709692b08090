"""How a live table differs from its model: what ``sync_table()`` compares (no I/O).

The live side is what ``system_schema.columns`` and ``system_schema.tables`` report. Column
types and the primary key cannot be changed in place, so a difference there is a
:class:`~coodie.exceptions.SchemaError`; table options can, so a difference there is the list
of options to ``ALTER TABLE ... WITH``.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from coodie.exceptions import SchemaError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from coodie.drivers.statement import ResultPage
    from coodie.model.schema import ColumnDefinition, TableSchema

__all__ = [
    "COLUMNS_QUERY",
    "INDEXES_QUERY",
    "OPTIONS_QUERY",
    "LiveColumn",
    "changed_options",
    "check_drift",
    "live_columns",
    "page_dicts",
]

COLUMNS_QUERY = (
    "SELECT column_name, kind, position, clustering_order, type FROM system_schema.columns "
    "WHERE keyspace_name = ? AND table_name = ?"
)
INDEXES_QUERY = (
    "SELECT index_name FROM system_schema.indexes WHERE keyspace_name = ? AND table_name = ?"
)
OPTIONS_QUERY = "SELECT * FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?"

_FIX = (
    "Cassandra cannot change a column's type or a table's primary key in place: migrate the "
    "data to a new table (a new Settings.name), or change the model back to match the table."
)


class LiveColumn(NamedTuple):
    """One row of ``system_schema.columns``."""

    name: str
    kind: str  # partition_key, clustering, regular, static
    position: int
    clustering_order: str  # asc, desc, none
    type: str


def page_dicts(page: ResultPage) -> list[dict[str, Any]]:
    """The rows of a page as ``{column: value}``, whatever row class the driver uses."""
    columns = page.columns
    return [dict(zip(columns, row, strict=True)) for row in page.rows]


def live_columns(page: ResultPage) -> dict[str, LiveColumn]:
    """The columns of a live table by name, from a page of :data:`COLUMNS_QUERY`."""
    return {
        row["column_name"]: LiveColumn(
            row["column_name"],
            row["kind"],
            row["position"],
            row["clustering_order"],
            row["type"],
        )
        for row in page_dicts(page)
    }


_SPACES = re.compile(r"\s+")
_VARCHAR = re.compile(r"\bvarchar\b")


def _normal_type(cql: str) -> str:
    """A CQL type in one spelling: lower case, no spaces, ``varchar`` as ``text``."""
    return _VARCHAR.sub("text", _SPACES.sub("", cql.lower()))


def _declared_kind(column: ColumnDefinition) -> str:
    if column.is_partition_key:
        return "partition_key"
    if column.is_clustering_key:
        return "clustering"
    return "static" if column.static else "regular"


def _key_text(names: Sequence[str]) -> str:
    return "(" + ", ".join(names) + ")"


def check_drift(schema: TableSchema, keyspace: str, live: Mapping[str, LiveColumn]) -> None:
    """Raise SchemaError when the primary key or a declared column's type differs from
    the live table (columns the model does not declare are left alone)."""
    where = f"{schema.model_name}: the existing table {keyspace}.{schema.table}"
    missing_keys = [c.name for c in schema.primary_key if c.name not in live]
    if missing_keys:
        raise SchemaError(
            f"{where} lacks primary key columns {missing_keys}; a primary key cannot be "
            "altered. Drop the table (drop_table()) or use a new table name."
        )
    problems = _key_problems(schema, live)
    for column in schema.columns:
        found = live.get(column.name)
        if found is None:
            continue
        declared = column.cql_type.cql
        if _normal_type(found.type) != _normal_type(declared):
            problems.append(
                f"column {column.name!r} is {found.type} in the table, the model declares "
                f"{declared}"
            )
        elif found.kind in ("regular", "static") and found.kind != _declared_kind(column):
            problems.append(
                f"column {column.name!r} is {found.kind} in the table, the model declares it "
                f"{_declared_kind(column)}"
            )
    if problems:
        raise SchemaError(f"{where} differs from the model: {'; '.join(problems)}. {_FIX}")


def _key_problems(schema: TableSchema, live: Mapping[str, LiveColumn]) -> list[str]:
    problems = []
    partition = sorted((c for c in live.values() if c.kind == "partition_key"), key=_position)
    declared_partition = [c.name for c in schema.partition_keys]
    if [c.name for c in partition] != declared_partition:
        problems.append(
            f"the partition key is {_key_text([c.name for c in partition])} in the table, the "
            f"model declares {_key_text(declared_partition)}"
        )
    clustering = sorted((c for c in live.values() if c.kind == "clustering"), key=_position)
    live_order = [f"{c.name} {c.clustering_order.upper()}" for c in clustering]
    declared_order = [f"{c.name} {c.clustering_order}" for c in schema.clustering_keys]
    if live_order != declared_order:
        problems.append(
            f"the clustering columns are {_key_text(live_order)} in the table, the model "
            f"declares {_key_text(declared_order)}"
        )
    return problems


def _position(column: LiveColumn) -> int:
    return column.position


def changed_options(declared: Sequence[tuple[str, Any]], live: Mapping[str, Any]) -> list[str]:
    """Names of the declared table options whose live value differs.

    An option ``system_schema.tables`` does not report cannot be compared and is left out.
    A map option (``compaction``, ``caching``, ...) matches when every declared key has its
    value; Cassandra adds defaults for the others and qualifies class names.
    """
    changed = []
    for name, value in declared:
        if name not in live:
            continue
        if not _same_option(name, value, live[name]):
            changed.append(name)
    return changed


def _same_option(name: str, declared: Any, live: Any) -> bool:
    if isinstance(declared, dict):
        if live is None:
            return not declared
        items = live.items() if hasattr(live, "items") else live
        found = {str(k): str(v) for k, v in items}
        return all(_same_map_value(str(k), v, found.get(str(k))) for k, v in declared.items())
    if isinstance(declared, bool):
        # Cassandra 5 reports an option never set (cdc) as null: it is off.
        return bool((live is None and not declared) or live == declared)
    if live is None or isinstance(live, bool):
        return bool(declared == live)
    if isinstance(declared, (int, float)):
        return isinstance(live, (int, float)) and math.isclose(declared, live, rel_tol=1e-9)
    if isinstance(declared, str) and isinstance(live, str):
        if name in ("speculative_retry", "additional_write_policy"):
            return _percentile(declared) == _percentile(live)
        return declared == live
    return bool(declared == live)


def _same_map_value(key: str, declared: Any, live: str | None) -> bool:
    if live is None:
        return False
    text = ("true" if declared else "false") if isinstance(declared, bool) else str(declared)
    if key == "class":
        # Cassandra reports org.apache.cassandra.db.compaction.LeveledCompactionStrategy.
        return text == live or text.rsplit(".", 1)[-1] == live.rsplit(".", 1)[-1]
    return text == live or text.lower() == live.lower()


def _percentile(value: str) -> str:
    """``99PERCENTILE`` and ``99p`` are one setting: Cassandra stores the short form."""
    return value.strip().lower().replace("percentile", "p")
