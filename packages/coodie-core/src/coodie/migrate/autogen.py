"""How models differ from the live schema, as readable changes and as migration code.

The comparison is the one ``sync_table()`` makes (``coodie.mapping.schema_drift``), plus
the columns and indexes the table has and the model no longer declares. What Cassandra
cannot do in place (a primary-key or column-type change) is never written as code: the
migration gets the reason and a commented multi-step plan instead.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coodie.api.document import DocumentBase
from coodie.cql import ddl
from coodie.drivers.statement import Statement
from coodie.exceptions import ConfigurationError, SchemaError
from coodie.mapping import schema_drift as drift

if TYPE_CHECKING:
    from coodie.drivers.base import AbstractDriver

__all__ = ["Change", "diff_models", "documents_of", "migration_bodies"]


@dataclass
class Change:
    """One difference: what it is, the code that applies it and the code that undoes it."""

    description: str
    upgrade: list[str] = field(default_factory=list)
    downgrade: list[str] = field(default_factory=list)
    #: True when Cassandra cannot apply it in place: the code lines are comments.
    refused: bool = False


def documents_of(module_name: str) -> list[type]:
    """The Document classes defined in ``module_name`` (imported ones are left out)."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ConfigurationError(
            f"cannot import the models module {module_name!r} ({error}): pass the module path "
            "as Python imports it, with its folder on PYTHONPATH."
        ) from error
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, DocumentBase)
        and value.__module__ == module.__name__
        and not value.__dict__.get("__coodie_abstract__", False)  # a base, no table
    ]
    if not found:
        raise ConfigurationError(f"{module_name} defines no coodie Document class.")
    return found


def diff_models(driver: AbstractDriver, models: list[type], keyspace: str | None) -> list[Change]:
    """What differs between ``models`` and the live schema of ``keyspace``, as migration changes."""
    changes: list[Change] = []
    for model in models:
        changes += _diff_model(driver, model, keyspace)
    return changes


def _diff_model(driver: AbstractDriver, model: type, keyspace: str | None) -> list[Change]:
    schema = model.coodie_schema()  # type: ignore[attr-defined]
    space = schema.keyspace or keyspace or driver.keyspace
    if not space:
        raise ConfigurationError(f"{schema.model_name}: no keyspace: pass --keyspace.")
    kw = f", keyspace={space!r}" if schema.keyspace else ""
    where = [space, schema.table]
    live = drift.live_columns(driver.execute(Statement(drift.COLUMNS_QUERY, where)))
    table = schema.table
    if not live:
        create = [ddl.create_table(schema)] + [
            ddl.create_index(schema, c) for c in schema.indexed_columns
        ]
        return [
            Change(
                f"{schema.model_name}: create table {space}.{table}",
                [f"op.execute({_literal(cql)})" for cql in create],
                [f"op.drop_table({table!r}{kw})"],
            )
        ]
    try:
        drift.check_drift(schema, space, live)
    except SchemaError as error:
        return [_refused(schema, space, str(error))]
    changes = []
    for column in schema.columns:
        if column.name not in live:
            changes.append(
                Change(
                    f"{schema.model_name}: add column {column.name} {column.cql_type.cql}",
                    [f"op.add_column({table!r}, {column.name!r}, {column.cql_type.cql!r}{kw})"],
                    [f"op.drop_column({table!r}, {column.name!r}{kw})"],
                )
            )
    for name, found in sorted(live.items()):
        if name not in schema.by_name:
            changes.append(
                Change(
                    f"{schema.model_name}: drop column {name} (the table has it, the model "
                    "does not; its data is lost)",
                    [f"op.drop_column({table!r}, {name!r}{kw})"],
                    [f"op.add_column({table!r}, {name!r}, {found.type!r}{kw})  # no data back"],
                )
            )
    changes += _option_changes(driver, schema, where, kw)
    changes += _index_changes(driver, schema, where, kw)
    return changes


def _option_changes(driver: AbstractDriver, schema: Any, where: list[str], kw: str) -> list[Change]:
    if not schema.option_values:
        return []
    rows = drift.page_dicts(driver.execute(Statement(drift.OPTIONS_QUERY, where)))
    live = rows[0] if rows else {}
    changed = drift.changed_options(schema.option_values, live)
    if not changed:
        return []
    values = dict(schema.option_values)
    args = ", ".join(f"{n}={values[n]!r}" for n in changed)
    undo = ", ".join(f"{n}={_plain(live[n])!r}" for n in changed)
    return [
        Change(
            f"{schema.model_name}: table options {', '.join(changed)}",
            [f"op.alter_table_options({schema.table!r}{kw}, {args})"],
            [f"op.alter_table_options({schema.table!r}{kw}, {undo})"],
        )
    ]


def _plain(value: Any) -> Any:
    """A live option value as plain Python (drivers return their own map classes)."""
    if hasattr(value, "items"):
        return {str(k): str(v) for k, v in value.items()}
    return value


def _index_changes(driver: AbstractDriver, schema: Any, where: list[str], kw: str) -> list[Change]:
    page = driver.execute(Statement(drift.INDEXES_QUERY, where))
    live = {row[0] for row in page.rows}
    declared = {schema.index_name(c): c for c in schema.indexed_columns}
    changes = []
    for name in sorted(live - set(declared)):
        changes.append(
            Change(
                f"{schema.model_name}: drop index {name} (the model no longer declares it)",
                [f"op.drop_index({name!r}{kw})"],
                [f"# re-create index {name} by hand: its definition is not recorded"],
            )
        )
    for name, column in sorted(declared.items()):
        if name not in live:
            cql = ddl.create_index(schema, column)
            changes.append(
                Change(
                    f"{schema.model_name}: create index {name} on {column.name}",
                    [f"op.execute({_literal(cql)})"],
                    [f"op.drop_index({name!r}{kw})"],
                )
            )
    return changes


def _literal(text: str) -> str:
    """A Python string literal in double quotes (CQL text has single ones); JSON's string
    escapes are all Python escapes too."""
    return json.dumps(text)


def _refused(schema: Any, space: str, reason: str) -> Change:
    plan = [
        f"# NOT APPLIED: {reason}",
        "# Cassandra cannot change this in place. A plan in steps, each its own migration:",
        f"#   1. give the model a new table (Settings.name = '{schema.table}_v2') and",
        "#      op.create_table(models." + schema.model_name + ") here;",
        f"#   2. copy the rows: op.scan('{schema.table}', copy_row) with a function that",
        "#      converts each row and saves it to the new table (resumable, see docs);",
        "#   3. switch the application to the new table, then drop the old one:",
        f"#      op.drop_table('{schema.table}').",
    ]
    return Change(
        f"{schema.model_name}: REFUSED, {space}.{schema.table} cannot be changed in place: "
        f"{reason}",
        plan,
        [],
        refused=True,
    )


def migration_bodies(changes: list[Change]) -> tuple[str, str]:
    """The indented ``upgrade`` and ``downgrade`` bodies for a migration file."""
    up = [f"    {line}" for change in changes for line in change.upgrade]
    down = [f"    {line}" for change in reversed(changes) for line in change.downgrade]
    has_code = [line for line in up if not line.lstrip().startswith("#")]
    down_code = [line for line in down if not line.lstrip().startswith("#")]
    return (
        "\n".join(up + ([] if has_code else ["    pass"])),
        "\n".join(down + ([] if down_code else ["    pass"])),
    )
