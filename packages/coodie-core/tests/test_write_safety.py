"""Writes that would lose data or fail with a bare Python error are refused with a coodie
error, and every write takes its request options (issue 10, items 2 and 6)."""

import datetime as dt
import functools
from typing import Annotated, Any
from uuid import UUID

import pydantic
import pytest
from pydantic import ConfigDict

import coodie.aio
import coodie.sync
from coodie.drivers.statement import BatchStatement, Consistency, Statement
from coodie.exceptions import InvalidQueryError, SchemaError
from coodie.fields import ClusteringKey, Counter, PrimaryKey, Static
from coodie.query.write_options import MAX_TIMESTAMP, MIN_TIMESTAMP, check_timestamp
from coodie.testing import RecordingDriver

PID = UUID("11111111-2222-3333-4444-555555555555")
TS = 1_700_000_000_000_000


@functools.cache
def models(name: str) -> Any:
    base: Any = coodie.aio.Document if name == "aio" else coodie.sync.Document

    class Account(base):
        owner: Annotated[str, PrimaryKey()]
        n: Annotated[int, ClusteringKey()]
        balance: int = 0
        note: str | None = None
        tags: list[str] = []
        labels: set[str] = set()
        attrs: dict[str, int] = {}
        region: Annotated[str | None, Static()] = None

    class Hits(base):
        page: Annotated[str, PrimaryKey()]
        hits: Annotated[int, Counter()] = 0

    class Other(base):
        pk: Annotated[str, PrimaryKey()]

    class Loose(base):
        model_config = ConfigDict(extra="ignore")
        pk: Annotated[str, PrimaryKey()]

    return type("M", (), {"Account": Account, "Hits": Hits, "Other": Other, "Loose": Loose})


def account(api: Any, **values: Any) -> Any:
    return models(api.name).Account(owner="ann", n=1, **values)


# -- delete_columns() with no names ----------------------------------------------------------


async def test_delete_columns_without_names_is_refused(api: Any, driver: RecordingDriver) -> None:
    doc = account(api)
    with pytest.raises(InvalidQueryError, match=r"delete_columns\(\) needs the names"):
        await api(doc.delete_columns())
    with pytest.raises(InvalidQueryError, match=r"it would delete the whole row"):
        async with api.batch() as batch:
            batch.delete_columns(doc)
    assert driver.statements == []


# -- bare KeyErrors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda d: d.update(balance=3),
        lambda d: d.update(balance=3, ttl=5),
        lambda d: d.delete(),
        lambda d: d.delete(if_exists=True),
        lambda d: d.delete_columns("note"),
        lambda d: d.save(),
        lambda d: d.save(ttl=5),
        lambda d: d.insert(),
        lambda d: d.refresh(),
    ],
)
async def test_model_construct_without_a_key_names_the_field(
    api: Any, driver: RecordingDriver, call: Any
) -> None:
    doc = models(api.name).Account.model_construct(owner="ann")
    with pytest.raises(InvalidQueryError, match=r"Account: primary key field 'n' is not set"):
        await api(call(doc))
    assert driver.statements == []


async def test_model_construct_without_a_field_names_it_on_save(
    api: Any, driver: RecordingDriver
) -> None:
    doc = models(api.name).Other.model_construct()
    with pytest.raises(
        InvalidQueryError, match=r"primary key field 'pk' is not set.*model_construct"
    ):
        await api(doc.save())
    hits = models(api.name).Hits.model_construct()
    with pytest.raises(InvalidQueryError, match=r"'page' is not set"):
        await api(hits.increment(hits=1))
    with pytest.raises(InvalidQueryError, match=r"'pk' is not set"):
        async with api.batch() as batch:
            batch.save(doc)


async def test_insert_many_refuses_another_models_documents(
    api: Any, driver: RecordingDriver
) -> None:
    m = models(api.name)
    with pytest.raises(InvalidQueryError, match=r"Account: got a Other instance; write Account"):
        await api(m.Account.insert_many([account(api), m.Other(pk="x")]))
    with pytest.raises(InvalidQueryError, match=r"'n' is not set"):
        await api(m.Account.insert_many([m.Account.model_construct(owner="a")]))


# -- execute() with CQL text -----------------------------------------------------------------


async def test_execute_takes_cql_text_with_values_and_options(
    api: Any, driver: RecordingDriver
) -> None:
    await api(api.module.execute("SELECT * FROM t WHERE k = ?", [1], consistency="quorum"))
    sent = driver.statements[-1]
    assert isinstance(sent, Statement)
    assert (sent.cql, list(sent.values), sent.consistency) == (
        "SELECT * FROM t WHERE k = ?",
        [1],
        Consistency.QUORUM,
    )
    await api(api.module.execute("SELECT now() FROM system.local", timeout=2))
    assert driver.statements[-1].timeout == 2.0


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((Statement("SELECT 1"), [1]), {}, r"takes its values and options from the Statement"),
        ((Statement("SELECT 1"),), {"timeout": 1}, r"from the Statement"),
        ((b"SELECT 1",), {}, r"takes CQL text or a Statement, not bytes"),
        (("SELECT ?", "a"), {}, r"values must be a list or tuple"),
        (("SELECT ?", {"k": 1}), {}, r"values must be a list or tuple"),
        (("SELECT 1",), {"consistency": "most"}, r"Unknown consistency 'most'"),
        (("SELECT 1",), {"timeout": 0}, r"timeout=0 must be a positive number"),
    ],
)
async def test_execute_refuses_what_it_cannot_run(
    api: Any, driver: RecordingDriver, args: Any, kwargs: Any, message: str
) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        await api(api.module.execute(*args, **kwargs))
    assert driver.statements == []


# -- timestamps ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [1_700_000_000_000, 1_700_000_000, 1, -5, 2**63, MAX_TIMESTAMP, MIN_TIMESTAMP - 1]
)
async def test_an_implausible_int_timestamp_is_refused(
    api: Any, driver: RecordingDriver, value: int
) -> None:
    doc = account(api)
    message = (
        r"is not microseconds since the epoch between 2000-01-01 and 2200-01-01.*multiply by 1000"
    )
    for call in (
        lambda: doc.save(timestamp=value),
        lambda: doc.update(note="v2", timestamp=value),
        lambda: doc.delete(timestamp=value),
        lambda: doc.insert(timestamp=value),
        lambda: doc.__class__.insert_many([doc], timestamp=value),
    ):
        with pytest.raises(InvalidQueryError, match=message):
            await api(call())
    assert driver.statements == []


def test_timestamp_range_and_datetimes() -> None:
    assert check_timestamp(MIN_TIMESTAMP, "M") == 946_684_800_000_000  # 2000-01-01
    assert check_timestamp(MAX_TIMESTAMP - 1, "M") == 7_258_118_399_999_999
    naive = dt.datetime(2024, 1, 1)
    aware = dt.datetime(2024, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert check_timestamp(naive, "M") == check_timestamp(aware, "M") == 1_704_067_200_000_000


async def test_datetime_timestamps_are_taken_by_every_write(
    api: Any, driver: RecordingDriver
) -> None:
    at = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    doc = account(api)
    await api(doc.save(timestamp=at))
    await api(doc.update(note="x", timestamp=at))
    await api(doc.delete(timestamp=at))
    async with api.batch() as batch:
        batch.save(account(api, balance=1), timestamp=at)
    save, update, delete, batch = driver.statements
    micros = 1_704_067_200_000_000
    assert (save.values[-1], update.values[0], delete.values[0]) == (micros,) * 3  # type: ignore[union-attr]
    assert batch.statements[0].values[-1] == micros  # type: ignore[union-attr]


# -- unknown fields --------------------------------------------------------------------------


def test_unknown_fields_are_a_validation_error(api: Any) -> None:
    with pytest.raises(pydantic.ValidationError, match=r"bogus\n  Extra inputs are not permitted"):
        account(api, bogus=1)
    loose = models(api.name).Loose(pk="a", bogus=1)  # the documented opt-out
    assert loose.model_dump() == {"pk": "a"}


# -- table names -----------------------------------------------------------------------------


def test_table_name_dunder_and_empty_names(api: Any) -> None:
    base = api.module.Document

    class Custom(base):
        __table_name__ = "custom"
        pk: Annotated[str, PrimaryKey()]

    assert Custom.coodie_schema().table == "custom"

    class Both(base):
        __table_name__ = "same"
        pk: Annotated[str, PrimaryKey()]

        class Settings:
            name = "same"

    assert Both.coodie_schema().table == "same"
    with pytest.raises(SchemaError, match=r"Settings.name='a' and __table_name__='b' disagree"):

        class Clash(base):
            __table_name__ = "b"
            pk: Annotated[str, PrimaryKey()]

            class Settings:
                name = "a"

    with pytest.raises(SchemaError, match=r"Empty: Settings.name is empty.*default 'empty'"):

        class Empty(base):
            pk: Annotated[str, PrimaryKey()]

            class Settings:
                name = ""

    with pytest.raises(SchemaError, match=r"__table_name__ is empty"):

        class EmptyDunder(base):
            __table_name__ = ""
            pk: Annotated[str, PrimaryKey()]


# -- two writes of one cell in a batch -------------------------------------------------------


@pytest.mark.parametrize(
    "queue",
    [
        lambda b, a: (b.save(a), b.update(a, balance=70)),
        lambda b, a: (b.update(a, balance=100), b.update(a, balance=70)),
        lambda b, a: (b.update(a, tags__append=["x"]), b.update(a, tags__append=["y"])),
        lambda b, a: (b.update(a, labels__add={"x"}), b.save(a)),
        lambda b, a: (b.delete_columns(a, "note"), b.update(a, note="n")),
        lambda b, a: (b.delete(a), b.update(a, balance=1)),
        lambda b, a: (b.update(a, balance=1), b.delete(a)),
        lambda b, a: (b.insert(a), b.update(a, balance=7)),
    ],
)
async def test_a_batch_writing_one_cell_twice_is_refused(
    api: Any, driver: RecordingDriver, queue: Any
) -> None:
    doc = account(api, balance=100, note="a")
    refused = r"Account\.\w+: \w+\(\) would write this cell again"
    with pytest.raises(InvalidQueryError, match=refused):
        async with api.batch() as batch:
            queue(batch, doc)
    assert driver.statements == []
    assert doc.balance == 100


async def test_a_refused_write_leaves_the_batch_usable(api: Any, driver: RecordingDriver) -> None:
    doc = account(api, balance=100)
    async with api.batch() as batch:
        batch.save(doc)
        with pytest.raises(InvalidQueryError, match=r"Account.balance: update\(\)"):
            batch.update(doc, balance=70, note="x")
        batch.update(doc, note="x")  # note was not recorded by the refused update
    assert len(driver.statements[0].statements) == 2  # type: ignore[union-attr]
    assert (doc.balance, doc.note) == (100, "x")


@pytest.mark.parametrize(
    "queue",
    [
        lambda b, a, o: (b.save(a), b.save(a)),  # the same values twice
        lambda b, a, o: (b.update(a, balance=100), b.update(a, note="n")),
        lambda b, a, o: (b.delete(a), b.delete_columns(a, "note")),  # two deletions
        lambda b, a, o: (b.save(a), b.update(o, balance=1)),  # another row
        lambda b, a, o: (b.delete(a), b.update(a, region="eu")),  # static: not the row's
    ],
)
async def test_a_batch_may_repeat_what_cannot_disagree(
    api: Any, driver: RecordingDriver, queue: Any
) -> None:
    doc, other = account(api, balance=100), account(api, balance=100, note="x")
    other.n = 2
    async with api.batch() as batch:
        queue(batch, doc, other)
    assert len(driver.statements) == 1


async def test_counter_batch_increments_of_one_counter_twice_are_refused(
    api: Any, driver: RecordingDriver
) -> None:
    hits = models(api.name).Hits(page="/")
    with pytest.raises(InvalidQueryError, match=r"Hits.hits: increment\(\)"):  # noqa: PT012
        async with api.batch("counter") as batch:
            batch.increment(hits, hits=1)
            batch.increment(hits, hits=2)


# -- per-write options -----------------------------------------------------------------------


async def test_every_write_takes_consistency_and_timeout(api: Any, driver: RecordingDriver) -> None:
    m = models(api.name)
    doc = account(api)
    driver.queue_rows(["[applied]"], [(True,)])
    options = {"consistency": "quorum", "timeout": 2}
    calls = [
        lambda: doc.insert(**options, serial_consistency="local_serial"),  # takes the row
        lambda: doc.save(**options),
        lambda: doc.update(note="x", **options),
        lambda: doc.update(note="y", ttl=5, **options),
        lambda: doc.delete(**options),
        lambda: doc.delete_columns("note", **options),
        lambda: m.Hits(page="/").increment(hits=1, **options),
        lambda: m.Account.insert_many([account(api), account(api)], **options),
    ]
    for call in calls:
        await api(call())
    assert len(driver.statements) == 9
    for sent in driver.statements:
        assert isinstance(sent, Statement)
        assert (sent.consistency, sent.timeout) == (Consistency.QUORUM, 2.0)
    assert driver.statements[0].serial_consistency is Consistency.LOCAL_SERIAL


async def test_conditional_writes_take_serial_consistency(
    api: Any, driver: RecordingDriver
) -> None:
    doc = account(api)
    for call in (
        lambda: doc.update(note="x", if_exists=True, serial_consistency="serial"),
        lambda: doc.delete(if_conditions={"note": None}, serial_consistency="serial"),
        lambda: (
            api.m.Product.find(id=PID)
            .serial_consistency("local_serial")
            .update(name="n", if_exists=True)
        ),
    ):
        driver.queue_rows(["[applied]"], [(True,)])
        await api(call())
    serials = [s.serial_consistency for s in driver.statements]  # type: ignore[union-attr]
    assert serials == [Consistency.SERIAL, Consistency.SERIAL, Consistency.LOCAL_SERIAL]


async def test_query_update_takes_the_querys_options(api: Any, driver: RecordingDriver) -> None:
    query = api.m.Product.find(id=PID).consistency("all").timeout(3).serial_consistency("serial")
    await api(query.update(name="n"))  # not conditional: no serial consistency sent
    sent = driver.statements[-1]
    assert isinstance(sent, Statement)
    assert (sent.consistency, sent.timeout, sent.serial_consistency) == (
        Consistency.ALL,
        3.0,
        None,
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: d.save(consistency="most"), r"Unknown consistency 'most'; use one of ANY"),
        (lambda d: d.save(timeout=-1), r"timeout=-1 must be a positive number of seconds"),
        (lambda d: d.update(note="x", timeout=True), r"timeout=True must be a positive"),
        (lambda d: d.insert(serial_consistency="quorum"), r"must be SERIAL or LOCAL_SERIAL"),
        (
            lambda d: d.update(note="x", serial_consistency="serial"),
            r"applies only to conditional writes",
        ),
        (lambda d: d.delete(serial_consistency="serial"), r"applies only to conditional"),
        (
            lambda d: d.__class__.insert_many([d], consistency="most"),
            r"Unknown consistency 'most'",
        ),
        (
            lambda d: d.save(consistncy="one"),
            r"save\(\) got unexpected keyword 'consistncy'; its request options are "
            r"consistency, timeout\.",
        ),
        (lambda d: d.save(serial_consistency="serial"), r"save\(\) got unexpected keyword"),
        (lambda d: d.delete(bogus=1), r"delete\(\) got unexpected keyword 'bogus'.*serial"),
        (lambda d: d.insert(ttl=1, bogus=1), r"insert\(\) got unexpected keyword 'bogus'"),
        (lambda d: d.delete_columns("note", x=1), r"delete_columns\(\) got unexpected"),
        (lambda d: d.__class__.insert_many([d], x=1), r"insert_many\(\) got unexpected"),
    ],
)
async def test_bad_write_options_are_refused_before_sending(
    api: Any, driver: RecordingDriver, call: Any, message: str
) -> None:
    driver.queue_rows(["[applied]"], [(True,)])
    with pytest.raises(InvalidQueryError, match=message):
        await api(call(account(api)))
    assert driver.statements == []


def test_queryset_serial_consistency_is_checked(api: Any) -> None:
    with pytest.raises(InvalidQueryError, match=r"Unknown serial consistency 'x'"):
        api.m.Product.find().serial_consistency("x")
    with pytest.raises(InvalidQueryError, match=r"must be SERIAL or LOCAL_SERIAL"):
        api.m.Product.find().serial_consistency(Consistency.ONE)


async def test_option_less_writes_carry_no_options(api: Any, driver: RecordingDriver) -> None:
    doc = account(api)
    await api(doc.save())
    await api(doc.update(note="x"))
    await api(doc.delete())
    for sent in driver.statements:
        assert "consistency" not in vars(sent)
        assert "timeout" not in vars(sent)


# -- idempotence -----------------------------------------------------------------------------


IDEMPOTENCE = [
    ("save", lambda d, h: d.save(), True),
    ("save with options", lambda d, h: d.save(ttl=5, timestamp=TS), True),
    ("update fields", lambda d, h: d.update(note="x", balance=1), True),
    ("update with ttl", lambda d, h: d.update(note="x", ttl=5), True),
    ("set add", lambda d, h: d.update(labels__add={"a"}), True),
    ("set remove", lambda d, h: d.update(labels__remove={"a"}), True),
    ("map update", lambda d, h: d.update(attrs__update={"a": 1}), True),
    ("delete", lambda d, h: d.delete(), True),
    ("delete with timestamp", lambda d, h: d.delete(timestamp=TS), True),
    ("delete_columns", lambda d, h: d.delete_columns("note"), True),
    ("insert (LWT)", lambda d, h: d.insert(), False),
    ("update if_exists (LWT)", lambda d, h: d.update(note="x", if_exists=True), False),
    ("delete if_exists (LWT)", lambda d, h: d.delete(if_exists=True), False),
    ("list append", lambda d, h: d.update(tags__append=["a"]), False),
    ("list prepend", lambda d, h: d.update(tags__prepend=["a"]), False),
    ("counter", lambda d, h: h.increment(hits=1), False),
]


@pytest.mark.parametrize(
    ("what", "call", "idempotent"), IDEMPOTENCE, ids=[i[0] for i in IDEMPOTENCE]
)
async def test_idempotence_flag_of_each_write(
    api: Any, driver: RecordingDriver, what: str, call: Any, idempotent: bool
) -> None:
    driver.queue_rows(["[applied]"], [(True,)])
    await api(call(account(api), models(api.name).Hits(page="/")))
    assert driver.statements[-1].idempotent is idempotent  # type: ignore[union-attr]


async def test_a_batch_is_idempotent_when_each_statement_is(
    api: Any, driver: RecordingDriver
) -> None:
    a, b = account(api), account(api)
    b.n = 2
    async with api.batch() as batch:
        batch.save(a)
        batch.update(b, labels__add={"x"})
        batch.delete_columns(b, "note")
    async with api.batch("unlogged") as batch:
        batch.save(a)
        batch.update(b, tags__append=["x"])
    async with api.batch("counter") as batch:
        batch.increment(models(api.name).Hits(page="/"), hits=1)
    sent = driver.statements
    assert all(isinstance(s, BatchStatement) for s in sent)
    assert [s.idempotent for s in sent] == [True, False, False]  # type: ignore[union-attr]
    assert BatchStatement([]).idempotent is False
