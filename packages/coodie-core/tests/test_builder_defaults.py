"""The CQL builders called with their defaults: the plainest statement of each kind, and
the owner and kind names that identifier errors carry."""

from collections.abc import Callable
from typing import Annotated

import pytest

from coodie.cql import ddl, dml, select
from coodie.exceptions import SchemaError
from coodie.fields import PrimaryKey
from coodie.sync import Document


class Plain(Document):
    id: Annotated[int, PrimaryKey()]
    value: str = ""


SCHEMA = Plain.coodie_schema()


def test_builders_with_their_defaults() -> None:
    assert dml.insert(SCHEMA, ["id"]) == "INSERT INTO plain (id) VALUES (?)"
    assert dml.update(SCHEMA, [("value", "set")]) == "UPDATE plain SET value = ? WHERE id = ?"
    assert dml.delete(SCHEMA) == "DELETE FROM plain WHERE id = ?"
    assert dml.delete(SCHEMA, timestamp=True) == "DELETE FROM plain USING TIMESTAMP ? WHERE id = ?"
    assert dml.batch_cql(["X"]) == "BEGIN BATCH X; APPLY BATCH"
    assert dml.batch_cql(["X"], "UNLOGGED", True) == (
        "BEGIN UNLOGGED BATCH USING TIMESTAMP ? X; APPLY BATCH"
    )
    assert select.select(SCHEMA) == "SELECT id, value FROM plain"
    assert select.count(SCHEMA) == "SELECT COUNT(*) FROM plain"
    assert select.count(SCHEMA, [("id", "eq")]) == "SELECT COUNT(*) FROM plain WHERE id = ?"
    assert select.where_clause(SCHEMA, [("id", "eq")]) == " WHERE id = ?"
    assert select.where_clause(SCHEMA, []) == ""
    assert ddl.create_keyspace("k") == (
        "CREATE KEYSPACE IF NOT EXISTS k WITH replication = "
        "{'class': 'SimpleStrategy', 'replication_factor': 1}"
    )


@pytest.mark.parametrize(
    ("build", "function", "detail"),
    [
        (lambda: ddl.create_keyspace("bad name"), "create_keyspace", "is not a valid CQL"),
        (lambda: ddl.drop_keyspace("bad name"), "drop_keyspace", "is not a valid CQL"),
        (lambda: ddl.create_keyspace("k" * 49), "create_keyspace", "has 49 characters"),
        (lambda: ddl.drop_keyspace("k" * 49), "drop_keyspace", "has 49 characters"),
    ],
)
def test_keyspace_names_are_checked_and_errors_name_the_function(
    build: Callable[[], str], function: str, detail: str
) -> None:
    with pytest.raises(SchemaError) as info:
        build()
    message = str(info.value)
    assert message.startswith(f"{function}: keyspace name ")
    assert detail in message


def test_a_48_character_keyspace_is_accepted() -> None:
    assert ddl.drop_keyspace("k" * 48) == f"DROP KEYSPACE IF EXISTS {'k' * 48}"
