"""Python annotations to CQL types.

:func:`cql_type_for` turns a field annotation into a :class:`CqlType` tree once per model;
the tree gives the CQL text for DDL and is what read/write converters are compiled from.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from ipaddress import IPv4Address, IPv6Address
from typing import Annotated, Any, Union, get_args, get_origin
from uuid import UUID

from coodie.exceptions import UnsupportedTypeError
from coodie.fields import Counter, CqlTypeMarker, Frozen, Vector

__all__ = [
    "COLLECTION_TYPES",
    "FLOAT_MAX",
    "INT_RANGES",
    "MAX_KEY_BYTES",
    "SCALAR_CQL_TYPES",
    "VECTOR_ELEMENTS",
    "CqlType",
    "cql_type_for",
    "show_annotation",
    "unwrap_optional",
]

#: Python class -> CQL type name for scalars. Lookup is by exact class so ``bool`` never
#: matches ``int`` and ``datetime`` never matches ``date``.
SCALAR_CQL_TYPES: dict[type, str] = {
    str: "text",
    int: "int",
    float: "double",
    bool: "boolean",
    UUID: "uuid",
    dt.datetime: "timestamp",
    dt.date: "date",
    dt.time: "time",
    dt.timedelta: "duration",
    bytes: "blob",
    Decimal: "decimal",
    IPv4Address: "inet",
    IPv6Address: "inet",
}

COLLECTION_TYPES = frozenset({"list", "set", "map"})
#: The element types a ``Vector`` column may have: fixed-width numbers, which every driver
#: can bind (a vector of them is the elements' big-endian bytes, one after the other).
VECTOR_ELEMENTS = frozenset({"float", "double", "int", "bigint"})

#: The values each CQL integer type holds (``varint`` has no bounds): a plain ``int`` field
#: is a CQL ``int``, 32 bits.
INT_RANGES: dict[str, tuple[int, int]] = {
    "tinyint": (-(2**7), 2**7 - 1),
    "smallint": (-(2**15), 2**15 - 1),
    "int": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
    "counter": (-(2**63), 2**63 - 1),
}
#: The largest finite value of a CQL ``float`` (32-bit IEEE).
FLOAT_MAX = 3.4028234663852886e38
#: Cassandra refuses a partition key (all its components serialized) or a clustering value
#: longer than this many bytes.
MAX_KEY_BYTES = 65_535


@dataclass(frozen=True, slots=True)
class CqlType:
    """One node of a CQL type: a scalar name, or a collection/tuple with parameter types.

    ``python_type`` is the class values of this node have in Python (``list``, ``set``,
    ``frozenset``, ``dict``, ``tuple``, a scalar class, or an Enum class).
    """

    name: str
    params: tuple[CqlType, ...] = ()
    frozen: bool = False
    python_type: Any = None
    #: A user-defined type's fields as ``(name, type)`` (its ``name`` is the quoted type name).
    fields: tuple[tuple[str, CqlType], ...] = ()
    #: The dimension of a ``vector`` (its one parameter is the element type).
    size: int | None = None

    @property
    def cql(self) -> str:
        """The type as CQL text, e.g. ``map<text, frozen<list<int>>>``."""
        if self.size is not None:
            return f"{self.name}<{self.params[0].cql}, {self.size}>"
        if not self.params:
            inner = self.name
        else:
            inner = f"{self.name}<{', '.join(p.cql for p in self.params)}>"
        return f"frozen<{inner}>" if self.frozen else inner

    @property
    def is_collection(self) -> bool:
        """Whether the type is a list, set or map."""
        return self.name in COLLECTION_TYPES

    @property
    def is_counter(self) -> bool:
        """Whether the type is ``counter``."""
        return self.name == "counter"

    @property
    def is_udt(self) -> bool:
        """Whether the type is a user-defined type."""
        return bool(self.fields)


def unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """Return ``(inner, True)`` for ``X | None`` / ``Optional[X]``, else ``(annotation, False)``."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(args) != len(get_args(annotation)):
            return args[0], True
    return annotation, False


def cql_type_for(
    annotation: Any, *, model: str = "?", field: str = "?", nested: bool = False
) -> CqlType:
    """Map a field annotation (with its ``Annotated`` markers) to a :class:`CqlType`.

    ``nested``: the type sits inside another (a UDT's field), where CQL needs it frozen.
    Raises :class:`UnsupportedTypeError` naming the model, field and annotation.
    """
    return _Mapper(model, field, annotation).map(annotation, nested=nested)


class _Mapper:
    def __init__(self, model: str, field: str, whole: Any) -> None:
        self.model, self.field, self.whole = model, field, whole

    def fail(self, part: Any, hint: str) -> UnsupportedTypeError:
        where = f"{self.model}.{self.field}"
        shown = show_annotation(self.whole)
        detail = "" if part is self.whole else f" (the part {show_annotation(part)})"
        return UnsupportedTypeError(f"{where}: annotation {shown}{detail} has no CQL type. {hint}")

    def map(self, annotation: Any, *, nested: bool) -> CqlType:
        annotation, _ = unwrap_optional(annotation)
        frozen = False
        marker: CqlTypeMarker | None = None
        counter = False
        vector: Vector | None = None
        if get_origin(annotation) is Annotated:
            annotation, *meta = get_args(annotation)
            annotation, _ = unwrap_optional(annotation)
            for item in meta:
                if isinstance(item, Frozen):
                    frozen = True
                elif isinstance(item, CqlTypeMarker):
                    marker = item
                elif isinstance(item, Counter):
                    counter = True
                elif isinstance(item, Vector):
                    vector = item
        if vector is not None:
            return self.vector(annotation, vector, nested=nested)
        if counter:
            if annotation is not int or nested:
                raise self.fail(annotation, "Counter() columns must be annotated as plain int.")
            return CqlType("counter", python_type=int)
        if marker is not None:
            if annotation not in marker.python_types:
                expected = " or ".join(t.__name__ for t in marker.python_types)
                raise self.fail(
                    annotation, f"The {marker.cql} marker needs a {expected} annotation."
                )
            return CqlType(marker.cql, python_type=annotation)
        origin = get_origin(annotation)
        user_type = getattr(annotation, "__coodie_cql_type__", None) if origin is None else None
        if user_type is not None:  # a coodie UserType (coodie.model.user_types)
            return user_type(frozen=frozen or nested)  # type: ignore[no-any-return]
        if origin is None:
            return self.scalar(annotation)
        return self.compound(annotation, origin, nested=nested, frozen=frozen)

    def vector(self, annotation: Any, marker: Vector, *, nested: bool) -> CqlType:
        """``list[float]`` with ``Vector(n)``: ``vector<float, n>`` (a plain float is a CQL
        float here, the element type ANN search needs, not the double it is elsewhere)."""
        size = marker.dimension
        if type(size) is not int or size < 1:
            raise self.fail(annotation, f"Vector({size!r}) needs a positive int dimension.")
        args = get_args(annotation)
        if get_origin(annotation) is not list or len(args) != 1 or nested:
            raise self.fail(annotation, "Vector(n) goes on a list field: list[float].")
        item, _ = unwrap_optional(args[0])
        element = (
            CqlType("float", python_type=float) if item is float else self.map(item, nested=True)
        )
        if element.name not in VECTOR_ELEMENTS:
            raise self.fail(
                annotation,
                "A vector holds float (list[float]), double (Annotated[float, Double()]), int "
                "or bigint (Annotated[int, BigInt()]) elements.",
            )
        return CqlType("vector", (element,), python_type=list, size=size)

    def scalar(self, annotation: Any) -> CqlType:
        if isinstance(annotation, type):
            name = SCALAR_CQL_TYPES.get(annotation)
            if name is not None:
                return CqlType(name, python_type=annotation)
            if issubclass(annotation, enum.Enum):
                return self.enum(annotation)
        if annotation in (list, set, frozenset, dict, tuple, typing.List, typing.Dict):  # noqa: UP006
            raise self.fail(annotation, "Give the element type, e.g. list[str] or dict[str, int].")
        raise self.fail(
            annotation,
            "Use str, int, float, bool, UUID, datetime, date, time, timedelta, bytes, "
            "Decimal, IPv4Address/IPv6Address, a str/int Enum, list/set/dict/tuple of those, "
            "or add a marker such as BigInt().",
        )

    def enum(self, annotation: type[enum.Enum]) -> CqlType:
        if issubclass(annotation, str):
            return CqlType("text", python_type=annotation)
        if issubclass(annotation, int):
            return CqlType("int", python_type=annotation)
        raise self.fail(
            annotation, "Enums must also subclass str or int (e.g. class E(str, Enum))."
        )

    def compound(self, annotation: Any, origin: Any, *, nested: bool, frozen: bool) -> CqlType:
        args = get_args(annotation)
        if origin in (list, set, frozenset):
            if len(args) != 1:
                raise self.fail(annotation, "Give exactly one element type.")
            name = "list" if origin is list else "set"
            params: tuple[CqlType, ...] = (self.map(args[0], nested=True),)
        elif origin is dict:
            if len(args) != 2:
                raise self.fail(annotation, "Give a key and a value type: dict[K, V].")
            params = (self.map(args[0], nested=True), self.map(args[1], nested=True))
            name = "map"
        elif origin is tuple:
            if not args or (len(args) == 2 and args[1] is Ellipsis):
                raise self.fail(
                    annotation,
                    "CQL tuples have a fixed length: write tuple[int, str], or use "
                    "list[int] for a variable number of items.",
                )
            name = "tuple"
            params = tuple(self.map(a, nested=True) for a in args)
            # Cassandra reports tuples as frozen everywhere; saying so keeps schemas comparable.
            frozen = True
        elif origin is Union or origin is types.UnionType:
            raise self.fail(
                annotation, "A column has one type: only Optional[X] (X | None) unions are allowed."
            )
        else:
            raise self.fail(annotation, "Only list, set, frozenset, dict and tuple are supported.")
        # Python cannot hash a list, set or dict: no value could ever be stored there.
        hashed = params[:1] if name in ("map", "set") else ()
        if any(p.python_type in (list, set, dict) or _unhashable_udt(p) for p in hashed):
            what = "map keys" if name == "map" else "set elements"
            raise self.fail(
                annotation,
                f"Python cannot hash a list, set, dict or non-frozen model, so {what} cannot "
                "be one; use tuple[...] or frozenset[...] instead, or give the UserType "
                "model_config = ConfigDict(frozen=True).",
            )
        if any(p.is_counter for p in params):
            raise self.fail(annotation, "Counter() cannot be used inside a collection.")
        if name == "map" and params[0].is_udt:
            raise self.fail(
                annotation,
                "A user-defined type cannot be a map key in coodie (drivers hand UDTs over as "
                "dicts or tuples, which cannot key a dict); key the map by a field of it.",
            )
        # Collections inside collections must be frozen in CQL, so coodie freezes them itself.
        return CqlType(name, params, frozen or nested, python_type=origin)


def _unhashable_udt(t: CqlType) -> bool:
    return t.is_udt and getattr(t.python_type, "__hash__", None) is None


def show_annotation(annotation: Any) -> str:
    """An annotation as a user wrote it: ``list[complex]``, ``int | None``, ``Plain``."""
    # On Python 3.10 ``list[int]`` passes ``isinstance(..., type)``: only a bare class
    # (no parameters) may be shown by its name, or the parameters are lost.
    if isinstance(annotation, type) and get_origin(annotation) is None:
        return annotation.__qualname__
    if annotation is type(None):
        return "None"
    if get_origin(annotation) in (Union, types.UnionType):
        # ``Optional[Union[int, str]]`` shows as ``Union[int, str, NoneType]`` before Python
        # 3.14 and as ``int | str | None`` from 3.14 on: one spelling on every version.
        return " | ".join(show_annotation(arg) for arg in get_args(annotation))
    return repr(annotation).replace("typing.", "")
