"""Polymorphic models (single-table inheritance): one table, one discriminator column, a
class per discriminator value.

The root Document names the column (``Settings.discriminator = "kind"``, a ``str`` field it
declares); each class of the hierarchy, the root too, has a value
(``Settings.discriminator_value = "cat"``, by default the class name in snake_case), which
becomes the field's default, so a saved instance writes it. Subclasses share the root's table
and primary key and may add columns; the table holds the union of them all. The
discriminator column gets a secondary index so that ``Sub.find()`` can restrict it without
ALLOW FILTERING.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator

from coodie.exceptions import SchemaError
from coodie.model.schema import snake_case
from coodie.model.types import unwrap_optional

if TYPE_CHECKING:
    from pydantic import BaseModel

    from coodie.model.schema import ColumnDefinition, TableSchema

__all__ = ["Hierarchy", "hierarchy_of", "polymorphic_schema", "register", "union_schema"]

_HIERARCHY = "__coodie_hierarchy__"
_VALUE = "__coodie_discriminator_value__"


@dataclass(eq=False)
class Hierarchy:
    """The classes sharing one polymorphic table, by discriminator value."""

    root: type[BaseModel]
    column: str
    classes: dict[str, type[BaseModel]] = field(default_factory=dict)

    def value_of(self, model: type) -> str | None:
        """The discriminator value of ``model`` (``None``: not a member)."""
        value: str | None = model.__dict__.get(_VALUE)
        return value

    def members(self) -> list[type[BaseModel]]:
        """The root, then every class that declares a value (each once)."""
        found = [self.root]
        found += [c for c in self.classes.values() if c is not self.root]
        return found


def hierarchy_of(model: type) -> Hierarchy | None:
    """The hierarchy ``model`` belongs to, or ``None`` for a plain model."""
    found: Hierarchy | None = getattr(model, _HIERARCHY, None)
    return found


def register(model: type[BaseModel]) -> Hierarchy | None:
    """Called once per new Document class: make it a polymorphic root or member when its
    Settings say so; returns its hierarchy (``None``: a plain model)."""
    if "__coodie_root__" in model.__dict__:
        # A ``using()`` binding is a plain copy of its class's table, not a new member.
        type.__setattr__(model, _HIERARCHY, None)
        return None
    settings = model.__dict__.get("Settings")
    column = getattr(settings, "discriminator", None) if settings is not None else None
    parent = hierarchy_of(model)
    owner = model.__name__
    if column is not None:
        if parent is not None:
            raise SchemaError(
                f"{owner}: Settings.discriminator is already set by {parent.root.__name__}; a "
                "subclass gives Settings.discriminator_value only."
            )
        _check_discriminator_field(model, column)
        hierarchy = Hierarchy(model, column)
        type.__setattr__(model, _HIERARCHY, hierarchy)
    elif parent is None:
        if settings is not None and hasattr(settings, "discriminator_value"):
            raise SchemaError(
                f"{owner}: Settings.discriminator_value needs a polymorphic base class: set "
                'Settings.discriminator = "<column>" on the Document it subclasses.'
            )
        return None
    else:
        hierarchy = parent
    value = getattr(settings, "discriminator_value", None) if settings is not None else None
    if value is None:
        value = snake_case(owner)
    if not isinstance(value, str) or not value:
        raise SchemaError(f"{owner}: Settings.discriminator_value must be a non-empty str.")
    taken = hierarchy.classes.get(value)
    if taken is not None and taken.__qualname__ != model.__qualname__:
        raise SchemaError(
            f"{owner}: discriminator_value {value!r} is already {taken.__name__}'s; give each "
            "class its own value."
        )
    hierarchy.classes[value] = model
    type.__setattr__(model, _VALUE, value)
    _default_to(model, hierarchy.column, value)
    return hierarchy


def _check_discriminator_field(model: type[BaseModel], column: str) -> None:
    info = model.model_fields.get(column)
    if info is None:
        raise SchemaError(
            f"{model.__name__}: Settings.discriminator = {column!r} names no field; declare "
            f"it, e.g. {column}: str."
        )
    inner, _ = unwrap_optional(info.annotation)
    if inner is not str:
        raise SchemaError(f"{model.__name__}.{column}: a discriminator field must be a str.")


def _default_to(model: type[BaseModel], column: str, value: str) -> None:
    """Make ``value`` the discriminator field's default on ``model`` (pydantic gives every
    subclass its own copy of an inherited field), so its instances write it."""
    info = model.model_fields[column]
    if info.default == value and not info.is_required():
        return
    info.default = value
    info.default_factory = None
    model.model_rebuild(force=True)


def polymorphic_schema(model: type[BaseModel], schema: TableSchema) -> TableSchema:
    """``schema`` of a hierarchy member as the table needs it: the root's table, keyspace,
    connection and options, and an index on the discriminator."""
    hierarchy = hierarchy_of(model)
    if hierarchy is None:
        return schema
    column = _indexed(schema.by_name[hierarchy.column])
    if model is not hierarchy.root:
        column = _held_to(column, model.__name__, hierarchy.value_of(model) or "")
    columns = tuple(column if c.name == column.name else c for c in schema.columns)
    by_name = {c.name: c for c in columns}
    schema = replace(
        schema,
        columns=columns,
        by_name=by_name,
        partition_keys=tuple(by_name[c.name] for c in schema.partition_keys),
        clustering_keys=tuple(by_name[c.name] for c in schema.clustering_keys),
        cql_cache={},
    )
    if model is hierarchy.root:
        return schema
    own = vars(model.__dict__.get("Settings") or object)
    moved = [name for name in ("name", "keyspace", "connection", "options") if name in own]
    if moved:
        raise SchemaError(
            f"{model.__name__}: Settings.{', Settings.'.join(moved)} cannot be set on a "
            f"polymorphic subclass: it shares {hierarchy.root.__name__}'s table. Set them on "
            f"{hierarchy.root.__name__}."
        )
    root: TableSchema = hierarchy.root.coodie_schema()  # type: ignore[attr-defined]
    keys = tuple(c.name for c in schema.primary_key)
    root_keys = tuple(c.name for c in root.primary_key)
    if keys != root_keys:
        raise SchemaError(
            f"{model.__name__}: a polymorphic subclass shares {root.model_name}'s table and "
            f"its primary key ({', '.join(root_keys)}); it declares ({', '.join(keys)}). "
            "Remove the key markers from the subclass's fields."
        )
    return replace(
        schema,
        table=root.table,
        keyspace=root.keyspace,
        connection=root.connection,
        table_options=root.table_options,
        option_values=root.option_values,
        partition_keys=tuple(by_name[c.name] for c in root.partition_keys),
        clustering_keys=tuple(by_name[c.name] for c in root.clustering_keys),
    )


def _held_to(column: ColumnDefinition, owner: str, value: str) -> ColumnDefinition:
    """The discriminator of a subclass, whose every written or filtered value must be its
    own: the value checks (run on every write and filter) then refuse another class's."""

    def only_own(held: str) -> str:
        if held != value:
            raise ValueError(
                f"{owner} rows hold {column.name}={value!r}, not {held!r}; write or query "
                f"{held!r} rows through their own class (or the root of the hierarchy)"
            )
        return held

    # Subscripted with a tuple, as model/schema.py does: the spelling every Python accepts.
    params = (column.value_annotation, AfterValidator(only_own))
    return replace(column, value_annotation=Annotated[params])


def _indexed(column: ColumnDefinition) -> ColumnDefinition:
    """The discriminator with a secondary index, so that ``Sub.find()`` needs no ALLOW
    FILTERING; a partition key discriminator is restricted by key and gets none."""
    if column.indexed or column.is_partition_key:
        return column
    return replace(column, indexed=True)


def union_schema(hierarchy: Hierarchy, keyspace: str | None) -> TableSchema:
    """The table of the whole hierarchy: the root's schema with every member's columns (a
    column two classes declare with different types is a SchemaError)."""
    root: TableSchema = hierarchy.root.coodie_schema()  # type: ignore[attr-defined]
    columns: dict[str, ColumnDefinition] = {c.name: c for c in root.columns}
    owners: dict[str, str] = dict.fromkeys(columns, root.model_name)
    for member in hierarchy.members()[1:]:
        schema: TableSchema = member.coodie_schema()  # type: ignore[attr-defined]
        for column in schema.columns:
            seen = columns.get(column.name)
            if seen is None:
                columns[column.name] = replace(column, position=len(columns))
                owners[column.name] = schema.model_name
            elif seen.cql_type.cql != column.cql_type.cql:
                raise SchemaError(
                    f"{schema.model_name}.{column.name} is {column.cql_type.cql} but "
                    f"{owners[column.name]}.{column.name} is {seen.cql_type.cql}; classes "
                    "sharing a polymorphic table must agree on each column's type."
                )
    merged = tuple(columns.values())
    return replace(
        root,
        keyspace=keyspace if keyspace is not None else root.keyspace,
        columns=merged,
        by_name={c.name: c for c in merged},
        cql_cache={},
        checkers={},
    )


def describe(hierarchy: Hierarchy) -> dict[str, Any]:
    """``{value: class name}``: what an error about an unknown value lists."""
    return {value: model.__name__ for value, model in hierarchy.classes.items()}
