"""Per-model read functions generated once with ``exec`` for the hot paths (the write
side is :mod:`coodie.mapping.compiled_writes`).

Saving a document and hydrating a row are done for every write and every row read, so their
loops over columns are unrolled into straight-line code specialised for one model and one
driver: no per-column dict lookups, no converter loop, no calls for columns that need no
conversion (the approach ``dataclasses`` uses for ``__init__``). Column names reach the
generated source only through ``repr()`` and were validated as CQL identifiers beforehand.

Each source is executed by :func:`coodie.mapping.generated_code.build`, which names and registers it
so that tracebacks, pdb and ``python -m coodie generated`` show it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from coodie.mapping.generated_code import build as _build
from coodie.model.lazy_slots import fills_slots_lazily

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

__all__ = ["Hydrators", "compile_hydrator", "compile_row_reader", "other_slot_lines"]


class Hydrators(NamedTuple):
    """The shapes of one generated converter: a list for whole pages, a generator for
    streaming (documents handed out one at a time die young, so the cyclic garbage
    collector is not triggered by a page of live objects), and one row (``get()``)."""

    to_list: Callable[[Sequence[Sequence[Any]]], list[Any]]
    to_iter: Callable[[Sequence[Sequence[Any]]], Iterator[Any]]
    one: Callable[[Sequence[Any]], Any]


def _decoded(
    names: Sequence[str],
    decoders: Mapping[str, Callable[[Any], Any]],
    inline: Mapping[str, str],
    namespace: dict[str, Any],
) -> list[str]:
    """The expression of each column's decoded value, over the locals ``c0, c1, ...``: an
    ``inline`` template where there is one, else a call of its decoder (of the function a
    None-passing decoder wraps, behind the None test), else the value."""
    values = []
    for i, name in enumerate(names):
        if name in inline:
            values.append(inline[name].format(v=f"c{i}"))
        elif (not_null := getattr(decoders.get(name), "coodie_not_null", None)) is not None:
            namespace[f"dec{i}"] = not_null  # coodie.mapping.codecs.passing_none
            values.append(f"(None if c{i} is None else dec{i}(c{i}))")
        elif name in decoders:
            namespace[f"dec{i}"] = decoders[name]
            values.append(f"dec{i}(c{i})")
        else:
            values.append(f"c{i}")
    return values


def _built_in_place(
    names: Sequence[str],
    decoders: Mapping[str, Callable[[Any], Any]],
    namespace: dict[str, Any],
    learnt: dict[str, Any],
) -> tuple[list[str], dict[str, str], list[str]]:
    """Columns whose decoder can be written out in the hydrator (user-defined types: see
    ``coodie.mapping.user_type_inline``): the lines that build each value into ``u<i>``
    before the instance, the value expressions that replace the decoder calls, and the
    helper functions those lines call (defined beside the hydrators, sharing ``learnt``)."""
    from coodie.mapping.user_type_inline import inline_plan, value_lines

    lines: list[str] = []
    values: dict[str, str] = {}
    helpers: list[str] = []
    for i, name in enumerate(names):
        plan = inline_plan(decoders.get(name))
        if plan is None:
            continue
        namespace[f"dec{i}"] = decoders[name]
        built, helper = value_lines(plan, i, namespace, learnt)
        lines += built
        helpers += helper
        values[name] = f"u{i}"
    return lines, values, helpers


def compile_hydrator(
    owner: type,
    names: Sequence[str],
    decoders: Mapping[str, Callable[[Any], Any]],
    inline: Mapping[str, str],
    defaults: Sequence[tuple[str, Callable[[dict[str, Any]], Any]]],
    private: Callable[[dict[str, Any]], Any] | None,
    setters: Mapping[str, Callable[[Any, Any], None]],
    not_null: Sequence[str] = (),
    fill_nulls: Callable[[dict[str, Any]], Any] | None = None,
) -> Hydrators:
    """``rows -> instances of owner`` without validation (as a list and as a generator).

    Each row is unpacked into locals, decoded where the driver's type differs from the
    declared one (by an ``inline`` expression, else a call of ``decoders``), and stored
    straight into the instance slots pydantic uses. ``defaults`` supply fields that are not
    in the result (made per row: mutable defaults are never shared); ``private`` builds
    ``__pydantic_private__`` when the model has private attributes. When a column of
    ``not_null`` is null, ``fill_nulls(data)`` replaces it (a default, or an error): one
    ``is None`` test per such column is all a row without nulls pays.
    """
    namespace: dict[str, Any] = {
        "model": owner,
        "new": object.__new__,
        "set_fields": setters["__pydantic_fields_set__"],
        "set_extra": setters["__pydantic_extra__"],
        "set_private": setters["__pydantic_private__"],
        "fields_set": set(names),
        "private": private,
    }
    learnt: dict[str, Any] = {}
    build, in_place, helpers = _built_in_place(names, decoders, namespace, learnt)
    values = _decoded(names, decoders, inline, namespace)
    values = [in_place.get(name, value) for name, value in zip(names, values, strict=True)]
    # pydantic's own instance dict, filled in place: cheaper than building a dict and
    # storing it through the slot's setter.
    build += ["doc = new(model)", "data = doc.__dict__"]
    build += [f"data[{name!r}] = {value}" for name, value in zip(names, values, strict=True)]
    tests = [f"c{names.index(name)} is None" for name in not_null]
    if tests and fill_nulls is not None:
        namespace["fill_nulls"] = fill_nulls
        build.append(f"if {' or '.join(tests)}: fill_nulls(data)")
    for j, (name, make) in enumerate(defaults):
        namespace[f"default{j}"] = make
        build.append(f"data[{name!r}] = default{j}(data)")
    build += other_slot_lines(owner, private, defaults)
    return _shapes(owner, "hydrate", names, build, "doc", namespace, helpers, learnt)


def other_slot_lines(
    owner: type, private: Any, defaults: Sequence[tuple[str, Any]], doc: str = "doc"
) -> list[str]:
    """The lines that set pydantic's other slots; none of them when the model fills them
    itself on first read (coodie.model.lazy_slots) with the values they would get here."""
    lazy = fills_slots_lazily(owner)
    lines = []
    if not lazy or defaults:  # lazily, the fields set is every key of __dict__
        lines.append(f"set_fields({doc}, fields_set.copy())")
    if not lazy:
        lines.append(f"set_extra({doc}, None)")
    if private is not None:
        lines.append(f"set_private({doc}, private(data))")
    elif not lazy:
        lines.append(f"set_private({doc}, None)")
    return lines


def _shapes(
    owner: type,
    source_name: str,
    names: Sequence[str],
    build: list[str],
    item: str,
    namespace: dict[str, Any],
    helpers: Sequence[str] = (),
    learnt: Mapping[str, Any] | None = None,
) -> Hydrators:
    """The list, generator and one-row functions around ``build``: lines that turn the
    columns unpacked into ``c0, c1, ...`` into ``item``; one source for the three, after the
    ``helpers``' source. ``learnt`` are globals of that source, not loop locals: values the
    helpers learn while reading (so the loops see them change)."""
    unpack = "".join(f"c{i}, " for i in range(len(names))) or "_row"
    # The loops see the namespace as keyword-only defaults: locals are cheaper than globals,
    # per column and per row.
    params = "".join(f", {name}={name}" for name in namespace)
    params = f"rows, *{params}" if params else "rows"
    columns = "\n".join(f"# c{i}: {name}" for i, name in enumerate(names)) or "# no columns"
    body = [f"    for ({unpack}) in rows:", *(f"        {line}" for line in build)]
    if learnt:
        namespace.update(learnt)
    lines = [
        columns,
        "",
        *helpers,
        f"def {source_name}_list({params}):",
        "    out = []",
        "    append = out.append",
        *body,
        f"        append({item})",
        "    return out",
        "",
        f"def {source_name}_iter({params}):",
        *body,
        f"        yield {item}",
        "",
        f"def {source_name}_one(row):",
        f"    ({unpack}) = row",
        *(f"    {line}" for line in build),
        f"    return {item}",
    ]
    functions = [f"{source_name}_list", f"{source_name}_iter", f"{source_name}_one"]
    return Hydrators(*_build(owner, source_name, lines, namespace, functions))


def compile_row_reader(
    owner: type,
    names: Sequence[str],
    decoders: Mapping[str, Callable[[Any], Any]],
    inline: Mapping[str, str],
    form: str,
) -> Hydrators:
    """``rows -> decoded rows`` as plain tuples (``form="tuple"``), dicts (``"dict"``) or the
    bare value of a one-column result (``"flat"``), as a list and as a generator.

    The same decoding as :func:`compile_hydrator` without building model instances: what
    ``QuerySet.values_list()`` and ``values()`` hand out.
    """
    namespace: dict[str, Any] = {}
    values = _decoded(names, decoders, inline, namespace)
    if form == "tuple":
        item = f"({', '.join(values)},)" if values else "()"
    elif form == "dict":
        item = "{" + ", ".join(f"{n!r}: {v}" for n, v in zip(names, values, strict=True)) + "}"
    elif form == "flat" and len(values) == 1:
        item = values[0]
    else:
        raise ValueError(f"unknown row form {form!r} for {len(values)} column(s)")
    return _shapes(owner, f"read_{form}", names, [], item, namespace)
