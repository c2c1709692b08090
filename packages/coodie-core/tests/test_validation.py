"""Bad input fails early with a typed coodie error that names the problem; nothing is sent."""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Optional
from uuid import UUID, uuid4

import pytest
from pydantic import Field

from coodie.api.queryset import token_ranges
from coodie.exceptions import (
    ConfigurationError,
    InvalidQueryError,
    SchemaError,
)
from coodie.fields import ClusteringKey, Counter, Indexed, PrimaryKey
from coodie.sync import BatchQuery, Document, init_coodie
from coodie.testing import RecordingDriver


class Item(Document):
    id: Annotated[UUID, PrimaryKey()]
    name: str = ""
    price: float = 0.0
    stock: int = 0
    category: Annotated[str, Indexed()] = ""
    tags: set[str] = Field(default_factory=set)
    scores: list[int] = Field(default_factory=list)
    attrs: dict[str, int] = Field(default_factory=dict)
    note: Optional[str] = None  # noqa: UP045


class Post(Document):
    blog: Annotated[str, PrimaryKey()]
    lang: Annotated[str, PrimaryKey(partition_key_index=1)]
    year: Annotated[int, ClusteringKey(order="DESC")]
    slug: Annotated[str, ClusteringKey(clustering_key_index=1)]
    title: str = ""


class Likes(Document):
    post: Annotated[str, PrimaryKey()]
    likes: Annotated[int, Counter()] = 0


class Remote(Document):
    id: Annotated[int, PrimaryKey()]

    class Settings:
        connection = "reporting"


U = UUID("00000000-0000-0000-0000-000000000001")


def item() -> Item:
    return Item(id=U, name="pen")


def keyless_item() -> Item:
    doc = item()
    doc.id = None  # type: ignore[assignment]  # no validate_assignment: possible in real code
    return doc


def post_pk() -> dict[str, Any]:
    return {"blog": "b", "lang": "en"}


def counter_batch_with_save() -> None:
    with BatchQuery("counter") as batch:
        batch.save(item())


def logged_batch_with_increment() -> None:
    with BatchQuery() as batch:
        batch.increment(Likes(post="p"), likes=1)


CASES: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    # -- filters ----------------------------------------------------------------------
    (
        "unknown column",
        lambda: Item.find(nope=1),
        InvalidQueryError,
        r"Item has no column 'nope'\. Its columns are: id, name, price, stock, category",
    ),
    (
        "unknown column with operator",
        lambda: Item.find(nope__gt=1),
        InvalidQueryError,
        r"Item has no column 'nope'",
    ),
    (
        "unknown operator",
        lambda: Item.find(price__like=1),
        InvalidQueryError,
        r"unknown filter operator 'like' in 'price__like'.*__gt, __gte",
    ),
    (
        "non-indexed filter without allow_filtering",
        lambda: Item.find(price=3.0).all(),
        InvalidQueryError,
        r"needs allow_filtering\(\) because column 'price' is not part of the primary key "
        r"and is not indexed",
    ),
    (
        "indexed column with a range",
        lambda: Item.find(category__gt="a").all(),
        InvalidQueryError,
        r"column 'category' is not part of the primary key and cannot use its index",
    ),
    (
        "second indexed/non-key restriction",
        lambda: Item.find(category="a", name="x").all(),
        InvalidQueryError,
        r"column 'name' is not part of the primary key and is not indexed",
    ),
    (
        "clustering column skipped",
        lambda: Post.find(**post_pk(), slug="s").all(),
        InvalidQueryError,
        r"clustering column 'slug' is restricted but an earlier clustering column is not",
    ),
    (
        "clustering after a range",
        lambda: Post.find(**post_pk(), year__gt=2000, slug="s").all(),
        InvalidQueryError,
        r"clustering column 'slug' is restricted but an earlier",
    ),
    (
        "partial partition key",
        lambda: Post.find(blog="b").all(),
        InvalidQueryError,
        r"the partition key \(blog, lang\) is only partly restricted",
    ),
    (
        "partition key by range",
        lambda: Post.find(blog__gt="b", lang="en").all(),
        InvalidQueryError,
        r"partition key \(blog, lang\) is only partly restricted or restricted by a range",
    ),
    (
        "clustering without partition key",
        lambda: Post.find(year=2020).all(),
        InvalidQueryError,
        r"clustering column 'year' is restricted without the full partition key",
    ),
    (
        "token_range with partition key filter",
        lambda: Item.find(id=U).token_range(1, 2).all(),
        InvalidQueryError,
        r"token_range\(\) .* cannot be combined with partition key filters \(id\)",
    ),
    (
        "contains on a scalar",
        lambda: Item.find(name__contains="a"),
        InvalidQueryError,
        r"Item\.name: __contains needs a list, set or map column, but name is text",
    ),
    (
        "contains_key on a list",
        lambda: Item.find(scores__contains_key=1),
        InvalidQueryError,
        r"Item\.scores: __contains_key needs a map column, but scores is list<int>",
    ),
    (
        "range on a collection",
        lambda: Item.find(tags__gt="a"),
        InvalidQueryError,
        r"Item\.tags: range operators do not apply to collection columns",
    ),
    (
        "contains with wrong element type",
        lambda: Item.find(scores__contains="x"),
        InvalidQueryError,
        r"Item\.scores: 'x' is not a valid value",
    ),
    (
        "in with a scalar",
        lambda: Item.find(id__in=U),
        InvalidQueryError,
        r"Item\.id: __in needs a list of values, e\.g\. id__in=\[a, b\]",
    ),
    (
        "in with a string",
        lambda: Item.find(name__in="abc"),
        InvalidQueryError,
        r"__in needs a list of values.*not 'abc'",
    ),
    (
        "in with an empty list",
        lambda: Item.find(id__in=[]),
        InvalidQueryError,
        r"Item\.id: __in got an empty list; it would match nothing",
    ),
    (
        "in with a bad element",
        lambda: Item.find(stock__in=[1, "two"]),
        InvalidQueryError,
        r"Item\.stock: 'two' is not a valid value for a int column",
    ),
    (
        "None filter value",
        lambda: Item.find(id=None),
        InvalidQueryError,
        r"Item\.id: None cannot be compared",
    ),
    (
        "None in contains",
        lambda: Item.find(tags__contains=None),
        InvalidQueryError,
        r"Item\.tags: None cannot be compared",
    ),
    (
        "str for int",
        lambda: Item.find(stock="abc"),
        InvalidQueryError,
        r"Item\.stock: 'abc' is not a valid value for a int column.*Pass a value of "
        r"type int",
    ),
    (
        "bad uuid",
        lambda: Item.find(id="not-a-uuid"),
        InvalidQueryError,
        r"Item\.id: 'not-a-uuid' is not a valid value for a uuid column",
    ),
    (
        "filter on a counter",
        lambda: Likes.find(likes=3),
        InvalidQueryError,
        r"Likes\.likes: counter columns cannot be filtered on",
    ),
    (
        "get with None key",
        lambda: Item.get(id=None),
        InvalidQueryError,
        r"Item\.id: None cannot be compared",
    ),
    (
        "get with bad key type",
        lambda: Item.get(id=12),
        InvalidQueryError,
        r"Item\.id: 12 is not a valid value for a uuid column",
    ),
    # -- ORDER BY -----------------------------------------------------------------------
    (
        "order by a non-clustering column",
        lambda: Post.find(**post_pk()).order_by("title").all(),
        InvalidQueryError,
        r"cannot ORDER BY 'title': only clustering columns can be ordered, and its "
        r"clustering columns are year, slug",
    ),
    (
        "order by in a table without clustering",
        lambda: Item.find(id=U).order_by("name").all(),
        InvalidQueryError,
        r"it has no clustering columns \(sort in Python instead\)",
    ),
    (
        "order by unknown column",
        lambda: Post.find().order_by("-nope"),
        InvalidQueryError,
        r"Post has no column 'nope'",
    ),
    (
        "order by without partition key",
        lambda: Post.find().order_by("year").all(),
        InvalidQueryError,
        r"ORDER BY needs the partition key restricted with = or __in; filter on blog, lang",
    ),
    (
        "order by mixed directions",
        lambda: Post.find(**post_pk()).order_by("year", "slug").all(),
        InvalidQueryError,
        r"ORDER BY must use the declared clustering order or its exact reverse",
    ),
    (
        "order by skipping the first clustering column",
        lambda: Post.find(**post_pk()).order_by("slug").all(),
        InvalidQueryError,
        r"ORDER BY must follow the clustering order year, slug from the first column on; "
        r"got slug",
    ),
    # -- query options ------------------------------------------------------------------
    ("limit 0", lambda: Item.find().limit(0), InvalidQueryError, r"limit\(0\) must be a positive"),
    ("limit -1", lambda: Item.find().limit(-1), InvalidQueryError, r"limit\(-1\) must be a"),
    ("limit str", lambda: Item.find().limit("5"), InvalidQueryError, r"limit\('5'\) must be a"),
    ("limit bool", lambda: Item.find().limit(True), InvalidQueryError, r"limit\(True\) must"),
    ("limit float", lambda: Item.find().limit(1.5), InvalidQueryError, r"limit\(1\.5\) must"),
    (
        "per partition limit",
        lambda: Item.find().per_partition_limit(0),
        InvalidQueryError,
        r"per_partition_limit\(0\) must be a positive int",
    ),
    (
        "fetch size",
        lambda: Item.find().fetch_size(0),
        InvalidQueryError,
        r"fetch_size\(0\) must be a positive int",
    ),
    (
        "fetch size str",
        lambda: Item.find().fetch_size("100"),
        InvalidQueryError,
        r"fetch_size\('100'\) must be a positive int",
    ),
    (
        "timeout zero",
        lambda: Item.find().timeout(0),
        InvalidQueryError,
        r"timeout\(0\) must be a positive number of seconds",
    ),
    (
        "timeout negative",
        lambda: Item.find().timeout(-1.5),
        InvalidQueryError,
        r"timeout\(-1\.5\) must be a positive",
    ),
    (
        "timeout str",
        lambda: Item.find().timeout("10"),
        InvalidQueryError,
        r"timeout\('10'\) must be a positive",
    ),
    (
        "timeout bool",
        lambda: Item.find().timeout(True),
        InvalidQueryError,
        r"timeout\(True\) must be a positive",
    ),
    (
        "unknown consistency",
        lambda: Item.find().consistency("bogus"),
        InvalidQueryError,
        r"Unknown consistency 'bogus'; use one of ANY, ONE,",
    ),
    (
        "token bound out of range",
        lambda: Item.find().token_range(2**63),
        InvalidQueryError,
        r"token_range bound 9223372036854775808 must be an int between",
    ),
    (
        "token bound not an int",
        lambda: Item.find().token_range("0"),
        InvalidQueryError,
        r"token_range bound '0' must be an int",
    ),
    (
        "empty token range",
        lambda: Item.find().token_range(5, 5),
        InvalidQueryError,
        r"token_range\(5, 5\) is empty: start must be < end",
    ),
    ("token_ranges(0)", lambda: token_ranges(0), InvalidQueryError, r"token_ranges\(0\) needs a"),
    # -- update / increment ----------------------------------------------------------------
    (
        "update primary key",
        lambda: item().update(id=uuid4()),
        InvalidQueryError,
        r"Item\.id is part of the primary key and cannot be changed by update\(\)",
    ),
    (
        "update unknown field",
        lambda: item().update(nope=1),
        InvalidQueryError,
        r"Item has no field 'nope'\. Its columns are:",
    ),
    (
        "update a counter",
        lambda: Likes(post="p").update(likes=3),
        InvalidQueryError,
        r"Likes\.likes is a counter; change it with increment\(likes=\.\.\.\)",
    ),
    (
        "update non-Optional to None",
        lambda: item().update(name=None),
        InvalidQueryError,
        r"Item\.name is not Optional, so it cannot be set to None",
    ),
    (
        "update with a wrong type",
        lambda: item().update(stock="many"),
        InvalidQueryError,
        r"Item\.stock: 'many' is not a valid value for a int column",
    ),
    (
        "update nothing",
        lambda: item().update(),
        InvalidQueryError,
        r"Item: update\(\) needs at least one field",
    ),
    (
        "increment a non-counter",
        lambda: item().increment(stock=1),
        InvalidQueryError,
        r"Item\.stock is not a counter column; use update\(stock=\.\.\.\)",
    ),
    (
        "increment by a float",
        lambda: Likes(post="p").increment(likes=1.5),
        InvalidQueryError,
        r"Likes\.likes: increment by 1\.5 must be an int",
    ),
    (
        "increment by a str",
        lambda: Likes(post="p").increment(likes="1"),
        InvalidQueryError,
        r"Likes\.likes: increment by '1' must be an int",
    ),
    (
        "increment the key",
        lambda: Likes(post="p").increment(post=1),
        InvalidQueryError,
        r"Likes\.post is part of the primary key and cannot be changed by increment\(\)",
    ),
    (
        "increment nothing",
        lambda: Likes(post="p").increment(),
        InvalidQueryError,
        r"increment\(\) needs at least one counter=delta",
    ),
    # -- conditions -------------------------------------------------------------------------
    (
        "if_exists with if_conditions",
        lambda: item().update(name="x", if_exists=True, if_conditions={"stock": 1}),
        InvalidQueryError,
        r"use either if_exists=True or if_conditions, not both",
    ),
    (
        "bad IF operator",
        lambda: item().update(name="x", if_conditions={"tags__contains": "a"}),
        InvalidQueryError,
        r"operator __contains cannot be used in if_conditions",
    ),
    (
        "IF on a primary key column",
        lambda: item().delete(if_conditions={"id": U}),
        InvalidQueryError,
        r"Item\.id is a primary key column; conditions \(IF\) apply to other columns",
    ),
    (
        "IF on an unknown column",
        lambda: item().update(name="x", if_conditions={"nope": 1}),
        InvalidQueryError,
        r"Item has no column 'nope'",
    ),
    (
        "IF with a wrong type",
        lambda: item().update(name="x", if_conditions={"stock__gt": "x"}),
        InvalidQueryError,
        r"Item\.stock: 'x' is not a valid",
    ),
    (
        "IF __in with a scalar",
        lambda: item().update(name="x", if_conditions={"stock__in": 5}),
        InvalidQueryError,
        r"Item\.stock: __in needs a list of values, e\.g\. stock__in=\[a, b\], not 5",
    ),
    (
        "IF __in with a string",
        lambda: item().delete(if_conditions={"name__in": "abc"}),
        InvalidQueryError,
        r"Item\.name: __in needs a list of values.*not 'abc'",
    ),
    (
        "IF __in with an empty list",
        lambda: item().update(name="x", if_conditions={"stock__in": []}),
        InvalidQueryError,
        r"Item\.stock: __in got an empty list",
    ),
    (
        "IF range with None",
        lambda: item().update(name="x", if_conditions={"stock__gt": None}),
        InvalidQueryError,
        r"Item\.stock: None cannot be compared",
    ),
    # -- delete ----------------------------------------------------------------------------
    (
        "delete query without partition key",
        lambda: Post.find().delete(),
        InvalidQueryError,
        r"delete\(\) needs the full partition key; add filters for blog, lang",
    ),
    (
        "delete query with partial partition key",
        lambda: Post.find(blog="b").delete(),
        InvalidQueryError,
        r"delete\(\) needs the full partition key; add filters for lang",
    ),
    (
        "delete query with a non-key filter",
        lambda: Post.find(**post_pk(), title="t").delete(),
        InvalidQueryError,
        r"delete\(\) can only filter on primary key columns; 'title' is not one",
    ),
    (
        "delete query with limit",
        lambda: Post.find(**post_pk()).limit(5).delete(),
        InvalidQueryError,
        r"delete\(\) of a query cannot use limit\(\), order_by\(\) or per_partition_limit\(\)",
    ),
    (
        "delete query with order_by",
        lambda: Post.find(**post_pk()).order_by("year").delete(),
        InvalidQueryError,
        r"delete\(\) of a query cannot use limit\(\), order_by\(\)",
    ),
    (
        "delete query with token_range",
        lambda: Post.find().token_range(1, 2).delete(),
        InvalidQueryError,
        r"delete\(\) cannot use token_range\(\)",
    ),
    (
        "delete query with a range on the partition key",
        lambda: Post.find(blog__gt="a", lang="en").delete(),
        InvalidQueryError,
        r"delete\(\) restricts partition key 'blog' with __gt; use = or __in",
    ),
    (
        "delete_columns of the key",
        lambda: item().delete_columns("id"),
        InvalidQueryError,
        r"Item\.id is part of the primary key and cannot be changed by delete_columns\(\)",
    ),
    (
        "delete_columns of an unknown field",
        lambda: item().delete_columns("nope"),
        InvalidQueryError,
        r"Item has no field 'nope'",
    ),
    (
        "delete_columns of a counter",
        lambda: Likes(post="p").delete_columns("likes"),
        InvalidQueryError,
        r"Likes\.likes: counter columns cannot be deleted one by one",
    ),
    # -- ttl / timestamp --------------------------------------------------------------------
    (
        "negative ttl",
        lambda: item().save(ttl=-1),
        InvalidQueryError,
        r"Item: ttl=-1 must be an int number of seconds from 0 to 630720000",
    ),
    (
        "ttl too big",
        lambda: item().save(ttl=630_720_001),
        InvalidQueryError,
        r"ttl=630720001 must be an int",
    ),
    ("ttl str", lambda: item().save(ttl="60"), InvalidQueryError, r"ttl='60' must be an int"),
    ("ttl float", lambda: item().update(name="x", ttl=1.0), InvalidQueryError, r"ttl=1\.0 must"),
    ("ttl bool", lambda: item().insert(ttl=True), InvalidQueryError, r"ttl=True must be an int"),
    (
        "timestamp str",
        lambda: item().save(timestamp="now"),
        InvalidQueryError,
        r"Item: timestamp='now' must be an int \(microseconds since the epoch\) or a datetime",
    ),
    (
        "timestamp date",
        lambda: item().delete(timestamp=dt.date(2024, 1, 1)),
        InvalidQueryError,
        r"timestamp=datetime\.date\(2024, 1, 1\) must be an int",
    ),
    (
        "timestamp float",
        lambda: item().update(name="x", timestamp=1.5),
        InvalidQueryError,
        r"timestamp=1\.5 must be an int",
    ),
    # -- writes that cannot be expressed -------------------------------------------------------
    (
        "save on a counter table",
        lambda: Likes(post="p").save(),
        InvalidQueryError,
        r"Likes is a counter table: Cassandra cannot INSERT into it\. Use increment",
    ),
    (
        "insert on a counter table",
        lambda: Likes(post="p").insert(),
        InvalidQueryError,
        r"Likes is a counter table",
    ),
    (
        "insert_many on a counter table",
        lambda: Likes.insert_many([Likes(post="p")]),
        InvalidQueryError,
        r"Likes is a counter table",
    ),
    (
        "save with primary key None",
        lambda: keyless_item().save(),
        InvalidQueryError,
        r"Item: primary key column 'id' is None; set every primary key field \(id\)",
    ),
    (
        "delete with primary key None",
        lambda: keyless_item().delete(),
        InvalidQueryError,
        r"primary key column 'id' is None",
    ),
    (
        "update with primary key None",
        lambda: keyless_item().update(name="x"),
        InvalidQueryError,
        r"primary key column 'id' is None",
    ),
    # -- batches ---------------------------------------------------------------------------
    (
        "invalid batch type",
        lambda: BatchQuery("bogus"),
        InvalidQueryError,
        r"batch_type='bogus' is invalid; use 'logged', 'unlogged' or 'counter'",
    ),
    (
        "counter update in a logged batch",
        logged_batch_with_increment,
        InvalidQueryError,
        r"Counter updates need a counter batch: use batch_type='counter'",
    ),
    (
        "non-counter write in a counter batch",
        counter_batch_with_save,
        InvalidQueryError,
        r"A counter batch can only hold counter updates",
    ),
    # -- configuration ---------------------------------------------------------------------
    (
        "model on an unregistered named connection",
        lambda: Remote.find(id=1).all(),
        ConfigurationError,
        r"No coodie connection named 'reporting'\. Call init_coodie\(\.\.\.\) .* with "
        r"name='reporting' first\. Registered connections: default",
    ),
    (
        "init_coodie without hosts or session",
        lambda: init_coodie(driver_type="recording"),
        ConfigurationError,
        r"init_coodie\(\) needs hosts=\[\.\.\.\] \(contact points\) or session=",
    ),
    (
        "init_coodie with a bad keyspace",
        lambda: init_coodie(hosts="h", keyspace="bad-ks", driver_type="recording"),
        SchemaError,
        r"init_coodie: keyspace name 'bad-ks' is not a valid CQL identifier",
    ),
]


@pytest.mark.parametrize(("case", "call", "error", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_rejected_before_sending(
    driver: RecordingDriver,
    case: str,
    call: Callable[[], Any],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        call()
    assert driver.statements == [], f"{case}: something was sent: {driver.statements}"


def test_there_are_many_distinct_cases() -> None:
    assert len({c[0] for c in CASES}) == len(CASES) >= 30


def test_valid_variants_of_the_rejected_queries_are_accepted(driver: RecordingDriver) -> None:
    # Guards against the checks above being over-eager.
    Item.find(price=3.0).allow_filtering().all()
    Item.find(category="a").all()
    Item.find(id=U, category="a").all()
    Post.find(**post_pk(), year=2020, slug="s").all()
    Post.find(**post_pk(), year__gt=2000).all()
    Post.find(**post_pk()).order_by("-year", "slug").all()
    Post.find(**post_pk()).order_by("year", "-slug").all()
    Post.find(blog="b").allow_filtering().all()
    Item.find().token_range(1, 2).all()
    Post.find(**post_pk(), year__gte=2000).delete()
    item().update(note=None)
    Item.find(stock__in=(1, 2)).allow_filtering().all()
    assert len(driver.statements) == 12


def test_no_connection_names_init_coodie(no_connection: None) -> None:
    with pytest.raises(ConfigurationError) as info:
        item().save()
    message = str(info.value)
    assert "No coodie connection named 'default'" in message
    assert "Call init_coodie(...)" in message
    assert "Registered connections: none" in message


def test_sync_table_without_keyspace() -> None:
    from coodie import connections

    recording = RecordingDriver(keyspace=None)
    previous = connections.unregister_driver()
    connections.register_driver(recording)
    try:
        with pytest.raises(ConfigurationError, match=r"Item: no keyspace\. Set Settings\.keyspace"):
            Item.sync_table()
        assert recording.statements == []
    finally:
        connections.unregister_driver()
        if previous is not None:
            connections.register_driver(previous)


async def test_nothing_sent_on_validation_errors_in_both_apis(
    api: Any, driver: RecordingDriver
) -> None:
    m = api.m
    doc = m.Product(id=U, name="x")
    bad_calls = [
        (lambda: doc.save(ttl=-5), r"ttl=-5"),
        (lambda: doc.update(id=uuid4()), r"part of the primary key"),
        (lambda: doc.update(name=None), r"is not Optional"),
        (lambda: doc.delete(if_exists=True, if_conditions={"name": "x"}), r"not both"),
        (lambda: m.Product.find(name="x").all(), r"allow_filtering"),
        (lambda: m.Product.find(name="x").count(), r"allow_filtering"),
        (lambda: m.Product.find(name="x").first(), r"allow_filtering"),
        (lambda: m.Product.find_one(price=1.0), r"allow_filtering"),
        (lambda: m.Product.find().delete(), r"full partition key"),
        (lambda: m.Product.find(name="x").page(), r"allow_filtering"),
        (lambda: m.PageView(page="p").save(), r"counter table"),
        (lambda: m.PageView(page="p").increment(views="1"), r"must be an int"),
        (lambda: m.Product.get(id="zzz"), r"not a valid value for a uuid column"),
    ]
    for call, message in bad_calls:
        with pytest.raises(InvalidQueryError, match=message):
            await api(call())
    assert driver.statements == []


async def test_aio_iteration_validates_before_sending(driver: RecordingDriver) -> None:
    import coodie.aio

    class Gadget(coodie.aio.Document):
        id: Annotated[int, PrimaryKey()]
        color: str = ""

    with pytest.raises(InvalidQueryError, match="allow_filtering"):
        async for _ in Gadget.find(color="red"):
            pass
    assert driver.statements == []
