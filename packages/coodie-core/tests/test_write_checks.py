"""Every write checks each value a document holds against its column before sending: values
assigned after the document was built, CQL ranges, text, key sizes and empty keys."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 (pydantic needs it at run time)
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import pytest

import coodie.aio
import coodie.sync
from coodie import (
    Ascii,
    ClusteringKey,
    InvalidQueryError,
    PrimaryKey,
    SmallInt,
    TimeUUID,
    TinyInt,
    connections,
)
from coodie.testing import RecordingDriver

if TYPE_CHECKING:
    from collections.abc import Iterator


class Row(coodie.sync.Document):
    id: Annotated[int, PrimaryKey()]
    score: int = 0
    name: str = ""
    tags: set[str] = set()
    scores: list[int] = []
    ranks: dict[str, int] = {}
    level: Annotated[int | None, TinyInt()] = None
    small: Annotated[int | None, SmallInt()] = None
    at: dt.datetime | None = None
    code: Annotated[str, Ascii()] = ""
    stamp: Annotated[uuid.UUID | None, TimeUUID()] = None
    note: str | None = None
    maybe: list[str | None] = []


class Keyed(coodie.sync.Document):
    key: Annotated[str, PrimaryKey()]
    ck: Annotated[str, ClusteringKey()] = "c"
    data: bytes = b""


class Pair(coodie.sync.Document):
    a: Annotated[str, PrimaryKey()]
    b: Annotated[str, PrimaryKey(partition_key_index=1)]


@pytest.fixture
def driver() -> Iterator[RecordingDriver]:
    recording = connections.register_driver(RecordingDriver())
    yield recording
    connections.unregister_driver()


# Each hostile assignment: (field, value, what the message must say).
HOSTILE = [
    ("score", "abc", r"Row\.score: 'abc' is not a valid value for a int column .*Set the field"),
    ("name", 5, r"Row\.name: 5 is not a valid value for a text column"),
    ("tags", {1, 2}, r"Row\.tags: \{1, 2\} is not a valid value for a set<text> column"),
    ("score", 2**31, r"Row\.score: 2147483648 .* out of range \(-2147483648 to 2147483647\)"),
    ("scores", [1, 2**31], r"Row\.scores: .* holds 2147483648: out of range"),
    ("ranks", {"a": -(2**31) - 1}, r"Row\.ranks: .* holds -2147483649: out of range"),
    ("level", 200, r"Row\.level: 200 .* tinyint column: out of range \(-128 to 127\)"),
    ("small", -40_000, r"Row\.small: -40000 .* smallint column: out of range"),
    ("at", 2**63, r"Row\.at: 9223372036854775808 is not a valid value for a timestamp column"),
    ("name", "a\ud800b", r"Row\.name: .* lone surrogate '\\ud800' at index 1"),
    ("tags", {"ok", "\udfff"}, r"Row\.tags: .* holds '\\udfff': holds the lone surrogate"),
    ("code", "café", r"Row\.code: 'café' .* ascii column: it holds non-ASCII characters"),
    ("stamp", uuid.UUID(int=1, version=4), r"Row\.stamp: .* version-4 UUID.*uuid\.uuid1\(\)"),
    ("tags", {"a", None}, r"Row\.tags: .* is not a valid value .*valid string"),
    ("maybe", ["a", None], r"Row\.maybe: .* holds None, and CQL collections cannot hold null"),
]


@pytest.mark.parametrize(("field", "value", "message"), HOSTILE)
@pytest.mark.parametrize("how", ["save", "insert", "batch", "insert_many"])
def test_a_value_assigned_after_construction_is_refused_before_sending(
    driver: RecordingDriver, field: str, value: Any, message: str, how: str
) -> None:
    doc = Row(id=1)
    setattr(doc, field, value)
    with pytest.raises(InvalidQueryError, match=message):
        write(doc, how)
    assert driver.statements == []


def write(doc: Row, how: str) -> None:
    if how == "save":
        doc.save()
    elif how == "insert":
        doc.insert()
    elif how == "batch":
        with coodie.sync.BatchQuery() as batch:
            batch.save(Row(id=2))
            batch.save(doc)
    else:
        Row.insert_many([Row(id=2), doc])


def test_a_value_pydantic_can_coerce_is_sent_and_kept_coerced(driver: RecordingDriver) -> None:
    doc = Row(id=1)
    doc.score = "5"  # type: ignore[assignment]
    doc.tags = ["a", "a"]  # type: ignore[assignment]
    doc.save()
    assert doc.score == 5
    assert doc.tags == {"a"}
    values = list(driver.last.values)  # type: ignore[union-attr]
    assert 5 in values
    assert {"a"} in values


def test_valid_values_are_sent_as_they_are(driver: RecordingDriver) -> None:
    stamp = uuid.uuid1()
    doc = Row(id=1, name="café ☕", tags={"né"}, scores=[2**31 - 1], code="x", stamp=stamp)
    doc.level = -128
    doc.save()
    values = list(driver.last.values)  # type: ignore[union-attr]
    assert values[:5] == [1, 0, "café ☕", {"né"}, [2**31 - 1]]
    assert -128 in values
    assert stamp in values


def test_filters_updates_and_conditions_apply_the_same_limits(driver: RecordingDriver) -> None:
    doc = Row(id=1)
    with pytest.raises(InvalidQueryError, match=r"Row\.score: 2147483648 .* out of range"):
        doc.update(score=2**31)
    with pytest.raises(InvalidQueryError, match=r"Row\.name: .* lone surrogate"):
        doc.update(name="\ud800")
    with pytest.raises(InvalidQueryError, match=r"Row\.tags: .* lone surrogate"):
        doc.update(tags__add={"\ud800"})
    with pytest.raises(InvalidQueryError, match=r"Row\.scores: .* out of range"):
        doc.update(scores__append=[2**40])
    with pytest.raises(InvalidQueryError, match=r"Row\.score: -2147483649 .* out of range"):
        Row.find(score=-(2**31) - 1)
    with pytest.raises(InvalidQueryError, match=r"Row\.id: 2147483648 .* out of range"):
        Row.get(id=2**31)
    with pytest.raises(InvalidQueryError, match=r"Row\.score: 2147483648"):
        doc.update(name="x", if_conditions={"score": 2**31})
    with pytest.raises(InvalidQueryError, match=r"Row\.tags: .* lone surrogate"):
        Row.find(tags__contains="\ud800")
    assert driver.statements == []


def test_construction_keeps_the_tinyint_range_of_the_optional_form() -> None:
    with pytest.raises(ValueError, match="less than or equal to 127"):
        Row(id=1, level=200)
    with pytest.raises(ValueError, match="greater than or equal to -32768"):
        Row(id=1, small=-40_000)
    assert Row(id=1, level=None).level is None


def test_keys_over_65535_bytes_and_empty_partition_keys_are_refused(
    driver: RecordingDriver,
) -> None:
    too_long = "é" * 40_000  # 80,000 bytes in UTF-8
    with pytest.raises(InvalidQueryError, match=r"Keyed\.key: .* 80,000 bytes long"):
        Keyed(key=too_long).save()
    with pytest.raises(InvalidQueryError, match=r"Keyed\.ck: .* 65,536 bytes long"):
        Keyed(key="k", ck="x" * 65_536).save()
    with pytest.raises(InvalidQueryError, match=r"Keyed\.key: '' .* empty partition key"):
        Keyed(key="").save()
    with pytest.raises(InvalidQueryError, match=r"Keyed\.key: .*Key may not be empty"):
        Keyed.get(key="", ck="c")
    with pytest.raises(InvalidQueryError, match=r"Keyed\.key: .* 65,536 bytes long"):
        Keyed.find(key="k" * 65_536).all()
    doc = Keyed(key="k")
    doc.key = ""
    with pytest.raises(InvalidQueryError, match="empty partition key"):
        doc.delete()
    with pytest.raises(InvalidQueryError, match="empty partition key"):
        doc.update(data=b"x")
    assert driver.statements == []
    # A clustering filter may compare with a longer value, and a component of a composite
    # partition key may be empty: Cassandra takes both.
    Keyed.find(key="k", ck__lt="x" * 70_000).all()
    Keyed(key="k" * 65_535, ck="").save()
    Pair(a="", b="").save()
    assert len(driver.statements) == 3


def test_insert_many_checks_a_list_whole_and_counts_what_a_generator_wrote(
    driver: RecordingDriver,
) -> None:
    good, bad = Row(id=1), Row(id=2)
    bad.score = "abc"  # type: ignore[assignment]
    with pytest.raises(InvalidQueryError, match=r"document 1 of 2 was refused, so none was sent"):
        Row.insert_many((good, bad))
    assert driver.statements == []

    def lazily() -> Iterator[Row]:
        yield good
        yield Row(id=3)
        yield bad
        yield Row(id=4)

    with pytest.raises(
        InvalidQueryError, match=r"document 2 was refused\. .*The 2 document\(s\) before it"
    ):
        Row.insert_many(lazily())
    assert [s.values[0] for s in driver.statements] == [1, 3]  # type: ignore[union-attr]
    assert Row.insert_many(iter([Row(id=5)])) == 1


async def test_insert_many_of_coodie_aio_checks_the_same_way() -> None:
    class AioRow(coodie.aio.Document):
        id: Annotated[int, PrimaryKey()]
        score: int = 0

    driver = connections.register_driver(RecordingDriver())
    try:
        bad = AioRow(id=2)
        bad.score = 2**31
        with pytest.raises(InvalidQueryError, match="document 1 of 2 was refused"):
            await AioRow.insert_many([AioRow(id=1), bad])
        assert driver.statements == []

        with pytest.raises(InvalidQueryError, match=r"The 1 document\(s\) before it"):
            await AioRow.insert_many(iter([AioRow(id=1), bad]))
        assert len(driver.statements) == 1
    finally:
        connections.unregister_driver()


def test_a_counter_increment_must_fit_in_64_bits() -> None:
    from coodie import Counter

    class Hits(coodie.sync.Document):
        page: Annotated[str, PrimaryKey()]
        hits: Annotated[int, Counter()] = 0

    driver = connections.register_driver(RecordingDriver())
    try:
        with pytest.raises(
            InvalidQueryError, match=r"Hits\.hits: increment by 9223372036854775808"
        ):
            Hits(page="p").increment(hits=2**63)
        assert driver.statements == []
    finally:
        connections.unregister_driver()
