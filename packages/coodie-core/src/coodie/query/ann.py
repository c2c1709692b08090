"""ANN search (``ORDER BY v ANN OF ? LIMIT ?``) checked against the schema (no I/O).

Cassandra 5.0 orders by similarity only on a vector column with an SAI index, always with
a LIMIT, with no other ordering and no per-partition limit; the filters beside it must
each be served by an SAI index, or be the partition key restricted by ``=``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from coodie.exceptions import InvalidQueryError
from coodie.model.indexes import SIMILARITY_FUNCTIONS, similarity_of
from coodie.query.sai import sai_serves
from coodie.query.state import checker_for, unknown_column

if TYPE_CHECKING:
    from coodie.model.schema import TableSchema
    from coodie.query.state import QueryState

__all__ = ["AnnOrder", "Similarity", "ann_order", "check_ann", "scored"]

Similarity = Literal["cosine", "euclidean", "dot_product"]


class AnnOrder(NamedTuple):
    """``ORDER BY column ANN OF vector``, and the CQL function of the score to read beside
    each row (``similarity_cosine``, ...), or None for documents alone."""

    column: str
    vector: list[Any]
    score: str | None = None


def ann_order(schema: TableSchema, name: str, vector: Any) -> AnnOrder:
    """The ANN ordering of ``order_by_ann(name, vector)``, its column and vector checked."""
    model = schema.model_name
    column = schema.by_name.get(name)
    if column is None:
        raise unknown_column(schema, name)
    if column.cql_type.name != "vector":
        raise InvalidQueryError(
            f"{model}: order_by_ann({name!r}, ...) needs a Vector column, but {name} is "
            f"{column.cql_type.cql}; declare it Annotated[list[float], Vector(n)]."
        )
    if column.index_using != "sai":
        raise InvalidQueryError(
            f"{model}: order_by_ann({name!r}, ...) needs an SAI index on {name}: declare it "
            f'Annotated[list[float], Vector({column.cql_type.size}), Indexed(using="sai")] and '
            "run sync_table()."
        )
    if vector is None:
        raise InvalidQueryError(f"{model}: order_by_ann({name!r}, None) needs a query vector.")
    return AnnOrder(name, checker_for(schema, column, "eq")(vector))


def scored(schema: TableSchema, ann: AnnOrder | None, function: Similarity | None) -> AnnOrder:
    """``ann`` that also reads the similarity score by ``function`` (default: the one the
    column's index was built with)."""
    model = schema.model_name
    if ann is None:
        raise InvalidQueryError(
            f"{model}: with_similarity() scores an ANN search; call "
            "order_by_ann(column, vector) first."
        )
    if function is None:
        function = similarity_of(schema.by_name[ann.column])  # type: ignore[assignment]
    cql = SIMILARITY_FUNCTIONS.get(str(function))
    if cql is None:
        raise InvalidQueryError(
            f"{model}: with_similarity({function!r}) is not one of "
            f"{', '.join(map(repr, SIMILARITY_FUNCTIONS))}."
        )
    return ann._replace(score=cql)


def check_ann(schema: TableSchema, state: QueryState) -> None:
    """Raise InvalidQueryError for an ANN query Cassandra would refuse, naming the fix."""
    ann = state.ann
    if ann is None:
        return
    model = schema.model_name
    if state.limit is None:
        raise InvalidQueryError(
            f"{model}: an ANN search (order_by_ann) needs a limit: add .limit(k) for the k "
            "nearest rows."
        )
    if state.order_by or state.per_partition_limit is not None or state.distinct:
        raise InvalidQueryError(
            f"{model}: order_by_ann() cannot be combined with order_by(), "
            "per_partition_limit() or distinct(); Cassandra orders an ANN search by "
            "similarity alone."
        )
    ops_by_column: dict[str, list[str]] = {}
    for name, op, _ in state.filters:
        ops_by_column.setdefault(name, []).append(op)
    partition = {c.name for c in schema.partition_keys}
    pk_by_eq = partition <= ops_by_column.keys() and all(
        ops == ["eq"] for n, ops in ops_by_column.items() if n in partition
    )
    unserved = [
        name
        for name, ops in ops_by_column.items()
        if not sai_serves(schema.by_name[name], ops) and not (pk_by_eq and name in partition)
    ]
    if unserved:
        raise InvalidQueryError(
            f"{model}: an ANN search can only filter on columns an SAI index serves, or on "
            f"the whole partition key by =; {', '.join(unserved)} is neither (ALLOW FILTERING "
            'does not help): add Indexed(using="sai") to it or drop the filter.'
        )
