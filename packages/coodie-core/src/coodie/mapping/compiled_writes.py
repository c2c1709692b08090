"""Per-model write functions generated once with ``exec``: a document's key and row read,
checked and encoded into bound values; the checked values of ``get(**key)`` and of updates.

Every value a document holds is checked against its column before it is written (a field
may have been assigned anything after the document was built). The common case costs one
fast guard per column (:mod:`coodie.mapping.value_guards`) and per item of a collection,
in an inline loop; a value a guard does not pass goes to
its column's checker, whose result (the coerced value) is stored back into the document so
that it holds what is sent. Column names reach the source only through ``repr()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from coodie.mapping.generated_code import build as _build
from coodie.mapping.generated_code import spread as _spread

if TYPE_CHECKING:
    from coodie.mapping.value_guards import Guard

__all__ = [
    "CheckedColumn",
    "Guarded",
    "compile_key_values",
    "compile_lookup_values",
    "compile_row_check",
    "compile_row_values",
    "compile_save_statement",
    "compile_update_values",
]

#: Per column: its fast guard (None: always checked) and its checker, which also answers
#: None (left unset, or the missing key error).
Guarded = tuple["Guard | None", Callable[[Any], Any]]


def _guard_lines(i: int, guard: Guard, namespace: dict[str, Any], slow: list[str]) -> list[str]:
    """``if not (guard): <slow>`` for ``v<i>``; a guard that may raise TypeError counts as not
    passed; a collection guard then tests the items in an inline loop."""
    for key, helper in guard.helpers.items():
        namespace[f"g{i}{key}"] = helper
    for key, helper in guard.each_helpers.items():
        namespace[f"g{i}_{key}"] = helper
    v = f"v{i}"
    test = guard.template.format(v=v, g=f"g{i}")
    if guard.may_raise:
        return [
            "    try:",
            f"        if not ({test}): raise TypeError",
            "    except TypeError:",
            *(f"        {line}" for line in slow),
        ]
    if guard.each is None:
        if len(slow) == 1:
            return [f"    if not ({test}): {slow[0]}"]
        return [f"    if not ({test}):", *(f"        {line}" for line in slow)]
    each = guard.each.format(x=f"x{i}", k=f"k{i}", e=f"g{i}_")
    items = f"({v} or {{}})" if guard.none_passes else v
    loop = f"for k{i}, x{i} in {items}.items():" if guard.pairs else f"for x{i} in {items}:"
    if guard.none_passes and not guard.pairs:
        loop = f"for x{i} in ({v} or ()):"
    return [
        f"    if not ({test}):",
        *(f"        {line}" for line in slow),
        "    else:",
        f"        {loop}",
        f"            if not ({each}): {slow[0]}; break",
    ]


def _read(
    i: int, name: str, source: str, guarded: Guarded, namespace: dict[str, Any], target: str
) -> list[str]:
    """Lines reading ``name`` from ``source`` into ``v<i>``, checked unless its guard passes
    (``target`` is what the checked value is assigned to)."""
    guard, check = guarded
    namespace[f"check{i}"] = check
    if guard is None:
        return [f"    {target}check{i}({source}[{name!r}])"]
    return [
        f"    v{i} = {source}[{name!r}]",
        *_guard_lines(i, guard, namespace, [f"{target}check{i}(v{i})"]),
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
        lines += _read(i, name, "data", guarded[name], namespace, f"v{i} = data[{name!r}] = ")
        if name in encoders:
            namespace[f"enc{i}"] = encoders[name]
            items.append(f"enc{i}(v{i})")
        else:
            items.append(f"v{i}")
    lines.append(f"    return [{', '.join(items)}]")
    return _build(owner, "key_values", lines, namespace)  # type: ignore[no-any-return]


class _RowCode:
    """The lines reading and checking every column of a row from ``data`` and, with
    ``bind``, the expressions of their bound values (None becomes the unset marker).

    A regular column whose guard passes holds no None, so its value is bound as it is; when
    its checker answers None, the slow path makes it ``UNSET`` and clears ``unset_free``.
    """

    def __init__(
        self,
        names: Sequence[str],
        key_names: Sequence[str],
        encoders: Mapping[str, Callable[[Any], Any]],
        guarded: Mapping[str, Guarded],
        namespace: dict[str, Any],
        *,
        bind: bool,
    ) -> None:
        self.lines: list[str] = []
        self.items: list[str] = []
        #: ``v<i> is None`` of the columns whose None is left to the bound values.
        self.nullable: list[str] = []
        #: Whether some column's slow path may clear ``unset_free``.
        self.tracks_unset = False
        for i, name in enumerate(names):
            guard, check = guarded[name]
            namespace[f"check{i}"] = check
            value = f"v{i}"
            if name in encoders:
                namespace[f"enc{i}"] = encoders[name]
                value = f"enc{i}(v{i})"
            is_key = name in key_names
            direct = False
            if guard is None:
                self.lines.append(f"    v{i} = data[{name!r}] = check{i}(data[{name!r}])")
            else:
                direct = bind and not is_key and name not in encoders and not guard.none_passes
                slow = [f"v{i} = data[{name!r}] = check{i}(v{i})"]
                if direct:
                    slow.append(f"if v{i} is None: v{i} = UNSET; unset_free = False")
                    self.tracks_unset = True
                self.lines.append(f"    v{i} = data[{name!r}]")
                self.lines += _guard_lines(i, guard, namespace, slow)
            if is_key or direct:
                self.items.append(value)
            else:
                self.items.append(f"(UNSET if v{i} is None else {value})")
                self.nullable.append(f"v{i} is None")


def compile_row_check(
    owner: type, names: Sequence[str], guarded: Mapping[str, Guarded]
) -> Callable[[dict[str, Any]], None]:
    """``data -> None``: the checks of :func:`compile_row_values` alone (``insert_many`` runs
    them over a whole list before sending anything)."""
    namespace: dict[str, Any] = {}
    code = _RowCode(names, (), {}, guarded, namespace, bind=False)
    lines = ["def check_row(data):", *code.lines]
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
    code = _RowCode(names, key_names, encoders, guarded, namespace, bind=True)
    lines = ["def row_values(data):", *code.lines, *_spread("return [", code.items, "]")]
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
    code = _RowCode(names, key_names, encoders, guarded, namespace, bind=True)
    # Only None values become the unset marker; saying there are none spares some drivers
    # a scan of every value.
    checks = [f"not ({' or '.join(code.nullable)})"] if code.nullable else []
    if code.tracks_unset:
        checks.insert(0, "unset_free")
    unset_free = " and ".join(checks) or "True"
    lines = [
        "def save_statement(doc, ttl, timestamp):",
        "    data = doc.__dict__",
        *(["    unset_free = True"] if code.tracks_unset else []),
        *code.lines,
        *_spread("values = [", code.items, "]"),
        "    if ttl is None and timestamp is None:",
        f"        return bound(CQL, values, True, {unset_free})",
        "    return with_options(values, ttl, timestamp)",
    ]
    return _build(owner, "save_statement", lines, namespace)  # type: ignore[no-any-return]


#: (name, checker, encoder or None, guard or None: always checked) of one column.
CheckedColumn = tuple[str, Callable[[Any], Any], Callable[[Any], Any] | None, "Guard | None"]


def _checked(
    columns: Sequence[CheckedColumn], source: str, namespace: dict[str, Any], lines: list[str]
) -> list[str]:
    """Lines reading each column from ``source`` into ``v<i>`` (checked unless its guard
    passes); returns the expressions of the encoded values."""
    encoded = []
    for i, (name, check, encode, guard) in enumerate(columns):
        lines += _read(i, name, source, (guard, check), namespace, f"v{i} = ")
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
