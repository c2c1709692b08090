"""update(tags__append=[...]) and the other collection operators: CQL, values, mirror, errors."""

import functools
from types import SimpleNamespace
from typing import Annotated, Any
from uuid import UUID

import pytest

import coodie.aio
import coodie.sync
from coodie.drivers.statement import Statement
from coodie.exceptions import InvalidQueryError
from coodie.fields import Counter, Frozen, PrimaryKey
from coodie.testing import RecordingDriver

PID = UUID("11111111-2222-3333-4444-555555555555")


@functools.cache
def models(api_name: str) -> SimpleNamespace:
    base: Any = coodie.sync.Document if api_name == "sync" else coodie.aio.Document

    class Basket(base):
        id: Annotated[UUID, PrimaryKey()]
        items: list[str] = []
        labels: set[str] = set()
        counts: dict[str, int] = {}
        ids: set[UUID] = set()
        fixed: Annotated[list[int], Frozen()] = []
        note: str | None = None
        maybe: list[str] | None = None
        codes: frozenset[int] = frozenset()

    class Hits(base):
        id: Annotated[UUID, PrimaryKey()]
        total: Annotated[int, Counter()] = 0

    return SimpleNamespace(Basket=Basket, Hits=Hits)


def basket(api: Any, **fields: Any) -> Any:
    return models(api.name).Basket(id=PID, **fields)


def last(driver: RecordingDriver) -> Statement:
    statement = driver.last
    assert isinstance(statement, Statement)
    return statement


@pytest.mark.parametrize(
    ("changes", "cql", "values", "after"),
    [
        (
            {"items__append": ["c"]},
            "UPDATE test.basket SET items = items + ? WHERE id = ?",
            [["c"]],
            {"items": ["a", "b", "c"]},
        ),
        (
            {"items__prepend": ["z"]},
            "UPDATE test.basket SET items = ? + items WHERE id = ?",
            [["z"]],
            {"items": ["z", "a", "b"]},
        ),
        (
            {"items__remove": ["a"]},
            "UPDATE test.basket SET items = items - ? WHERE id = ?",
            [["a"]],
            {"items": ["b"]},
        ),
        (
            {"labels__add": {"new"}},
            "UPDATE test.basket SET labels = labels + ? WHERE id = ?",
            [{"new"}],
            {"labels": {"x", "new"}},
        ),
        (
            {"labels__remove": {"x"}},
            "UPDATE test.basket SET labels = labels - ? WHERE id = ?",
            [{"x"}],
            {"labels": set()},
        ),
        (
            {"counts__update": {"b": 2, "a": 9}},
            "UPDATE test.basket SET counts = counts + ? WHERE id = ?",
            [{"b": 2, "a": 9}],
            {"counts": {"a": 9, "b": 2}},
        ),
        (
            {"counts__remove": {"a"}},
            "UPDATE test.basket SET counts = counts - ? WHERE id = ?",
            [{"a"}],
            {"counts": {}},
        ),
        (
            {"note": "hi", "labels__add": ["y"], "items__append": ("q",)},
            "UPDATE test.basket SET items = items + ?, labels = labels + ?, note = ? WHERE id = ?",
            [["q"], {"y"}, "hi"],
            {"items": ["a", "b", "q"], "labels": {"x", "y"}, "note": "hi"},
        ),
    ],
)
async def test_operators_send_one_assignment_and_mirror_the_result(
    api: Any,
    driver: RecordingDriver,
    changes: dict[str, Any],
    cql: str,
    values: list[Any],
    after: dict[str, Any],
) -> None:
    doc = basket(api, items=["a", "b"], labels={"x"}, counts={"a": 1})
    assert await api(doc.update(**changes)) is None
    statement = last(driver)
    assert statement.cql == cql
    assert list(statement.values) == [*values, PID]
    for name, value in after.items():
        assert getattr(doc, name) == value
        assert type(getattr(doc, name)) is type(value)
        assert name in doc.model_fields_set


async def test_list_append_and_prepend_are_not_idempotent(
    api: Any, driver: RecordingDriver
) -> None:
    doc = basket(api)
    await api(doc.update(items__append=["a"]))
    assert last(driver).idempotent is False  # a retry would append twice
    await api(doc.update(items__prepend=["a"], note="x"))
    assert last(driver).idempotent is False
    await api(doc.update(labels__add={"a"}, counts__remove={"k"}))
    assert last(driver).idempotent is True
    await api(doc.update(items__append=["b"], ttl=60))  # the general path agrees
    assert last(driver).cql == "UPDATE test.basket USING TTL ? SET items = items + ? WHERE id = ?"
    assert list(last(driver).values) == [60, ["b"], PID]
    assert last(driver).idempotent is False


async def test_operand_values_are_checked_and_coerced(api: Any, driver: RecordingDriver) -> None:
    doc = basket(api)
    await api(doc.update(ids__add=[str(PID)]))  # a string UUID, as pydantic would accept
    assert list(last(driver).values) == [{PID}, PID]
    assert doc.ids == {PID}
    await api(doc.update(counts__remove=["a", "b"]))
    assert list(last(driver).values) == [{"a", "b"}, PID]


async def test_operators_work_in_batches(api: Any, driver: RecordingDriver) -> None:
    doc = basket(api, items=["a"])
    async with api.batch("unlogged") as batch:
        batch.update(doc, items__append=["b"])
        assert doc.items == ["a"]  # mirrored only once the batch ran
    assert doc.items == ["a", "b"]
    (child,) = driver.last.statements  # type: ignore[union-attr]
    assert child.cql == "UPDATE test.basket SET items = items + ? WHERE id = ?"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"items__add": ["a"]}, r"__add does not apply to a list column; a list takes __append"),
        ({"labels__append": ["a"]}, r"__append does not apply to a set column; a set takes __add"),
        ({"counts__append": {"a": 1}}, r"a map takes __update, __remove"),
        ({"note__append": ["a"]}, r"note is text\. Use update\(note=\.\.\.\)"),
        ({"fixed__append": [1]}, r"frozen<list<int>>: Cassandra can only replace a frozen"),
        ({"items__appnd": ["a"]}, r"unknown update operator 'appnd' in 'items__appnd'"),
        ({"items__gte": ["a"]}, r"unknown update operator 'gte'"),
        ({"nothing__append": ["a"]}, r"Basket has no field 'nothing'"),
        ({"items": ["a"], "items__append": ["b"]}, r"names 'items' twice \(items, items__append\)"),
        (
            {"items__append": None},
            r"Basket\.items__append takes a list of values to apply, not None\. To empty",
        ),
        ({"items__append": [1]}, r"Basket\.items: \[1\] is not a valid value for a list<text>"),
        ({"counts__remove": "ab"}, r"takes the keys to remove as a set"),
        ({"counts__remove": {"a": 1}}, r"takes the keys to remove as a set"),
        ({"id__append": [1]}, r"Basket\.id is part of the primary key"),
    ],
)
async def test_bad_operators_are_refused_before_sending(
    api: Any, driver: RecordingDriver, changes: dict[str, Any], message: str
) -> None:
    doc = basket(api, items=["a"])
    with pytest.raises(InvalidQueryError, match=message):
        await api(doc.update(**changes))
    assert driver.statements == []
    assert doc.items == ["a"]


async def test_counters_still_point_to_increment(api: Any, driver: RecordingDriver) -> None:
    hits = models(api.name).Hits(id=PID)
    with pytest.raises(InvalidQueryError, match=r"counter; change it with increment"):
        await api(hits.update(total__append=[1]))


async def test_mirror_keeps_the_declared_container_and_starts_from_none(
    api: Any, driver: RecordingDriver
) -> None:
    doc = basket(api)
    assert doc.maybe is None
    await api(doc.update(maybe__append=["a"], codes__add=[3, 1]))
    assert last(driver).cql == (
        "UPDATE test.basket SET maybe = maybe + ?, codes = codes + ? WHERE id = ?"
    )
    assert doc.maybe == ["a"]
    assert doc.codes == frozenset({1, 3})
    assert type(doc.codes) is frozenset
    await api(doc.update(codes__remove={1}))
    assert doc.codes == frozenset({3})
    assert type(doc.codes) is frozenset


@pytest.mark.parametrize(
    ("changes", "after"),
    [
        ({"counts__update": {"b": 2}}, {"a": 1, "c": 3, "b": 2}),
        ({"counts__update": {"a": 5}}, {"a": 5, "c": 3}),
        ({"counts__remove": {"a"}}, {"c": 3}),
        ({"counts__remove": {"zzz"}}, {"a": 1, "c": 3}),
    ],
)
async def test_map_operators_keep_the_keys_they_do_not_touch(
    api: Any, driver: RecordingDriver, changes: dict[str, Any], after: dict[str, int]
) -> None:
    doc = basket(api, counts={"a": 1, "c": 3})
    await api(doc.update(**changes))
    assert doc.counts == after


async def test_list_and_set_operators_keep_the_other_items(
    api: Any, driver: RecordingDriver
) -> None:
    doc = basket(api, items=["a", "b", "a", "c"], labels={"x", "y"})
    await api(doc.update(items__remove=["a"], labels__remove={"x"}))
    assert doc.items == ["b", "c"]  # every occurrence goes, the rest keeps its order
    assert doc.labels == {"y"}
    await api(doc.update(labels__add={"z"}))
    assert doc.labels == {"y", "z"}


class Day:
    """What a pretend client wants for a text value: proves the encoder ran."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Day) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"Day({self.text!r})"


class EncodingDriver(RecordingDriver):
    def encoder_for(self, cql_type: Any) -> Any:
        return Day if cql_type.name == "text" else None


async def test_update_goes_through_the_drivers_value_encoders(api: Any) -> None:
    from coodie import connections

    driver = EncodingDriver()
    previous = connections.unregister_driver()
    connections.register_driver(driver)
    try:
        doc = basket(api, counts={"a": 1})
        await api(doc.update(note="n"))
        assert list(last(driver).values) == [Day("n"), PID]
        await api(doc.update(note=None))
        assert list(last(driver).values) == [None, PID]
        await api(doc.update(items__append=["i"], note="m"))
        assert list(last(driver).values) == [[Day("i")], Day("m"), PID]
        await api(doc.update(labels__add={"l"}, counts__update={"k": 2}))
        assert list(last(driver).values) == [{Day("l")}, {Day("k"): 2}, PID]
        await api(doc.update(counts__remove={"a"}))
        assert list(last(driver).values) == [{Day("a")}, PID]
        assert doc.note == "m"  # the document keeps Python values
        assert doc.counts == {"k": 2}
        await api(doc.update(note="t", ttl=5))
        assert list(last(driver).values) == [5, Day("t"), PID]
    finally:
        connections.unregister_driver()
        if previous is not None:
            connections.register_driver(previous)


async def test_operator_errors_name_the_field_and_list_every_operator(
    api: Any, driver: RecordingDriver
) -> None:
    doc = basket(api)
    with pytest.raises(InvalidQueryError) as info:
        await api(doc.update(items__appnd=["a"]))
    assert str(info.value) == (
        "Basket: unknown update operator 'appnd' in 'items__appnd'. Use the bare field name to "
        "replace a value, or a collection operator (lists: __append, __prepend, __remove, __at; "
        "sets: __add, __remove; maps: __update, __remove)."
    )
    with pytest.raises(InvalidQueryError) as info:
        await api(doc.update(note__append=["a"]))
    assert str(info.value).startswith("Basket.note__append: __append changes part of a list")
    with pytest.raises(InvalidQueryError) as info:
        await api(doc.update(fixed__append=[1]))
    assert str(info.value).startswith("Basket.fixed is frozen<list<int>>: ")
    with pytest.raises(InvalidQueryError) as info:
        await api(doc.update(labels__append=["a"]))
    assert str(info.value).startswith("Basket.labels__append: __append does not apply")
