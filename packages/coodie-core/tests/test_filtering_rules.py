"""When a query needs ALLOW FILTERING, and which index serves which filter.

Each rule was checked against Cassandra 5.0 (legacy secondary indexes, what a plain
``CREATE INDEX`` makes): the queries listed as needing filtering are the ones the node
refuses without ``ALLOW FILTERING``; the others it runs as they are.
"""

from collections.abc import Callable
from typing import Annotated, Any

import pytest
from pydantic import Field

from coodie.exceptions import InvalidQueryError
from coodie.fields import ClusteringKey, Indexed, PrimaryKey
from coodie.sync import Document
from coodie.testing import RecordingDriver


class Listing(Document):
    shop: Annotated[str, PrimaryKey()]
    sku: Annotated[int, ClusteringKey()]
    color: Annotated[str, Indexed()] = ""
    size: Annotated[int, Indexed()] = 0
    price: float = 0.0
    #: A plain Indexed() on a map indexes its values (CONTAINS), not its keys.
    props: Annotated[dict[str, str], Indexed()] = Field(default_factory=dict)
    keyed: Annotated[dict[str, str], Indexed(target="keys")] = Field(default_factory=dict)
    valued: Annotated[dict[str, str], Indexed(target="values")] = Field(default_factory=dict)
    pairs: Annotated[dict[str, str], Indexed(target="entries")] = Field(default_factory=dict)
    plain: dict[str, str] = Field(default_factory=dict)
    labels: Annotated[set[str], Indexed()] = Field(default_factory=set)
    notes: list[str] = Field(default_factory=list)


COLS = "shop, sku, color, size, price, props, keyed, valued, pairs, plain, labels, notes"
SELECT = f"SELECT {COLS} FROM test.listing"
NOT_INDEXED = "is not part of the primary key and is not indexed"
NO_INDEX_USE = "is not part of the primary key and cannot use its index for this"

NEEDS_FILTERING: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "full partition key and a non-indexed column",
        {"shop": "s", "price": 1.0},
        "shop = ? AND price = ?",
        f"column 'price' {NOT_INDEXED}",
    ),
    (
        "full primary key and a non-indexed column",
        {"shop": "s", "sku": 1, "price": 1.0},
        "shop = ? AND sku = ? AND price = ?",
        f"column 'price' {NOT_INDEXED}",
    ),
    (
        "two indexed columns",
        {"color": "red", "size": 3},
        "color = ? AND size = ?",
        f"column 'size' {NO_INDEX_USE}",
    ),
    (
        "partition key and two indexed columns",
        {"shop": "s", "color": "red", "labels__contains": "x"},
        "shop = ? AND color = ? AND labels CONTAINS ?",
        f"column 'labels' {NO_INDEX_USE}",
    ),
    (
        "an indexed column followed by a non-indexed one",
        {"color": "red", "price": 2.0},
        "color = ? AND price = ?",
        f"column 'price' {NOT_INDEXED}",
    ),
    (
        "an indexed column by __in",
        {"color__in": ["red", "blue"]},
        "color IN ?",
        f"column 'color' {NO_INDEX_USE}",
    ),
    (
        "an indexed column by range",
        {"size__gte": 3},
        "size >= ?",
        f"column 'size' {NO_INDEX_USE}",
    ),
    (
        "contains key on a map indexed by values (plain Indexed())",
        {"props__contains_key": "k"},
        "props CONTAINS KEY ?",
        f"column 'props' {NO_INDEX_USE}",
    ),
    (
        "contains on a map indexed by keys",
        {"keyed__contains": "v"},
        "keyed CONTAINS ?",
        f"column 'keyed' {NO_INDEX_USE}",
    ),
    (
        "contains key on a map indexed by values",
        {"valued__contains_key": "k"},
        "valued CONTAINS KEY ?",
        f"column 'valued' {NO_INDEX_USE}",
    ),
    (
        "contains on a map indexed by entries",
        {"pairs__contains": "v"},
        "pairs CONTAINS ?",
        f"column 'pairs' {NO_INDEX_USE}",
    ),
    (
        "contains key on a map indexed by entries",
        {"pairs__contains_key": "k"},
        "pairs CONTAINS KEY ?",
        f"column 'pairs' {NO_INDEX_USE}",
    ),
    (
        "contains on a map without index",
        {"plain__contains": "v"},
        "plain CONTAINS ?",
        f"column 'plain' {NOT_INDEXED}",
    ),
    (
        "contains on a list without index",
        {"notes__contains": "v"},
        "notes CONTAINS ?",
        f"column 'notes' {NOT_INDEXED}",
    ),
    (
        "a clustering column without the partition key",
        {"sku": 1},
        "sku = ?",
        "clustering column 'sku' is restricted without the full partition key",
    ),
    (
        "the partition key by range",
        {"shop__gt": "a"},
        "shop > ?",
        r"the partition key \(shop\) is only partly restricted or restricted by a range",
    ),
]


@pytest.mark.parametrize(
    ("case", "filters", "where", "reason"), NEEDS_FILTERING, ids=[c[0] for c in NEEDS_FILTERING]
)
def test_queries_cassandra_filters_need_allow_filtering(
    driver: RecordingDriver, case: str, filters: dict[str, Any], where: str, reason: str
) -> None:
    for call in (lambda q: q.all(), lambda q: q.count(), lambda q: q.first()):
        with pytest.raises(
            InvalidQueryError, match=f"needs allow_filtering\\(\\) because {reason}"
        ):
            call(Listing.find(**filters))
    assert driver.statements == []
    Listing.find(**filters).allow_filtering().all()
    assert driver.last.cql == f"{SELECT} WHERE {where} ALLOW FILTERING"  # type: ignore[union-attr]


def test_every_reason_is_named(driver: RecordingDriver) -> None:
    query = Listing.find(sku=1, price=1.0, color="red", size=3)
    with pytest.raises(InvalidQueryError) as info:
        query.all()
    message = str(info.value)
    assert "clustering column 'sku' is restricted without the full partition key" in message
    assert f"column 'price' {NOT_INDEXED}" in message
    assert f"column 'size' {NO_INDEX_USE}" in message
    assert "column 'color'" not in message  # the first index serves the query


SERVED: list[tuple[str, dict[str, Any], str]] = [
    ("one indexed column", {"color": "red"}, "color = ?"),
    (
        "partition key and an indexed column",
        {"shop": "s", "color": "red"},
        "shop = ? AND color = ?",
    ),
    (
        "primary key and an indexed column",
        {"shop": "s", "sku": 2, "size": 3},
        "shop = ? AND sku = ? AND size = ?",
    ),
    ("contains on a map indexed by values (plain)", {"props__contains": "v"}, "props CONTAINS ?"),
    ("contains on a map indexed by values", {"valued__contains": "v"}, "valued CONTAINS ?"),
    ("contains key on a map indexed by keys", {"keyed__contains_key": "k"}, "keyed CONTAINS KEY ?"),
    ("the __contains__key spelling", {"keyed__contains__key": "k"}, "keyed CONTAINS KEY ?"),
    ("contains on an indexed set", {"labels__contains": "x"}, "labels CONTAINS ?"),
    ("partition key only", {"shop": "s"}, "shop = ?"),
    ("partition key by __in", {"shop__in": ["a", "b"]}, "shop IN ?"),
    ("clustering range", {"shop": "s", "sku__gt": 1}, "shop = ? AND sku > ?"),
]


@pytest.mark.parametrize(("case", "filters", "where"), SERVED, ids=[c[0] for c in SERVED])
def test_queries_served_by_keys_or_one_index_are_sent_as_they_are(
    driver: RecordingDriver, case: str, filters: dict[str, Any], where: str
) -> None:
    Listing.find(**filters).all()
    assert driver.last.cql == f"{SELECT} WHERE {where}"  # type: ignore[union-attr]


def test_contains_key_spellings_are_one_filter(driver: RecordingDriver) -> None:
    query = Listing.find(keyed__contains__key="a").filter(keyed__contains_key="b")
    query.all()
    assert driver.last.cql == f"{SELECT} WHERE keyed CONTAINS KEY ?"  # type: ignore[union-attr]
    assert list(driver.last.values) == ["b"]  # type: ignore[union-attr]
    with pytest.raises(InvalidQueryError, match=r"__contains_key needs a map column"):
        Listing.find(labels__contains__key="x")


# -- token_range() and partition key filters -----------------------------------------------

TOKEN_BOUNDS = [(5, None), (None, 5), (-5, 5)]
BOUND_IDS = ["start only", "end only", "both"]


@pytest.mark.parametrize(("start", "end"), TOKEN_BOUNDS, ids=BOUND_IDS)
def test_find_refuses_token_range_with_a_partition_key_filter(
    driver: RecordingDriver, start: int | None, end: int | None
) -> None:
    for filters in ({"shop": "s"}, {"shop__in": ["a", "b"]}, {"shop": "s", "sku": 1}):
        query = Listing.find(**filters).token_range(start, end)
        with pytest.raises(InvalidQueryError, match=r"cannot be combined with partition key"):
            query.all()
        with pytest.raises(InvalidQueryError, match=r"cannot be combined with partition key"):
            query.allow_filtering().count()
    assert driver.statements == []


@pytest.mark.parametrize(("start", "end"), TOKEN_BOUNDS, ids=BOUND_IDS)
def test_delete_and_update_refuse_token_range(
    driver: RecordingDriver, start: int | None, end: int | None
) -> None:
    with pytest.raises(InvalidQueryError, match=r"delete\(\) cannot use token_range\(\)"):
        Listing.find(shop="s").token_range(start, end).delete()
    with pytest.raises(InvalidQueryError, match=r"update\(\) of a query cannot use .*token_range"):
        Listing.find(shop="s", sku=1).token_range(start, end).update(price=2.0)
    assert driver.statements == []


@pytest.mark.parametrize(("start", "end"), TOKEN_BOUNDS, ids=BOUND_IDS)
def test_token_range_with_a_clustering_filter_needs_allow_filtering(
    driver: RecordingDriver, start: int | None, end: int | None
) -> None:
    # Cassandra refuses `token(shop) > ? AND sku = ?` without ALLOW FILTERING.
    for filters in ({"sku": 1}, {"sku__gt": 1}):
        with pytest.raises(InvalidQueryError, match=r"clustering column 'sku' is restricted"):
            Listing.find(**filters).token_range(start, end).all()
    assert driver.statements == []
    Listing.find(sku=1).token_range(start, end).allow_filtering().all()
    assert driver.last.cql.endswith(" ALLOW FILTERING")  # type: ignore[union-attr]


def test_token_range_with_an_indexed_column_is_served(driver: RecordingDriver) -> None:
    Listing.find(color="red").token_range(5).all()
    assert driver.last.cql == f"{SELECT} WHERE color = ? AND token(shop) > ?"  # type: ignore[union-attr]
    assert list(driver.last.values) == ["red", 5]  # type: ignore[union-attr]


# -- limits ------------------------------------------------------------------------------------


LIMITS: list[tuple[Callable[[Any], Any], str]] = [
    (lambda q: q.per_partition_limit(1), " PER PARTITION LIMIT ?"),
    (lambda q: q.limit(1), " LIMIT ?"),
    (lambda q: q.per_partition_limit(1).limit(1), " PER PARTITION LIMIT ? LIMIT ?"),
]


@pytest.mark.parametrize(("chain", "suffix"), LIMITS)
def test_limits_of_one_are_accepted(
    driver: RecordingDriver, chain: Callable[[Any], Any], suffix: str
) -> None:
    chain(Listing.find()).all()
    assert driver.last.cql == SELECT + suffix  # type: ignore[union-attr]
    assert set(driver.last.values) == {1}  # type: ignore[union-attr]


def test_index_statements_name_the_target_cassandra_serves(driver: RecordingDriver) -> None:
    Listing.sync_table()
    indexes = sorted(cql for cql in driver.cql if cql.startswith("CREATE INDEX"))
    assert indexes == [
        "CREATE INDEX IF NOT EXISTS listing_color_idx ON test.listing (color)",
        "CREATE INDEX IF NOT EXISTS listing_keyed_idx ON test.listing (KEYS(keyed))",
        "CREATE INDEX IF NOT EXISTS listing_labels_idx ON test.listing (labels)",
        "CREATE INDEX IF NOT EXISTS listing_pairs_idx ON test.listing (ENTRIES(pairs))",
        # A plain Indexed() on a map: Cassandra indexes the values, so CONTAINS is served.
        "CREATE INDEX IF NOT EXISTS listing_props_idx ON test.listing (props)",
        "CREATE INDEX IF NOT EXISTS listing_size_idx ON test.listing (size)",
        "CREATE INDEX IF NOT EXISTS listing_valued_idx ON test.listing (VALUES(valued))",
    ]


@pytest.mark.parametrize("op", ["gt", "gte", "lt", "lte"])
def test_range_operators_are_refused_on_collections(driver: RecordingDriver, op: str) -> None:
    with pytest.raises(InvalidQueryError, match=r"range operators do not apply to collection"):
        Listing.find(**{f"labels__{op}": "a"})


@pytest.mark.parametrize("op", ["", "__in"])
def test_a_non_frozen_collection_cannot_be_matched_whole(driver: RecordingDriver, op: str) -> None:
    value: Any = [{"a"}] if op else {"a"}
    with pytest.raises(InvalidQueryError, match=r"cannot be filtered as a whole"):
        Listing.find(**{f"labels{op}": value})


def test_unknown_operator_lists_the_operators_in_full(driver: RecordingDriver) -> None:
    with pytest.raises(InvalidQueryError) as info:
        Listing.find(size__like=1)
    assert str(info.value) == (
        "Listing: unknown filter operator 'like' in 'size__like'. Use a bare column name for "
        "equality or one of: __gt, __gte, __lt, __lte, __in, __contains, __contains_key."
    )
