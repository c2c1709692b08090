"""Immutable query state, its filters and values checked against the schema (no I/O).

``QuerySet`` objects of both APIs hold a :class:`QueryState`; every chained call returns a
new state. The checks of a whole query per statement kind are in :mod:`coodie.query.checks`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, NamedTuple, get_args

from coodie.cql.conditions import OPERATORS, split_key
from coodie.exceptions import InvalidQueryError
from coodie.model.types import unwrap_optional
from coodie.query.cql_limits import key_problem
from coodie.query.timeuuid import TimeUUIDBound, check_timeuuid_bound
from coodie.query.value_checks import Checker, build_checker

if TYPE_CHECKING:
    from collections.abc import Mapping

    from coodie.drivers.statement import Consistency
    from coodie.model.schema import ColumnDefinition, TableSchema
    from coodie.query.ann import AnnOrder

__all__ = [
    "QueryState",
    "RowForm",
    "WriteCondition",
    "add_filters",
    "checked_value",
    "checker_for",
    "exact_class",
    "project",
]

#: What a query hands out per row: model instances (``partial``: holding only the selected
#: fields, see ``only()``), or the decoded values as a tuple, a dict, or the bare value of a
#: one-column query; ``scored``: ``(document, similarity)``.
RowForm = Literal["document", "partial", "tuple", "dict", "flat", "scored"]
#: The LWT condition a QuerySet's write carries (``IF EXISTS`` / ``IF NOT EXISTS``).
WriteCondition = Literal["exists", "not_exists", None]

_OP_ORDER = {op: i for i, op in enumerate(OPERATORS)}
MIN_TOKEN = -(2**63)
MAX_TOKEN = 2**63 - 1


class QueryState(NamedTuple):
    """What a query asks for. Filters are ``(column, op, value)`` in a canonical order.

    A named tuple, not a frozen dataclass: every chained QuerySet call makes a new state,
    and a tuple is built in one C call (a 16-field frozen dataclass took 1.4 us to make and
    3.5 us to copy with ``dataclasses.replace``; this takes 0.2 and 0.35).
    """

    filters: tuple[tuple[str, str, Any], ...] = ()
    limit: int | None = None
    order_by: tuple[tuple[str, bool], ...] = ()
    allow_filtering: bool = False
    per_partition_limit: int | None = None
    token_start: int | None = None
    token_end: int | None = None
    fetch_size: int | None = None
    consistency: Consistency | None = None
    #: The Paxos level of a conditional ``QuerySet.update()``.
    serial_consistency: Consistency | None = None
    timeout: float | None = None
    #: Columns to SELECT (``None``: all of the model's, in table order).
    columns: tuple[str, ...] | None = None
    row_form: RowForm = "document"
    #: SELECT DISTINCT: one row per partition (partition key and static columns only).
    distinct: bool = False
    #: ``if_exists()`` / ``if_not_exists()``: the condition of this query's write.
    write_condition: WriteCondition = None
    #: ``order_by_ann()``: ORDER BY a vector column ANN OF a vector (and its score).
    ann: AnnOrder | None = None

    def conditions(self) -> tuple[tuple[str, str], ...]:
        """``(column, op)`` of each filter; a time-UUID bound's op names its function
        (``gt:maxTimeuuid``), as it changes the CQL text."""
        return tuple(
            [
                (name, f"{op}:{value.function}" if isinstance(value, TimeUUIDBound) else op)
                for name, op, value in self.filters
            ]
        )

    def with_(self, **changes: Any) -> QueryState:
        """A copy with ``changes`` applied (the state is immutable).

        Half the cost of ``_replace``, which goes through every field by name.
        """
        values = list(self)
        for name, value in changes.items():
            try:
                values[_FIELD_INDEX[name]] = value
            except KeyError:
                raise TypeError(f"QueryState has no field {name!r}") from None
        return _new_tuple(QueryState, values)


#: Field name -> position, for QueryState.with_().
_FIELD_INDEX = {name: i for i, name in enumerate(QueryState._fields)}
_new_tuple = tuple.__new__


def unknown_column(schema: TableSchema, name: str, what: str = "column") -> InvalidQueryError:
    known = ", ".join(schema.column_names)
    return InvalidQueryError(
        f"{schema.model_name} has no {what} {name!r}. Its columns are: {known}."
    )


def checker_for(schema: TableSchema, column: ColumnDefinition, op: str) -> Checker:
    """Value checker of ``column`` for operator ``op``, built once per (column, op kind)."""
    kind = op if op in ("contains", "contains_key") else "value"
    key = (column.name, kind)
    checker = schema.checkers.get(key)
    if checker is None:
        annotation = column.value_annotation
        cql_type = column.cql_type
        if kind != "value":
            args = get_args(_plain(column.annotation))
            annotation = args[0] if args else Any
            cql_type = cql_type.params[0]
            if kind == "contains" and column.cql_type.name == "map":
                annotation = get_args(_plain(column.annotation))[1]
                cql_type = column.cql_type.params[1]
            checker = build_checker(schema.model_name, column, annotation, cql_type)
        else:
            rule = key_problem(schema, column, writing=False)
            checker = build_checker(schema.model_name, column, annotation, cql_type, rule)
        schema.checkers[key] = checker
    return checker


def exact_class(column: ColumnDefinition) -> type | None:
    """The class a value of ``column`` has when it needs no validation (None: always check)."""
    annotation = column.value_annotation
    return annotation if isinstance(annotation, type) else None


def _plain(annotation: Any) -> Any:
    inner, _ = unwrap_optional(annotation)
    return inner


def add_filters(schema: TableSchema, state: QueryState, filters: Mapping[str, Any]) -> QueryState:
    """Parse ``name__op=value`` keywords, validate them, and merge them into ``state``."""
    merged = {(name, op): value for name, op, value in state.filters}
    by_name = schema.by_name
    for key, value in filters.items():
        name, op = split_key(key, by_name)
        column = by_name.get(name)
        if column is None:
            raise unknown_column(schema, name)
        if op not in OPERATORS:
            ops = ", ".join(f"__{o}" for o in OPERATORS if o != "eq")
            raise InvalidQueryError(
                f"{schema.model_name}: unknown filter operator {op!r} in {key!r}. Use a bare "
                f"column name for equality or one of: {ops}."
            )
        cql_type = column.cql_type
        if op in ("eq", "in") and cql_type.is_collection and not cql_type.frozen:
            raise InvalidQueryError(
                f"{schema.model_name}.{name}: a non-frozen {cql_type.cql} column cannot "
                f"be filtered as a whole; use {name}__contains=... (or declare it Frozen())."
            )
        if cql_type.fields and not cql_type.frozen:
            raise InvalidQueryError(
                f"{schema.model_name}.{name}: Cassandra cannot filter on a non-frozen "
                f"user-defined type ({cql_type.cql}); declare the column Frozen()."
            )
        if isinstance(value, TimeUUIDBound):
            merged[(name, op)] = check_timeuuid_bound(schema.model_name, column, op, value)
            continue
        merged[(name, op)] = checked_value(schema, column, op, value)
    if len(merged) == 1:  # most queries: nothing to order
        [((name, op), value)] = merged.items()
        return state.with_(filters=((name, op, value),))
    ordered = sorted(
        merged.items(), key=lambda kv: (by_name[kv[0][0]].position, _OP_ORDER[kv[0][1]])
    )
    return state.with_(filters=tuple([(name, op, value) for (name, op), value in ordered]))


def project(
    schema: TableSchema, state: QueryState, columns: tuple[str, ...], form: RowForm, method: str
) -> QueryState:
    """``state`` reading only ``columns`` (all when empty) as rows of ``form``."""
    model = schema.model_name
    for name in columns:
        if not isinstance(name, str):
            raise InvalidQueryError(
                f"{model}: {method}() takes column names as strings, got {name!r}."
            )
        if name not in schema.by_name:
            raise unknown_column(schema, name)
    repeated = sorted({n for n in columns if columns.count(n) > 1})
    if repeated:
        raise InvalidQueryError(
            f"{model}: {method}() names {', '.join(map(repr, repeated))} more than once; "
            "list each column once."
        )
    if form == "flat" and len(columns) != 1:
        raise InvalidQueryError(
            f"{model}: {method}(flat=True) needs exactly one column, got {len(columns)}; pass "
            "one name, or drop flat=True to get tuples."
        )
    return state.with_(columns=columns or schema.column_names, row_form=form)


def checked_value(schema: TableSchema, column: ColumnDefinition, op: str, value: Any) -> Any:
    """``value`` checked against ``column`` for operator ``op`` (and converted): InvalidQueryError
    when Cassandra would refuse it."""
    where = f"{schema.model_name}.{column.name}"
    cql_type = column.cql_type
    if op in ("contains", "contains_key"):
        if not cql_type.is_collection:
            raise InvalidQueryError(
                f"{where}: __{op} needs a list, set or map column, but {column.name} is "
                f"{cql_type.cql}. Use {column.name}={value!r} for equality."
            )
        if op == "contains_key" and cql_type.name != "map":
            raise InvalidQueryError(
                f"{where}: __contains_key needs a map column, but {column.name} is "
                f"{cql_type.cql}; use __contains for lists and sets."
            )
        return checker_for(schema, column, op)(value)
    if cql_type.is_counter:
        raise InvalidQueryError(
            f"{where}: counter columns cannot be filtered on; read the rows and compare in Python."
        )
    if op in ("gt", "gte", "lt", "lte") and cql_type.is_collection:
        raise InvalidQueryError(f"{where}: range operators do not apply to collection columns.")
    check = checker_for(schema, column, "eq")
    if op == "in":
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise InvalidQueryError(
                f"{where}: __in needs a list of values, e.g. {column.name}__in=[a, b], not "
                f"{value!r}."
            )
        items = [check(v) for v in value]
        if not items:
            raise InvalidQueryError(f"{where}: __in got an empty list; it would match nothing.")
        return items
    return check(value)
