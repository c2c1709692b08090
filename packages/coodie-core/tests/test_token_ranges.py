"""token_ranges(n) splits the Murmur3 ring into n contiguous (start, end] slices."""

import itertools
import random

import pytest

from coodie.api.queryset import token_ranges
from coodie.query.state import MAX_TOKEN, MIN_TOKEN


def owners(ranges: list[tuple[int | None, int | None]], token: int) -> list[int]:
    """Indexes of the ranges whose (start, end] contains ``token`` (None: unbounded)."""
    return [
        i
        for i, (start, end) in enumerate(ranges)
        if (start is None or token > start) and (end is None or token <= end)
    ]


@pytest.mark.parametrize("splits", [1, 2, 3, 7, 16, 64, 257])
def test_ranges_cover_the_ring_exactly_once(splits: int) -> None:
    ranges = token_ranges(splits)
    assert len(ranges) == splits
    assert ranges[0][0] is None
    assert ranges[-1][1] is None
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert end is not None
        assert end == start
    inner = [start for start, _ in ranges[1:]]
    assert inner == sorted(inner)
    assert len(set(inner)) == len(inner)  # no empty slice
    assert all(MIN_TOKEN < b < MAX_TOKEN for b in inner)  # type: ignore[operator]
    rng = random.Random(splits)
    samples = [MIN_TOKEN, MIN_TOKEN + 1, -1, 0, 1, MAX_TOKEN - 1, MAX_TOKEN]
    samples += [b for b in inner if b is not None] + [b + 1 for b in inner if b is not None]
    samples += [rng.randint(MIN_TOKEN, MAX_TOKEN) for _ in range(200)]
    for token in samples:
        assert len(owners(ranges, token)) == 1, token


def test_single_range_is_the_whole_ring() -> None:
    assert token_ranges(1) == [(None, None)]


def test_two_ranges_split_near_zero() -> None:
    ((first_start, middle), (middle_again, last_end)) = token_ranges(2)
    assert first_start is None
    assert last_end is None
    assert middle == middle_again
    assert abs(middle) <= 1  # type: ignore[arg-type]


def test_slices_are_even() -> None:
    ranges = token_ranges(8)
    bounds = [MIN_TOKEN] + [start for start, _ in ranges[1:]] + [MAX_TOKEN]
    widths = [b - a for a, b in itertools.pairwise(bounds)]  # type: ignore[operator]
    assert max(widths) - min(widths) <= 2


@pytest.mark.parametrize("bad", [0, -3, 2.0, "4", None, True])
def test_invalid_split_counts(bad: object) -> None:
    from coodie.exceptions import InvalidQueryError

    with pytest.raises(InvalidQueryError, match="needs a positive int"):
        token_ranges(bad)  # type: ignore[arg-type]


def test_ranges_feed_token_range_queries(driver: object) -> None:
    from typing import Annotated

    from coodie.fields import PrimaryKey
    from coodie.sync import Document

    class Scan(Document):
        id: Annotated[int, PrimaryKey()]

    for start, end in token_ranges(4):
        Scan.find().token_range(start, end).all()
    statements = driver.statements  # type: ignore[attr-defined]
    assert [s.cql.split(" WHERE ")[1] for s in statements] == [
        "token(id) <= ?",
        "token(id) > ? AND token(id) <= ?",
        "token(id) > ? AND token(id) <= ?",
        "token(id) > ?",
    ]
    bounds = [start for start, _ in token_ranges(4)[1:]]
    assert [list(s.values) for s in statements] == [
        [bounds[0]],
        [bounds[0], bounds[1]],
        [bounds[1], bounds[2]],
        [bounds[2]],
    ]
