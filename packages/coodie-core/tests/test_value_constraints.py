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
