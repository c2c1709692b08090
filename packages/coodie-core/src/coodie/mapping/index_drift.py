"""How a live SAI index differs from the one a model declares (no I/O).

``sync_table()`` finds indexes by name; for a model that declares SAI indexes it also reads
their kind and options (``system_schema.indexes``), since a legacy index or other options
under the same name would serve different queries than coodie's checks expect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coodie.drivers.statement import ResultPage
    from coodie.model.schema import TableSchema

__all__ = ["INDEX_OPTIONS_QUERY", "changed_indexes"]

INDEX_OPTIONS_QUERY = (
    "SELECT index_name, options FROM system_schema.indexes "
    "WHERE keyspace_name = ? AND table_name = ?"
)
#: What ``options['class_name']`` says of an SAI index (``USING 'sai'`` or the class name).
_SAI_CLASSES = ("sai", "storageattachedindex")


def changed_indexes(schema: TableSchema, page: ResultPage) -> dict[str, str]:
    """``{index name: what differs}`` for the model's SAI indexes that the table has
    under their name but as a legacy index or with other options."""
    live = {row[0]: _options(row[1]) for row in page.rows}
    changed: dict[str, str] = {}
    for column in schema.indexed_columns:
        name = schema.index_name(column)
        options = live.get(name)
        if column.index_using != "sai" or options is None:
            continue
        kind = options.get("class_name", "").rsplit(".", 1)[-1].lower()
        if kind not in _SAI_CLASSES:
            changed[name] = "it is a legacy secondary index in the table, the model declares SAI"
            continue
        different = [
            f"{key}={options.get(key)!r} in the table, {value!r} in the model"
            for key, value in column.index_options
            if options.get(key, "").lower() != value.lower()
        ]
        if different:
            changed[name] = "its options differ: " + "; ".join(different)
    return changed


def _options(value: Any) -> dict[str, str]:
    items = value.items() if hasattr(value, "items") else (value or ())
    return {str(k): str(v) for k, v in items}
