"""Table schema of a Document model, built and checked once per class.

The schema is the single description of a table that CQL building, query validation, row
hydration and DDL all read; it also holds the per-model cache of CQL text by statement shape.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from coodie.exceptions import CoodieWarning, SchemaError
from coodie.fields import ClusteringKey, Indexed, PrimaryKey, Static
from coodie.model.identifiers import check_identifier, quote
from coodie.model.indexes import check_index, index_fields
from coodie.model.types import CqlType, cql_type_for, unwrap_optional

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["ColumnDefinition", "TableSchema", "build_schema", "snake_case"]


@dataclass(frozen=True, slots=True)
class ColumnDefinition:
    """One column of a table, derived from one model field."""

    name: str
    cql_type: CqlType
    annotation: Any
    #: The type a value must have, with its constraints (e.g. TinyInt's range), without
    #: Optional: what filter and update values are validated against.
    value_annotation: Any
    position: int
    partition_key_index: int | None = None
    clustering_key_index: int | None = None
    clustering_order: str = "ASC"
    indexed: bool = False
    index_name: str | None = None
    index_target: str | None = None
    #: ``"sai"`` for a Storage-Attached Index, None for a legacy secondary index.
    index_using: str | None = None
    index_options: tuple[tuple[str, str], ...] = ()
    static: bool = False
    optional: bool = False
    required: bool = True

    @property
    def quoted(self) -> str:
        """The column name as a quoted CQL identifier."""
        return quote(self.name)

    @property
    def is_partition_key(self) -> bool:
        """Whether the column is part of the partition key."""
        return self.partition_key_index is not None

    @property
    def is_clustering_key(self) -> bool:
        """Whether the column is a clustering column."""
        return self.clustering_key_index is not None

    @property
    def is_primary_key(self) -> bool:
        """Whether the column is part of the primary key (partition or clustering)."""
        return self.partition_key_index is not None or self.clustering_key_index is not None

    @property
    def is_counter(self) -> bool:
        """Whether the column is a counter."""
        return self.cql_type.is_counter


@dataclass(slots=True, eq=False)
class TableSchema:
    """Everything coodie knows about a model's table. Built by :func:`build_schema`."""

    model_name: str
    table: str
    keyspace: str | None
    connection: str | None
    columns: tuple[ColumnDefinition, ...]
    partition_keys: tuple[ColumnDefinition, ...]
    clustering_keys: tuple[ColumnDefinition, ...]
    by_name: dict[str, ColumnDefinition]
    is_counter_table: bool
    #: ``WITH`` options from ``Settings.options`` as (name, CQL literal) pairs.
    table_options: tuple[tuple[str, str], ...] = ()
    #: The same options as given (Python values), what sync_table() compares with the table.
    option_values: tuple[tuple[str, Any], ...] = ()
    #: CQL text by statement shape, filled lazily by the mapper.
    cql_cache: dict[Any, str] = field(default_factory=dict)
    #: Value checkers by (column, kind), filled lazily by coodie.query.state.
    checkers: dict[tuple[str, str], Any] = field(default_factory=dict)

    @property
    def primary_key(self) -> tuple[ColumnDefinition, ...]:
        """The partition key columns, then the clustering columns."""
        return self.partition_keys + self.clustering_keys

    @property
    def qualified_table(self) -> str:
        """``keyspace.table`` when the model names a keyspace, else the bare table."""
        if self.keyspace is None:
            return quote(self.table)
        return f"{quote(self.keyspace)}.{quote(self.table)}"

    @property
    def column_names(self) -> tuple[str, ...]:
        """Every column name, in declaration order."""
        return tuple(c.name for c in self.columns)

    @property
    def indexed_columns(self) -> tuple[ColumnDefinition, ...]:
        """The columns with a secondary index."""
        return tuple(c for c in self.columns if c.indexed)

    def index_name(self, column: ColumnDefinition) -> str:
        """The name of ``column``'s index: the one given, else ``{table}_{column}_idx``."""
        return column.index_name or f"{self.table}_{column.name}_idx"


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(name: str) -> str:
    """``ProductReview`` -> ``product_review``; ``HTTPLog`` -> ``http_log``."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def _table_name(model: type[BaseModel], settings: Any) -> str:
    """``Settings.name`` or ``__table_name__`` (the same name if both), else the class name in
    snake_case. An empty name is refused rather than silently replaced by the default."""
    owner = model.__name__
    from_settings = getattr(settings, "name", None)
    from_dunder = getattr(model, "__table_name__", None)
    if from_settings is not None and from_dunder is not None and from_settings != from_dunder:
        raise SchemaError(
            f"{owner}: Settings.name={from_settings!r} and __table_name__={from_dunder!r} "
            "disagree; set the table name in one place."
        )
    name = from_settings if from_settings is not None else from_dunder
    if name is None:
        return snake_case(owner)
    if name == "":
        where = "Settings.name" if from_settings is not None else "__table_name__"
        raise SchemaError(
            f"{owner}: {where} is empty; give the table a name, or remove {where} to use "
            f"the default {snake_case(owner)!r}."
        )
    return name  # type: ignore[no-any-return]


def build_schema(model: type[BaseModel]) -> TableSchema:
    """Inspect a pydantic model's fields and ``Settings`` and check that they make a table."""
    owner = model.__name__
    settings = getattr(model, "Settings", None)
    table = check_identifier(_table_name(model, settings), "table", owner)
    keyspace = getattr(settings, "keyspace", None)
    if keyspace is not None:
        check_identifier(keyspace, "keyspace", owner)
    connection = getattr(settings, "connection", None)

    columns = [
        _column(owner, name, info.annotation, info.metadata, position, info.is_required())
        for position, (name, info) in enumerate(model.model_fields.items())
    ]
    partition_keys = _ordered_keys(owner, columns, "partition")
    clustering_keys = _ordered_keys(owner, columns, "clustering")
    if not partition_keys:
        raise SchemaError(
            f"{owner} has no partition key. Mark at least one field with PrimaryKey(), e.g. "
            "id: Annotated[UUID, PrimaryKey()]."
        )
    counters = [c for c in columns if c.is_counter]
    if counters:
        others = [c.name for c in columns if not c.is_counter and not c.is_primary_key]
        if others:
            raise SchemaError(
                f"{owner} mixes counter columns ({', '.join(c.name for c in counters)}) with "
                f"regular columns ({', '.join(others)}). A counter table may only hold primary "
                "key columns and counters: move the other columns to a separate model."
            )
    for column in columns:
        _check_column(owner, column, has_clustering=bool(clustering_keys))
    _warn_about_static_defaults(model, columns)
    option_values = tuple((getattr(settings, "options", None) or {}).items())
    options = tuple(
        (check_identifier(key, "table option", owner), cql_literal(value, owner))
        for key, value in option_values
    )
    return TableSchema(
        model_name=owner,
        table=table,
        keyspace=keyspace,
        connection=connection,
        columns=tuple(columns),
        partition_keys=partition_keys,
        clustering_keys=clustering_keys,
        by_name={c.name: c for c in columns},
        is_counter_table=bool(counters),
        table_options=options,
        option_values=option_values,
    )


def _warn_about_static_defaults(model: type[BaseModel], columns: list[ColumnDefinition]) -> None:
    """A static column is shared by every row of its partition, and save() writes every field
    that is not None: a non-None default would overwrite the partition's value each time
    another row of it is saved."""
    for column in columns:
        if not column.static:
            continue
        field = model.model_fields[column.name]
        if field.is_required():
            continue
        default = field.get_default(call_default_factory=True, validated_data={})
        if default is None:
            continue
        warnings.warn(
            f"{model.__name__}.{column.name} is Static() with the default {default!r}: every "
            "save() of a row that leaves it at that default writes it over the value the whole "
            f"partition shares. Declare it Optional with a None default ({column.name}: "
            "Annotated[X | None, Static()] = None) so that unset values stay unset.",
            CoodieWarning,
            stacklevel=2,
        )


def cql_literal(value: Any, owner: str) -> str:
    """Render a table option value (from model code, not user input) as a CQL literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, dict):
        items = ", ".join(
            f"{cql_literal(str(k), owner)}: {cql_literal(v, owner)}" for k, v in value.items()
        )
        return "{" + items + "}"
    raise SchemaError(
        f"{owner}: Settings.options value {value!r} is not a str, number, bool or dict."
    )


def _column(
    owner: str, name: str, annotation: Any, metadata: list[Any], position: int, required: bool
) -> ColumnDefinition:
    check_identifier(name, "column", owner)
    # pydantic moves Annotated markers of the field into FieldInfo.metadata and strips them
    # from the annotation; collect both places so nothing is missed.
    markers = list(metadata)
    inner, optional = unwrap_optional(annotation)
    if get_origin(inner) is not None and get_args(inner) and _is_annotated(inner):
        markers.extend(get_args(inner)[1:])
    type_markers = [
        m for m in markers if not isinstance(m, (PrimaryKey, ClusteringKey, Indexed, Static))
    ]
    full = annotation
    if type_markers:
        # Subscripting is the one spelling that works on every Python: 3.13 made
        # ``Annotated`` a special form without ``__class_getitem__``.
        params = (inner, *type_markers)
        full = Annotated[params]
    cql_type = cql_type_for(full, model=owner, field=name)
    kwargs: dict[str, Any] = {}
    for marker in markers:
        if isinstance(marker, PrimaryKey):
            kwargs["partition_key_index"] = marker.partition_key_index
        elif isinstance(marker, ClusteringKey):
            if marker.order not in ("ASC", "DESC"):
                raise SchemaError(
                    f"{owner}.{name}: ClusteringKey(order={marker.order!r}) is invalid; use "
                    '"ASC" or "DESC".'
                )
            kwargs["clustering_key_index"] = marker.clustering_key_index
            kwargs["clustering_order"] = marker.order
        elif isinstance(marker, Indexed):
            kwargs.update(index_fields(owner, name, marker))
        elif isinstance(marker, Static):
            kwargs["static"] = True
    if "partition_key_index" in kwargs and "clustering_key_index" in kwargs:
        raise SchemaError(
            f"{owner}.{name} is marked both PrimaryKey() and ClusteringKey(); choose one."
        )
    return ColumnDefinition(
        name=name,
        cql_type=cql_type,
        annotation=annotation,
        value_annotation=full if type_markers else inner,
        position=position,
        optional=optional,
        required=required,
        **kwargs,
    )


def _is_annotated(annotation: Any) -> bool:
    from typing import Annotated

    return get_origin(annotation) is Annotated


def _ordered_keys(
    owner: str, columns: list[ColumnDefinition], kind: str
) -> tuple[ColumnDefinition, ...]:
    attr = "partition_key_index" if kind == "partition" else "clustering_key_index"
    keys = [c for c in columns if getattr(c, attr) is not None]
    seen: dict[int, str] = {}
    for column in keys:
        index = getattr(column, attr)
        if index in seen:
            marker = (
                "PrimaryKey(partition_key_index=...)"
                if kind == "partition"
                else ("ClusteringKey(clustering_key_index=...)")
            )
            raise SchemaError(
                f"{owner}: {kind} key columns {seen[index]!r} and {column.name!r} both have "
                f"index {index}. Give each a distinct {marker}."
            )
        seen[index] = column.name
    return tuple(sorted(keys, key=lambda c: getattr(c, attr)))


def _check_column(owner: str, column: ColumnDefinition, *, has_clustering: bool) -> None:
    where = f"{owner}.{column.name}"
    t = column.cql_type
    if column.is_primary_key:
        if column.optional:
            raise SchemaError(
                f"{where} is a primary key column and cannot be Optional: every row needs it."
            )
        if t.is_collection and not t.frozen:
            raise SchemaError(
                f"{where}: a primary key column cannot be a non-frozen collection ({t.cql}). "
                "Add Frozen() to the annotation."
            )
        if t.is_udt and not t.frozen:
            raise SchemaError(
                f"{where}: a primary key column cannot be a non-frozen user-defined type "
                f"({t.cql}). Declare it Annotated[{t.python_type.__name__}, PrimaryKey(), "
                "Frozen()] (or ClusteringKey())."
            )
        if t.is_counter:
            raise SchemaError(f"{where}: a counter cannot be part of the primary key.")
        if column.static:
            raise SchemaError(f"{where}: a primary key column cannot be Static().")
        if t.name == "duration":
            raise SchemaError(f"{where}: Cassandra does not allow duration in a primary key.")
    if column.static and not has_clustering:
        raise SchemaError(
            f"{where} is Static() but {owner} has no clustering columns; static columns only "
            "make sense in tables with ClusteringKey() fields."
        )
    check_index(owner, column)
    if t.is_counter and column.optional:
        raise SchemaError(f"{where}: a counter column is never null; drop Optional.")
