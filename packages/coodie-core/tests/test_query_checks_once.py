"""A query's shape is checked once; its values every time (and QueryState stays immutable).

``Reads.select`` keeps the SELECT shapes that passed the schema checks: the checks read only
which columns are filtered by which operators, the flags and the order. What depends on
values (the limits) is checked on every query.
"""

from typing import Annotated, Any

import pytest

from coodie.exceptions import InvalidQueryError
from coodie.fields import ClusteringKey, Indexed, PrimaryKey
from coodie.mapping import reads
from coodie.query.state import QueryState
from coodie.sync import Document
from coodie.testing import RecordingDriver


class Visit(Document):
    site: Annotated[str, PrimaryKey()]
    day: Annotated[int, ClusteringKey()]
    country: Annotated[str, Indexed()] = ""
    seconds: float = 0.0


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[QueryState]:
    """The states ``Reads.select`` runs the schema checks on."""
    seen: list[QueryState] = []
    real = reads.check_select

    def spy(schema: Any, state: QueryState, **options: Any) -> None:
        seen.append(state)
        real(schema, state, **options)

    monkeypatch.setattr(reads, "check_select", spy)
    return seen


def test_one_shape_is_checked_once_whatever_its_values(
    driver: RecordingDriver, checks: list[QueryState]
) -> None:
    Visit.find(site="a", day__gte=1).limit(3).all()
    Visit.find(site="b", day__gte=7).limit(9).all()
    assert len(checks) == 1
    assert [s.values for s in driver.statements] == [["a", 1, 3], ["b", 7, 9]]
    Visit.find(site="a", day__lt=1).limit(3).all()  # another operator: another shape
    Visit.find(site="a", day__gte=1).all()  # no limit: another shape
    assert len(checks) == 3


def test_a_refused_shape_is_refused_every_time(
    driver: RecordingDriver, checks: list[QueryState]
) -> None:
    for _ in range(3):
        with pytest.raises(InvalidQueryError, match="needs allow_filtering"):
            Visit.find(seconds=1.0).all()
    assert len(checks) == 3
    assert driver.statements == []


def test_limits_are_checked_on_every_query(driver: RecordingDriver) -> None:
    query = Visit.find(site="a").limit(5)
    query.all()
    # A state made without limit()'s check: the shape passed, the value is still refused.
    for bad in (0, -2, 2.5, True):
        broken = query._with(query.state.with_(limit=bad))
        with pytest.raises(InvalidQueryError, match=rf"limit\({bad!r}\) must be a positive int"):
            broken.all()
    per_partition = Visit.find(site="a").per_partition_limit(2)
    per_partition.all()
    broken = per_partition._with(per_partition.state.with_(per_partition_limit=0))
    with pytest.raises(InvalidQueryError, match=r"per_partition_limit\(0\) must be a positive"):
        broken.all()
    assert len(driver.statements) == 2


def test_order_checks_follow_the_shape(driver: RecordingDriver) -> None:
    Visit.find(site="a").order_by("-day").all()
    with pytest.raises(InvalidQueryError, match="ORDER BY needs the partition key"):
        Visit.find(country="fr").order_by("-day").all()
    assert [s.cql.endswith("ORDER BY day DESC") for s in driver.statements] == [True]


def test_query_state_with_returns_a_changed_copy() -> None:
    state = QueryState(limit=3)
    changed = state.with_(limit=4, allow_filtering=True)
    assert type(changed) is QueryState
    assert (state.limit, state.allow_filtering) == (3, False)
    assert (changed.limit, changed.allow_filtering) == (4, True)
    assert changed == QueryState(limit=4, allow_filtering=True)
    assert state.with_() == state
    with pytest.raises(TypeError, match="QueryState has no field 'limits'"):
        state.with_(limits=4)


def test_query_state_cannot_be_changed_in_place() -> None:
    state = QueryState()
    with pytest.raises(AttributeError):
        state.limit = 3  # type: ignore[misc]


def test_a_count_shape_is_checked_once_and_its_limit_every_time(
    driver: RecordingDriver, checks: list[QueryState]
) -> None:
    driver.queue_rows(["count"], [(7,)])
    driver.queue_rows(["count"], [(9,)])
    assert Visit.find(site="a").count() == 7
    assert Visit.find(site="b").limit(4).count() == 4
    assert len(checks) == 1
    assert [s.values for s in driver.statements] == [["a"], ["b"]]
    with pytest.raises(InvalidQueryError, match="needs allow_filtering"):
        Visit.find(seconds=1.0).count()
    query = Visit.find(site="a")
    with pytest.raises(InvalidQueryError, match=r"limit\(0\) must be a positive int"):
        query._with(query.state.with_(limit=0)).count()
    assert len(driver.statements) == 2
