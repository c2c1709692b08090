"""Every CQL reserved word is double-quoted wherever coodie writes an identifier."""

from typing import Annotated

import pytest

from coodie.fields import ClusteringKey, PrimaryKey
from coodie.model.identifiers import quote
from coodie.sync import Document
from coodie.testing import RecordingDriver

#: What Cassandra 5.0 refuses as a bare column name (measured against a node).
CASSANDRA_5_RESERVED = """
    add allow alter and apply asc authorize batch begin by columnfamily create delete desc
    describe drop entries execute false from full grant if in index infinity insert into is
    keyspace limit materialized modify nan norecursive not null of on or order primary rename
    revoke schema select set table to token true truncate unlogged update use using view where
    with
""".split()  # noqa: SIM905 - a word list reads best as text

#: Keywords of other versions and of ScyllaDB, quoted too so one schema works everywhere.
OTHER_KEYWORDS = """
    aggregate all any as ascii between bigint blob boolean called clustering compact contains
    counter custom date decimal default distinct double duration exists filtering finalfunc
    float frozen function functions inet initcond input int json key keys keyspaces language
    list login map mbean mbeans nosuperuser options password per permission permissions
    replace returns role roles sfunc smallint static storage stype superuser text time
    timestamp timeuuid tinyint trigger ttl tuple type unset user users uuid values varchar
    varint writetime
""".split()  # noqa: SIM905 - a word list reads best as text


@pytest.mark.parametrize("word", CASSANDRA_5_RESERVED + OTHER_KEYWORDS)
def test_reserved_word_is_quoted(word: str) -> None:
    assert quote(word) == f'"{word}"'


@pytest.mark.parametrize("word", ["name", "price", "user_id", "a1", "ttl_days", "keyed", "x"])
def test_plain_lowercase_names_stay_bare(word: str) -> None:
    assert quote(word) == word


@pytest.mark.parametrize("word", ["userName", "Ttl", "WHERE", "Add"])
def test_names_with_capitals_are_quoted_to_keep_their_case(word: str) -> None:
    assert quote(word) == f'"{word}"'


class Keywords(Document):
    add: Annotated[int, PrimaryKey()]
    where: Annotated[int, ClusteringKey()]
    ttl: int = 0
    true: bool = False
    plain: str = ""

    class Settings:
        name = "select"
        keyspace = "table"


def test_reserved_names_in_every_statement(driver: RecordingDriver) -> None:
    Keywords.sync_table()
    assert driver.cql[1] == (
        'CREATE TABLE IF NOT EXISTS "table"."select" ("add" int, "where" int, "ttl" int, '
        '"true" boolean, plain text, PRIMARY KEY ("add", "where")) '
        'WITH CLUSTERING ORDER BY ("where" ASC)'
    )
    Keywords(add=1, where=2, ttl=3).save(ttl=5)
    assert driver.cql[-1] == (
        'INSERT INTO "table"."select" ("add", "where", "ttl", "true", plain) '
        "VALUES (?, ?, ?, ?, ?) USING TTL ?"
    )
    # `ttl` as a keyword is the write option; the field is updated through the mapping form.
    Keywords(add=1, where=2).update({"ttl": 4}, true=True)
    assert driver.cql[-1] == (
        'UPDATE "table"."select" SET "ttl" = ?, "true" = ? WHERE "add" = ? AND "where" = ?'
    )
    Keywords.find(add=1, where__gt=0).order_by("-where").all()
    assert driver.cql[-1] == (
        'SELECT "add", "where", "ttl", "true", plain FROM "table"."select" '
        'WHERE "add" = ? AND "where" > ? ORDER BY "where" DESC'
    )
    Keywords(add=1, where=2).delete_columns("ttl")
    assert driver.cql[-1] == 'DELETE "ttl" FROM "table"."select" WHERE "add" = ? AND "where" = ?'


def test_a_double_quote_inside_a_name_is_doubled() -> None:
    # Model identifiers are validated and never hold one; quote() stays safe regardless.
    assert quote('say "hi"') == '"say ""hi"""'
