"""Per-model functions generated once with ``exec`` for the hot paths.

Saving a document and hydrating a row are done for every write and every row read, so their
loops over columns are unrolled into straight-line code specialised for one model and one
driver: no per-column dict lookups, no converter loop, no calls for columns that need no
conversion (the approach ``dataclasses`` uses for ``__init__``). Column names reach the
generated source only through ``repr()`` and were validated as CQL identifiers beforehand.

Each source is executed by :func:`coodie.mapping.generated_code.build`, which names and registers it
so that tracebacks, pdb and ``python -m coodie generated`` show it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from coodie.mapping.generated_code import build as _build
from coodie.mapping.generated_code import spread as _spread

if TYPE_CHECKING:
    from coodie.mapping.value_guards import Guard

__all__ = [
    "CheckedColumn",
    "Guarded",
    "Hydrators",
    "compile_hydrator",
    "compile_key_values",
    "compile_lookup_values",
    "compile_row_check",
    "compile_row_reader",
    "compile_row_values",
    "compile_save_statement",
    "compile_update_values",
]

#: Per column: its fast guard (None: always checked) and its checker, which also answers
#: None (left unset, or the missing key error).
Guarded = tuple["Guard | None", Callable[[Any], Any]]


def _guarded_read(
    i: int,
    name: str,
    source: str,
    guarded: Guarded,
    namespace: dict[str, Any],
    *,
    write_back: bool,
) -> list[str]:
    """Lines reading column ``name`` from ``source`` into ``v<i>``: kept as it is when its
    guard passes, else replaced by what its checker returns (stored back into ``source``
    with ``write_back``, so the document holds what is sent)."""
    guard, check = guarded
    namespace[f"check{i}"] = check
    target = f"v{i} = {source}[{name!r}] = " if write_back else f"v{i} = "
    if guard is None:
        return [f"    {target}check{i}({source}[{name!r}])"]
    for key, helper in guard.helpers.items():
        namespace[f"g{i}{key}"] = helper
    test = guard.template.format(v=f"v{i}", g=f"g{i}")
    lines = [f"    v{i} = {source}[{name!r}]"]
    if not guard.may_raise:
        return [*lines, f"    if not ({test}): {target}check{i}(v{i})"]
    return [
        *lines,
        "    try:",
        f"        if not ({test}): raise TypeError",
        "    except TypeError:",
        f"        {target}check{i}(v{i})",
    ]


def compile_key_values(
    owner: type,
    key_names: Sequence[str],
    encoders: Mapping[str, Callable[[Any], Any]],
    guarded: Mapping[str, Guarded],
) -> Callable[[dict[str, Any]], list[Any]]:
    """``data -> [primary key values, checked and encoded]``; a ``None`` key raises (its
    checker reports the missing key)."""
    namespace: dict[str, Any] = {}
    lines = ["def key_values(data):"]
    items = []
    for i, name in enumerate(key_names):
        lines += _guarded_read(i, name, "data", guarded[name], namespace, write_back=True)
        if name in encoders:
            namespace[f"enc{i}"] = encoders[name]
            items.append(f"enc{i}(v{i})")
        else:
            items.append(f"v{i}")
    lines.append(f"    return [{', '.join(items)}]")
    return _build(owner, "key_values", lines, namespace)  # type: ignore[no-any-return]


def _row_value_lines(
    names: Sequence[str],
    key_names: Sequence[str],
    encoders: Mapping[str, Callable[[Any], Any]],
    guarded: Mapping[str, Guarded],
    namespace: dict[str, Any],
) -> tuple[list[str], list[str]]:
    """Lines reading and checking every column from ``data``, and the expressions of their
    bound values."""
    lines = []
    items = []
    for i, name in enumerate(names):
        lines += _guarded_read(i, name, "data", guarded[name], namespace, write_back=True)
        value = f"v{i}"
        if name in encoders:
            namespace[f"enc{i}"] = encoders[name]
            value = f"enc{i}(v{i})"
        if name in key_names:
            items.append(value)
        else:
            items.append(f"(UNSET if v{i} is None else {value})")
    return lines, items


def compile_row_check(
    owner: type, names: Sequence[str], guarded: Mapping[str, Guarded]
) -> Callable[[dict[str, Any]], None]:
    """``data -> None``: the checks of :func:`compile_row_values` alone (``insert_many`` runs
    them over a whole list before sending anything)."""
    namespace: dict[str, Any] = {}
    lines = ["def check_row(data):"]
    for i, name in enumerate(names):
        lines += _guarded_read(i, name, "data", guarded[name], namespace, write_back=True)
    return _build(owner, "check_row", lines, namespace)  # type: ignore[no-any-return]


def compile_row_values(
    owner: type,
    names: Sequence[str],
    key_names: Sequence[str],
    encoders: Mapping[str, Callable[[Any], Any]],
    unset: Any,
    guarded: Mapping[str, Guarded],
) -> Callable[[dict[str, Any]], list[Any]]:
    """``data -> [every column, checked, encoded, None replaced by the driver's unset
    marker]``."""
    namespace: dict[str, Any] = {"UNSET": unset}
    lines, items = _row_value_lines(names, key_names, encoders, guarded, namespace)
    lines = ["def row_values(data):", *lines, *_spread("return [", items, "]")]
    return _build(owner, "row_values", lines, namespace)  # type: ignore[no-any-return]


def compile_save_statement(
    owner: type,
    names: Sequence[str],
    key_names: Sequence[str],
    encoders: Mapping[str, Callable[[Any], Any]],
    unset: Any,
    guarded: Mapping[str, Guarded],
    cql: str,
    bound: Callable[[str, list[Any], bool, bool], Any],
    with_options: Callable[[list[Any], Any, Any], Any],
) -> Callable[[Any, Any, Any], Any]:
    """``(doc, ttl, timestamp) -> statement``: the row values of ``compile_row_values`` as
    ``bound(cql, values, True, unset_free)``, or ``with_options(values, ttl, timestamp)``
    when either option is set (one call less than building values and statement apart)."""
    namespace: dict[str, Any] = {
        "UNSET": unset,
        "CQL": cql,
        "bound": bound,
        "with_options": with_options,
    }
    lines, items = _row_value_lines(names, key_names, encoders, guarded, namespace)
    # Only None values become the unset marker; saying there are none spares some drivers
    # a scan of every value.
    nullable = [f"v{i} is None" for i, name in enumerate(names) if name not in key_names]
    unset_free = f"not ({' or '.join(nullable)})" if nullable else "True"
    lines = [
        "def save_statement(doc, ttl, timestamp):",
        "    data = doc.__dict__",
        *lines,
        *_spread("values = [", items, "]"),
        "    if ttl is None and timestamp is None:",
        f"        return bound(CQL, values, True, {unset_free})",
        "    return with_options(values, ttl, timestamp)",
    ]
    return _build(owner, "save_statement", lines, namespace)  # type: ignore[no-any-return]


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
    ``inline`` template where there is one, else a call of its decoder, else the value."""
    values = []
    for i, name in enumerate(names):
        if name in inline:
            values.append(inline[name].format(v=f"c{i}"))
        elif name in decoders:
            namespace[f"dec{i}"] = decoders[name]
            values.append(f"dec{i}(c{i})")
        else:
            values.append(f"c{i}")
    return values


def compile_hydrator(
    owner: type,
    names: Sequence[str],
    decoders: Mapping[str, Callable[[Any], Any]],
    inline: Mapping[str, str],
    defaults: Sequence[tuple[str, Callable[[dict[str, Any]], Any]]],
    private: Callable[[dict[str, Any]], Any] | None,
    setters: Mapping[str, Callable[[Any, Any], None]],
) -> Hydrators:
    """``rows -> instances of owner`` without validation (as a list and as a generator).

    Each row is unpacked into locals, decoded where the driver's type differs from the
    declared one (by an ``inline`` expression, else a call of ``decoders``), and stored
    straight into the instance slots pydantic uses. ``defaults`` supply fields that are not
    in the result (made per row: mutable defaults are never shared); ``private`` builds
    ``__pydantic_private__`` when the model has private attributes.
    """
    namespace: dict[str, Any] = {
        "model": owner,
        "new": object.__new__,
        "set_dict": setters["__dict__"],
        "set_fields": setters["__pydantic_fields_set__"],
        "set_extra": setters["__pydantic_extra__"],
        "set_private": setters["__pydantic_private__"],
        "fields_set": set(names),
        "private": private,
    }
    values = _decoded(names, decoders, inline, namespace)
    entries = [f"{name!r}: {value}" for name, value in zip(names, values, strict=True)]
    build = _spread("data = {", entries, "}", indent="")
    for j, (name, make) in enumerate(defaults):
        namespace[f"default{j}"] = make
        build.append(f"data[{name!r}] = default{j}(data)")
    build += [
        "doc = new(model)",
        "set_dict(doc, data)",
        "set_fields(doc, fields_set.copy())",
        "set_extra(doc, None)",
        "set_private(doc, None)" if private is None else "set_private(doc, private(data))",
    ]
    return _shapes(owner, "hydrate", names, build, "doc", namespace)


def _shapes(
    owner: type,
    source_name: str,
    names: Sequence[str],
    build: list[str],
    item: str,
    namespace: dict[str, Any],
) -> Hydrators:
    """The list, generator and one-row functions around ``build``: lines that turn the
    columns unpacked into ``c0, c1, ...`` into ``item``; one source for the three."""
    unpack = "".join(f"c{i}, " for i in range(len(names))) or "_row"
    # The loops see the namespace as keyword-only defaults: locals are cheaper than globals,
    # per column and per row.
    params = "".join(f", {name}={name}" for name in namespace)
    params = f"rows, *{params}" if params else "rows"
    columns = "\n".join(f"# c{i}: {name}" for i, name in enumerate(names)) or "# no columns"
    body = [f"    for ({unpack}) in rows:", *(f"        {line}" for line in build)]
    lines = [
        columns,
        "",
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


#: (name, checker, encoder or None, guard or None: always checked) of one column.
CheckedColumn = tuple[str, Callable[[Any], Any], Callable[[Any], Any] | None, "Guard | None"]


def _checked(
    columns: Sequence[CheckedColumn], source: str, namespace: dict[str, Any], lines: list[str]
) -> list[str]:
    """Lines reading each column from ``source`` into ``v<i>`` (checked unless its guard
    passes); returns the expressions of the encoded values."""
    encoded = []
    for i, (name, check, encode, guard) in enumerate(columns):
        lines += _guarded_read(i, name, source, (guard, check), namespace, write_back=False)
        if encode is None:
            encoded.append(f"v{i}")
        else:
            namespace[f"enc{i}"] = encode
            encoded.append(f"(None if v{i} is None else enc{i}(v{i}))")
    return encoded


def compile_lookup_values(
    owner: type,
    columns: Sequence[CheckedColumn],
) -> Callable[[Mapping[str, Any]], list[Any]]:
    """``filters -> [checked, encoded values]`` of the primary key, for ``get(**key)``.

    ``columns`` holds (name, checker, encoder or None, guard or None) in key order; a
    missing name raises KeyError (the caller then takes the general query path).
    """
    namespace: dict[str, Any] = {}
    lines = ["def lookup_values(filters):"]
    encoded = _checked(columns, "filters", namespace, lines)
    lines.append(f"    return [{', '.join(encoded)}]")
    return _build(owner, "lookup_values", lines, namespace)  # type: ignore[no-any-return]


def compile_update_values(
    owner: type,
    columns: Sequence[CheckedColumn],
    key_values: Callable[[dict[str, Any]], list[Any]],
) -> Callable[[Mapping[str, Any], dict[str, Any]], tuple[list[Any], dict[str, Any]]]:
    """``(changes, data) -> (bound values, checked changes)`` for one set of updated columns.

    ``columns`` holds (name, checker, encoder or None, guard or None) in table order; a value
    its guard passes skips its checker. The bound values are the encoded new values followed
    by the primary key of ``data``.
    """
    namespace: dict[str, Any] = {"key_values": key_values}
    lines = ["def update_values(changes, data):"]
    encoded = _checked(columns, "changes", namespace, lines)
    checked = ", ".join(f"{name!r}: v{i}" for i, (name, *_) in enumerate(columns))
    lines.append(f"    return [{', '.join(encoded)}, *key_values(data)], {{{checked}}}")
    return _build(owner, "update_values", lines, namespace)  # type: ignore[no-any-return]
