"""QuerySet-level conditional writes, IF conditions with ``!=`` and on collection elements,
and setting one list element by index: the CQL written, the values bound, the errors."""

from typing import Annotated, Any
from uuid import UUID

import pytest
from pydantic import Field

from coodie.exceptions import ConditionalWriteFailed, InvalidQueryError
from coodie.fields import Frozen, PrimaryKey
from coodie.sync import Document
from coodie.testing import RecordingDriver

KEY = UUID("00000000-0000-0000-0000-0000000000bb")


class Gadget(Document):
    id: Annotated[UUID, PrimaryKey()]
    brand: str = ""
    stock: int = 0
    tags: list[str] = Field(default_factory=list)
    ratings: dict[str, int] = Field(default_factory=dict)
    labels: set[str] = Field(default_factory=set)
    sizes: Annotated[list[int], Frozen()] = Field(default_factory=list)


def applied(driver: RecordingDriver) -> None:
    driver.queue_rows(["[applied]"], [(True,)])


def not_applied(driver: RecordingDriver, **row: Any) -> None:
    driver.queue_rows(["[applied]", *row], [(False, *row.values())])


def gadget() -> Gadget:
    return Gadget(id=KEY, brand="acme", tags=["a", "b"])


def last(driver: RecordingDriver) -> tuple[str, list[Any]]:
    statement = driver.last
    return statement.cql, list(statement.values)  # type: ignore[union-attr]


CONDITIONS = [
    ({"brand__ne": "z"}, '"brand" != ?', ["z"]),
    ({"brand__ne": None}, '"brand" != ?', [None]),
    ({"tags__at": (0, "a")}, '"tags"[?] = ?', [0, "a"]),
    ({"tags__at__ne": (1, "b")}, '"tags"[?] != ?', [1, "b"]),
    ({"tags__at__in": (0, ["a", "c"])}, '"tags"[?] IN ?', [0, ["a", "c"]]),
    ({"ratings__at": ("k", 3)}, '"ratings"[?] = ?', ["k", 3]),
    ({"ratings__at__gte": ("k", "3")}, '"ratings"[?] >= ?', ["k", 3]),
    ({"ratings__at": ("gone", None)}, '"ratings"[?] = ?', ["gone", None]),
    ({"sizes__at__lt": (0, 9)}, '"sizes"[?] < ?', [0, 9]),
    ({"stock__gt": 1, "brand__ne": "x"}, '"stock" > ? AND "brand" != ?', [1, "x"]),
]


def unquoted(text: str) -> str:
    return text.replace('"', "")


@pytest.mark.parametrize(("conditions", "clause", "bound"), CONDITIONS)
def test_conditions_on_columns_and_elements(
    driver: RecordingDriver, conditions: dict[str, Any], clause: str, bound: list[Any]
) -> None:
    applied(driver)
    gadget().update(stock=3, if_conditions=conditions)
    cql, values = last(driver)
    assert cql == f"UPDATE test.gadget SET stock = ? WHERE id = ? IF {unquoted(clause)}"
    assert values == [3, KEY, *bound]
    applied(driver)
    Gadget.find(id=KEY).delete(if_conditions=conditions)
    cql, values = last(driver)
    assert cql == f"DELETE FROM test.gadget WHERE id = ? IF {unquoted(clause)}"
    assert values == [KEY, *bound]


BAD_CONDITIONS = [
    ({"labels__at": ("a", "a")}, r"__at compares one element of a list or map, but labels is"),
    ({"brand__at": (0, "a")}, r"but brand is text"),
    ({"tags__at": 0}, r"takes \(index or key, value\), e.g. tags__at=\(0, 'x'\)"),
    ({"tags__at": (-1, "a")}, r"list index must be an int >= 0, got -1"),
    ({"tags__at": (True, "a")}, r"list index must be an int >= 0, got True"),
    ({"tags__at": ("0", "a")}, r"list index must be an int >= 0"),
    ({"tags__at__in": (0, [])}, r"__in got an empty list"),
    ({"tags__at__in": (0, "ab")}, r"__in needs a list of values"),
    ({"ratings__at": ("k", "x")}, r"Gadget\.ratings"),
    ({"tags__at__contains": (0, "a")}, r"operator __contains cannot be used in if_conditions"),
    ({"brand__like": "a"}, r"operator __like cannot be used in if_conditions"),
    ({"brand__ne": 5}, r"Gadget\.brand"),
    ({"id__ne": KEY}, r"primary key column"),
]


@pytest.mark.parametrize(("conditions", "message"), BAD_CONDITIONS)
def test_bad_conditions_are_refused_before_sending(
    driver: RecordingDriver, conditions: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        gadget().update(stock=1, if_conditions=conditions)
    with pytest.raises(InvalidQueryError, match=message):
        Gadget.find(id=KEY).delete(if_conditions=conditions)
    assert driver.statements == []


def test_query_if_exists_update_and_delete(driver: RecordingDriver) -> None:
    applied(driver)
    Gadget.find(id=KEY).if_exists().update(stock=2)
    assert last(driver) == ("UPDATE test.gadget SET stock = ? WHERE id = ? IF EXISTS", [2, KEY])
    applied(driver)
    Gadget.find(id=KEY).if_exists().delete()
    assert last(driver) == ("DELETE FROM test.gadget WHERE id = ? IF EXISTS", [KEY])
    applied(driver)
    Gadget.find(id=KEY).delete(if_exists=True)
    assert last(driver) == ("DELETE FROM test.gadget WHERE id = ? IF EXISTS", [KEY])
    Gadget.find(id=KEY).delete()
    assert last(driver) == ("DELETE FROM test.gadget WHERE id = ?", [KEY])


def test_query_conditional_write_not_applied_carries_the_row(driver: RecordingDriver) -> None:
    not_applied(driver, brand="other")
    with pytest.raises(ConditionalWriteFailed, match=r"update was not applied.*brand='other'"):
        Gadget.find(id=KEY).update(stock=2, if_conditions={"brand__ne": "other"})
    not_applied(driver)
    with pytest.raises(ConditionalWriteFailed, match=r"delete was not applied") as failed:
        Gadget.find(id=KEY).if_exists().delete()
    assert failed.value.existing == {}


def test_query_if_not_exists_create(driver: RecordingDriver) -> None:
    applied(driver)
    made = Gadget.find(id=KEY).if_not_exists().create(brand="new", tags=["x"])
    assert isinstance(made, Gadget)
    assert (made.id, made.brand, made.tags) == (KEY, "new", ["x"])
    cql, values = last(driver)
    assert cql.startswith("INSERT INTO test.gadget (id, brand, stock, tags, ratings")
    assert cql.endswith(" IF NOT EXISTS")
    assert values[:4] == [KEY, "new", 0, ["x"]]
    row = {n: getattr(made, n) for n in Gadget.coodie_schema().column_names}
    not_applied(driver, **{**row, "brand": "old"})
    with pytest.raises(ConditionalWriteFailed, match=r"insert was not applied") as failed:
        Gadget.find(id=KEY).if_not_exists().create(brand="new")
    assert failed.value.document is not None
    assert failed.value.document.brand == "old"


def test_query_create_without_condition_is_an_upsert(driver: RecordingDriver) -> None:
    made = Gadget.find(id=KEY).create({"brand": "up"}, ttl=60)
    cql, values = last(driver)
    assert "IF NOT EXISTS" not in cql
    assert cql.endswith(" USING TTL ?")
    assert made.brand == "up"
    assert values[-1] == 60


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Gadget.find(id=KEY).if_not_exists().update(stock=1), r"does not apply to update"),
        (lambda: Gadget.find(id=KEY).if_not_exists().delete(), r"does not apply to delete"),
        (lambda: Gadget.find(id=KEY).if_exists().create(), r"if_exists\(\) does not apply"),
        (
            lambda: Gadget.find(id=KEY).if_exists().update(stock=1, if_conditions={"stock": 1}),
            r"not both",
        ),
        (lambda: Gadget.find(brand="a").if_exists().delete(), r"can only filter on primary"),
        (lambda: Gadget.find().delete(if_conditions={"stock": 1}), r"needs the whole primary"),
        (lambda: Gadget.find(id=KEY).create(id=KEY), r"got id from the query's filters"),
        (lambda: Gadget.find().if_not_exists().create(brand="a"), r"whole primary key"),
    ],
)
def test_query_conditional_writes_refuse_what_does_not_fit(
    driver: RecordingDriver, call: Any, message: str
) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        call()
    assert driver.statements == []


def test_set_a_list_element_by_index(driver: RecordingDriver) -> None:
    doc = gadget()
    doc.update(tags__at=(1, "B"))
    assert last(driver) == ("UPDATE test.gadget SET tags[?] = ? WHERE id = ?", [1, "B", KEY])
    assert doc.tags == ["a", "B"]
    applied(driver)
    Gadget.find(id=KEY).update(tags__at=(0, "A"), if_conditions={"tags__at": (0, "a")})
    assert last(driver) == (
        "UPDATE test.gadget SET tags[?] = ? WHERE id = ? IF tags[?] = ?",
        [0, "A", KEY, 0, "a"],
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tags__at": (-1, "x")}, r"list index must be an int >= 0, got -1"),
        ({"tags__at": (1.0, "x")}, r"list index must be an int >= 0, got 1.0"),
        ({"tags__at": "x"}, r"takes \(index, value\)"),
        ({"tags__at": (0, None)}, r"the new element is None"),
        ({"tags__at": (0, 5)}, r"Gadget\.tags"),
        ({"sizes__at": (0, 1)}, r"frozen"),
        ({"labels__at": (0, "a")}, r"does not apply to a set column"),
        ({"ratings__at": ("k", 1)}, r"does not apply to a map column"),
    ],
)
def test_bad_list_index_updates_are_refused(
    driver: RecordingDriver, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        gadget().update(**fields)
    assert driver.statements == []
