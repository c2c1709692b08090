"""User-defined type values built by the row hydrator itself, not by a decoder call.

cassandra-driver hands every value of one UDT over as instances of one named tuple class.
Once a hydrator has seen that class with exactly the declared fields in order, it unpacks such
values and builds the UserType in its own loop: no call per value, the same instance the
decoder (``coodie.mapping.user_type_codecs``) builds. Any other value (a dict from acsylla,
None, a tuple of another class) goes to the decoder as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.drivers.base import Decoder

__all__ = ["UserTypePlan", "inline_plan", "value_lines"]


@dataclass(frozen=True)
class UserTypePlan:
    """What building one UDT value takes: the model, its fields in the type's order, their
    decoders (None: the driver's value is the field's), and the null fill of the fields that
    cannot be None (called with the instance dict when one of ``null_tested`` is None)."""

    model: type
    names: tuple[str, ...]
    field_decoders: tuple[Decoder | None, ...]
    fill_nulls: Callable[[dict[str, Any]], None] | None
    null_tested: tuple[int, ...]


def inline_plan(decoder: Any) -> UserTypePlan | None:
    """The plan a UDT decoder carries when hydrators may build its values in place."""
    plan = getattr(decoder, "coodie_inline_plan", None)
    return plan if isinstance(plan, UserTypePlan) else None


def value_lines(
    plan: UserTypePlan, i: int, namespace: dict[str, Any], learnt: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """The hydrator lines that turn column ``c<i>`` into ``u<i>``, and the helper function
    they call (``learn<i>``, defined beside the hydrators). The named tuple class learnt is
    the global ``known<i>`` (in ``learnt``); the decoder is ``dec<i>`` in ``namespace``."""
    namespace[f"umodel{i}"] = plan.model
    namespace[f"ufields{i}"] = plan.names
    fields = [f"u{i}_{j}" for j in range(len(plan.names))]
    lines = [
        f"if c{i}.__class__ is known{i}:",
        f"    {', '.join(fields)}{',' if len(fields) == 1 else ''} = c{i}[:]",
    ]
    for j, decoder in enumerate(plan.field_decoders):
        if decoder is not None:
            namespace[f"dec{i}_{j}"] = decoder
            lines.append(f"    {fields[j]} = dec{i}_{j}({fields[j]})")
    lines += [f"    u{i} = new(umodel{i})", f"    ud{i} = u{i}.__dict__"]
    lines += [
        f"    ud{i}[{name!r}] = {field}" for name, field in zip(plan.names, fields, strict=True)
    ]
    if plan.fill_nulls is not None and plan.null_tested:
        namespace[f"ufill{i}"] = plan.fill_nulls
        tests = " or ".join(f"{fields[j]} is None" for j in plan.null_tested)
        lines.append(f"    if {tests}: ufill{i}(ud{i})")
    lines += [
        f"elif c{i} is None:",
        f"    u{i} = None",
        f"elif c{i}.__class__ is dict:",
        f"    u{i} = dec{i}(c{i})",
        "else:",
        f"    u{i} = learn{i}(c{i})",
    ]
    learnt[f"known{i}"] = None
    helper = [
        f"def learn{i}(v):",
        f"    global known{i}",
        f"    if isinstance(v, tuple) and getattr(v, '_fields', None) == ufields{i}:",
        f"        known{i} = v.__class__",
        f"    return dec{i}(v)",
        "",
    ]
    return lines, helper
