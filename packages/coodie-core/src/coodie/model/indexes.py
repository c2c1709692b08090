"""What an ``Indexed(...)`` marker asks for, checked once per model (no I/O).

A legacy secondary index serves one equality (or CONTAINS) per query; a Storage-Attached
Index (``using="sai"``, Cassandra 5.0) serves several at once, ranges on numeric and
date/time columns, and ANN ordering on a vector column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.exceptions import SchemaError
from coodie.model.identifiers import check_identifier

if TYPE_CHECKING:
    from coodie.fields import Indexed
    from coodie.model.schema import ColumnDefinition

__all__ = [
    "SAI_RANGE_TYPES",
    "SIMILARITY_FUNCTIONS",
    "check_index",
    "index_fields",
    "similarity_of",
]

_TARGETS = ("keys", "values", "entries", "full")
#: What ``similarity_function`` may be, and the CQL function that scores by it.
SIMILARITY_FUNCTIONS = {
    "cosine": "similarity_cosine",
    "euclidean": "similarity_euclidean",
    "dot_product": "similarity_dot_product",
}
#: Column types whose SAI index serves ``<``, ``<=``, ``>``, ``>=`` (text and UUIDs only =).
SAI_RANGE_TYPES = frozenset(
    {
        "tinyint",
        "smallint",
        "int",
        "bigint",
        "varint",
        "float",
        "double",
        "decimal",
        "date",
        "time",
        "timestamp",
    }
)


def index_fields(owner: str, name: str, marker: Indexed) -> dict[str, Any]:
    """The ``ColumnDefinition`` fields of ``marker`` on column ``name`` of model ``owner``."""
    where = f"{owner}.{name}"
    fields: dict[str, Any] = {"indexed": True}
    if marker.index_name is not None:
        fields["index_name"] = check_identifier(marker.index_name, "index", owner)
    if marker.target is not None:
        if marker.target not in _TARGETS:
            raise SchemaError(
                f"{where}: Indexed(target={marker.target!r}) is invalid; use "
                '"keys", "values", "entries" or "full".'
            )
        fields["index_target"] = marker.target
    if marker.using is not None:
        if marker.using != "sai":
            raise SchemaError(
                f'{where}: Indexed(using={marker.using!r}) is invalid; use using="sai" for a '
                "Storage-Attached Index, or leave it out for a legacy secondary index."
            )
        fields["index_using"] = "sai"
    if marker.options:
        if marker.using is None:
            raise SchemaError(
                f'{where}: Indexed(options=...) needs using="sai"; legacy secondary indexes '
                "take no options."
            )
        fields["index_options"] = tuple(_option(where, k, v) for k, v in marker.options.items())
    return fields


def _option(where: str, key: Any, value: Any) -> tuple[str, str]:
    if not isinstance(key, str) or not isinstance(value, (str, bool)):
        raise SchemaError(
            f"{where}: Indexed(options={{{key!r}: {value!r}}}): SAI options are text, e.g. "
            '{"similarity_function": "cosine"} or {"case_sensitive": "false"}.'
        )
    text = ("true" if value else "false") if isinstance(value, bool) else value
    if key == "similarity_function" and text.lower() not in SIMILARITY_FUNCTIONS:
        raise SchemaError(
            f"{where}: similarity_function {text!r} is not one of "
            f"{', '.join(SIMILARITY_FUNCTIONS)}."
        )
    return check_identifier(key, "index option", where), text


def check_index(owner: str, column: ColumnDefinition) -> None:
    """What no index of ``column``'s type can be: checked when the model is built."""
    where = f"{owner}.{column.name}"
    t = column.cql_type
    target = column.index_target
    if target in ("keys", "values", "entries") and t.name != "map":
        raise SchemaError(
            f"{where}: Indexed(target=...) applies to map columns only (here {target!r}); a "
            "list or set index serves __contains without one."
        )
    if target == "full" and not (t.frozen and t.is_collection):
        raise SchemaError(
            f'{where}: Indexed(target="full") applies to frozen collections only; add '
            "Frozen() to the annotation or drop the target."
        )
    if column.indexed and t.is_counter:
        raise SchemaError(f"{where}: counter columns cannot be indexed.")
    if column.indexed and t.is_udt and not t.frozen:
        raise SchemaError(f"{where}: Cassandra cannot index a non-frozen UDT; add Frozen().")
    if t.name == "vector" and column.indexed and column.index_using != "sai":
        raise SchemaError(
            f'{where}: a vector column can only have a Storage-Attached Index: Indexed(using="sai"'
            ', options={"similarity_function": "cosine"}).'
        )
    options = dict(column.index_options)
    if "similarity_function" in options and t.name != "vector":
        raise SchemaError(
            f"{where}: the similarity_function option applies to Vector columns only."
        )


def similarity_of(column: ColumnDefinition) -> str:
    """The similarity function of a vector column's SAI index (Cassandra's default: cosine)."""
    return dict(column.index_options).get("similarity_function", "cosine").lower()
