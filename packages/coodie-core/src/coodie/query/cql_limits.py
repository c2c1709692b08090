"""What CQL itself refuses in a value of the right Python type, checked before sending.

pydantic knows a field is an ``int`` or a ``str``; Cassandra also needs the int to fit its
column (a plain ``int`` is a 32-bit CQL ``int``), text to be valid UTF-8 (no lone
surrogate), key values to fit in 65,535 bytes and a partition key not to be empty. For one
CQL type, :func:`value_rules` builds two functions once: ``conforms(value)`` (every part has
exactly the declared class, so pydantic has nothing to coerce) and ``problem(value)`` (what
CQL would refuse, as a sentence naming the fix, or ``None``).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from coodie.model.types import FLOAT_MAX, INT_RANGES, MAX_KEY_BYTES

if TYPE_CHECKING:
    from coodie.model.schema import ColumnDefinition, TableSchema
    from coodie.model.types import CqlType

__all__ = ["Problem", "ValueRules", "key_problem", "show_value", "value_bytes", "value_rules"]

#: ``value -> what CQL refuses in it, as a sentence with the fix`` (None: nothing).
Problem = Callable[[Any], str | None]


class ValueRules(NamedTuple):
    """``conforms(value)``: exact classes throughout; ``problem(value)``: what CQL refuses."""

    conforms: Callable[[Any], bool]
    problem: Problem | None


def show_value(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut short: a 70,000-character key does not belong in a message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 5]}...{text[-2:]}"


def value_rules(t: CqlType) -> ValueRules:
    """The rules of CQL type ``t``, built once per column (see the module docstring)."""
    if t.name in ("list", "set"):
        return _collection_rules(t)
    if t.name == "map":
        return _map_rules(t)
    if t.name == "tuple":
        return _tuple_rules(t)
    if t.is_udt:
        from coodie.query.user_type_rules import user_type_rules

        return user_type_rules(t)
    if t.name == "vector":
        return _vector_rules(t)
    return ValueRules(_is_exactly(t.python_type), _scalar_problem(t))


def _is_exactly(cls: Any) -> Callable[[Any], bool]:
    return lambda value: value.__class__ is cls


def _scalar_problem(t: CqlType) -> Problem | None:
    name = t.name
    is_enum = isinstance(t.python_type, type) and issubclass(t.python_type, enum.Enum)

    def plain(value: Any) -> Any:
        return value.value if is_enum and isinstance(value, enum.Enum) else value

    if name in INT_RANGES:
        low, high = INT_RANGES[name]

        def int_problem(value: Any) -> str | None:
            if low <= plain(value) <= high:
                return None
            wider = " (or declare the field Annotated[int, BigInt()])" if name == "int" else ""
            return f"out of range ({low} to {high}); use a value in that range{wider}"

        return int_problem
    if name == "float":

        def float_problem(value: Any) -> str | None:
            if math.isfinite(value) and abs(value) > FLOAT_MAX:
                return (
                    "too large for 32 bits (up to ±3.4e38); use a smaller value or declare the "
                    "field a plain float (CQL double)"
                )
            return None

        return float_problem
    if name == "text":
        return lambda value: _text_problem(plain(value))
    if name == "ascii":
        return lambda value: _ascii_problem(plain(value))
    if name == "timeuuid":
        return _timeuuid_problem
    return None


def _text_problem(value: str) -> str | None:
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = value[error.start]
        return (
            f"it holds the lone surrogate {bad!r} at index {error.start}, which is not valid "
            "UTF-8; remove it, or store the raw data in a bytes (blob) field"
        )
    return None


def _ascii_problem(value: str) -> str | None:
    if value.isascii():
        return None
    return "it holds non-ASCII characters; declare the field a plain str (CQL text) for them"


def _timeuuid_problem(value: Any) -> str | None:
    if value.version == 1:
        return None
    return (
        f"it is a version-{value.version} UUID, and timeuuid takes version-1 UUIDs only; make "
        "them with uuid.uuid1()"
    )


def _collection_rules(t: CqlType) -> ValueRules:
    container = t.python_type if t.python_type in (list, set, frozenset) else list
    item = value_rules(t.params[0])
    item_conforms, item_problem = item

    def conforms(value: Any) -> bool:
        return value.__class__ is container and all(
            x is not None and item_conforms(x) for x in value
        )

    def problem(value: Any) -> str | None:
        for x in value:
            found = _element_problem(x, item_problem)
            if found is not None:
                return found
        return None

    return ValueRules(conforms, problem)


def _vector_rules(t: CqlType) -> ValueRules:
    size = t.size
    item_conforms, item_problem = value_rules(t.params[0])

    def conforms(value: Any) -> bool:
        return (
            value.__class__ is list
            and len(value) == size
            and all(x is not None and item_conforms(x) for x in value)
        )

    def problem(value: Any) -> str | None:
        if len(value) != size:
            return f"a vector of dimension {size} needs exactly {size} values, got {len(value)}"
        for x in value:
            found = _element_problem(x, item_problem)
            if found is not None:
                return found
        return None

    return ValueRules(conforms, problem)


def _unstarted(reason: str) -> str:
    """An element's reason said of the element: "it holds ..." becomes "holds ..."."""
    return reason[3:] if reason.startswith("it ") else reason


def _element_problem(item: Any, item_problem: Problem | None) -> str | None:
    if item is None:
        return "it holds None, and CQL collections cannot hold null; leave the element out"
    if item_problem is None:
        return None
    found = item_problem(item)
    return None if found is None else f"it holds {show_value(item)}: {_unstarted(found)}"


def _map_rules(t: CqlType) -> ValueRules:
    key_conforms, key_problem_ = value_rules(t.params[0])
    value_conforms, value_problem = value_rules(t.params[1])

    def conforms(value: Any) -> bool:
        return value.__class__ is dict and all(
            k is not None and v is not None and key_conforms(k) and value_conforms(v)
            for k, v in value.items()
        )

    def problem(value: Any) -> str | None:
        for k, v in value.items():
            found = _element_problem(k, key_problem_) or _element_problem(v, value_problem)
            if found is not None:
                return found
        return None

    return ValueRules(conforms, problem)


def _tuple_rules(t: CqlType) -> ValueRules:
    parts = [value_rules(p) for p in t.params]

    def conforms(value: Any) -> bool:
        return (
            value.__class__ is tuple
            and len(value) == len(parts)
            and all(x is None or rules.conforms(x) for rules, x in zip(parts, value, strict=True))
        )

    def problem(value: Any) -> str | None:
        for rules, x in zip(parts, value, strict=False):
            if x is not None and rules.problem is not None:
                found = rules.problem(x)
                if found is not None:
                    return f"it holds {show_value(x)}: {_unstarted(found)}"
        return None

    return ValueRules(conforms, problem)


def value_bytes(value: Any) -> int | None:
    """The size in bytes of a variable-length key value (None for fixed-size types)."""
    if isinstance(value, str):
        return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    return None


def key_problem(schema: TableSchema, column: ColumnDefinition, *, writing: bool) -> Problem | None:
    """What Cassandra refuses in a primary key value: an empty value as the whole partition
    key ("Key may not be empty"), and a value over 65,535 bytes (a clustering value only when
    written: a filter may compare with a longer one). None when ``column`` has no such rule."""
    if column.cql_type.name not in ("text", "ascii", "blob"):
        return None
    sole_partition_key = column.is_partition_key and len(schema.partition_keys) == 1
    sized = column.is_partition_key or (column.is_clustering_key and writing)
    if not (sole_partition_key or sized):
        return None

    def problem(value: Any) -> str | None:
        size = value_bytes(value)
        if size is None:
            return None
        if size == 0 and sole_partition_key:
            return (
                'it is empty, and Cassandra refuses an empty partition key ("Key may not be '
                'empty"); give the key a value'
            )
        if sized and size > MAX_KEY_BYTES:
            return (
                f"it is {size:,} bytes long, and Cassandra limits a key value to "
                f"{MAX_KEY_BYTES:,} bytes; store a hash of it as the key instead"
            )
        return None

    return problem
