"""User-defined types: a pydantic model whose fields make a CQL ``CREATE TYPE``.

A :class:`UserType` is used as a field annotation of a Document (or of another UserType); its
schema (type name, field types) is built and checked once per class, when the class is made.
Every type inside a UDT is frozen (CQL's rule for nested UDTs and collections); a Document's
top-level UDT column is not, unless marked ``Frozen()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from coodie.exceptions import SchemaError
from coodie.fields import ClusteringKey, Indexed, PrimaryKey, Static
from coodie.model.identifiers import check_identifier, quote
from coodie.model.lazy_slots import LazySlots
from coodie.model.types import SCALAR_CQL_TYPES, CqlType, cql_type_for, unwrap_optional

__all__ = ["UserType", "UserTypeField", "UserTypeSchema", "type_schema", "user_types_of"]

#: Names CQL keeps for its own types: a UDT cannot take one.
_NATIVE_NAMES = frozenset(
    {
        *SCALAR_CQL_TYPES.values(),
        *["ascii", "bigint", "counter", "float", "smallint", "tinyint", "timeuuid"],
        *["varchar", "varint", "list", "set", "map", "tuple", "frozen", "vector"],
    }
)


@dataclass(frozen=True, slots=True)
class UserTypeField:
    """One field of a UDT."""

    name: str
    cql_type: CqlType
    #: What a value of the field must be (without Optional): what updates are checked against.
    value_annotation: Any
    optional: bool


@dataclass(frozen=True, slots=True)
class UserTypeSchema:
    """A UserType's CQL type: its name and fields, in declaration order."""

    model_name: str
    name: str
    keyspace: str | None
    fields: tuple[UserTypeField, ...]

    @property
    def quoted(self) -> str:
        """The type name as a quoted CQL identifier."""
        return quote(self.name)

    def qualified(self, keyspace: str) -> str:
        """``keyspace.type``, both quoted."""
        return f"{quote(keyspace)}.{self.quoted}"


class UserType(LazySlots, BaseModel):
    """A pydantic model stored as a CQL user-defined type (``CREATE TYPE``).

    The type is named after the class in snake_case, or ``Settings.name`` / ``__type_name__``;
    use it as a Document field: ``address: Address`` (a non-frozen column whose fields can be
    updated one by one) or ``Annotated[Address, Frozen()]``; inside collections, tuples and
    other UDTs it is always frozen.
    """

    model_config = ConfigDict(ignored_types=(type,), extra="forbid")

    __coodie_type_schema__: ClassVar[UserTypeSchema | None] = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        type.__setattr__(cls, "__coodie_type_schema__", None)
        if cls.__pydantic_complete__:
            type_schema(cls)  # mistakes surface when the class is defined

    @classmethod
    def __coodie_cql_type__(cls, *, frozen: bool) -> CqlType:
        """The CQL type of a column or element of this UDT (see coodie.model.types)."""
        schema = type_schema(cls)
        fields = tuple((f.name, f.cql_type) for f in schema.fields)
        return CqlType(schema.quoted, frozen=frozen, python_type=cls, fields=fields)


_building: set[type] = set()


def type_schema(cls: type[BaseModel]) -> UserTypeSchema:
    """The schema of UserType ``cls`` (built once, then cached on the class)."""
    schema = cls.__dict__.get("__coodie_type_schema__")
    if schema is not None:
        return schema  # type: ignore[no-any-return]
    if cls in _building:
        raise SchemaError(
            f"{cls.__name__} contains itself; CQL user-defined types cannot be recursive. "
            "Store the nested values in a separate table."
        )
    _building.add(cls)
    try:
        if not cls.__pydantic_complete__:
            cls.model_rebuild()
        schema = _build(cls)
    finally:
        _building.discard(cls)
    type.__setattr__(cls, "__coodie_type_schema__", schema)
    return schema


def _type_name(cls: type[BaseModel]) -> str:
    from coodie.model.schema import snake_case

    settings = getattr(cls, "Settings", None)
    from_settings = getattr(settings, "name", None)
    from_dunder = cls.__dict__.get("__type_name__")
    if from_settings is not None and from_dunder is not None and from_settings != from_dunder:
        raise SchemaError(
            f"{cls.__name__}: Settings.name={from_settings!r} and __type_name__="
            f"{from_dunder!r} disagree; set the type name in one place."
        )
    name = from_settings if from_settings is not None else from_dunder
    name = snake_case(cls.__name__) if name is None else name
    check_identifier(name, "type", cls.__name__)
    if name.lower() in _NATIVE_NAMES:
        raise SchemaError(
            f"{cls.__name__}: {name!r} is a CQL type name and cannot name a user-defined type; "
            "set another name with Settings.name."
        )
    return name


def _build(cls: type[BaseModel]) -> UserTypeSchema:
    owner = cls.__name__
    name = _type_name(cls)
    keyspace = getattr(getattr(cls, "Settings", None), "keyspace", None)
    if keyspace is not None:
        check_identifier(keyspace, "keyspace", owner)
    fields = [_field(owner, n, info) for n, info in cls.model_fields.items()]
    if not fields:
        raise SchemaError(f"{owner}: a user-defined type needs at least one field.")
    return UserTypeSchema(owner, name, keyspace, tuple(fields))


def _field(owner: str, name: str, info: Any) -> UserTypeField:
    check_identifier(name, "field", owner)
    inner, optional = unwrap_optional(info.annotation)
    markers = list(info.metadata)
    misplaced = [m for m in markers if isinstance(m, (PrimaryKey, ClusteringKey, Indexed, Static))]
    if misplaced:
        raise SchemaError(
            f"{owner}.{name}: {type(misplaced[0]).__name__}() marks a table column; a "
            "user-defined type's field cannot carry it. Mark the Document field instead."
        )
    params = (inner, *markers)
    full = Annotated[params] if markers else inner
    cql_type = cql_type_for(full, model=owner, field=name, nested=True)
    if cql_type.is_counter:
        raise SchemaError(f"{owner}.{name}: CQL does not allow a counter inside a UDT.")
    return UserTypeField(name, cql_type, full, optional)


def user_types_of(types: Any) -> list[type[UserType]]:
    """The UserTypes the CQL types ``types`` use, each once, those nested first (the order
    CREATE TYPE needs)."""
    found: list[type[UserType]] = []

    def visit(t: CqlType) -> None:
        for part in t.params:
            visit(part)
        if t.is_udt:
            for _, field_type in t.fields:
                visit(field_type)
            if t.python_type not in found:
                found.append(t.python_type)

    for t in types:
        visit(t)
    return found
