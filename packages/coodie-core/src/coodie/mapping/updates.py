"""UPDATEs of one model on one driver, of a document or of the row a query names (no I/O).

The keywords of each call shape are validated once into an
:class:`~coodie.mapping.update_plans.UpdatePlan`; the common case (no TTL, timestamp or
condition) then costs one generated function call and one statement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.drivers.statement import Statement, bound
from coodie.mapping.shapes import UpdateShape, cql_text
from coodie.mapping.update_plans import UpdatePlan, UpdatePlanner
from coodie.mapping.writes import Write, missing_field, new_write
from coodie.query.checks import update_key
from coodie.query.write_options import check_timestamp, check_ttl

if TYPE_CHECKING:
    from collections.abc import Mapping

    from coodie.mapping.conditions import Conditions
    from coodie.mapping.values import ColumnValues
    from coodie.query.state import QueryState

__all__ = ["Updates"]


class Updates:
    """UPDATE statements of one model and the changes to mirror once they ran."""

    def __init__(self, values: ColumnValues, conditions: Conditions) -> None:
        self.values = values
        self.schema = values.schema
        self.name = values.name
        self.conditions = conditions
        self.planner = UpdatePlanner(values)
        self.plans = self.planner.plans  # read directly on the hot path

    def plain_update(
        self,
        doc: Any,
        values: Mapping[str, Any] | None,
        fields: dict[str, Any],
        ttl: Any,
        timestamp: Any,
        if_conditions: Mapping[str, Any] | None,
        if_exists: bool,
    ) -> tuple[Statement, dict[str, Any]] | None:
        """``update()``'s common case: with no option set, the UPDATE and the checked values
        to mirror on ``doc`` once it ran (``Writes.apply_changes``); else ``None``, and the
        caller takes :meth:`update_write` (whose outcome needs checking)."""
        if (
            values is not None
            or ttl is not None
            or timestamp is not None
            or if_conditions
            or if_exists
        ):
            return None
        names = tuple(fields)
        plan = self.plans.get(names) or self.planner.build(names)
        try:
            encoded, checked = plan.values(fields, doc.__dict__)
        except KeyError as error:  # free until raised
            raise missing_field(self.values, doc, error) from None
        return bound(plan.cql, encoded, plan.idempotent, True), checked

    def update_write(
        self,
        doc: Any,
        values: Mapping[str, Any] | None,
        fields: dict[str, Any],
        ttl: Any = None,
        timestamp: Any = None,
        if_conditions: Mapping[str, Any] | None = None,
        if_exists: bool = False,
    ) -> Write:
        """UPDATE of the columns in ``values`` and ``fields`` (keywords win); the Write's
        ``changes`` hold the checked new values. Arguments are positional: hot path."""
        changes = fields if values is None else {**values, **fields}
        try:
            return self._update_row(doc.__dict__, changes, ttl, timestamp, if_conditions, if_exists)
        except KeyError as error:
            raise missing_field(self.values, doc, error) from None

    def query_update_write(
        self,
        state: QueryState,
        values: Mapping[str, Any] | None,
        fields: dict[str, Any],
        ttl: Any = None,
        timestamp: Any = None,
        if_conditions: Mapping[str, Any] | None = None,
        if_exists: bool = False,
    ) -> Write:
        """UPDATE of the one row a query's filters name by its whole primary key, without
        reading it (``QuerySet.update``); the Write's changes are not mirrored anywhere."""
        key = update_key(self.schema, state)
        changes = fields if values is None else {**values, **fields}
        return self._update_row(key, changes, ttl, timestamp, if_conditions, if_exists)

    def _update_row(
        self,
        data: dict[str, Any],
        changes: Mapping[str, Any],
        ttl: Any,
        timestamp: Any,
        if_conditions: Mapping[str, Any] | None,
        if_exists: bool,
    ) -> Write:
        """The UPDATE of ``changes`` on the row whose key is in ``data`` (a document's fields,
        or the key of a query)."""
        names = tuple(changes)
        plan = self.plans.get(names) or self.planner.build(names)
        encoded, checked = plan.values(changes, data)
        if ttl is None and timestamp is None and not if_conditions and not if_exists:
            statement = bound(plan.cql, encoded, plan.idempotent, True)
            return new_write((statement, checked, False, "update"))
        return self._update_with_options(
            plan, encoded, checked, ttl, timestamp, if_conditions, if_exists
        )

    def _update_with_options(
        self,
        plan: UpdatePlan,
        encoded: list[Any],
        checked: dict[str, Any],
        ttl: Any,
        timestamp: Any,
        if_conditions: Mapping[str, Any] | None,
        if_exists: bool,
    ) -> Write:
        bound_values: list[Any] = []
        if ttl is not None:
            bound_values.append(check_ttl(ttl, self.name))
        if timestamp is not None:
            bound_values.append(check_timestamp(timestamp, self.name))
        bound_values += encoded
        conditions = self.conditions.parse(if_conditions, if_exists)
        bound_values.extend(v for _, _, bound in conditions for v in bound)
        shape = UpdateShape(
            "update",
            self.schema,
            plan.assignments,
            ttl is not None,
            timestamp is not None,
            if_exists,
            tuple((n, op) for n, op, _ in conditions),
        )
        lwt = bool(conditions) or if_exists
        statement = Statement(cql_text(shape), bound_values, idempotent=plan.idempotent and not lwt)
        return Write(statement, checked, lwt, "update")
