"""Autogenerate: models against a live schema given as system_schema pages (no database)."""

from __future__ import annotations

import sys
import types
from typing import Annotated, Any

import pytest

from coodie.drivers.statement import ResultPage, Statement
from coodie.exceptions import ConfigurationError
from coodie.fields import ClusteringKey, Indexed, PrimaryKey
from coodie.migrate.autogen import diff_models, documents_of, migration_bodies
from coodie.sync import Document
from coodie.testing import RecordingDriver

COLUMNS = ["column_name", "kind", "position", "clustering_order", "type"]


class Invoice(Document):
    id: Annotated[int, PrimaryKey()]
    line: Annotated[int, ClusteringKey()]
    note: Annotated[str, Indexed()] = ""
    Settings = type("Settings", (), {"options": {"comment": "orders"}})


def live(columns: list[tuple[Any, ...]], options: dict[str, Any], indexes: list[str]) -> Any:
    def answer(statement: Statement) -> ResultPage:
        if "system_schema.columns" in statement.cql:
            return ResultPage(COLUMNS, columns)
        if "system_schema.tables" in statement.cql:
            return ResultPage(list(options), [tuple(options.values())])
        return ResultPage(["index_name"], [(name,) for name in indexes])

    return answer


KEY = [("id", "partition_key", 0, "none", "int"), ("line", "clustering", 0, "asc", "int")]


def changes_for(*columns: tuple[Any, ...], options: Any = None, indexes: Any = ()) -> Any:
    responder = live([*KEY, *columns], options or {"comment": "orders"}, list(indexes))
    driver = RecordingDriver(keyspace="shop", responder=responder)
    return diff_models(driver, [Invoice], None)


def test_a_missing_table_is_created_as_frozen_ddl() -> None:
    driver = RecordingDriver(keyspace="shop", responder=lambda s: ResultPage(COLUMNS, []))
    [change] = diff_models(driver, [Invoice], None)
    assert change.description == "Invoice: create table shop.invoice"
    assert change.upgrade[0].startswith('op.execute("CREATE TABLE IF NOT EXISTS invoice (')
    assert "comment = 'orders'" in change.upgrade[0]
    assert change.upgrade[1].startswith('op.execute("CREATE INDEX IF NOT EXISTS invoice_note_idx')
    assert change.downgrade == ["op.drop_table('invoice')"]


def test_an_up_to_date_table_has_no_changes() -> None:
    assert changes_for(("note", "regular", -1, "none", "text"), indexes=["invoice_note_idx"]) == []


def test_added_removed_columns_options_and_indexes() -> None:
    changes = changes_for(
        ("old", "regular", -1, "none", "list<int>"),
        options={"comment": "before"},
        indexes=["invoice_old_idx"],
    )
    assert [c.description.split(" (")[0] for c in changes] == [
        "Invoice: add column note text",
        "Invoice: drop column old",
        "Invoice: table options comment",
        "Invoice: drop index invoice_old_idx",
        "Invoice: create index invoice_note_idx on note",
    ]
    up, down = migration_bodies(changes)
    assert "    op.add_column('invoice', 'note', 'text')" in up
    assert "    op.drop_column('invoice', 'old')" in up
    assert "    op.alter_table_options('invoice', comment='orders')" in up
    assert "    op.alter_table_options('invoice', comment='before')" in down
    assert "    op.add_column('invoice', 'old', 'list<int>')  # no data back" in down
    assert down.index("drop_index('invoice_note_idx')") < down.index(
        "drop_column('invoice', 'note')"
    )
    compile(f"def upgrade(op):\n{up}\ndef downgrade(op):\n{down}\n", "migration", "exec")


def test_a_type_or_key_change_is_a_commented_plan_never_code() -> None:
    [change] = changes_for(("note", "regular", -1, "none", "int"))
    assert change.refused
    assert "column 'note' is int in the table, the model declares text" in change.description
    assert all(line.startswith("#") for line in change.upgrade)
    up, down = migration_bodies([change])
    assert up.endswith("    pass")
    assert down == "    pass"
    responder = live([KEY[0], ("line", "regular", -1, "none", "int")], {}, [])
    driver = RecordingDriver(keyspace="shop", responder=responder)
    [moved] = diff_models(driver, [Invoice], None)
    assert moved.refused
    assert "the clustering columns are () in the table" in moved.description


def test_documents_of_a_module() -> None:
    module = types.ModuleType("coodie_autogen_models")
    module.Invoice = Invoice  # type: ignore[attr-defined]  # imported: not its own

    class Mine(Document):
        id: Annotated[int, PrimaryKey()]

    class Base(Document):
        __coodie_abstract__ = True

    Mine.__module__ = Base.__module__ = module.__name__
    module.Mine = Mine  # type: ignore[attr-defined]
    module.Base = Base  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    try:
        assert documents_of(module.__name__) == [Mine]
    finally:
        del sys.modules[module.__name__]
    with pytest.raises(ConfigurationError, match="cannot import the models module"):
        documents_of("coodie_no_such_models")
    with pytest.raises(ConfigurationError, match="defines no coodie Document class"):
        documents_of("coodie.exceptions")
