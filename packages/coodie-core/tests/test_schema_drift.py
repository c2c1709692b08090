"""sync_table() against a live table that drifted from the model (recording driver).

What system_schema reports is queued by hand: columns (kind, position, clustering order,
type), table options, index names. Every test runs for coodie.sync and coodie.aio.
"""

import datetime as dt
from typing import Annotated, Any

import pytest

from coodie.exceptions import CoodieWarning, SchemaError
from coodie.fields import BigInt, ClusteringKey, Frozen, Indexed, PrimaryKey, Static
from coodie.mapping.schema_drift import changed_options
from coodie.testing import RecordingDriver

LIVE_COLUMNS = ["column_name", "kind", "position", "clustering_order", "type"]
#: The live table of :func:`event_model`, as system_schema.columns reports it.
EVENT_LIVE = [
    ("site", "partition_key", 0, "none", "text"),
    ("day", "partition_key", 1, "none", "date"),
    ("at", "clustering", 0, "desc", "timestamp"),
    ("seq", "clustering", 1, "asc", "int"),
    ("owner", "static", -1, "none", "text"),
    ("value", "regular", -1, "none", "bigint"),
    ("tags", "regular", -1, "none", "frozen<list<text>>"),
    ("scores", "regular", -1, "none", "map<text, frozen<set<int>>>"),
    ("pair", "regular", -1, "none", "frozen<tuple<int, text>>"),
    ("label", "regular", -1, "none", "text"),
]


def event_model(api: Any, **options: Any) -> Any:
    class Event(api.module.Document):
        site: Annotated[str, PrimaryKey()]
        day: Annotated[dt.date, PrimaryKey(partition_key_index=1)]
        at: Annotated[dt.datetime, ClusteringKey(order="DESC")]
        seq: Annotated[int, ClusteringKey(clustering_key_index=1)]
        owner: Annotated[str | None, Static()] = None
        value: Annotated[int, BigInt()] = 0
        tags: Annotated[list[str], Frozen()] = []
        scores: dict[str, set[int]] = {}
        pair: tuple[int, str] | None = None
        label: Annotated[str, Indexed()] = ""

        Settings = type("Settings", (), {"name": "event", "keyspace": "ks", "options": options})

    return Event


def queue_live(
    driver: RecordingDriver,
    rows: list[tuple[Any, ...]] = EVENT_LIVE,
    indexes: tuple[str, ...] = ("event_label_idx",),
    options: dict[str, Any] | None = None,
    **changes: tuple[Any, ...],
) -> None:
    """Queue the system_schema.columns page (``changes`` replace rows by column name), the
    system_schema.tables page when ``options`` are given, and the system_schema.indexes page."""
    live = [(*changes[r[0]],) if r[0] in changes else r for r in rows]
    driver.queue_rows(LIVE_COLUMNS, live)
    if options is not None:
        driver.queue_rows(list(options), [tuple(options.values())])
    driver.queue_rows(["index_name"], [(name,) for name in indexes])


async def test_a_live_table_like_the_model_needs_no_ddl(api: Any, driver: RecordingDriver) -> None:
    Event = event_model(api)
    queue_live(driver)
    assert await api(Event.sync_table()) == []
    assert len(driver.statements) == 2


@pytest.mark.parametrize(
    ("column", "live", "message"),
    [
        (
            "value",
            ("value", "regular", -1, "none", "int"),
            "column 'value' is int in the table, the model declares bigint",
        ),
        (
            "tags",
            ("tags", "regular", -1, "none", "list<text>"),
            "column 'tags' is list<text> in the table, the model declares frozen<list<text>>",
        ),
        (
            "scores",
            ("scores", "regular", -1, "none", "map<text, frozen<set<text>>>"),
            "column 'scores' is map<text, frozen<set<text>>> in the table, the model declares "
            "map<text, frozen<set<int>>>",
        ),
        (
            "owner",
            ("owner", "regular", -1, "none", "text"),
            "column 'owner' is regular in the table, the model declares it static",
        ),
        (
            "day",
            ("day", "partition_key", 1, "none", "timestamp"),
            "column 'day' is timestamp in the table, the model declares date",
        ),
        (
            "at",
            ("at", "clustering", 0, "asc", "timestamp"),
            "the clustering columns are (at ASC, seq ASC) in the table, the model declares "
            "(at DESC, seq ASC)",
        ),
        (
            "seq",
            ("seq", "regular", -1, "none", "int"),
            "the clustering columns are (at DESC) in the table, the model declares "
            "(at DESC, seq ASC)",
        ),
        (
            "label",
            ("label", "clustering", 2, "asc", "text"),
            "the clustering columns are (at DESC, seq ASC, label ASC) in the table",
        ),
    ],
)
async def test_a_drifted_column_or_key_is_a_schema_error(
    api: Any, driver: RecordingDriver, column: str, live: tuple[Any, ...], message: str
) -> None:
    Event = event_model(api)
    queue_live(driver, **{column: live})
    with pytest.raises(SchemaError) as caught:
        await api(Event.sync_table())
    text = str(caught.value)
    assert text.startswith("Event: the existing table ks.event differs from the model: ")
    assert message in text
    assert "migrate the data to a new table" in text
    assert "change the model back" in text
    assert len(driver.statements) == 1  # nothing after the columns probe


async def test_partition_key_order_is_compared(api: Any, driver: RecordingDriver) -> None:
    Event = event_model(api)
    queue_live(
        driver,
        site=("site", "partition_key", 1, "none", "text"),
        day=("day", "partition_key", 0, "none", "date"),
    )
    with pytest.raises(
        SchemaError,
        match=r"the partition key is \(day, site\) in the table, the "
        r"model declares \(site, day\)",
    ):
        await api(Event.sync_table())


async def test_type_spellings_that_mean_the_same_are_equal(
    api: Any, driver: RecordingDriver
) -> None:
    Event = event_model(api)
    queue_live(
        driver,
        label=("label", "regular", -1, "none", "varchar"),
        scores=("scores", "regular", -1, "none", "map<text,frozen<set<int>>>"),
    )
    assert await api(Event.sync_table()) == []


async def test_changed_options_are_altered(api: Any, driver: RecordingDriver) -> None:
    Event = event_model(
        api,
        default_time_to_live=3600,
        comment="it's events",
        compaction={"class": "LeveledCompactionStrategy", "sstable_size_in_mb": 160},
        gc_grace_seconds=864000,
    )
    stcs = "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"
    live_options = {
        "keyspace_name": "ks",
        "table_name": "event",
        "default_time_to_live": 0,
        "comment": "",
        "compaction": {"class": stcs, "max_threshold": "32"},
        "gc_grace_seconds": 864000,
    }
    queue_live(driver, indexes=(), options=live_options)
    ddl = await api(Event.sync_table())
    assert ddl == [
        "ALTER TABLE ks.event WITH default_time_to_live = 3600 AND comment = 'it''s events' AND "
        "compaction = {'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': 160}",
        "CREATE INDEX IF NOT EXISTS event_label_idx ON ks.event (label)",
    ]
    assert driver.cql[1] == (
        "SELECT * FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?"
    )
    assert driver.cql[3:] == ddl


def test_option_values_compare_the_way_cassandra_stores_them() -> None:
    live = {
        "default_time_to_live": 3600,
        "bloom_filter_fp_chance": 0.01,
        "speculative_retry": "99p",
        "caching": [("keys", "ALL"), ("rows_per_partition", "NONE")],
        "compaction": {
            "class": "org.apache.cassandra.db.compaction.LeveledCompactionStrategy",
            "sstable_size_in_mb": "160",
            "max_threshold": "32",
        },
        "cdc": False,
        "memtable": None,
        "comment": "",
    }
    same = [
        ("default_time_to_live", 3600),
        ("bloom_filter_fp_chance", 0.01),
        ("speculative_retry", "99PERCENTILE"),
        ("caching", {"keys": "ALL", "rows_per_partition": "NONE"}),
        ("compaction", {"class": "LeveledCompactionStrategy", "sstable_size_in_mb": 160}),
        ("cdc", False),
        ("memtable", False),  # Cassandra 5 reports an option never set as null
        ("comment", ""),
        ("not_a_column", 1),  # unknown to system_schema.tables: cannot be compared
    ]
    assert changed_options(same, live) == []
    different = [
        ("default_time_to_live", 60),
        ("bloom_filter_fp_chance", 0.1),
        ("speculative_retry", "95p"),
        ("caching", {"keys": "NONE"}),
        ("compaction", {"class": "SizeTieredCompactionStrategy"}),
        ("cdc", True),
        ("comment", "x"),
    ]
    assert changed_options(different, live) == [name for name, _ in different]


async def test_dry_run_returns_the_ddl_and_sends_none(api: Any, driver: RecordingDriver) -> None:
    Event = event_model(api)
    fresh = await api(Event.sync_table(dry_run=True))
    assert [cql.split(" (")[0] for cql in fresh] == [
        "CREATE TABLE IF NOT EXISTS ks.event",
        "CREATE INDEX IF NOT EXISTS event_label_idx ON ks.event",
    ]
    assert len(driver.statements) == 1  # only the columns probe
    queue_live(driver, [r for r in EVENT_LIVE if r[0] != "label"], indexes=())
    assert await api(Event.sync_table(dry_run=True)) == [
        "ALTER TABLE ks.event ADD label text",
        "CREATE INDEX IF NOT EXISTS event_label_idx ON ks.event (label)",
    ]
    assert all(cql.startswith("SELECT ") for cql in driver.cql)


async def test_an_index_the_model_no_longer_declares_is_reported_then_dropped_on_request(
    api: Any, driver: RecordingDriver
) -> None:
    Event = event_model(api)
    queue_live(driver, indexes=("event_label_idx", "event_old_idx"))
    with pytest.warns(
        CoodieWarning,
        match=r"indexes the model does not declare: event_old_idx\. "
        r"They were kept; sync_table\(drop_removed_indexes=True\) drops them "
        r"\(DROP INDEX IF EXISTS ks\.event_old_idx\)",
    ):
        assert await api(Event.sync_table()) == []
    assert len(driver.statements) == 2
    queue_live(driver, indexes=("event_label_idx", "event_old_idx"))
    assert await api(Event.sync_table(dry_run=True, drop_removed_indexes=True)) == [
        "DROP INDEX IF EXISTS ks.event_old_idx"
    ]
    assert len(driver.statements) == 4
    queue_live(driver, indexes=("event_label_idx", "event_old_idx"))
    assert await api(Event.sync_table(drop_removed_indexes=True)) == [
        "DROP INDEX IF EXISTS ks.event_old_idx"
    ]
    assert driver.cql[-1] == "DROP INDEX IF EXISTS ks.event_old_idx"


async def test_a_renamed_index_is_dropped_before_the_new_one_is_created(
    api: Any, driver: RecordingDriver
) -> None:
    Event = event_model(api)
    queue_live(driver, indexes=("event_label_old",))
    assert await api(Event.sync_table(drop_removed_indexes=True)) == [
        "DROP INDEX IF EXISTS ks.event_label_old",
        "CREATE INDEX IF NOT EXISTS event_label_idx ON ks.event (label)",
    ]
