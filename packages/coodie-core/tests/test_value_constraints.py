"""Filter and update values are checked against the column's full type before sending."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import Field

import coodie.sync
from coodie import Indexed, InvalidQueryError, PrimaryKey, TinyInt, connections
from coodie.testing import RecordingDriver


def test_marker_and_field_constraints_apply_to_filters_and_updates() -> None:
    """Values are validated against the column's full type, ranges and constraints included."""

    class Gauge(coodie.sync.Document):
        id: Annotated[int, PrimaryKey()]
        level: Annotated[int, TinyInt(), Indexed()] = 0
        label: Annotated[str, Field(max_length=3)] = ""

    driver = connections.register_driver(RecordingDriver())
    try:
        gauge = Gauge(id=1)
        with pytest.raises(InvalidQueryError, match=r"Gauge\.level: 200 is not a valid value"):
            gauge.update(level=200)
        with pytest.raises(InvalidQueryError, match=r"Gauge\.label: 'long' is not a valid"):
            gauge.update(label="long")
        with pytest.raises(InvalidQueryError, match=r"Gauge\.level: -129"):
            Gauge.find(level=-129)
        assert driver.statements == []
        gauge.update(level=127, label="ok")
        assert list(driver.last.values) == [127, "ok", 1]  # type: ignore[union-attr]
    finally:
        connections.unregister_driver()


def test_queries_cassandra_would_refuse_while_paging_fail_early() -> None:
    from coodie import ClusteringKey

    class Event(coodie.sync.Document):
        day: Annotated[int, PrimaryKey()]
        at: Annotated[int, ClusteringKey()]
        tags: list[str] = []

    driver = connections.register_driver(RecordingDriver())
    try:
        with pytest.raises(InvalidQueryError, match=r"ORDER BY with __in on the partition key"):
            Event.find(day__in=[1, 2]).order_by("-at").all()
        with pytest.raises(InvalidQueryError, match=r"Event\.tags: a non-frozen list<text>"):
            Event.find(day=1, tags=["a"])
        assert driver.statements == []
        Event.find(day=1, tags__contains="a").allow_filtering().all()
        driver.queue_rows(["[applied]"], [(True,)])
        Event(day=1, at=1).update(tags=["b"], if_conditions={"tags": ["a"]})  # IF may compare
        assert driver.cql[-1].endswith("IF tags = ?")
    finally:
        connections.unregister_driver()
