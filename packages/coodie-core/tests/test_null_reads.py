"""A null read back for a field that cannot be None: its default, or a SchemaError.

Typical cause: a column added to the model (and, by sync_table(), to the table) after rows
were written; those rows read back null there.
"""

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

import pytest
from pydantic import Field

from coodie.drivers.statement import ResultPage
from coodie.exceptions import ConditionalWriteFailed, SchemaError
from coodie.fields import ClusteringKey, Counter, PrimaryKey
from coodie.mapping import Mapper
from coodie.mapping.generated_code import generated_source
from coodie.sync import Document
from coodie.testing import RecordingDriver

U = UUID("12345678-1234-5678-1234-567812345678")


def stamp() -> dt.datetime:
    return dt.datetime(2024, 1, 1)


class Added(Document):
    id: Annotated[UUID, PrimaryKey()]
    seq: Annotated[int, ClusteringKey()]
    name: str
    added: float = 0.0
    tags: list[str] = Field(default_factory=list)
    made: dt.datetime = Field(default_factory=stamp)
    owner: str = ""
    note: str | None = None


class Clicks(Document):
    id: Annotated[UUID, PrimaryKey()]
    views: Annotated[int, Counter()]
    clicks: Annotated[int, Counter()] = 5


COLUMNS = ["id", "seq", "name", "added", "tags", "made", "owner", "note"]


def hydrate(model: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> list[Any]:
    mapper = Mapper(model, model.coodie_schema(), RecordingDriver())
    return mapper.readers.hydrate(ResultPage(columns, rows))


def test_a_null_gives_the_field_default() -> None:
    (doc,) = hydrate(Added, COLUMNS, [(U, 1, "n", None, None, None, None, None)])
    assert doc.added == 0.0
    assert doc.tags == []  # collections: null is the empty collection, as before
    assert doc.made == dt.datetime(2024, 1, 1)  # default_factory, called for the row
    assert doc.owner == ""
    assert doc.note is None  # Optional: None is a value the field may hold
    assert doc == Added(id=U, seq=1, name="n")


def test_defaults_from_factories_are_made_per_row() -> None:
    class Bag(Document):
        id: Annotated[int, PrimaryKey()]
        items: tuple[int, int] = (0, 0)
        extra: dict[str, int] = Field(default_factory=dict)
        when: dt.datetime = Field(default_factory=stamp)

    first, second = hydrate(Bag, ["id", "items", "when"], [(1, None, None), (2, None, None)])
    assert first.items == (0, 0)
    assert first.when == second.when == dt.datetime(2024, 1, 1)
    assert first.extra is not second.extra


def test_a_null_without_default_is_a_schema_error_naming_model_column_and_fix() -> None:
    with pytest.raises(SchemaError) as caught:
        hydrate(Added, COLUMNS, [(U, 1, None, 1.0, [], None, None, None)])
    message = str(caught.value)
    assert message.startswith("Added.name: the row read back has no value (null) in column 'name'")
    assert "cannot be None and has no default" in message
    assert "Make it Optional (name: str | None = None)" in message
    assert "give it a default, or backfill the column" in message
    assert f"Row key: id={U!r}, seq=1." in message


def test_a_counter_never_incremented_reads_zero_or_its_default() -> None:
    (doc,) = hydrate(Clicks, ["id", "views", "clicks"], [(U, None, None)])
    assert doc.views == 0
    assert doc.clicks == 5


def test_rows_without_nulls_pay_one_is_none_test_per_column() -> None:
    mapper = Mapper(Added, Added.coodie_schema(), RecordingDriver())
    source = generated_source(mapper.readers.hydrators(tuple(COLUMNS)).to_list)
    # keys, collections and Optional fields are never tested
    assert "if c2 is None or c3 is None or c5 is None or c6 is None: fill_nulls(data)" in source
    everything_optional = Mapper(Clicks, Clicks.coodie_schema(), RecordingDriver())
    source = generated_source(everything_optional.readers.hydrators(("id",)).to_list)
    assert "fill_nulls" not in source


async def test_every_read_path_applies_it(api: Any, driver: RecordingDriver) -> None:
    class Late(api.module.Document):
        id: Annotated[int, PrimaryKey()]
        score: int = 7
        name: str

    rows = [(1, None, "a"), (2, 3, "b")]
    driver.queue_rows(["id", "score", "name"], rows[:1])
    assert (await api(Late.get(id=1))).score == 7
    driver.queue_rows(["id", "score", "name"], rows)
    assert [d.score for d in await api(Late.find().all())] == [7, 3]
    driver.queue_rows(["id", "score", "name"], rows)
    assert [d.score for d in await api.collect(Late.find())] == [7, 3]
    driver.queue_rows(["id", "score", "name"], [(3, 1, None)])
    with pytest.raises(SchemaError, match=r"Late\.name: the row read back has no value"):
        await api(Late.get(id=3))


async def test_a_failed_insert_reports_a_row_the_model_cannot_hold(
    api: Any, driver: RecordingDriver
) -> None:
    class Late(api.module.Document):
        id: Annotated[int, PrimaryKey()]
        name: str

    driver.queue_rows(["[applied]", "id", "name"], [(False, 1, None)])
    with pytest.raises(ConditionalWriteFailed) as caught:
        await api(Late(id=1, name="x").insert())
    assert caught.value.existing == {"id": 1, "name": None}
    assert caught.value.document is None  # not an instance that breaks its own type
