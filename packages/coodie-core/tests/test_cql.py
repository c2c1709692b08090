"""Exact CQL text and bound values of every statement coodie builds."""

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Optional
from uuid import UUID, uuid4

import pytest
from pydantic import Field

from coodie.cql import ddl, dml
from coodie.drivers.statement import BatchStatement, Consistency, Statement
from coodie.exceptions import InvalidQueryError, SchemaError
from coodie.fields import ClusteringKey, Counter, Frozen, Indexed, PrimaryKey, Static
from coodie.mapping.shapes import InsertShape
from coodie.sync import Document, create_keyspace, drop_keyspace
from coodie.testing import RecordingDriver
from coodie.testing.recording import UNSET


class Review(Document):
    product_id: Annotated[UUID, PrimaryKey()]
    region: Annotated[str, PrimaryKey(partition_key_index=1)]
    created_at: Annotated[dt.datetime, ClusteringKey(order="DESC")]
    author: Annotated[str, ClusteringKey(clustering_key_index=1)]
    rating: Annotated[int, Indexed()] = 0
    body: Optional[str] = None  # noqa: UP045
    tags: list[str] = Field(default_factory=list)
    attrs: Annotated[dict[str, str], Indexed(target="keys")] = Field(default_factory=dict)
    labels: Annotated[set[str], Indexed()] = Field(default_factory=set)


class Visits(Document):
    page: Annotated[str, PrimaryKey()]
    hits: Annotated[int, Counter()] = 0
    bots: Annotated[int, Counter()] = 0


class Thread(Document):
    forum: Annotated[str, PrimaryKey()]
    seq: Annotated[int, ClusteringKey()]
    title: Annotated[str | None, Static()] = None
    snapshot: Annotated[Annotated[list[int], Frozen()], Indexed()] = Field(default_factory=list)
    scores: Annotated[dict[str, int], Indexed(target="values")] = Field(default_factory=dict)
    meta: Annotated[dict[str, int], Indexed(target="entries")] = Field(default_factory=dict)

    class Settings:
        keyspace = "forums"


class Event(Document):
    id: Annotated[int, PrimaryKey()]
    userName: str = ""
    order: int = 0
    key: str = ""

    class Settings:
        name = "UserEvents"
        keyspace = "Analytics"


COLS = "product_id, region, created_at, author, rating, body, tags, attrs, labels"
KEY = "product_id = ? AND region = ? AND created_at = ? AND author = ?"
PID = UUID("12345678-1234-5678-1234-567812345678")
AT = dt.datetime(2024, 5, 1, 12, 0)


def review(**changes: object) -> Review:
    data: dict[str, object] = {
        "product_id": PID,
        "region": "eu",
        "created_at": AT,
        "author": "ann",
        "rating": 4,
    }
    data.update(changes)
    return Review(**data)  # type: ignore[arg-type]


@pytest.fixture
def d(driver: RecordingDriver) -> RecordingDriver:
    return driver


def applied(driver: RecordingDriver) -> None:
    driver.queue_rows(["[applied]"], [(True,)])


def last(driver: RecordingDriver) -> Statement:
    statement = driver.last
    assert isinstance(statement, Statement)
    return statement


# -- DDL ---------------------------------------------------------------------------------


def test_create_table_composite_partition_key_and_clustering_order() -> None:
    assert ddl.create_table(Review.coodie_schema()) == (
        "CREATE TABLE IF NOT EXISTS review (product_id uuid, region text, created_at timestamp, "
        "author text, rating int, body text, tags list<text>, attrs map<text, text>, "
        "labels set<text>, PRIMARY KEY ((product_id, region), created_at, author)) "
        "WITH CLUSTERING ORDER BY (created_at DESC, author ASC)"
    )


def test_create_table_single_key_static_and_keyspace() -> None:
    assert ddl.create_table(Thread.coodie_schema()) == (
        "CREATE TABLE IF NOT EXISTS forums.thread (forum text, seq int, title text static, "
        "snapshot frozen<list<int>>, scores map<text, int>, meta map<text, int>, "
        "PRIMARY KEY (forum, seq)) WITH CLUSTERING ORDER BY (seq ASC)"
    )
    assert ddl.create_table(Visits.coodie_schema()) == (
        "CREATE TABLE IF NOT EXISTS visits (page text, hits counter, bots counter, "
        "PRIMARY KEY (page))"
    )


def test_create_index_targets() -> None:
    schema = Review.coodie_schema()
    by = schema.by_name
    assert ddl.create_index(schema, by["rating"]) == (
        "CREATE INDEX IF NOT EXISTS review_rating_idx ON review (rating)"
    )
    assert ddl.create_index(schema, by["attrs"]) == (
        "CREATE INDEX IF NOT EXISTS review_attrs_idx ON review (KEYS(attrs))"
    )
    assert ddl.create_index(schema, by["labels"]) == (
        "CREATE INDEX IF NOT EXISTS review_labels_idx ON review (labels)"
    )
    thread = Thread.coodie_schema()
    assert ddl.create_index(thread, thread.by_name["snapshot"]) == (
        "CREATE INDEX IF NOT EXISTS thread_snapshot_idx ON forums.thread (FULL(snapshot))"
    )
    assert ddl.create_index(thread, thread.by_name["scores"]).endswith("(VALUES(scores))")
    assert ddl.create_index(thread, thread.by_name["meta"]).endswith("(ENTRIES(meta))")


def test_drop_and_alter() -> None:
    schema = Review.coodie_schema()
    assert ddl.drop_table(schema) == "DROP TABLE IF EXISTS review"
    assert ddl.drop_index(schema, schema.by_name["rating"]) == (
        "DROP INDEX IF EXISTS review_rating_idx"
    )
    thread = Thread.coodie_schema()
    assert ddl.drop_table(thread) == "DROP TABLE IF EXISTS forums.thread"
    assert ddl.drop_index(thread, thread.by_name["scores"]) == (
        "DROP INDEX IF EXISTS forums.thread_scores_idx"
    )
    assert ddl.alter_table_add(schema, schema.by_name["body"]) == (
        "ALTER TABLE review ADD body text"
    )
    assert ddl.alter_table_add(thread, thread.by_name["title"]) == (
        "ALTER TABLE forums.thread ADD title text static"
    )


def test_create_keyspace_simple_and_nts() -> None:
    assert ddl.create_keyspace("shop") == (
        "CREATE KEYSPACE IF NOT EXISTS shop WITH replication = "
        "{'class': 'SimpleStrategy', 'replication_factor': 1}"
    )
    assert ddl.create_keyspace("shop", replication_factor=3, durable_writes=False) == (
        "CREATE KEYSPACE IF NOT EXISTS shop WITH replication = "
        "{'class': 'SimpleStrategy', 'replication_factor': 3} AND durable_writes = false"
    )
    assert ddl.create_keyspace(
        "Shop",
        strategy="NetworkTopologyStrategy",
        datacenters={"dc1": 3, "eu-west.2": 2},
        extra="tablets = {'enabled': false}",
    ) == (
        "CREATE KEYSPACE IF NOT EXISTS \"Shop\" WITH replication = {'class': "
        "'NetworkTopologyStrategy', 'dc1': 3, 'eu-west.2': 2} AND tablets = {'enabled': false}"
    )
    assert ddl.drop_keyspace("shop") == "DROP KEYSPACE IF EXISTS shop"


KEYSPACE_ERRORS = [
    ({"strategy": "NetworkTopologyStrategy"}, InvalidQueryError, "needs datacenters="),
    (
        {"strategy": "NetworkTopologyStrategy", "datacenters": {}},
        InvalidQueryError,
        "needs datacenters=",
    ),
    (
        {"strategy": "NetworkTopologyStrategy", "datacenters": {"dc'1": 3}},
        InvalidQueryError,
        'Datacenter name "dc\'1" is invalid',
    ),
    (
        {"strategy": "NetworkTopologyStrategy", "datacenters": {"dc1": 0}},
        InvalidQueryError,
        "replicas for datacenter 'dc1' must be a positive int, got 0",
    ),
    ({"replication_factor": 0}, InvalidQueryError, "replication_factor must be a positive"),
    ({"replication_factor": "3"}, InvalidQueryError, "positive int, got '3'"),
    ({"replication_factor": True}, InvalidQueryError, "positive int, got True"),
    ({"strategy": "LocalStrategy"}, InvalidQueryError, "Unknown replication strategy"),
    ({"name": "bad name"}, SchemaError, "keyspace name 'bad name' is not a valid"),
]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    # Read-only: the parameters are shared by every run of this test in one process.
    [(MappingProxyType(kwargs), error, message) for kwargs, error, message in KEYSPACE_ERRORS],
)
def test_create_keyspace_errors(kwargs: Mapping[str, object], error: type, message: str) -> None:
    options = dict(kwargs)
    name = options.pop("name", "shop")
    with pytest.raises(error, match=message):
        ddl.create_keyspace(name, **options)  # type: ignore[arg-type]


def test_keyspace_helpers_send_unprepared_ddl(d: RecordingDriver) -> None:
    create_keyspace("shop", strategy="NetworkTopologyStrategy", datacenters={"dc1": 2})
    drop_keyspace("shop")
    assert d.cql == [
        "CREATE KEYSPACE IF NOT EXISTS shop WITH replication = "
        "{'class': 'NetworkTopologyStrategy', 'dc1': 2}",
        "DROP KEYSPACE IF EXISTS shop",
    ]
    assert all(isinstance(s, Statement) and not s.prepare for s in d.statements)
    with pytest.raises(SchemaError):
        drop_keyspace("no;pe")
    assert len(d.statements) == 2


# -- INSERT --------------------------------------------------------------------------------


def test_save_insert_text_and_values(d: RecordingDriver) -> None:
    review(tags=["a"], attrs={"k": "v"}).save()
    s = last(d)
    assert s.cql == f"INSERT INTO test.review ({COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    assert list(s.values) == [PID, "eu", AT, "ann", 4, UNSET, ["a"], {"k": "v"}, set()]
    assert s.idempotent
    assert s.prepare


@pytest.mark.parametrize(
    ("kwargs", "suffix", "extra"),
    [
        ({"ttl": 60}, " USING TTL ?", [60]),
        ({"ttl": 0}, " USING TTL ?", [0]),
        ({"timestamp": 1_700_000_000_000_000}, " USING TIMESTAMP ?", [1_700_000_000_000_000]),
        (
            {"timestamp": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)},
            " USING TIMESTAMP ?",
            [1_704_067_200_000_000],
        ),
        (  # naive datetimes are UTC
            {"timestamp": dt.datetime(2024, 1, 1, 0, 0, 0, 5)},
            " USING TIMESTAMP ?",
            [1_704_067_200_000_005],
        ),
        (  # aware datetimes in another zone are converted
            {"timestamp": dt.datetime(2024, 1, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))},
            " USING TIMESTAMP ?",
            [1_704_067_200_000_000],
        ),
        (
            {"ttl": 5, "timestamp": 1_700_000_000_000_007},
            " USING TTL ? AND TIMESTAMP ?",
            [5, 1_700_000_000_000_007],
        ),
    ],
)
def test_save_with_ttl_and_timestamp_binds_them(
    d: RecordingDriver, kwargs: dict[str, object], suffix: str, extra: list[int]
) -> None:
    review().save(**kwargs)  # type: ignore[arg-type]
    s = last(d)
    assert s.cql == f"INSERT INTO test.review ({COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?){suffix}"
    assert list(s.values)[9:] == extra
    assert len(s.values) == 9 + len(extra)


def test_insert_if_not_exists(d: RecordingDriver) -> None:
    applied(d)
    review().insert()
    s = last(d)
    assert (
        s.cql
        == f"INSERT INTO test.review ({COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS"
    )
    assert not s.idempotent
    applied(d)
    review().insert(ttl=30, timestamp=1_700_000_000_000_009)
    s = last(d)
    assert s.cql.endswith(" IF NOT EXISTS USING TTL ? AND TIMESTAMP ?")
    assert list(s.values)[-2:] == [30, 1_700_000_000_000_009]


# -- UPDATE --------------------------------------------------------------------------------


def test_update_set(d: RecordingDriver) -> None:
    doc = review()
    doc.update(body="great", rating=5)  # keyword order differs from column order
    s = last(d)
    assert s.cql == f"UPDATE test.review SET rating = ?, body = ? WHERE {KEY}"
    assert list(s.values) == [5, "great", PID, "eu", AT, "ann"]
    assert s.idempotent


def test_update_ttl_timestamp_and_conditions(d: RecordingDriver) -> None:
    doc = review()
    applied(d)
    doc.update(body="x", ttl=60, timestamp=1_700_000_000_000_123, if_conditions={"rating": 4})
    s = last(d)
    assert s.cql == (
        f"UPDATE test.review USING TTL ? AND TIMESTAMP ? SET body = ? WHERE {KEY} IF rating = ?"
    )
    assert list(s.values) == [60, 1_700_000_000_000_123, "x", PID, "eu", AT, "ann", 4]
    assert not s.idempotent

    applied(d)
    doc.update(body="y", if_exists=True)
    s = last(d)
    assert s.cql == f"UPDATE test.review SET body = ? WHERE {KEY} IF EXISTS"
    assert list(s.values) == ["y", PID, "eu", AT, "ann"]

    applied(d)
    doc.update(
        {"rating": 1},
        if_conditions={"rating__gte": 2, "body__in": ["y", "z"], "tags": None},
    )
    s = last(d)
    assert s.cql == (
        f"UPDATE test.review SET rating = ? WHERE {KEY} IF rating >= ? AND body IN ? AND tags = ?"
    )
    assert list(s.values) == [1, PID, "eu", AT, "ann", 2, ["y", "z"], None]


def test_update_to_none_binds_null(d: RecordingDriver) -> None:
    review(body="x").update(body=None)
    assert list(last(d).values) == [None, PID, "eu", AT, "ann"]


# -- DELETE --------------------------------------------------------------------------------


def test_delete_row_and_columns(d: RecordingDriver) -> None:
    doc = review()
    doc.delete()
    assert last(d).cql == f"DELETE FROM test.review WHERE {KEY}"
    assert list(last(d).values) == [PID, "eu", AT, "ann"]

    doc.delete(timestamp=1_700_000_000_000_077)
    assert last(d).cql == f"DELETE FROM test.review USING TIMESTAMP ? WHERE {KEY}"
    assert list(last(d).values) == [1_700_000_000_000_077, PID, "eu", AT, "ann"]

    applied(d)
    doc.delete(if_exists=True)
    assert last(d).cql == f"DELETE FROM test.review WHERE {KEY} IF EXISTS"

    applied(d)
    doc.delete(if_conditions={"rating__lt": 3})
    assert last(d).cql == f"DELETE FROM test.review WHERE {KEY} IF rating < ?"
    assert list(last(d).values) == [PID, "eu", AT, "ann", 3]

    doc.delete_columns("tags", "body")
    assert last(d).cql == f"DELETE tags, body FROM test.review WHERE {KEY}"
    assert list(last(d).values) == [PID, "eu", AT, "ann"]


def test_increment(d: RecordingDriver) -> None:
    Visits(page="home").increment(bots=-1, hits=3)
    s = last(d)
    assert s.cql == "UPDATE test.visits SET hits = hits + ?, bots = bots + ? WHERE page = ?"
    assert list(s.values) == [3, -1, "home"]
    assert not s.idempotent


def test_batch_cql_text() -> None:
    inner = ["INSERT INTO t (a) VALUES (?)", "DELETE FROM t WHERE a = ?"]
    assert dml.batch_cql(inner) == (
        "BEGIN BATCH INSERT INTO t (a) VALUES (?); DELETE FROM t WHERE a = ?; APPLY BATCH"
    )
    assert dml.batch_cql(inner, "UNLOGGED") == (
        "BEGIN UNLOGGED BATCH INSERT INTO t (a) VALUES (?); DELETE FROM t WHERE a = ?; APPLY BATCH"
    )
    assert dml.batch_cql(["UPDATE c SET n = n + ? WHERE k = ?"], "COUNTER", timestamp=True) == (
        "BEGIN COUNTER BATCH USING TIMESTAMP ? UPDATE c SET n = n + ? WHERE k = ?; APPLY BATCH"
    )


def test_dml_builders_directly() -> None:
    schema = Visits.coodie_schema()
    assert dml.update(schema, [("hits", "add"), ("bots", "remove")], ttl=True) == (
        "UPDATE visits USING TTL ? SET hits = hits + ?, bots = bots - ? WHERE page = ?"
    )
    assert dml.update(schema, [("hits", "prepend")]) == (
        "UPDATE visits SET hits = ? + hits WHERE page = ?"
    )
    assert dml.delete(schema, where=[("page", "in")], timestamp=True) == (
        "DELETE FROM visits USING TIMESTAMP ? WHERE page IN ?"
    )
    assert dml.using_clause(False, False) == ""


# -- SELECT --------------------------------------------------------------------------------


def selected(d: RecordingDriver, queryset: object) -> Statement:
    queryset.all()  # type: ignore[attr-defined]
    return last(d)


def test_select_all_and_full_key_get(d: RecordingDriver) -> None:
    s = selected(d, Review.find())
    assert s.cql == f"SELECT {COLS} FROM test.review"
    assert list(s.values) == []
    assert s.idempotent
    with pytest.raises(Exception, match="No Review matches"):
        Review.get(product_id=PID, region="eu", created_at=AT, author="ann")
    s = last(d)
    assert s.cql == f"SELECT {COLS} FROM test.review WHERE {KEY}"
    assert list(s.values) == [PID, "eu", AT, "ann"]


T1, T2 = dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 1)
SELECTS = [
    (
        {"created_at__gt": T1, "created_at__lte": T2},
        "created_at > ? AND created_at <= ?",
        [T1, T2],
    ),
    (
        {"created_at__gte": T1, "created_at__lt": T2},
        "created_at >= ? AND created_at < ?",
        [T1, T2],
    ),
    (
        {"created_at": T1, "author__in": ["a", "b"]},
        "created_at = ? AND author IN ?",
        [T1, ["a", "b"]],
    ),
    ({"rating": 5}, "rating = ?", [5]),
    ({"labels__contains": "new"}, "labels CONTAINS ?", ["new"]),
    ({"attrs__contains_key": "color"}, "attrs CONTAINS KEY ?", ["color"]),
]


@pytest.mark.parametrize(("filters", "where", "values"), SELECTS)
def test_select_operators(
    d: RecordingDriver, filters: dict[str, object], where: str, values: list[object]
) -> None:
    s = selected(d, Review.find(product_id=PID, region="eu", **filters))
    assert (
        s.cql == f"SELECT {COLS} FROM test.review WHERE product_id = ? AND region = ? AND {where}"
    )
    assert list(s.values) == [PID, "eu", *values]


def test_select_in_on_partition_key(d: RecordingDriver) -> None:
    other = uuid4()
    s = selected(d, Review.find(product_id__in=[PID, other], region="eu"))
    assert s.cql == f"SELECT {COLS} FROM test.review WHERE product_id IN ? AND region = ?"
    assert list(s.values) == [[PID, other], "eu"]


def test_select_with_filtering(d: RecordingDriver) -> None:
    s = selected(d, Review.find(tags__contains="x", body="b").allow_filtering())
    assert s.cql == (
        f"SELECT {COLS} FROM test.review WHERE body = ? AND tags CONTAINS ? ALLOW FILTERING"
    )
    assert list(s.values) == ["b", "x"]


def test_select_token_range(d: RecordingDriver) -> None:
    token = "token(product_id, region)"
    s = selected(d, Review.find().token_range(-100, 100))
    assert s.cql == f"SELECT {COLS} FROM test.review WHERE {token} > ? AND {token} <= ?"
    assert list(s.values) == [-100, 100]
    s = selected(d, Review.find().token_range(start=5))
    assert s.cql == f"SELECT {COLS} FROM test.review WHERE {token} > ?"
    assert list(s.values) == [5]
    s = selected(d, Review.find().token_range(end=5))
    assert s.cql == f"SELECT {COLS} FROM test.review WHERE {token} <= ?"
    assert list(s.values) == [5]
    s = selected(d, Review.find(rating=3).token_range(end=5))
    assert s.cql == f"SELECT {COLS} FROM test.review WHERE rating = ? AND {token} <= ?"
    assert list(s.values) == [3, 5]


@pytest.mark.parametrize(
    ("order", "text"),
    [
        (("created_at",), "created_at ASC"),
        (("-created_at",), "created_at DESC"),
        (("-created_at", "author"), "created_at DESC, author ASC"),
        (("created_at", "-author"), "created_at ASC, author DESC"),
        (("+created_at", "-author"), "created_at ASC, author DESC"),
    ],
)
def test_select_order_by(d: RecordingDriver, order: tuple[str, ...], text: str) -> None:
    s = selected(d, Review.find(product_id=PID, region="eu").order_by(*order))
    assert s.cql == (
        f"SELECT {COLS} FROM test.review WHERE product_id = ? AND region = ? ORDER BY {text}"
    )


def test_select_limits_are_bound(d: RecordingDriver) -> None:
    qs = Review.find(product_id=PID, region="eu").limit(10)
    s = selected(d, qs)
    assert s.cql == f"SELECT {COLS} FROM test.review WHERE product_id = ? AND region = ? LIMIT ?"
    assert list(s.values) == [PID, "eu", 10]
    s = selected(d, Review.find().per_partition_limit(2).limit(50).allow_filtering())
    assert s.cql == f"SELECT {COLS} FROM test.review PER PARTITION LIMIT ? LIMIT ? ALLOW FILTERING"
    assert list(s.values) == [2, 50]
    assert "50" not in s.cql
    assert "2" not in s.cql.replace(COLS, "")


def test_select_request_options(d: RecordingDriver) -> None:
    qs = Review.find().fetch_size(25).consistency("local_quorum").timeout(2)
    s = selected(d, qs)
    assert s.fetch_size == 25
    assert s.consistency is Consistency.LOCAL_QUORUM
    assert s.timeout == 2.0
    assert s.paging_state is None
    s = selected(d, Review.find().consistency(Consistency.ONE))
    assert s.consistency is Consistency.ONE


def test_count(d: RecordingDriver) -> None:
    d.queue_rows(["count"], [(3,)])
    assert Review.find(product_id=PID, region="eu").count() == 3
    s = last(d)
    assert s.cql == "SELECT COUNT(*) FROM test.review WHERE product_id = ? AND region = ?"
    assert list(s.values) == [PID, "eu"]
    Review.find(body="x").allow_filtering().count()
    assert last(d).cql == "SELECT COUNT(*) FROM test.review WHERE body = ? ALLOW FILTERING"
    # ORDER BY and LIMIT do not change the COUNT statement.
    Review.find(product_id=PID, region="eu").order_by("-created_at").limit(4).count()
    assert last(d).cql == "SELECT COUNT(*) FROM test.review WHERE product_id = ? AND region = ?"
    Review.find().token_range(1, 2).count()
    assert last(d).cql == (
        "SELECT COUNT(*) FROM test.review WHERE token(product_id, region) > ? AND "
        "token(product_id, region) <= ?"
    )
    assert list(last(d).values) == [1, 2]


def test_delete_by_query(d: RecordingDriver) -> None:
    Review.find(product_id=PID, region="eu").delete()
    assert last(d).cql == "DELETE FROM test.review WHERE product_id = ? AND region = ?"
    assert list(last(d).values) == [PID, "eu"]
    Review.find(product_id=PID, region__in=["eu", "us"], created_at__lt=T1).delete()
    assert last(d).cql == (
        "DELETE FROM test.review WHERE product_id = ? AND region IN ? AND created_at < ?"
    )
    assert list(last(d).values) == [PID, ["eu", "us"], T1]
    assert last(d).idempotent


def test_sync_table_uses_the_model_keyspace(d: RecordingDriver) -> None:
    ddl_run = Thread.sync_table()
    probe = d.statements[0]
    assert isinstance(probe, Statement)
    assert list(probe.values) == ["forums", "thread"]
    assert ddl_run == [
        ddl.create_table(Thread.coodie_schema()),
        "CREATE INDEX IF NOT EXISTS thread_snapshot_idx ON forums.thread (FULL(snapshot))",
        "CREATE INDEX IF NOT EXISTS thread_scores_idx ON forums.thread (VALUES(scores))",
        "CREATE INDEX IF NOT EXISTS thread_meta_idx ON forums.thread (ENTRIES(meta))",
    ]
    assert d.cql[1:] == ddl_run


# -- CQL text is built once per shape ------------------------------------------------------


def test_select_text_cached_per_shape(d: RecordingDriver) -> None:
    cache = Review._mapper().schema.cql_cache  # the schema bound to the connection keyspace
    cache.clear()  # other tests filled it; it is only a lazily filled cache
    Review.find(product_id=PID, region="eu").limit(3).all()
    size = len(cache)
    Review.find(region="us", product_id=uuid4()).limit(7).all()  # other values, other kw order
    first, second = d.statements[-2], d.statements[-1]
    assert isinstance(first, Statement)
    assert isinstance(second, Statement)
    assert first.cql is second.cql
    assert list(first.values)[1:] == ["eu", 3]
    assert list(second.values)[1:] == ["us", 7]
    assert len(cache) == size
    assert first.cql in cache.values()
    # A different shape is a different entry.
    Review.find(product_id=PID, region="eu").all()
    assert len(cache) == size + 1


def test_write_text_cached_per_shape(d: RecordingDriver) -> None:
    cache = Review._mapper().schema.cql_cache  # the schema bound to the connection keyspace
    cache.clear()
    review().save(ttl=10)
    review(author="bob").save(ttl=20)
    a, b = d.statements[-2:]
    assert isinstance(a, Statement)
    assert isinstance(b, Statement)
    assert a.cql is b.cql
    schema = Review._mapper().schema
    assert InsertShape("insert", schema, schema.column_names, False, True, False) in cache
    review().update(rating=1, body="a")
    review().update(body="b", rating=2)
    a, b = d.statements[-2:]
    assert isinstance(a, Statement)
    assert isinstance(b, Statement)
    assert a.cql is b.cql
    size = len(cache)
    review().delete(timestamp=1_700_000_000_000_001)
    review().delete(timestamp=1_700_000_000_000_002)
    assert len(cache) == size + 1
    assert d.statements[-1].cql is d.statements[-2].cql  # type: ignore[union-attr]


def test_plain_save_uses_the_precomputed_text(d: RecordingDriver) -> None:
    review().save()
    review(author="x").save()
    a, b = d.statements
    assert a.cql is b.cql is Review._mapper().writes.cql_save  # type: ignore[union-attr]


# -- identifiers -------------------------------------------------------------------------


def test_reserved_and_mixed_case_identifiers_are_quoted(d: RecordingDriver) -> None:
    Event(id=1, userName="u", order=2, key="k").save()
    assert last(d).cql == (
        'INSERT INTO "Analytics"."UserEvents" (id, "userName", "order", "key") VALUES (?, ?, ?, ?)'
    )
    Event.find(id=1, order=2).allow_filtering().all()
    assert last(d).cql == (
        'SELECT id, "userName", "order", "key" FROM "Analytics"."UserEvents" '
        'WHERE id = ? AND "order" = ? ALLOW FILTERING'
    )
    Event(id=1).update(userName="z")
    assert last(d).cql == 'UPDATE "Analytics"."UserEvents" SET "userName" = ? WHERE id = ?'
    assert ddl.create_table(Event.coodie_schema()) == (
        'CREATE TABLE IF NOT EXISTS "Analytics"."UserEvents" (id int, "userName" text, '
        '"order" int, "key" text, PRIMARY KEY (id))'
    )


def test_drop_table_statement(d: RecordingDriver) -> None:
    Review.drop_table()
    s = last(d)
    assert s.cql == "DROP TABLE IF EXISTS test.review"
    assert not s.prepare


def test_statement_reprs() -> None:
    assert repr(Statement("SELECT 1", (1,))) == "Statement('SELECT 1', [1])"
    assert repr(BatchStatement([Statement("x")])) == "BatchStatement(LOGGED, 1 statements)"


def test_table_names_are_qualified_with_the_connection_keyspace() -> None:
    """Prepared statements must not rely on the session's USE keyspace (Cassandra warns)."""
    from typing import Annotated

    from coodie import PrimaryKey, connections
    from coodie.sync import Document

    class Plain(Document):
        id: Annotated[int, PrimaryKey()]

    class Pinned(Document):
        id: Annotated[int, PrimaryKey()]

        class Settings:
            keyspace = "own"

    for keyspace, expected in (("shop", "shop.plain"), (None, "plain")):
        driver = connections.register_driver(RecordingDriver(keyspace=keyspace))
        try:
            Plain(id=1).save()
            Pinned(id=1).save()
            assert driver.cql == [
                f"INSERT INTO {expected} (id) VALUES (?)",
                "INSERT INTO own.pinned (id) VALUES (?)",
            ]
        finally:
            connections.unregister_driver()
