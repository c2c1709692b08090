"""Against the node: writes that would lose data or fail with a bare Python error are refused
with a coodie error, and each write's request options reach the node (issue 10, items 2, 6)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Annotated, Any

import pydantic
import pytest

from coodie import (
    ClusteringKey,
    Counter,
    DriverError,
    InvalidQueryError,
    PrimaryKey,
    SchemaError,
    connections,
)
from coodie.drivers import BatchStatement

pytestmark = pytest.mark.integration


def account_model(api: Any) -> Any:
    class Account(api.Document):
        owner: Annotated[str, PrimaryKey()]
        n: Annotated[int, ClusteringKey()]
        balance: int = 0
        note: str | None = None
        tags: list[str] = []
        labels: set[str] = set()
        attrs: dict[str, int] = {}

        Settings = api.settings(name=api.table("account"))

    return Account


def hits_model(api: Any) -> Any:
    class Hits(api.Document):
        page: Annotated[str, PrimaryKey()]
        hits: Annotated[int, Counter()] = 0

        Settings = api.settings(name=api.table("hits"))

    return Hits


async def synced(api: Any, cleanup: list[Any], model: Any) -> Any:
    await api(model.sync_table())
    cleanup.append(model)
    return model


async def stored(api: Any, model: Any, **key: Any) -> Any:
    return await api(model.find_one(**key))


# -- item 2: no data loss, no bare exceptions ------------------------------------------------


async def test_delete_columns_without_names_keeps_the_row(api: Any, cleanup: list[Any]) -> None:
    Account = await synced(api, cleanup, account_model(api))
    doc = Account(owner="ann", n=1, balance=5, note="keep")
    await api(doc.save())
    with pytest.raises(InvalidQueryError, match=r"delete_columns\(\) needs the names"):
        await api(doc.delete_columns())
    batch = api.BatchQuery()
    with pytest.raises(InvalidQueryError, match=r"would delete the whole row"):
        batch.delete_columns(doc)
    await api(batch.execute())
    assert await stored(api, Account, owner="ann", n=1) == doc
    await api(doc.delete_columns("note"))  # with names it still works
    assert (await stored(api, Account, owner="ann", n=1)).note is None


async def test_missing_fields_and_other_models_are_coodie_errors(
    api: Any, cleanup: list[Any]
) -> None:
    Account = await synced(api, cleanup, account_model(api))
    Hits = await synced(api, cleanup, hits_model(api))
    await api(Account(owner="ann", n=1, balance=5).save())
    half = Account.model_construct(owner="ann")
    for call in (
        lambda: half.update(note="x"),
        lambda: half.delete(),
        lambda: half.save(),
        lambda: half.insert(),
        lambda: Account.insert_many([half]),
    ):
        with pytest.raises(InvalidQueryError, match=r"Account: primary key field 'n' is not set"):
            await api(call())
    with pytest.raises(InvalidQueryError, match=r"Account: got a Hits instance"):
        await api(Account.insert_many([Hits(page="/")]))
    assert (await stored(api, Account, owner="ann", n=1)).balance == 5


async def test_execute_takes_cql_text(api: Any, cleanup: list[Any]) -> None:
    Account = await synced(api, cleanup, account_model(api))
    await api(Account(owner="ann", n=1, balance=5).save())
    table = Account.coodie_schema().qualified_table
    page = await api(
        api.module.execute(
            f"SELECT balance FROM {table} WHERE owner = ? AND n = ?",
            ["ann", 1],
            consistency="one",
            timeout=10,
            connection=api.connection,
        )
    )
    assert [tuple(row) for row in page.rows] == [(5,)]
    with pytest.raises(InvalidQueryError, match=r"takes CQL text or a Statement"):
        await api(api.module.execute(42, connection=api.connection))


async def test_a_millisecond_timestamp_is_refused_and_a_datetime_taken(
    api: Any, cleanup: list[Any]
) -> None:
    Account = await synced(api, cleanup, account_model(api))
    doc = Account(owner="ann", n=1, note="v1")
    await api(doc.save())
    millis = int(time.time() * 1000)
    with pytest.raises(InvalidQueryError, match=r"multiply by 1000 or pass a datetime"):
        await api(doc.update(note="v2", timestamp=millis))
    assert (await stored(api, Account, owner="ann", n=1)).note == "v1"
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30)
    await api(doc.update(note="v2", timestamp=later))
    await api(doc.update(note="v3"))  # now: older than ``later``, so it loses
    assert (await stored(api, Account, owner="ann", n=1)).note == "v2"
    await api(doc.update(note="v4", timestamp=millis * 1000 + 60_000_000))
    assert (await stored(api, Account, owner="ann", n=1)).note == "v4"


async def test_unknown_fields_and_table_names(api: Any, cleanup: list[Any]) -> None:
    Account = account_model(api)
    with pytest.raises(pydantic.ValidationError, match=r"bogus"):
        Account(owner="ann", n=1, bogus=1)
    name = api.table("custom")

    class Named(api.Document):
        __table_name__ = name
        pk: Annotated[str, PrimaryKey()]
        Settings = api.settings()

    await synced(api, cleanup, Named)
    await api(Named(pk="a").save())
    page = await api(
        api.module.execute(
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND "
            "table_name = ?",
            [api.keyspace, name],
            connection=api.connection,
        )
    )
    assert [row[0] for row in page.rows] == [name]
    with pytest.raises(SchemaError, match=r"Settings.name is empty"):

        class Empty(api.Document):
            pk: Annotated[str, PrimaryKey()]
            Settings = api.settings(name="")


async def test_a_batch_writing_one_cell_twice_is_refused(api: Any, cleanup: list[Any]) -> None:
    Account = await synced(api, cleanup, account_model(api))
    doc = Account(owner="ann", n=1, balance=100)
    batch = api.BatchQuery()
    batch.save(doc)
    with pytest.raises(InvalidQueryError, match=r"Account.balance: update\(\) would write"):
        batch.update(doc, balance=70)
    batch.update(doc, note="n")
    await api(batch.execute())
    assert (doc.balance, doc.note) == (100, "n")
    assert await stored(api, Account, owner="ann", n=1) == doc  # the instance is what is stored


# -- item 6: per-write options and idempotence -----------------------------------------------


async def test_each_write_sends_its_consistency(api: Any, cleanup: list[Any]) -> None:
    """A replication factor of 1 cannot give TWO replicas: the node answers unavailable,
    which proves the level reached it; ONE works."""
    Account = await synced(api, cleanup, account_model(api))
    Hits = await synced(api, cleanup, hits_model(api))
    doc = Account(owner="ann", n=1, note="x")
    hits = Hits(page="/")
    writes = [
        lambda c: doc.save(consistency=c, timeout=30),
        lambda c: doc.update(note="y", consistency=c, timeout=30),
        lambda c: doc.delete_columns("note", consistency=c),
        lambda c: hits.increment(hits=1, consistency=c),
        lambda c: Account.insert_many([doc], consistency=c, timeout=30),
        # an LWT may be applied before its commit at TWO fails: a fresh row each time
        lambda c: Account(owner="lwt", n=0 if c == "two" else 1).insert(
            consistency=c, serial_consistency="local_serial"
        ),
        lambda c: doc.update(note="z", if_exists=True, consistency=c, serial_consistency="serial"),
        lambda c: doc.delete(consistency=c),
    ]
    for write in writes:
        with pytest.raises(DriverError):
            await api(write("two"))
        await api(write("one"))
    assert await stored(api, Account, owner="ann", n=1) is None
    assert await stored(api, Account, owner="lwt", n=1) is not None
    assert (await stored(api, Hits, page="/")).hits == 1
    await api(doc.save())
    query = Account.find(owner="ann", n=1).consistency("two")
    with pytest.raises(DriverError):
        await api(query.update(note="q"))
    await api(
        query.consistency("one").serial_consistency("serial").update(note="q", if_exists=True)
    )
    assert (await stored(api, Account, owner="ann", n=1)).note == "q"


async def test_idempotence_flags_sent_to_the_driver(
    api: Any, cleanup: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    Account = await synced(api, cleanup, account_model(api))
    Hits = await synced(api, cleanup, hits_model(api))
    driver = connections.get_driver(api.connection)
    sent: list[Any] = []
    name = "execute" if api.kind == "sync" else "execute_async"
    real = getattr(driver, name)

    def recording(statement: Any) -> Any:
        sent.append(statement)
        return real(statement)

    monkeypatch.setattr(driver, name, recording)
    doc = Account(owner="ann", n=1, note="x")
    flags = [
        (lambda: doc.save(), True),
        (lambda: doc.update(note="y", balance=2), True),
        (lambda: doc.update(labels__add={"a"}), True),
        (lambda: doc.update(attrs__update={"a": 1}), True),
        (lambda: doc.delete_columns("note"), True),
        (lambda: doc.update(tags__append=["a"]), False),
        (lambda: doc.update(tags__prepend=["b"]), False),
        (lambda: Hits(page="/").increment(hits=1), False),
        (lambda: doc.update(note="z", if_exists=True), False),
        (lambda: doc.delete(), True),
        (lambda: doc.insert(), False),
    ]
    for write, idempotent in flags:
        await api(write())
        assert sent[-1].idempotent is idempotent, sent[-1]
    assert (await stored(api, Account, owner="ann", n=1)).tags == ["b", "a"]  # as inserted
    other = Account(owner="ann", n=2)
    for fill, idempotent in (
        (lambda b: (b.save(other), b.update(doc, labels__add={"c"})), True),
        (lambda b: (b.update(doc, tags__append=["c"]),), False),
    ):
        batch = api.BatchQuery()
        fill(batch)
        await api(batch.execute())
        assert isinstance(sent[-1], BatchStatement)
        assert sent[-1].idempotent is idempotent
        if api.driver_type == "cassandra":  # the native batch says so too
            assert driver._query(sent[-1]).is_idempotent is idempotent  # type: ignore[attr-defined]
    assert (await stored(api, Account, owner="ann", n=1)).tags == ["b", "a", "c"]
