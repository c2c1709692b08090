"""Columns acsylla cannot decode, read through CQL's ``toJson()`` instead.

acsylla 1.2 builds a Python ``set`` for a CQL set and a ``dict`` for a map, and decodes a UDT
to a ``dict``, a list to a ``list`` and a set to a ``set``: a set (or map key) holding a UDT, a
collection, or a tuple with one of those inside, cannot be built, and the whole row fails
with ``TypeError: unhashable type``. Such a column (found anywhere in the column's type,
e.g. a set of UDTs inside a UDT field) is selected as ``toJson(col) AS col``, and
:func:`json_reader` turns the JSON text back into the values acsylla returns for the parts it
can decode (uuids as ``str``, timestamps as aware UTC datetimes, durations as text, ...),
with a set as a ``list`` and a map as a list of ``(key, value)`` pairs: coodie-core's
collection decoders build the declared sets and dicts from those, and the driver's scalar
decoders (:mod:`coodie_driver_acsylla.codecs`) run on the elements as for any other column.

Everything here runs once per model to build the converter, except the converter itself.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.model.types import CqlType

__all__ = ["json_reader", "needs_json", "readable_rows"]

#: Scalars whose JSON form is a string: as a map key, Cassandra writes that string itself
#: (every other key is the JSON text of the key, inside a string).
_STRING_JSON: Final = frozenset(
    {
        "ascii",
        "text",
        "varchar",
        "uuid",
        "timeuuid",
        "inet",
        "timestamp",
        "date",
        "time",
        "blob",
        "duration",
    }
)


def needs_json(t: CqlType) -> bool:
    """True when acsylla cannot decode a value of ``t`` (at any depth)."""
    if t.name in ("set", "map") and _unhashable_for_acsylla(t.params[0]):
        return True
    return any(needs_json(p) for p in t.params) or any(needs_json(f) for _, f in t.fields)


def _unhashable_for_acsylla(t: CqlType) -> bool:
    """True when acsylla decodes a value of ``t`` to something Python cannot hash."""
    if t.is_udt or t.name in ("list", "set", "map"):
        return True
    return t.name == "tuple" and any(_unhashable_for_acsylla(p) for p in t.params)


def json_reader(t: CqlType) -> Callable[[Any], Any]:
    """``toJson()`` text of a ``t`` column -> the value acsylla would return for it."""
    convert = _converter(t)

    def read(text: Any) -> Any:
        if text is None:
            return None
        return convert(json.loads(text))

    return read


def _converter(t: CqlType) -> Callable[[Any], Any]:
    """Parsed JSON of a ``t`` value -> acsylla's value (``None`` stays ``None``)."""
    name = t.name
    if t.is_udt:
        return _udt(t)
    if name in ("list", "set"):
        return _sequence(_converter(t.params[0]))
    if name == "map":
        return _map(t.params[0], t.params[1])
    if name == "tuple":
        return _tuple([_converter(p) for p in t.params])
    scalar = _SCALARS.get(name)
    return _same if scalar is None else _nullable(scalar)


def _nullable(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: None if v is None else fn(v)


def _same(value: Any) -> Any:
    return value


def _sequence(item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    # A set comes back as a list too: its elements may not be hashable yet (dicts for UDTs).
    if item is _same:
        return _same
    return _nullable(lambda v: [item(x) for x in v])


def _map(key_type: CqlType, value_type: CqlType) -> Callable[[Any], Any]:
    key = _converter(key_type)
    value = _converter(value_type)
    parse_key: Callable[[str], Any] = _same if key_type.name in _STRING_JSON else json.loads

    def convert(v: Any) -> Any:
        if v is None:
            return None
        return [(key(parse_key(k)), value(w)) for k, w in v.items()]

    return convert


def _tuple(parts: list[Callable[[Any], Any]]) -> Callable[[Any], Any]:
    return _nullable(lambda v: tuple(f(x) for f, x in zip(parts, v, strict=False)))


def _udt(t: CqlType) -> Callable[[Any], Any]:
    fields = {name: _converter(field_type) for name, field_type in t.fields}

    def convert(v: Any) -> Any:
        if v is None:
            return None
        out = {}
        for key, item in v.items():
            name = _unquote(key)
            fn = fields.get(name)
            out[name] = item if fn is None else fn(item)
        return out

    return convert


def _unquote(name: str) -> str:
    """Cassandra quotes a field name that needs quoting in its JSON; acsylla does not."""
    if len(name) > 1 and name[0] == '"' and name[-1] == '"':
        return name[1:-1].replace('""', '"')
    return name


def _timestamp(text: str) -> dt.datetime:
    # Cassandra writes "2024-01-02 03:04:05.678Z"; fromisoformat (3.10) wants "+00:00".
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return dt.datetime.fromisoformat(text).astimezone(dt.timezone.utc)


def _time(text: str) -> dt.time:
    # "03:04:05.123456789": nanoseconds, truncated to microseconds as acsylla does.
    whole, _, fraction = text.partition(".")
    hours, minutes, seconds = (int(p) for p in whole.split(":"))
    return dt.time(hours, minutes, seconds, int((fraction + "000000")[:6]))


_FLOAT32: Final = struct.Struct("f")


def _float(value: Any) -> float:
    # Cassandra prints a float's shortest decimal form; acsylla returns its double value.
    return float(_FLOAT32.unpack(_FLOAT32.pack(float(value)))[0])


#: Parsed JSON of a scalar -> what acsylla returns for it (identity conversions are absent;
#: uuid, inet, duration and varint stay as JSON gives them, which the driver's decoders take).
_SCALARS: Final[dict[str, Callable[[Any], Any]]] = {
    "timestamp": _timestamp,
    "date": dt.date.fromisoformat,
    "time": _time,
    "blob": lambda text: bytes.fromhex(text[2:]),
    "float": _float,
    "double": float,
}


def readable_rows(result: Any, columns: Any) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """``result``'s columns and rows without the columns acsylla fails to decode."""
    raw = [[_column_value(row, index) for index in range(len(columns))] for row in result]
    keep = [
        index
        for index in range(len(columns))
        if not any(values[index] is _UNREADABLE for values in raw)
    ]
    return tuple(columns[i] for i in keep), [tuple(values[i] for i in keep) for values in raw]


_UNREADABLE: Final = object()


def _column_value(row: Any, index: int) -> Any:
    try:
        return row.column_value_by_index(index)
    except TypeError:
        return _UNREADABLE
