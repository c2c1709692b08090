"""Per-column value functions, compiled once per (model, driver) instead of per value.

* decoders turn what a driver returns into the declared Python type (read path);
* encoders turn Python values into what the driver binds (write path);
* checkers validate a filter/update value against the column's type before anything is sent.

Each is ``None`` when it would be the identity, so hot loops can skip the call entirely.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from coodie.exceptions import UnsupportedTypeError
from coodie.mapping.generated_code import compile_decoder
from coodie.mapping.user_type_codecs import user_type_decoder, user_type_encoder

if TYPE_CHECKING:
    from coodie.drivers.base import AbstractDriver, Decoder, Encoder
    from coodie.model.types import CqlType

__all__ = [
    "build_decoder",
    "build_encoder",
    "collection_template",
    "inline_decoder",
    "passing_none",
    "refuse_unsupported",
]


def refuse_unsupported(t: CqlType, driver: AbstractDriver, where: str) -> None:
    """UnsupportedTypeError when ``t`` holds a type the driver declares it cannot carry."""
    if not driver.unsupported_types:
        return
    pending = [t]
    while pending:
        part = pending.pop()
        reason = driver.unsupported_types.get(part.name)
        if reason is not None:
            raise UnsupportedTypeError(
                f"{where} ({t.cql}): the {driver.name!r} driver cannot carry CQL {part.name} "
                f"values: {reason}. Use another driver for this model, or declare the field "
                "with a type this driver carries."
            )
        pending.extend(part.params)
        pending.extend(field_type for _, field_type in part.fields)


def build_decoder(t: CqlType, driver: AbstractDriver) -> Decoder | None:
    """Compose the driver's scalar decoders with core's collection/enum handling."""
    if t.name in ("list", "set", "map"):
        return _collection_decoder(t, driver)
    if t.name == "tuple":
        return _tuple_decoder(t, driver)
    if t.is_udt:
        return user_type_decoder(t, driver, build_decoder)
    scalar = driver.decoder_for(t)
    py = t.python_type
    if isinstance(py, type) and issubclass(py, enum.Enum):
        enum_cls: Any = py
        if scalar is None:
            return passing_none(enum_cls)
        base = scalar
        return lambda v: None if v is None else enum_cls(base(v))
    if scalar is None:
        return None
    return passing_none(scalar)


def passing_none(fn: Decoder) -> Decoder:
    """``fn`` for values that may be null (None stays None). The wrapper carries ``fn`` as
    ``coodie_not_null``: generated hydrators test for None themselves and call ``fn``
    directly, one call per value instead of two."""

    def decode(v: Any) -> Any:
        return None if v is None else fn(v)

    decode.coodie_not_null = fn  # type: ignore[attr-defined]
    return decode


def inline_decoder(t: CqlType, driver: AbstractDriver) -> str | None:
    """The decoder of ``t`` as a Python expression over ``{v}``, for generated hydrators.

    Collections whose elements need no conversion have one (no function call per value);
    it is the very template their decoder function is compiled from.
    """
    if t.name not in ("list", "set", "map"):
        return None
    template, helpers = collection_template(t, driver)
    return None if helpers else template


def collection_template(t: CqlType, driver: AbstractDriver) -> tuple[str, dict[str, Any]]:
    """The one description of how a list, set or map column is decoded: an expression over
    ``{v}`` and the helper functions it calls (element decoders), by name.

    Cassandra stores an empty collection as null, so null reads back as an empty one.
    """
    if t.name == "map":
        key = build_decoder(t.params[0], driver)
        value = build_decoder(t.params[1], driver)
        if key is None and value is None:
            return "({{}} if {v} is None else dict({v}))", {}
        helpers: dict[str, Any] = {"pairs": _pairs}
        k, w = "a", "b"
        if key is not None:
            helpers["key"], k = key, "key(a)"
        if value is not None:
            helpers["value"], w = value, "value(b)"
        # Drivers may return a map as a dict-like object or as a sequence of (key, value).
        return (
            f"({{{{}}}} if {{v}} is None else {{{{{k}: {w} for a, b in pairs({{v}})}}}})",
            helpers,
        )
    container = t.python_type if t.python_type in (list, set, frozenset) else list
    empty = f"{container.__name__}()" if container is not list else "[]"
    item = build_decoder(t.params[0], driver)
    if item is None:
        if container is list:
            return "([] if {v} is None else {v} if {v}.__class__ is list else list({v}))", {}
        return f"({empty} if {{v}} is None else {container.__name__}({{v}}))", {}
    if container is list:
        each = "[item(x) for x in {v}]"
    elif container is set:
        each = "{{item(x) for x in {v}}}"
    else:
        each = "frozenset([item(x) for x in {v}])"
    return f"({empty} if {{v}} is None else {each})", {"item": item}


def _collection_decoder(t: CqlType, driver: AbstractDriver) -> Decoder:
    template, helpers = collection_template(t, driver)
    return compile_decoder(t.cql, template, helpers)


def _tuple_decoder(t: CqlType, driver: AbstractDriver) -> Decoder | None:
    parts = [build_decoder(p, driver) for p in t.params]
    if all(p is None for p in parts):
        return lambda v: v if v is None or type(v) is tuple else tuple(v)
    fns = [p or _identity for p in parts]
    return lambda v: None if v is None else tuple(f(x) for f, x in zip(fns, v, strict=False))


def build_encoder(t: CqlType, driver: AbstractDriver) -> Encoder | None:
    """Compose the driver's scalar encoders for a whole (possibly nested) column type."""
    if t.name == "map":
        key = build_encoder(t.params[0], driver)
        val = build_encoder(t.params[1], driver)
        if key is None and val is None:
            return None
        k = key or _identity
        w = val or _identity
        if _holds_udt(t.params[0]):
            return lambda v: (
                None if v is None else _map_or_pairs([(k(a), w(b)) for a, b in v.items()])
            )
        return lambda v: None if v is None else {k(a): w(b) for a, b in v.items()}
    if t.name in ("list", "set"):
        item = build_encoder(t.params[0], driver)
        if item is None:
            return None
        fn = item
        # An encoded UDT is a dict or a driver object, often unhashable: a set of them (or of
        # tuples holding one) goes to the driver as a list (both drivers bind any sequence
        # as a set).
        kind: Any = list if t.name == "list" or _holds_udt(t.params[0]) else set
        return lambda v: None if v is None else kind(fn(x) for x in v)
    if t.name == "tuple":
        parts = [build_encoder(p, driver) for p in t.params]
        if all(p is None for p in parts):
            return None
        fns = [p or _identity for p in parts]
        return lambda v: None if v is None else tuple(f(x) for f, x in zip(fns, v, strict=False))
    if t.is_udt:
        return user_type_encoder(t, driver, build_encoder)
    scalar = driver.encoder_for(t)
    py = t.python_type
    if isinstance(py, type) and issubclass(py, enum.Enum):
        if scalar is None:
            return lambda v: None if v is None else v.value
        base = scalar
        return lambda v: None if v is None else base(v.value)
    if scalar is None:
        return None
    fn2 = scalar
    return lambda v: None if v is None else fn2(v)


def _identity(value: Any) -> Any:
    return value


def _holds_udt(t: CqlType) -> bool:
    """True when a value of ``t`` encodes to something holding an encoded UDT."""
    return t.is_udt or any(_holds_udt(p) for p in t.params)


def _map_or_pairs(pairs: list[tuple[Any, Any]]) -> Any:
    """A dict, or the ``(key, value)`` pairs when an encoded key cannot be hashed (a UDT
    encoded to a dict, in a tuple key): drivers that encode UDTs so bind pairs as a map."""
    try:
        return dict(pairs)
    except TypeError:
        return pairs


def _pairs(value: Any) -> Any:
    items = getattr(value, "items", None)
    return value if items is None else items()
