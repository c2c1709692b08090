"""Checks of a query against the schema, per statement kind (no I/O): what Cassandra would
refuse or what would be ambiguous is an InvalidQueryError naming the fix, before anything
is sent. A SELECT, a COUNT, a DELETE or an UPDATE by query each have their own rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.exceptions import InvalidQueryError
from coodie.query.sai import contains_served, sai_serves
from coodie.query.state import unknown_column

if TYPE_CHECKING:
    from coodie.model.schema import TableSchema
    from coodie.query.state import QueryState

__all__ = [
    "check_delete",
    "check_distinct",
    "check_limits",
    "check_select",
    "check_select_shape",
    "update_key",
]

_RANGE = ("gt", "gte", "lt", "lte")


def check_select(schema: TableSchema, state: QueryState, *, for_count: bool = False) -> None:
    """Raise InvalidQueryError for a SELECT that Cassandra would refuse or that is ambiguous."""
    check_limits(schema, state)
    check_select_shape(schema, state, for_count=for_count)


def check_limits(schema: TableSchema, state: QueryState) -> None:
    """The part of :func:`check_select` that looks at values: the limits are positive ints."""
    limit = state.limit
    if limit is not None and (type(limit) is not int or limit < 1):
        raise InvalidQueryError(f"{schema.model_name}: limit({limit!r}) must be a positive int.")
    ppl = state.per_partition_limit
    if ppl is not None and (type(ppl) is not int or ppl < 1):
        raise InvalidQueryError(
            f"{schema.model_name}: per_partition_limit({ppl!r}) must be a positive int."
        )


def check_select_shape(schema: TableSchema, state: QueryState, *, for_count: bool = False) -> None:
    """The rest of :func:`check_select`: what depends only on the query's shape (which
    columns are filtered by which operators, the flags and the order), never on values, so
    one check per shape is enough (``Reads.select`` keeps the shapes that passed)."""
    model = schema.model_name
    ops_by_column: dict[str, list[str]] = {}
    for name, op, _ in state.filters:
        ops_by_column.setdefault(name, []).append(op)

    partition_names = [c.name for c in schema.partition_keys]
    restricted_pk = [n for n in partition_names if n in ops_by_column]
    pk_complete = len(restricted_pk) == len(partition_names) and all(
        op in ("eq", "in") for n in partition_names for op in ops_by_column[n]
    )
    tokened = state.token_start is not None or state.token_end is not None
    if tokened and restricted_pk:
        raise InvalidQueryError(
            f"{model}: token_range() scans ranges of the ring and cannot be combined with "
            f"partition key filters ({', '.join(restricted_pk)}); drop one of them."
        )

    needs_filtering: list[str] = []
    if restricted_pk and not pk_complete:
        needs_filtering.append(
            f"the partition key ({', '.join(partition_names)}) is only partly restricted or "
            "restricted by a range"
        )
    # Clustering columns: a prefix may be restricted; a range ends the prefix.
    prefix_open = True
    for column in schema.clustering_keys:
        ops = ops_by_column.get(column.name)
        if not ops:
            prefix_open = False
            continue
        if sai_serves(column, ops):  # served by its index, not by the clustering order
            prefix_open = False
            continue
        if not prefix_open:
            needs_filtering.append(
                f"clustering column {column.name!r} is restricted but an earlier clustering "
                "column is not"
            )
        if any(op in _RANGE for op in ops):
            prefix_open = False
        # A token range does not select partitions the way key equality does: Cassandra
        # still wants ALLOW FILTERING for a clustering restriction beside it.
        if not pk_complete:
            needs_filtering.append(
                f"clustering column {column.name!r} is restricted without the full partition key"
            )
    indexed_used = False
    # A legacy index serves no query that an SAI index serves too (checked on 5.0.9).
    sai_used = any(
        sai_serves(schema.by_name[name], ops)
        for name, ops in ops_by_column.items()
        if not schema.by_name[name].is_primary_key
    )
    for name, ops in ops_by_column.items():
        column = schema.by_name[name]
        if column.is_primary_key or sai_serves(column, ops):
            continue
        served = (
            column.indexed
            and column.index_using is None
            and all(
                op == "eq" or (op in ("contains", "contains_key") and contains_served(column, op))
                for op in ops
            )
        )
        if served and not indexed_used and not sai_used:
            indexed_used = True
            continue
        reason = "is not indexed" if not column.indexed else "cannot use its index for this"
        if served and sai_used:
            reason = "has a legacy index, which Cassandra cannot use beside an SAI index"
        needs_filtering.append(f"column {name!r} is not part of the primary key and {reason}")
    if needs_filtering and not state.allow_filtering:
        raise InvalidQueryError(
            f"{model}: this query needs allow_filtering() because "
            + "; ".join(needs_filtering)
            + ". Filtering scans data and can be slow: add allow_filtering() if that is "
            "acceptable, filter on the partition key, or add Indexed() to the column."
        )

    if state.order_by and not for_count:
        _check_order(schema, state, pk_complete)


def _check_order(schema: TableSchema, state: QueryState, pk_complete: bool) -> None:
    model = schema.model_name
    clustering = [c.name for c in schema.clustering_keys]
    for name, _ in state.order_by:
        if name not in schema.by_name:
            raise unknown_column(schema, name)
        if name not in clustering:
            hint = (
                f"its clustering columns are {', '.join(clustering)}"
                if clustering
                else "it has no clustering columns (sort in Python instead)"
            )
            raise InvalidQueryError(
                f"{model}: cannot ORDER BY {name!r}: only clustering columns can be ordered, "
                f"and {hint}."
            )
    if not pk_complete:
        raise InvalidQueryError(
            f"{model}: ORDER BY needs the partition key restricted with = or __in; filter on "
            f"{', '.join(c.name for c in schema.partition_keys)} first."
        )
    in_keys = [n for n, op, _ in state.filters if op == "in" and schema.by_name[n].is_partition_key]
    if in_keys:
        raise InvalidQueryError(
            f"{model}: Cassandra cannot page a query that combines ORDER BY with __in on the "
            f"partition key ({', '.join(in_keys)}); query each partition separately or sort "
            "the results in Python."
        )
    names = [name for name, _ in state.order_by]
    if names != clustering[: len(names)]:
        raise InvalidQueryError(
            f"{model}: ORDER BY must follow the clustering order {', '.join(clustering)} from "
            f"the first column on; got {', '.join(names)}."
        )
    declared = [schema.by_name[n].clustering_order == "DESC" for n in names]
    wanted = [desc for _, desc in state.order_by]
    reversed_ = [not d for d in declared]
    if wanted not in (declared, reversed_):
        raise InvalidQueryError(
            f"{model}: ORDER BY must use the declared clustering order or its exact reverse "
            "for every column; mixed directions are not supported by Cassandra."
        )


def check_delete(schema: TableSchema, state: QueryState) -> None:
    """A DELETE by query needs the whole partition key; only key columns may be filtered."""
    model = schema.model_name
    if state.limit is not None or state.order_by or state.per_partition_limit is not None:
        raise InvalidQueryError(
            f"{model}: delete() of a query cannot use limit(), order_by() or "
            "per_partition_limit(); Cassandra deletes by key."
        )
    if state.token_start is not None or state.token_end is not None:
        raise InvalidQueryError(f"{model}: delete() cannot use token_range().")
    names = {name for name, _, _ in state.filters}
    for name in names:
        if not schema.by_name[name].is_primary_key:
            raise InvalidQueryError(
                f"{model}: delete() can only filter on primary key columns; {name!r} is not one."
            )
    missing = [c.name for c in schema.partition_keys if c.name not in names]
    if missing:
        raise InvalidQueryError(
            f"{model}: delete() needs the full partition key; add filters for {', '.join(missing)}."
        )
    for name, op, _ in state.filters:
        if schema.by_name[name].is_partition_key and op not in ("eq", "in"):
            raise InvalidQueryError(
                f"{model}: delete() restricts partition key {name!r} with __{op}; use = or __in."
            )


def update_key(schema: TableSchema, state: QueryState, action: str = "update") -> dict[str, Any]:
    """The primary key an UPDATE by query addresses: every key column filtered by equality
    (and nothing else), as ``{column: checked value}``."""
    model = schema.model_name
    verb = "updates" if action == "update" else "writes"
    if (
        state.limit is not None
        or state.order_by
        or state.per_partition_limit is not None
        or state.token_start is not None
        or state.token_end is not None
    ):
        raise InvalidQueryError(
            f"{model}: {action}() of a query cannot use limit(), order_by(), "
            "per_partition_limit() or token_range(); Cassandra "
            f"{verb} one row by its key."
        )
    key: dict[str, Any] = {}
    for name, op, value in state.filters:
        column = schema.by_name[name]
        if not column.is_primary_key:
            raise InvalidQueryError(
                f"{model}: {action}() of a query can only filter on primary key columns; "
                f"{name!r} is not one."
            )
        if op != "eq":
            raise InvalidQueryError(
                f"{model}: {action}() of a query needs {name}=<value>, not __{op}; it "
                f"{verb} exactly one row. {verb[:-1].capitalize()} the rows one by one instead."
            )
        key[name] = value
    missing = [c.name for c in schema.primary_key if c.name not in key]
    if missing:
        raise InvalidQueryError(
            f"{model}: {action}() of a query needs the whole primary key; add filters for "
            f"{', '.join(missing)}."
        )
    return key


def check_distinct(schema: TableSchema, state: QueryState) -> None:
    """SELECT DISTINCT reads one row per partition: only partition key and static columns,
    the whole partition key among them, filtered by partition key or token range only."""
    model = schema.model_name
    columns = state.columns or schema.column_names
    partition = [c.name for c in schema.partition_keys]
    other = [
        n
        for n in columns
        if not schema.by_name[n].is_partition_key and not schema.by_name[n].static
    ]
    if other:
        raise InvalidQueryError(
            f"{model}: distinct() reads one row per partition, so it can only select partition "
            f"key and static columns; drop {', '.join(other)} from values_list()/values()."
        )
    missing = [n for n in partition if n not in columns]
    if missing:
        raise InvalidQueryError(
            f"{model}: distinct() must select the whole partition key; add "
            f"{', '.join(missing)} to values_list()/values()."
        )
    filtered = [n for n, _, _ in state.filters if not schema.by_name[n].is_partition_key]
    if filtered:
        raise InvalidQueryError(
            f"{model}: distinct() can only filter on the partition key (or use token_range()); "
            f"{', '.join(sorted(set(filtered)))} is not part of it."
        )
    if state.order_by or state.per_partition_limit is not None:
        raise InvalidQueryError(
            f"{model}: distinct() cannot use order_by() or per_partition_limit(); partitions "
            "come in token order, one row each."
        )
