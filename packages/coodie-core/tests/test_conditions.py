"""Lightweight-transaction conditions (``IF ...``) and filter keywords: how each operator and
each combination is written, and which values are bound in which order."""

from typing import Annotated, Any
from uuid import UUID

import pytest

from coodie.exceptions import InvalidQueryError
from coodie.fields import ClusteringKey, PrimaryKey
from coodie.sync import Document
from coodie.testing import RecordingDriver

KEY = UUID("00000000-0000-0000-0000-0000000000aa")


class Account(Document):
    id: Annotated[UUID, PrimaryKey()]
    owner: str = ""
    balance: int = 0
    status: str | None = None
    #: A column whose name ends like an operator keyword is still filtered by equality.
    limit__in: int = 0


class Entry(Document):
    ledger: Annotated[str, PrimaryKey()]
    seq: Annotated[int, ClusteringKey()]
    amount: int = 0


def account() -> Account:
    return Account(id=KEY, owner="ann", balance=10)


def applied(driver: RecordingDriver) -> None:
    driver.queue_rows(["[applied]"], [(True,)])


SINGLE = [
    ("balance", 5, "balance = ?", 5),
    ("balance__gt", 5, "balance > ?", 5),
    ("balance__gte", 5, "balance >= ?", 5),
    ("balance__lt", 5, "balance < ?", 5),
    ("balance__lte", 5, "balance <= ?", 5),
    ("balance__in", [5, 6], "balance IN ?", [5, 6]),
    ("balance__in", (5,), "balance IN ?", [5]),
    ("status", None, "status = ?", None),
    ("status__in", ["a", "b"], "status IN ?", ["a", "b"]),
    ("limit__in", 3, "limit__in = ?", 3),
]


@pytest.mark.parametrize(("key", "value", "text", "bound"), SINGLE)
def test_each_condition_operator_in_update(
    driver: RecordingDriver, key: str, value: Any, text: str, bound: Any
) -> None:
    applied(driver)
    account().update(owner="bob", if_conditions={key: value})
    statement = driver.last
    assert statement.cql == f"UPDATE test.account SET owner = ? WHERE id = ? IF {text}"  # type: ignore[union-attr]
    assert list(statement.values) == ["bob", KEY, bound]  # type: ignore[union-attr]
    assert statement.idempotent is False  # type: ignore[union-attr]


@pytest.mark.parametrize(("key", "value", "text", "bound"), SINGLE)
def test_each_condition_operator_in_delete(
    driver: RecordingDriver, key: str, value: Any, text: str, bound: Any
) -> None:
    applied(driver)
    account().delete(if_conditions={key: value})
    statement = driver.last
    assert statement.cql == f"DELETE FROM test.account WHERE id = ? IF {text}"  # type: ignore[union-attr]
    assert list(statement.values) == [KEY, bound]  # type: ignore[union-attr]


def test_conditions_combine_with_and_in_the_order_given(driver: RecordingDriver) -> None:
    applied(driver)
    conditions = {"status__in": ["open"], "balance__lte": 100, "owner": "ann", "balance__gt": 0}
    account().update(balance=1, ttl=30, if_conditions=conditions)
    statement = driver.last
    assert statement.cql == (  # type: ignore[union-attr]
        "UPDATE test.account USING TTL ? SET balance = ? WHERE id = ? "
        "IF status IN ? AND balance <= ? AND owner = ? AND balance > ?"
    )
    assert list(statement.values) == [30, 1, KEY, ["open"], 100, "ann", 0]  # type: ignore[union-attr]


def test_conditions_on_delete_of_columns_and_with_a_timestamp(driver: RecordingDriver) -> None:
    applied(driver)
    at = 1_700_000_000_000_000  # microseconds since the epoch (2023)
    account().delete(timestamp=at, if_conditions={"balance": 0, "status": None})
    statement = driver.last
    assert statement.cql == (  # type: ignore[union-attr]
        "DELETE FROM test.account USING TIMESTAMP ? WHERE id = ? IF balance = ? AND status = ?"
    )
    assert list(statement.values) == [at, KEY, 0, None]  # type: ignore[union-attr]


def test_if_exists_is_written_alone(driver: RecordingDriver) -> None:
    applied(driver)
    account().delete(if_exists=True)
    assert driver.last.cql == "DELETE FROM test.account WHERE id = ? IF EXISTS"  # type: ignore[union-attr]
    applied(driver)
    account().update(owner="x", if_exists=True)
    assert driver.last.cql == (  # type: ignore[union-attr]
        "UPDATE test.account SET owner = ? WHERE id = ? IF EXISTS"
    )
    applied(driver)
    account().update(owner="x", if_exists=False, if_conditions={})
    assert driver.last.cql == "UPDATE test.account SET owner = ? WHERE id = ?"  # type: ignore[union-attr]


def test_condition_values_are_checked_like_filters(driver: RecordingDriver) -> None:
    applied(driver)
    account().update(owner="x", if_conditions={"balance__in": ["1", 2]})
    assert list(driver.last.values)[-1] == [1, 2]  # type: ignore[union-attr]
    for key in ("balance__contains", "balance__contains_key", "balance__like"):
        with pytest.raises(InvalidQueryError, match=r"cannot be used in if_conditions"):
            account().update(owner="x", if_conditions={key: 1})


def test_conditions_in_a_batch(driver: RecordingDriver) -> None:
    from coodie.sync import BatchQuery

    applied(driver)
    with BatchQuery() as batch:
        batch.update(account(), owner="z", if_conditions={"balance__gte": 1})
        # another cell of the row: a batch may not write one cell twice
        batch.update(account(), balance=5, if_conditions={"owner": "z"})
    inner = [s.cql for s in driver.last.statements]  # type: ignore[union-attr]
    assert inner == [
        "UPDATE test.account SET owner = ? WHERE id = ? IF balance >= ?",
        "UPDATE test.account SET balance = ? WHERE id = ? IF owner = ?",
    ]


# -- filter keywords ---------------------------------------------------------------------------

FILTERS = [
    ({"ledger": "l"}, "ledger = ?"),
    ({"ledger": "l", "seq": 1}, "ledger = ? AND seq = ?"),
    ({"ledger": "l", "seq__gt": 1}, "ledger = ? AND seq > ?"),
    ({"ledger": "l", "seq__gte": 1}, "ledger = ? AND seq >= ?"),
    ({"ledger": "l", "seq__lt": 1}, "ledger = ? AND seq < ?"),
    ({"ledger": "l", "seq__lte": 1}, "ledger = ? AND seq <= ?"),
    ({"ledger": "l", "seq__in": [1, 2]}, "ledger = ? AND seq IN ?"),
    ({"ledger__in": ["l", "m"]}, "ledger IN ?"),
    # Operators of one column come in a fixed order, whatever order they were given in.
    ({"ledger": "l", "seq__lt": 9, "seq__gte": 1}, "ledger = ? AND seq >= ? AND seq < ?"),
    ({"seq__lte": 9, "ledger": "l", "seq__gt": 1}, "ledger = ? AND seq > ? AND seq <= ?"),
]


@pytest.mark.parametrize(("filters", "where"), FILTERS)
def test_filter_operators_are_written_in_column_then_operator_order(
    driver: RecordingDriver, filters: dict[str, Any], where: str
) -> None:
    Entry.find(**filters).all()
    assert driver.last.cql == f"SELECT ledger, seq, amount FROM test.entry WHERE {where}"  # type: ignore[union-attr]


def test_refiltering_a_column_and_operator_replaces_the_value(driver: RecordingDriver) -> None:
    Entry.find(ledger="l", seq__gt=1).filter(seq__gt=5).all()
    assert driver.last.cql.endswith("WHERE ledger = ? AND seq > ?")  # type: ignore[union-attr]
    assert list(driver.last.values) == ["l", 5]  # type: ignore[union-attr]


def test_a_column_named_like_an_operator_is_filtered_by_equality(driver: RecordingDriver) -> None:
    Account.find(limit__in=3).allow_filtering().all()
    assert driver.last.cql.endswith("WHERE limit__in = ? ALLOW FILTERING")  # type: ignore[union-attr]
    with pytest.raises(InvalidQueryError, match=r"Account has no column 'owner__x'"):
        Account.find(owner__x__gt=1)
    with pytest.raises(InvalidQueryError, match=r"Account has no column 'nothing'"):
        Account.find(nothing=1)


def test_contains_key_spelling_needs_both_parts(driver: RecordingDriver) -> None:
    # Only "__contains__key" is the spelling of __contains_key; "__contains__gt" and
    # "__x__key" name a column that does not exist.
    with pytest.raises(InvalidQueryError, match=r"Account has no column 'owner__contains'"):
        Account.find(owner__contains__gt="a")
    with pytest.raises(InvalidQueryError, match=r"Account has no column 'owner__x'"):
        Account.find(owner__x__key="a")
    assert driver.statements == []
