"""Fast guards of generated code: per column, an expression that is true when a value needs
no checking (no I/O).

Every write checks each value a document holds against its column (a field may have been
assigned anything after the document was built), so the common case, a value of exactly
the declared class and within CQL's limits, must cost about one class check:
``v.__class__ is float``; ``v.__class__ is int and -2147483648 <= v <= 2147483647``;
``v.__class__ is str and v.isascii()`` (ASCII text has no lone surrogate). A value the guard
does not pass goes to the column's full checker (:mod:`coodie.query.value_checks`), which
coerces it the way pydantic would or raises InvalidQueryError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from coodie.model.types import FLOAT_MAX, INT_RANGES, MAX_KEY_BYTES
from coodie.query.cql_limits import key_problem, value_rules
from coodie.query.value_checks import has_constraints

if TYPE_CHECKING:
    from coodie.model.schema import ColumnDefinition, TableSchema
    from coodie.model.types import CqlType

__all__ = ["Guard", "guard_for"]

_TEXT = ("text", "ascii")


class Guard(NamedTuple):
    """``template``: a Python expression over ``{v}`` (the value) whose helpers are named
    ``{g}<key of helpers>``; ``may_raise``: it raises TypeError on some wrong values (the
    generated code then treats TypeError as "not passed"); ``none_passes``: it passes None.

    ``each`` (collections): the items are then tested one by one in an inline loop, by an
    expression over ``{x}`` (map items: ``{k}`` and ``{x}``) with helpers ``{e}<key>``.
    """

    template: str
    helpers: dict[str, Any]
    may_raise: bool = False
    none_passes: bool = False
    each: str | None = None
    each_helpers: dict[str, Any] = {}  # shared default, never mutated
    pairs: bool = False


def _is_text(t: CqlType) -> bool:
    return t.name in _TEXT and t.python_type is str


def _scalar(t: CqlType) -> Guard | None:
    py = t.python_type
    if not isinstance(py, type):
        return None
    if t.name in INT_RANGES and py is int:
        low, high = INT_RANGES[t.name]
        return Guard(f"{{v}}.__class__ is int and {low} <= {{v}} <= {high}", {})
    if t.name == "float" and py is float:
        return Guard(f"{{v}}.__class__ is float and {-FLOAT_MAX!r} <= {{v}} <= {FLOAT_MAX!r}", {})
    if _is_text(t):
        return Guard("{v}.__class__ is str and {v}.isascii()", {})
    if t.name == "timeuuid":
        return Guard("{v}.__class__ is {g}cls and {v}.version == 1", {"cls": py})
    return Guard("{v}.__class__ is {g}cls", {"cls": py})


def _whole(t: CqlType) -> Guard:
    """A compound value checked by its rules in one call (slower; uncommon shapes only)."""
    conforms, problem = value_rules(t)
    if problem is None:
        return Guard("{g}ok({v})", {"ok": conforms})
    found = problem

    def ok(value: Any) -> bool:
        return conforms(value) and found(value) is None

    return Guard("{g}ok({v})", {"ok": ok})


def _item(t: CqlType, name: str) -> tuple[str, dict[str, Any]] | None:
    """The guard of one collection item, over ``{name}``, with helpers under ``{e}``."""
    if t.params or t.is_udt:
        return None
    guard = _scalar(t)
    if guard is None or guard.may_raise:
        return None
    test = guard.template.replace("{v}", "{" + name + "}").replace("{g}", "{e}")
    return test, guard.helpers


def _compound(t: CqlType) -> Guard:
    container = t.python_type
    if t.name == "vector":
        item = _item(t.params[0], "x")
        if item is not None:
            return Guard(
                f"{{v}}.__class__ is list and len({{v}}) == {t.size}",
                {},
                each=item[0],
                each_helpers=item[1],
            )
    # An inline loop over the items: no call per item, and it stops at the first bad one.
    if t.name in ("list", "set") and container in (list, set, frozenset):
        item = _item(t.params[0], "x")
        if item is not None:
            return Guard(
                "{v}.__class__ is {g}cls", {"cls": container}, each=item[0], each_helpers=item[1]
            )
    if t.name == "map" and container is dict:
        key, value = _item(t.params[0], "k"), _item(t.params[1], "x")
        if key is not None and value is not None:
            helpers = {f"k{n}": h for n, h in key[1].items()}
            helpers.update({f"v{n}": h for n, h in value[1].items()})
            test = f"({key[0].replace('{e}', '{e}k')}) and ({value[0].replace('{e}', '{e}v')})"
            return Guard("{v}.__class__ is dict", {}, each=test, each_helpers=helpers, pairs=True)
    return _whole(t)


def guard_for(
    schema: TableSchema, column: ColumnDefinition, *, writing: bool, none_passes: bool
) -> Guard | None:
    """The guard of ``column``'s values, or None when every value must go to the checker
    (constraints only pydantic knows). ``writing``: the key rules of a written key apply
    (see :func:`coodie.query.cql_limits.key_problem`); ``none_passes``: None needs no check
    (an Optional column, sent as unset)."""
    if has_constraints(column.value_annotation):
        return None
    t = column.cql_type
    if t.is_udt:  # the class and every field: one call
        guard: Guard | None = _whole(t)
    else:
        guard = _compound(t) if t.params else _scalar(t)
    if guard is None:
        return None
    template = guard.template
    if key_problem(schema, column, writing=writing) is not None:
        sole = column.is_partition_key and len(schema.partition_keys) == 1
        if t.name == "blob" or _is_text(t):  # ASCII text (the guard says so): chars are bytes
            low = "0 < " if sole else ""
            template = f"{template} and {low}len({{v}}) <= {MAX_KEY_BYTES}"
        else:
            return None
        return guard._replace(template=template)
    if none_passes:
        return guard._replace(template=f"{{v}} is None or ({template})", none_passes=True)
    return guard
