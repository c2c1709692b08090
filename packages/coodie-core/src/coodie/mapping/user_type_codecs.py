"""Decoders and encoders of user-defined type values, generated once per (UDT, driver).

Drivers hand a UDT value over in their own form: cassandra-driver as a named tuple (fields as
attributes), acsylla as a dict. The generated decoder reads each field by name from either
(fields the live type lacks read as null), decodes it where the driver's type differs, and
builds the declared UserType without validating it again, as row hydrators build documents.
The encoder turns a UserType into ``{field: encoded value}`` and hands that to the driver's
own UDT encoder, if it has one (``driver.encoder_for`` of the UDT type).
"""

from __future__ import annotations

from functools import partial
from keyword import iskeyword
from typing import TYPE_CHECKING, Any

from coodie.exceptions import SchemaError
from coodie.mapping.compiled import other_slot_lines
from coodie.mapping.generated_code import build, spread
from coodie.mapping.hydration import SLOT_SETTERS, field_default, private_defaults, private_values
from coodie.mapping.user_type_inline import UserTypePlan
from coodie.model.types import show_annotation

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.drivers.base import AbstractDriver, Decoder, Encoder
    from coodie.model.types import CqlType

__all__ = ["user_type_decoder", "user_type_encoder"]


def user_type_decoder(
    t: CqlType,
    driver: AbstractDriver,
    element: Callable[[CqlType, AbstractDriver], Decoder | None],
) -> Decoder:
    """``driver value -> UserType instance`` (None stays None); ``element`` builds the
    decoders of the fields (coodie.mapping.codecs.build_decoder)."""
    model = t.python_type
    names = [name for name, _ in t.fields]
    namespace: dict[str, Any] = {
        "model": model,
        "new": object.__new__,
        "set_fields": SLOT_SETTERS["__pydantic_fields_set__"],
        "set_extra": SLOT_SETTERS["__pydantic_extra__"],
        "set_private": SLOT_SETTERS["__pydantic_private__"],
        "fields_set": set(names),
    }
    namespace["field_names"] = tuple(names)
    unpacked = [f"f{i}" for i in range(len(names))]
    # A named tuple is unpacked from a slice: a plain tuple, which unpacks much faster.
    from_tuple = [f"        {', '.join(unpacked)}{',' if len(names) == 1 else ''} = v[:]"]
    from_dict, from_attrs, by_getattr = [], [], []
    decoders = []
    for i, (name, field_type) in enumerate(t.fields):
        decoder = element(field_type, driver)
        decoders.append(decoder)
        got = f"get({name!r})"
        # A named tuple's fields are attributes (a keyword would have been renamed).
        attr = f"getattr(v, {name!r}, None)" if iskeyword(name) else f"v.{name}"
        slow = f"getattr(v, {name!r}, None)"
        if decoder is not None:
            namespace[f"dec{i}"] = decoder
            got, attr, slow = f"dec{i}({got})", f"dec{i}({attr})", f"dec{i}({slow})"
            from_tuple.append(f"        f{i} = dec{i}(f{i})")
        from_dict.append(f"        f{i} = {got}")
        from_attrs.append(f"            f{i} = {attr}")
        by_getattr.append(f"            f{i} = {slow}")
    lines = [
        "def decode(v):",
        "    global known_tuple",
        # cassandra-driver hands every value of a type over as one named tuple class: once
        # one of its classes is seen with exactly these fields in this order, its values are
        # unpacked (cheaper than reading each field by name).
        "    if v.__class__ is known_tuple:",
        *from_tuple,
        "    elif v is None:",
        "        return None",
        "    elif v.__class__ is dict:",
        "        get = v.get",
        *from_dict,
        "    else:",
        "        if isinstance(v, tuple) and getattr(v, '_fields', None) == field_names:",
        "            known_tuple = v.__class__",
        "        try:",
        *from_attrs,
        "        except AttributeError:  # the live type lacks a field: it reads as null",
        *by_getattr,
        # pydantic's own instance dict, filled in place (cheaper than storing a new one).
        "    doc = new(model)",
        "    data = doc.__dict__",
        *(f"    data[{name!r}] = f{i}" for i, (name, _) in enumerate(t.fields)),
    ]
    fills = _null_fills(model)
    fill_nulls = partial(_fill_nulls, tuple(fills)) if fills else None
    null_tested = tuple(names.index(name) for name, _ in fills)
    if fill_nulls is not None:
        namespace["fill_nulls"] = fill_nulls
        tests = " or ".join(f"f{j} is None" for j in null_tested)
        lines.append(f"    if {tests}: fill_nulls(data)")
    private = private_defaults(model)
    namespace["private"] = None if private is None else partial(private_values, private)
    slots = other_slot_lines(model, namespace["private"], ())
    lines += [*(f"    {line}" for line in slots), "    return doc"]
    # The helpers are the generated code's globals. Not keyword-only defaults: a call fills
    # those from a dict, one lookup per name, on every value (~40 ns for ten of them).
    namespace["known_tuple"] = None  # learnt at first sight
    decode = build(model, "decode", lines, namespace)
    if names and not slots:  # nothing to set beside __dict__: hydrators may build it in place
        decode.coodie_inline_plan = UserTypePlan(
            model, tuple(names), tuple(decoders), fill_nulls, null_tested
        )
    return decode  # type: ignore[no-any-return]


def _fill_nulls(
    fills: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...], data: dict[str, Any]
) -> None:
    for name, fill in fills:
        if data[name] is None:
            data[name] = fill(data)


def _null_fills(model: Any) -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
    """What a null field that cannot be None becomes: its default, else an error (a field
    added to the model and the type after values were written has no value in them)."""
    from coodie.model.user_types import type_schema

    fills: list[tuple[str, Callable[[dict[str, Any]], Any]]] = []
    for field in type_schema(model).fields:
        if field.optional:
            continue
        info = model.model_fields[field.name]
        if not info.is_required():
            fills.append((field.name, partial(field_default, info)))
        else:
            fills.append((field.name, partial(_no_value, model, field.name)))
    return fills


def _no_value(model: Any, name: str, data: dict[str, Any]) -> None:
    shown = show_annotation(model.model_fields[name].annotation)
    raise SchemaError(
        f"{model.__name__}.{name}: a value read back has no value (null) in the field "
        f"{name!r}, but the field ({shown}) cannot be None and has no default. Make it "
        f"Optional ({name}: {shown} | None = None) or give it a default."
    )


def user_type_encoder(
    t: CqlType,
    driver: AbstractDriver,
    element: Callable[[CqlType, AbstractDriver], Encoder | None],
) -> Encoder:
    """``UserType instance -> what the driver binds`` (None stays None); ``element`` builds
    the encoders of the fields (coodie.mapping.codecs.build_encoder)."""
    model = t.python_type
    namespace: dict[str, Any] = {"wrap": driver.encoder_for(t)}
    items = []
    for i, (name, field_type) in enumerate(t.fields):
        encoder = element(field_type, driver)
        value = f"d[{name!r}]"
        if encoder is not None:
            namespace[f"enc{i}"] = encoder
            value = f"enc{i}({value})"
        items.append(f"{name!r}: {value}")
    result = "wrap(fields)" if namespace["wrap"] is not None else "fields"
    lines = [
        "def encode(v):",
        "    if v is None:",
        "        return None",
        "    d = v.__dict__",
        *spread("fields = {", items, "}"),
        f"    return {result}",
    ]
    return build(model, "encode", lines, namespace)  # type: ignore[no-any-return]
