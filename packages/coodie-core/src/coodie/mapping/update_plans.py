"""Update plans: the keywords of one ``update()`` shape validated once, then turned into
the CQL assignments and a function computing the bound values (no I/O).

A keyword is a field name (replace the value) or ``field__op`` with a collection operator
(:mod:`coodie.mapping.collection_updates`). Plans are cached per keyword tuple, so the checks run
once per call shape, not per call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from coodie.cql.conditions import split_key
from coodie.exceptions import InvalidQueryError
from coodie.mapping.collection_updates import (
    CollectionUpdate,
    collection_update,
    is_collection_operator,
)
from coodie.mapping.collection_updates import unknown_operator as unknown_update_operator
from coodie.mapping.compiled_writes import compile_update_values
from coodie.mapping.condition_targets import check_element_index
from coodie.mapping.shapes import UpdateShape, cql_text
from coodie.mapping.user_type_updates import field_update, field_update_codecs, is_field_update
from coodie.mapping.value_guards import guard_for
from coodie.query.state import checker_for, unknown_column

if TYPE_CHECKING:
    from coodie.drivers.base import Encoder
    from coodie.mapping.values import ColumnValues
    from coodie.model.schema import ColumnDefinition, TableSchema

__all__ = ["UpdatePlan", "UpdatePlanner", "writable_column"]

Values = Callable[[Mapping[str, Any], dict[str, Any]], tuple[list[Any], dict[str, Any]]]


class UpdatePlan(NamedTuple):
    """What an update of one set of keywords needs: a function ``(changes, data) -> (bound
    values, new values to mirror on the document)``, the ``(column, kind)`` assignments in
    table order, the CQL of the option-less statement, and whether running it twice is
    harmless (not for list append/prepend)."""

    values: Values
    assignments: tuple[tuple[str, str], ...]
    cql: str
    idempotent: bool


def writable_column(schema: TableSchema, name: str, action: str) -> ColumnDefinition:
    """The column ``name`` that ``action()`` changes: it must exist and not be a key column."""
    column = schema.by_name.get(name)
    if column is None:
        raise unknown_column(schema, name, "field")
    if column.is_primary_key:
        raise InvalidQueryError(
            f"{schema.model_name}.{name} is part of the primary key and cannot be changed by "
            f"{action}(); delete the row and save a new one."
        )
    return column


def _mirror(compute: Callable[[Any, Any, type], Any], container: type, old: Any, new: Any) -> Any:
    return compute(old, new, container)


class UpdatePlanner:
    """Builds the UpdatePlan of each keyword tuple of one model on one driver, and keeps them
    in ``plans`` (read directly on the update hot path)."""

    def __init__(self, values: ColumnValues) -> None:
        self.values = values
        self.schema = values.schema
        self.name = values.name
        self.encoders = values.encoders
        self.plans: dict[tuple[str, ...], UpdatePlan] = {}

    def build(self, names: tuple[str, ...]) -> UpdatePlan:
        """Validate the keywords of an update once per keyword tuple and cache the result.

        A keyword is a field name (replace the value) or ``field__op`` with a collection
        operator (see :mod:`coodie.mapping.collection_updates`).
        """
        if not names:
            raise InvalidQueryError(
                f"{self.name}: update() needs at least one field, e.g. update(price=9.5)."
            )
        entries: list[tuple[str, ColumnDefinition, CollectionUpdate | None]] = []
        seen: dict[str, str] = {}
        for key in names:
            field, op = split_key(key, self.schema.by_name)
            in_place = None
            if op != "eq" and not is_collection_operator(op):
                if field in self.schema.by_name:
                    in_place = field_update(self.name, self.schema.by_name[field], op)
                    if in_place is None:
                        raise unknown_update_operator(self.name, key, op)
                else:
                    field, op = key, "eq"  # reported as an unknown field below
            column = writable_column(self.schema, field, "update")
            if column.is_counter:
                raise InvalidQueryError(
                    f"{self.name}.{field} is a counter; change it with increment({field}=...)."
                )
            # Fields of one UDT may be set side by side (``addr.city``, ``addr.zip``).
            slot = field if in_place is None else f"{field}.{op}"
            whole = f"{field}." if in_place is None else field
            earlier = seen.get(slot) or seen.get(whole)
            if earlier is not None:
                raise InvalidQueryError(
                    f"{self.name}: update() names {field!r} twice ({earlier}, {key}); "
                    "Cassandra takes one assignment per column in a statement."
                )
            seen[slot] = key
            if in_place is not None:
                seen.setdefault(f"{field}.", key)
            operator = in_place
            if operator is None and op != "eq":
                operator = collection_update(self.name, column, op)
            entries.append((key, column, operator))
        entries.sort(key=lambda entry: entry[1].position)
        assignments = tuple(
            (column.name, "set" if operator is None else operator.kind)
            for _, column, operator in entries
        )
        if all(operator is None for _, _, operator in entries):
            values = compile_update_values(
                self.values.model,
                [
                    (
                        c.name,
                        self.write_checker(c),
                        self.encoders.get(c.name),
                        guard_for(self.schema, c, writing=True, none_passes=c.optional),
                    )
                    for _, c, _ in entries
                ],
                self.values.key_values,
            )
        else:
            values = self._collection_values(entries)
        plan = UpdatePlan(
            values,
            assignments,
            cql_text(UpdateShape("update", self.schema, assignments, False, False, False, ())),
            all(operator is None or operator.idempotent for _, _, operator in entries),
        )
        self.plans[names] = plan
        return plan

    def _collection_values(
        self, entries: list[tuple[str, ColumnDefinition, CollectionUpdate | None]]
    ) -> Callable[[Mapping[str, Any], dict[str, Any]], tuple[list[Any], dict[str, Any]]]:
        """The ``values`` function of an update plan with collection operators (not generated:
        these updates are rarer, and each one computes the document's new collection)."""
        steps: list[
            tuple[
                str,
                str,
                Callable[[Any], Any],
                Encoder | None,
                Callable[[Any, Any], Any] | None,
                bool,
            ]
        ] = []
        for key, column, operator in entries:
            if operator is None:
                steps.append(
                    (
                        key,
                        column.name,
                        self.write_checker(column),
                        self.encoders.get(column.name),
                        None,
                        False,
                    )
                )
            else:
                check, encode = self._operand_codecs(key, column, operator)
                container = column.cql_type.python_type
                mirror = partial(_mirror, operator.mirror, container)
                steps.append((key, column.name, check, encode, mirror, operator.element))
        key_values = self.values.key_values

        def values(
            changes: Mapping[str, Any], data: dict[str, Any]
        ) -> tuple[list[Any], dict[str, Any]]:
            encoded: list[Any] = []
            checked: dict[str, Any] = {}
            for key, name, check, encode, mirror, element in steps:
                value = check(changes[key])
                if element:  # (index, value): two bound values, the value encoded
                    index, item = value
                    encoded += (index, item if encode is None else encode(item))
                else:
                    encoded.append(value if encode is None or value is None else encode(value))
                old = checked[name] if name in checked else data.get(name)
                checked[name] = value if mirror is None else mirror(old, value)
            encoded += key_values(data)
            return encoded, checked

        return values

    def _operand_codecs(
        self, key: str, column: ColumnDefinition, operator: CollectionUpdate
    ) -> tuple[Callable[[Any], Any], Encoder | None]:
        """Checker and encoder of what a collection operator takes: a collection of the
        column's own type, or for map ``__remove`` the keys to remove."""
        if is_field_update(operator):
            return field_update_codecs(self.name, column, operator, self.values.driver)
        where = f"{self.name}.{key}"
        kind = column.cql_type.name
        if operator.keys_only:
            check_key = checker_for(self.schema, column, "contains_key")
            key_encoder = self.values.element_encoder(column.cql_type, "contains_key")

            def check(value: Any) -> Any:
                if (
                    value is None
                    or isinstance(value, (str, bytes, Mapping))
                    or not hasattr(value, "__iter__")
                ):
                    raise InvalidQueryError(
                        f"{where} takes the keys to remove as a set, e.g. "
                        f"{key}={{'a', 'b'}}; got {value!r}."
                    )
                return {check_key(k) for k in value}

            if key_encoder is None:
                return check, None
            encode_key = key_encoder
            return check, lambda keys: {encode_key(k) for k in keys}

        if operator.element:
            return self._element_codecs(key, column)
        check_value = checker_for(self.schema, column, "eq")

        def check_operand(value: Any) -> Any:
            if value is None:
                raise InvalidQueryError(
                    f"{where} takes a {kind} of values to apply, not None. To empty the "
                    f"column, use delete_columns({column.name!r})."
                )
            return check_value(value)

        return check_operand, self.encoders.get(column.name)

    def _element_codecs(
        self, key: str, column: ColumnDefinition
    ) -> tuple[Callable[[Any], Any], Encoder | None]:
        """Checker of ``(index, value)`` for one list element, and the element's encoder."""
        where = f"{self.name}.{key}"
        check_item = checker_for(self.schema, column, "contains")

        def check(operand: Any) -> Any:
            if not isinstance(operand, (tuple, list)) or len(operand) != 2:
                raise InvalidQueryError(
                    f"{where} takes (index, value), e.g. {key}=(0, 'x'); got {operand!r}."
                )
            index, value = operand
            check_element_index(where, column, index)
            if value is None:
                raise InvalidQueryError(
                    f"{where}: the new element is None; a list holds no nulls. Remove "
                    f"elements with {column.name}__remove=[...]."
                )
            return index, check_item(value)

        return check, self.values.element_encoder(column.cql_type, "contains")

    def write_checker(self, column: ColumnDefinition) -> Callable[[Any], Any]:
        """The check (and conversion) of a value written to ``column``; ``None`` is refused unless
        the column is Optional."""
        check = checker_for(self.schema, column, "eq")
        if column.optional:
            return lambda value: None if value is None else check(value)

        def required(value: Any) -> Any:
            if value is None:
                raise InvalidQueryError(
                    f"{self.name}.{column.name} is not Optional, so it cannot be set to None; "
                    "declare it Optional[...] or use delete_columns()."
                )
            return check(value)

        return required
