"""Schema drift against the node, for every driver and both APIs: a model changed after rows
were written, after the table was created, or after its options were set."""

import datetime as dt
from typing import Annotated, Any

import pytest

from coodie.exceptions import CoodieWarning, SchemaError
from coodie.fields import BigInt, ClusteringKey, Frozen, Indexed, PrimaryKey, Static

pytestmark = pytest.mark.integration


async def table_options(api: Any, model: Any) -> dict[str, Any]:
    """The table's row in system_schema.tables, through the model's own connection."""
    from coodie.connections import get_driver
    from coodie.drivers import Statement

    driver = get_driver(api.connection)
    page = driver.execute(
        Statement(
            "SELECT default_time_to_live, comment, gc_grace_seconds FROM system_schema.tables "
            "WHERE keyspace_name = ? AND table_name = ?",
            [api.keyspace, model.coodie_schema().table],
        )
    )
    return dict(zip(page.columns, page.rows[0], strict=True))


async def test_a_field_added_with_a_default_reads_its_default_from_old_rows(
    api: Any, cleanup: list[Any]
) -> None:
    table = api.table("added")

    class V1(api.Document):
        id: Annotated[int, PrimaryKey()]
        name: str
        Settings = api.settings(name=table)

    await api(V1.sync_table())
    cleanup.append(V1)
    await api(V1(id=1, name="old").save())

    class V2(api.Document):
        id: Annotated[int, PrimaryKey()]
        name: str
        added: float = 0.0
        counted: Annotated[int, BigInt()] = 3
        note: str | None = None
        tags: list[str] = []
        Settings = api.settings(name=table)

    assert len(await api(V2.sync_table())) == 4  # four ALTER TABLE ... ADD
    old = await api(V2.get(id=1))
    assert (old.name, old.added, old.counted, old.note, old.tags) == ("old", 0.0, 3, None, [])
    assert old.model_dump()["added"] == 0.0  # what a web API would serve

    class V3(V2):
        required: str
        Settings = api.settings(name=table)

    assert await api(V3.sync_table()) == [f"ALTER TABLE {api.keyspace}.{table} ADD required text"]
    with pytest.raises(
        SchemaError,
        match=r"V3\.required: the row read back has no value \(null\) in column 'required'.*"
        r"Make it Optional.*Row key: id=1\.",
    ):
        await api(V3.get(id=1))
    await api(V3(id=2, name="new", added=1.5, required="r").save())
    assert (await api(V2.get(id=2))).added == 1.5


async def test_a_changed_column_type_is_caught(api: Any, cleanup: list[Any]) -> None:
    table = api.table("typed")

    class V1(api.Document):
        id: Annotated[int, PrimaryKey()]
        v: int = 0
        tags: list[str] = []
        Settings = api.settings(name=table)

    await api(V1.sync_table())
    cleanup.append(V1)

    class AsText(api.Document):
        id: Annotated[int, PrimaryKey()]
        v: str = ""
        Settings = api.settings(name=table)

    with pytest.raises(SchemaError) as caught:
        await api(AsText.sync_table())
    assert (
        f"AsText: the existing table {api.keyspace}.{table} differs from the model: column 'v' "
        "is int in the table, the model declares text."
    ) in str(caught.value)
    assert "migrate the data to a new table" in str(caught.value)

    class FrozenTags(api.Document):
        id: Annotated[int, PrimaryKey()]
        tags: Annotated[list[str], Frozen()] = []
        Settings = api.settings(name=table)

    with pytest.raises(
        SchemaError,
        match="column 'tags' is list<text> in the table, the model declares frozen<list<text>>",
    ):
        await api(FrozenTags.sync_table())


async def test_a_changed_key_structure_is_caught(api: Any, cleanup: list[Any]) -> None:
    table = api.table("keys")

    class V1(api.Document):
        site: Annotated[str, PrimaryKey()]
        day: Annotated[dt.date, PrimaryKey(partition_key_index=1)]
        at: Annotated[dt.datetime, ClusteringKey(order="DESC")]
        owner: Annotated[str | None, Static()] = None
        scores: dict[str, set[int]] = {}
        pair: tuple[int, str] | None = None
        label: Annotated[str, Indexed()] = ""
        Settings = api.settings(name=table)

    await api(V1.sync_table())
    cleanup.append(V1)
    assert await api(V1.sync_table()) == []  # every type as the node reports it compares equal

    class Ascending(api.Document):
        site: Annotated[str, PrimaryKey()]
        day: Annotated[dt.date, PrimaryKey(partition_key_index=1)]
        at: Annotated[dt.datetime, ClusteringKey(order="ASC")]
        Settings = api.settings(name=table)

    with pytest.raises(
        SchemaError,
        match=r"the clustering columns are \(at DESC\) in the table, "
        r"the model declares \(at ASC\)",
    ):
        await api(Ascending.sync_table())

    class Swapped(api.Document):
        day: Annotated[dt.date, PrimaryKey()]
        site: Annotated[str, PrimaryKey(partition_key_index=1)]
        at: Annotated[dt.datetime, ClusteringKey(order="DESC")]
        Settings = api.settings(name=table)

    with pytest.raises(
        SchemaError,
        match=r"the partition key is \(site, day\) in the table, the "
        r"model declares \(day, site\)",
    ):
        await api(Swapped.sync_table())


async def test_changed_options_are_applied(api: Any, cleanup: list[Any]) -> None:
    table = api.table("opts")

    class V1(api.Document):
        id: Annotated[int, PrimaryKey()]
        Settings = api.settings(
            name=table,
            options={
                "comment": "v1",
                "compaction": {"class": "LeveledCompactionStrategy", "sstable_size_in_mb": 160},
                "speculative_retry": "99PERCENTILE",
            },
        )

    await api(V1.sync_table())
    cleanup.append(V1)
    assert await api(V1.sync_table()) == []  # the node's spellings of the options compare equal

    class V2(api.Document):
        id: Annotated[int, PrimaryKey()]
        Settings = api.settings(
            name=table,
            options={
                "comment": "it's v2",
                "default_time_to_live": 3600,
                "compaction": {"class": "LeveledCompactionStrategy", "sstable_size_in_mb": 160},
            },
        )

    assert await api(V2.sync_table()) == [
        f"ALTER TABLE {api.keyspace}.{table} WITH comment = 'it''s v2' AND "
        "default_time_to_live = 3600"
    ]
    assert await table_options(api, V2) == {
        "default_time_to_live": 3600,
        "comment": "it's v2",
        "gc_grace_seconds": 864000,
    }
    assert await api(V2.sync_table()) == []


async def test_dry_run_sends_no_ddl_and_removed_indexes_are_dropped_on_request(
    api: Any, cleanup: list[Any]
) -> None:
    table = api.table("dry")

    class V1(api.Document):
        id: Annotated[int, PrimaryKey()]
        old: Annotated[str, Indexed()] = ""
        Settings = api.settings(name=table)

    planned = await api(V1.sync_table(dry_run=True))
    assert planned[0].startswith(f"CREATE TABLE IF NOT EXISTS {api.keyspace}.{table} ")
    assert await api(V1.sync_table(dry_run=True)) == planned  # nothing was created
    assert await api(V1.sync_table()) == planned
    cleanup.append(V1)

    class V2(api.Document):
        id: Annotated[int, PrimaryKey()]
        old: str = ""
        new: Annotated[int, Indexed()] = 0
        Settings = api.settings(name=table, options={"default_time_to_live": 60})

    would = [
        f"ALTER TABLE {api.keyspace}.{table} ADD new int",
        f"ALTER TABLE {api.keyspace}.{table} WITH default_time_to_live = 60",
        f"CREATE INDEX IF NOT EXISTS {table}_new_idx ON {api.keyspace}.{table} (new)",
    ]
    drop = f"DROP INDEX IF EXISTS {api.keyspace}.{table}_old_idx"
    with pytest.warns(CoodieWarning, match=f"indexes the model does not declare: {table}_old_idx"):
        assert await api(V2.sync_table(dry_run=True)) == would
    assert await api(V2.sync_table(dry_run=True, drop_removed_indexes=True)) == [
        *would[:2],
        drop,
        would[2],
    ]
    assert (await table_options(api, V2))["default_time_to_live"] == 0  # the dry runs sent none
    with pytest.warns(CoodieWarning, match=f"{table}_old_idx"):
        assert await api(V2.sync_table()) == would
    assert await api(V2.sync_table(drop_removed_indexes=True)) == [drop]
    assert await api(V2.sync_table()) == []  # no warning: the index is gone
