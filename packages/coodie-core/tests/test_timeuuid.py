"""MinTimeUUID / MaxTimeUUID: ranges on timeuuid columns rendered as ``minTimeuuid(?)`` /
``maxTimeuuid(?)`` with the datetime bound, and what they refuse."""

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

import pytest

import coodie
from coodie import MaxTimeUUID, MinTimeUUID
from coodie.exceptions import InvalidQueryError
from coodie.fields import ClusteringKey, PrimaryKey, TimeUUID
from coodie.sync import Document
from coodie.testing import RecordingDriver

START = dt.datetime(2026, 1, 1, 8, 0)
END = dt.datetime(2026, 1, 1, 9, 0)


class Reading(Document):
    sensor: Annotated[str, PrimaryKey()]
    at: Annotated[UUID, ClusteringKey(), TimeUUID()]
    plain: UUID | None = None
    value: float = 0.0


def test_range_between_two_datetimes(driver: RecordingDriver) -> None:
    Reading.find(sensor="s1", at__gt=MaxTimeUUID(START), at__lt=MinTimeUUID(END)).all()
    statement = driver.last
    assert statement.cql == (  # type: ignore[union-attr]
        "SELECT sensor, at, plain, value FROM test.reading WHERE sensor = ? AND "
        "at > maxTimeuuid(?) AND at < minTimeuuid(?)"
    )
    assert list(statement.values) == ["s1", START, END]  # type: ignore[union-attr]


def test_each_comparison_and_count(driver: RecordingDriver) -> None:
    for op, text in (("gte", ">="), ("lte", "<="), ("eq", "=")):
        key = "at" if op == "eq" else f"at__{op}"
        Reading.find(sensor="s1", **{key: MinTimeUUID(START)}).count()
        assert driver.last.cql.endswith(f"AND at {text} minTimeuuid(?)")  # type: ignore[union-attr]


def test_bounds_are_values() -> None:
    assert MinTimeUUID(START) == MinTimeUUID(START)
    assert MinTimeUUID(START) != MaxTimeUUID(START)
    assert len({MaxTimeUUID(START), MaxTimeUUID(START)}) == 1
    assert repr(MaxTimeUUID(START)) == f"MaxTimeUUID({START!r})"
    assert coodie.MinTimeUUID is MinTimeUUID


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: MinTimeUUID("2026-01-01"), r"MinTimeUUID\('2026-01-01'\) needs a datetime"),
        (lambda: MaxTimeUUID(dt.date(2026, 1, 1)), r"needs a datetime"),
        (
            lambda: Reading.find(sensor="s", plain__gt=MinTimeUUID(START)),
            r"Reading\.plain: MinTimeUUID compares timeuuid columns, but plain is uuid",
        ),
        (
            lambda: Reading.find(sensor="s", at__in=MinTimeUUID(START)),
            r"Reading\.at__in: MinTimeUUID takes =, __gt, __gte, __lt or __lte",
        ),
    ],
)
def test_bad_bounds_are_refused(driver: RecordingDriver, make: Any, message: str) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        make()
    assert driver.statements == []
