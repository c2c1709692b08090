"""What CQL refuses in a user-defined type value: the rules of each of its fields.

``conforms(value)``: the value is exactly the declared UserType and every field value has
exactly its declared classes (nothing for pydantic to coerce); ``problem(value)``: the first
field whose value CQL would refuse (out of range, lone surrogate, ...) or whose class is
wrong (a field assigned after the instance was built), as a sentence naming the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

if TYPE_CHECKING:
    from coodie.model.types import CqlType
    from coodie.query.cql_limits import ValueRules

__all__ = ["user_type_rules"]


def user_type_rules(t: CqlType) -> ValueRules:
    """How a value of user type ``t`` is checked before it is sent: each field by its own rules."""
    from coodie.model.user_types import type_schema
    from coodie.query.cql_limits import ValueRules, show_value, value_rules

    cls = t.python_type
    fields = [
        (f.name, f.value_annotation, f.cql_type.cql, value_rules(f.cql_type))
        for f in type_schema(cls).fields
    ]
    adapters: dict[str, TypeAdapter[Any]] = {}

    def conforms(value: Any) -> bool:
        if value.__class__ is not cls:
            return False
        data = value.__dict__
        return all(data[name] is None or rules.conforms(data[name]) for name, _, _, rules in fields)

    def wrong_class(name: str, annotation: Any, cql: str, item: Any) -> str | None:
        adapter = adapters.get(name)
        if adapter is None:
            adapter = adapters[name] = TypeAdapter(annotation)
        try:
            adapter.validate_python(item)
        except ValidationError as error:
            reason = error.errors()[0]["msg"]
            return f"its field {name} holds {show_value(item)}, not a {cql} ({reason})"
        return None

    def problem(value: Any) -> str | None:
        data = value.__dict__
        for name, annotation, cql, rules in fields:
            item = data.get(name)
            if item is None:
                continue
            if not rules.conforms(item):
                found = wrong_class(name, annotation, cql, item)
                if found is not None:
                    return found
            if rules.problem is not None:
                reason = rules.problem(item)
                if reason is not None:
                    shown = reason[3:] if reason.startswith("it ") else reason
                    return f"its field {name} holds {show_value(item)}: {shown}"
        return None

    return ValueRules(conforms, problem)
