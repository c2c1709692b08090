"""One set of field declarations serves coodie.sync and coodie.aio models alike."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel

import coodie.aio
import coodie.sync
from coodie import ClusteringKey, Indexed, PrimaryKey
from coodie.cql import ddl


class ReadingFields(BaseModel):
    sensor: Annotated[str, PrimaryKey()]
    at: Annotated[int, ClusteringKey(order="DESC")]
    value: Annotated[float, Indexed()] = 0.0


class SharedSettings:
    keyspace = "iot"
    name = "readings"


class SyncReading(ReadingFields, coodie.sync.Document):
    Settings = SharedSettings


class AioReading(ReadingFields, coodie.aio.Document):
    Settings = SharedSettings


def test_mixed_in_fields_give_both_apis_the_same_table() -> None:
    sync_schema = SyncReading.coodie_schema()
    aio_schema = AioReading.coodie_schema()
    assert ddl.create_table(sync_schema) == ddl.create_table(aio_schema)
    assert ddl.create_table(sync_schema) == (
        "CREATE TABLE IF NOT EXISTS iot.readings (sensor text, at int, value double, "
        "PRIMARY KEY (sensor, at)) WITH CLUSTERING ORDER BY (at DESC)"
    )
    assert [c.name for c in aio_schema.indexed_columns] == ["value"]


def test_a_shared_settings_class_is_not_a_field() -> None:
    assert "Settings" not in SyncReading.model_fields
    assert SyncReading(sensor="s", at=1).model_dump() == {"sensor": "s", "at": 1, "value": 0.0}
