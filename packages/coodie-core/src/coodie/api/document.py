"""What ``coodie.sync.Document`` and ``coodie.aio.Document`` share: schema and mapper access.

The two public Document classes subclass :class:`DocumentBase` and only add methods that call
the driver (synchronously or with ``await``); everything else lives here or in the mapper.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from coodie import connections
from coodie.mapping import Mapper
from coodie.model.hooks import Hooks, collect_hooks
from coodie.model.kinds import is_view, schema_of_kind
from coodie.model.lazy_slots import LazySlots
from coodie.model.polymorphic import register as register_polymorphic
from coodie.model.schema import TableSchema, build_schema

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["MAPPERS", "DocumentBase", "mapper_of"]

DocT = TypeVar("DocT", bound="DocumentBase")

#: The current Mapper of each Document class. Emptied whenever a connection changes, so a
#: hit is always current; a dict keyed by class because attribute lookups on pydantic model
#: classes go through their metaclass and cost several times more, on every operation.
_mappers: dict[type, Mapper[Any]] = {}
connections.on_change(_mappers.clear)
#: The same dict, for the write shells' hot paths: ``MAPPERS[cls]`` inside ``try`` (falling
#: back to :func:`mapper_of`) costs no call frame when the mapper exists.
MAPPERS = _mappers


def mapper_of(model: type[DocT]) -> Mapper[DocT]:
    """The mapper of ``model`` for its current connection (what every operation starts with).

    A plain function rather than a classmethod: pydantic's metaclass defines ``__getattr__``,
    which makes every attribute lookup on a model class several times slower.
    """
    try:
        return _mappers[model]
    except KeyError:
        return model._new_mapper()


class DocumentBase(LazySlots, BaseModel):
    """A pydantic model that maps to one Cassandra table.

    Declare columns as fields with ``Annotated`` markers and, optionally, an inner
    ``class Settings`` with ``name`` (table), ``keyspace``, ``connection`` and ``options``
    (table options such as ``{"default_time_to_live": 3600}``).
    """

    # Class-valued attributes are never fields, so ``Settings = SharedSettings`` works too.
    # A misspelt field must not vanish: unknown keywords are a ValidationError unless the
    # model opts out with ``model_config = ConfigDict(extra="ignore")``.
    model_config = ConfigDict(ignored_types=(type,), extra="forbid")

    #: Set on the classes coodie itself defines so they get no table.
    __coodie_abstract__: ClassVar[bool] = True
    __coodie_schema__: ClassVar[TableSchema | None] = None
    #: The class's lifecycle hooks (``@before_save`` ...), gathered when it is created.
    __coodie_hooks__: ClassVar[Hooks | None] = None
    #: Whether the class's API awaits coroutine hooks (coodie.aio sets it).
    __coodie_awaits_hooks__: ClassVar[bool] = False

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        type.__setattr__(cls, "__coodie_abstract__", cls.__dict__.get("__coodie_abstract__", False))
        type.__setattr__(cls, "__coodie_schema__", None)
        type.__setattr__(cls, "__coodie_bound__", {})
        hooks = collect_hooks(cls, awaits=cls.__coodie_awaits_hooks__)
        if hooks is not None and is_view(cls):
            from coodie.exceptions import SchemaError

            raise SchemaError(
                f"{cls.__name__} is a materialized view, which is never written, so its "
                "lifecycle hooks would never run: declare them on the base Document."
            )
        type.__setattr__(cls, "__coodie_hooks__", hooks)
        _mappers.pop(cls, None)
        hierarchy = None if cls.__coodie_abstract__ else register_polymorphic(cls)
        if hierarchy is not None:  # its members' mappers read the new member's rows too
            for member in hierarchy.members():
                _mappers.pop(member, None)
        if not cls.__coodie_abstract__ and cls.__pydantic_complete__:
            # Check the model when the class is created so mistakes surface at import time.
            cls.coodie_schema()

    @classmethod
    def coodie_schema(cls) -> TableSchema:
        """The table schema of this model (built once, then cached)."""
        schema = cls.__dict__.get("__coodie_schema__")
        if schema is None:
            if cls.__dict__.get("__coodie_abstract__", True):
                from coodie.exceptions import SchemaError

                raise SchemaError(
                    f"{cls.__name__} is coodie's base class; subclass it to define a table."
                )
            if not cls.__pydantic_complete__:
                cls.model_rebuild()
            schema = schema_of_kind(cls, build_schema(cls))
            type.__setattr__(cls, "__coodie_schema__", schema)
        return schema

    @classmethod
    def _mapper(cls) -> Mapper[Self]:
        """The mapper for the model's current connection (see :func:`mapper_of`)."""
        return mapper_of(cls)

    @classmethod
    def _new_mapper(cls) -> Mapper[Self]:
        schema = cls.coodie_schema()
        driver = connections.get_driver(schema.connection)
        mapper = Mapper(cls, schema, driver)
        _mappers[cls] = mapper
        if connections.registered.get(mapper.connection) is not driver:
            _mappers.pop(cls, None)  # the connection changed meanwhile (another thread)
        return mapper

    @classmethod
    def using(cls, *, keyspace: str | None = None, connection: str | None = None) -> type[Self]:
        """The same model bound to another keyspace and/or connection, e.g. one keyspace per
        tenant: ``Product.using(keyspace="tenant_a").find(...)``.

        Returns a subclass (cached per binding) with the same fields and table name whose
        queries, writes and ``sync_table()`` go there; build documents for that keyspace from
        it: ``Tenant = Product.using(keyspace="t1"); Tenant(id=..., ...).save()``.
        """
        root: type[Self] = cls.__dict__.get("__coodie_root__") or cls
        schema = root.coodie_schema()
        target = (
            schema.keyspace if keyspace is None else keyspace,
            schema.connection if connection is None else connection,
        )
        if target == (schema.keyspace, schema.connection):
            return root
        bound: dict[tuple[str | None, str | None], type[Self]] = root.__dict__["__coodie_bound__"]
        found = bound.get(target)
        if found is None:
            found = bound[target] = _bind(root, schema.table, *target)
        return found

    def primary_key(self) -> dict[str, Any]:
        """This document's primary key as ``{column: value}``."""
        schema = self.coodie_schema()
        return {c.name: getattr(self, c.name) for c in schema.primary_key}


def _bind(root: type[DocT], table: str, keyspace: str | None, connection: str | None) -> type[DocT]:
    """A subclass of ``root`` whose Settings point at ``keyspace`` / ``connection``."""
    from coodie.model.identifiers import check_identifier

    if keyspace is not None:
        check_identifier(keyspace, "keyspace", f"{root.__name__}.using()")
    original = root.__dict__.get("Settings")
    bases = (original,) if isinstance(original, type) else ()
    settings = type(
        "Settings", bases, {"name": table, "keyspace": keyspace, "connection": connection}
    )
    namespace = {
        "__module__": root.__module__,
        "__qualname__": root.__qualname__,
        "__coodie_root__": root,
        "Settings": settings,
    }
    metaclass: Any = type(root)
    bound: type[DocT] = metaclass(root.__name__, (root,), namespace)
    return bound
