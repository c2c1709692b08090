"""Lifecycle hooks (no database): every write path runs them, in order, for both APIs."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import TYPE_CHECKING, Annotated, Any

import pytest

import coodie
from coodie.api.document import mapper_of
from coodie.drivers.statement import BatchStatement
from coodie.exceptions import ConditionalWriteFailed, InvalidQueryError, SchemaError
from coodie.fields import PrimaryKey

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.testing import RecordingDriver

PID = uuid.UUID("11111111-2222-3333-4444-555555555555")


def applied(driver: RecordingDriver) -> None:
    driver.queue_rows(["[applied]"], [(True,)])


def not_applied(driver: RecordingDriver) -> None:
    driver.queue_rows(["[applied]", "id"], [(False, PID)])


def models(api: Any, *, async_hooks: bool = False) -> SimpleNamespace:
    """A model whose hooks record what they saw (``calls``) and stamp ``note``."""
    h: Any = coodie
    calls: list[tuple[str, Any, int]] = []
    sent = {"driver": None}

    def seen(event: str, doc: Any) -> None:
        driver: Any = sent["driver"]
        calls.append((event, doc.__dict__.get("id"), len(driver.statements) if driver else -1))

    class Note(api.module.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        title: str = ""
        stamp: str | None = None

        Settings = type("Settings", (), {"name": "note", "keyspace": "hk"})

        @h.before_save
        def _stamp_on_save(self) -> None:
            seen("before_save", self)
            self.stamp = "saved"

        @h.after_save
        def _after_save(self) -> None:
            seen("after_save", self)

        @h.before_insert
        def _stamp_on_insert(self) -> None:
            seen("before_insert", self)
            self.stamp = "inserted"

        @h.after_insert
        def _after_insert(self) -> None:
            seen("after_insert", self)

        @h.before_update
        def _stamp_on_update(self) -> None:
            seen("before_update", self)
            self.stamp = "updated"

        @h.after_update
        def _after_update(self) -> None:
            seen("after_update", self)

        @h.before_delete
        def _before_delete(self) -> None:
            seen("before_delete", self)

        @h.after_delete
        def _after_delete(self) -> None:
            seen("after_delete", self)

    return SimpleNamespace(Note=Note, calls=calls, sent=sent)


@pytest.fixture
def m(api: Any, driver: RecordingDriver) -> Iterator[SimpleNamespace]:
    found = models(api)
    found.sent["driver"] = driver
    return found


def events(m: SimpleNamespace) -> list[str]:
    return [event for event, _, _ in m.calls]


async def test_save_runs_its_hooks_around_the_write(api: Any, driver: Any, m: Any) -> None:
    note = m.Note(id=PID, title="a")
    await api(note.save())
    assert m.calls == [("before_save", PID, 0), ("after_save", PID, 1)]
    assert driver.last.values[-1] == "saved"  # what before_save assigned is written


async def test_insert_after_hook_only_when_applied(api: Any, driver: Any, m: Any) -> None:
    applied(driver)
    await api(m.Note(id=PID).insert())
    assert events(m) == ["before_insert", "after_insert"]
    assert driver.last.values[-1] == "inserted"
    m.calls.clear()
    not_applied(driver)
    with pytest.raises(ConditionalWriteFailed):
        await api(m.Note(id=PID).insert())
    assert events(m) == ["before_insert"]


async def test_update_writes_what_before_update_assigns(api: Any, driver: Any, m: Any) -> None:
    note = m.Note(id=PID, title="a")
    await api(note.update(title="b"))
    assert events(m) == ["before_update", "after_update"]
    assert driver.last.cql == "UPDATE hk.note SET title = ?, stamp = ? WHERE id = ?"
    assert list(driver.last.values) == ["b", "updated", PID]
    assert (note.title, note.stamp) == ("b", "updated")
    await api(note.update(stamp="mine", consistency="QUORUM"))  # the call's value wins
    assert list(driver.last.values) == ["mine", PID]


async def test_conditional_update_and_delete_skip_after_hooks_when_not_applied(
    api: Any, driver: Any, m: Any
) -> None:
    note = m.Note(id=PID)
    not_applied(driver)
    with pytest.raises(ConditionalWriteFailed):
        await api(note.update(title="b", if_exists=True))
    not_applied(driver)
    with pytest.raises(ConditionalWriteFailed):
        await api(note.delete(if_conditions={"title": "x"}))
    assert events(m) == ["before_update", "before_delete"]


async def test_delete_runs_its_hooks(api: Any, driver: Any, m: Any) -> None:
    await api(m.Note(id=PID).delete())
    applied(driver)
    await api(m.Note(id=PID).delete(if_exists=True))
    assert m.calls == [
        ("before_delete", PID, 0),
        ("after_delete", PID, 1),
        ("before_delete", PID, 1),
        ("after_delete", PID, 2),
    ]


async def test_a_raising_before_hook_sends_nothing(api: Any, driver: Any) -> None:
    class Guarded(api.module.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        Settings = type("Settings", (), {"name": "guarded", "keyspace": "hk"})

        @coodie.before_save
        @coodie.before_insert
        @coodie.before_update
        @coodie.before_delete
        def refuse(self) -> None:
            raise PermissionError("read-only")

    doc = Guarded(id=PID)
    for write in (doc.save, doc.insert, doc.delete, lambda: doc.update({})):
        with pytest.raises(PermissionError):
            await api(write())
    with pytest.raises(PermissionError):
        await api(Guarded.insert_many([doc]))
    with pytest.raises(PermissionError):
        async with api.batch() as batch:
            batch.save(doc)
    assert driver.statements == []


async def test_insert_many_runs_save_hooks_for_each(api: Any, driver: Any, m: Any) -> None:
    ids = [uuid.uuid4() for _ in range(3)]
    written = await api(m.Note.insert_many(m.Note(id=i) for i in ids))  # a lazy iterable too
    assert written == 3
    assert m.calls[:3] == [("before_save", i, 0) for i in ids]  # all before anything is sent
    assert m.calls[3:] == [("after_save", i, 3) for i in ids]
    assert [s.values[-1] for s in driver.statements] == ["saved"] * 3


async def test_batch_runs_before_hooks_when_queued_after_hooks_once_applied(
    api: Any, driver: Any, m: Any
) -> None:
    a, b, c, d = (m.Note(id=uuid.uuid4()) for _ in range(4))
    applied(driver)
    async with api.batch() as batch:
        batch.save(a)
        batch.insert(b)
        batch.update(c, title="x")
        batch.delete(d)
        assert events(m) == ["before_save", "before_insert", "before_update", "before_delete"]
    assert events(m)[4:] == ["after_save", "after_insert", "after_update", "after_delete"]
    assert all(sent == 1 for _, _, sent in m.calls[4:])
    sent: Any = driver.last
    assert isinstance(sent, BatchStatement)
    assert sent.statements[0].values[-1] == "saved"
    assert sent.statements[1].values[-1] == "inserted"
    assert sent.statements[2].cql == "UPDATE hk.note SET title = ?, stamp = ? WHERE id = ?"


async def test_batch_after_hooks_not_run_when_not_sent_or_not_applied(
    api: Any, driver: Any, m: Any
) -> None:
    with pytest.raises(ZeroDivisionError):  # noqa: PT012
        async with api.batch() as batch:
            batch.save(m.Note(id=PID))
            1 / 0  # noqa: B018
    not_applied(driver)
    with pytest.raises(ConditionalWriteFailed):
        async with api.batch() as batch:
            batch.insert(m.Note(id=PID))
    assert events(m) == ["before_save", "before_insert"]


async def test_queryset_create_runs_save_or_insert_hooks(api: Any, driver: Any, m: Any) -> None:
    doc = await api(m.Note.find(id=PID).create(title="a"))
    assert doc.stamp == "saved"
    applied(driver)
    await api(m.Note.find(id=PID).if_not_exists().create(title="a"))
    assert events(m) == ["before_save", "after_save", "before_insert", "after_insert"]
    assert driver.last.values[-1] == "inserted"


async def test_queryset_update_and_delete_run_no_instance_hooks(
    api: Any, driver: Any, m: Any
) -> None:
    await api(m.Note.find(id=PID).update(title="b"))
    await api(m.Note.find(id=PID).delete())
    assert len(driver.statements) == 2
    assert m.calls == []


async def test_partial_documents_run_hooks_and_write_what_they_assign(
    api: Any, driver: Any, m: Any
) -> None:
    driver.queue_rows(["id", "title"], [(PID, "a")])
    doc = await api(m.Note.find(id=PID).only("title").first())
    await api(doc.save())
    assert events(m) == ["before_save", "after_save"]
    assert driver.last.cql == "INSERT INTO hk.note (id, title, stamp) VALUES (?, ?, ?)"
    assert list(driver.last.values) == [PID, "a", "saved"]


def test_a_model_without_hooks_has_none(api: Any, driver: RecordingDriver) -> None:
    assert mapper_of(api.m.Product).hooks is None
    assert api.m.Product.__coodie_hooks__ is None


async def test_subclass_hooks_run_after_base_hooks_and_overrides_replace(
    api: Any, driver: RecordingDriver
) -> None:
    h: Any = coodie
    order: list[str] = []

    class Pet(api.module.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        kind: str
        Settings = type("Settings", (), {"name": "pet", "keyspace": "hk", "discriminator": "kind"})

        @h.before_save
        def base_first(self) -> None:
            order.append("Pet.base_first")

        @h.before_save
        def replaced(self) -> None:
            order.append("Pet.replaced")

    class Cat(Pet):
        @h.before_save
        def own(self) -> None:
            order.append("Cat.own")

        @h.before_save
        def replaced(self) -> None:
            order.append("Cat.replaced")

    class Dog(Pet):
        pass

    await api(Cat(id=PID).save())
    assert order == ["Pet.base_first", "Cat.own", "Cat.replaced"]
    order.clear()
    await api(Pet.insert_many([Dog(id=PID), Cat(id=PID)]))  # each runs its own class's
    assert order == ["Pet.base_first", "Pet.replaced", "Pet.base_first", "Cat.own", "Cat.replaced"]


async def test_aio_awaits_coroutine_hooks(driver: RecordingDriver) -> None:
    seen: list[str] = []

    class Async(coodie.aio.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        stamp: str = ""
        Settings = type("Settings", (), {"name": "async_hooked", "keyspace": "hk"})

        @coodie.before_save
        async def stamp_it(self) -> None:
            self.stamp = "awaited"

        @coodie.after_save
        async def after(self) -> None:
            seen.append("after")

    doc = Async(id=PID)
    await doc.save()
    assert driver.last.values[-1] == "awaited"
    assert seen == ["after"]
    assert len(driver.statements) == 1
    with pytest.raises(InvalidQueryError, match=r"stamp_it .* a coodie\.sync BatchQuery cannot"):
        coodie.sync.BatchQuery().save(doc)


def awaited_models() -> SimpleNamespace:
    """An aio model with coroutine before-hooks (``log`` records them), and a plain one."""
    log: list[str] = []

    class Timed(coodie.aio.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        stamp: str = ""
        title: str = ""
        Settings = type("Settings", (), {"name": "timed", "keyspace": "hk"})

        @coodie.before_save
        def plain_first(self) -> None:
            log.append(f"plain {self.title}")

        @coodie.before_save
        async def stamp_it(self) -> None:
            log.append(f"awaited {self.title}")
            self.stamp = "saved"

        @coodie.before_update
        async def stamp_update(self) -> None:
            self.stamp = "updated"

        @coodie.before_delete
        async def refuse_locked(self) -> None:
            if self.title == "locked":
                raise ValueError("locked notes stay")

        @coodie.after_save
        async def saved(self) -> None:
            log.append(f"after {self.title}")

    class Plain(coodie.aio.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        title: str = ""
        Settings = type("Settings", (), {"name": "plain", "keyspace": "hk"})

    return SimpleNamespace(Timed=Timed, Plain=Plain, log=log)


async def test_an_aio_batch_awaits_coroutine_before_hooks_when_it_is_sent(
    driver: RecordingDriver,
) -> None:
    m = awaited_models()
    first, second = m.Timed(id=PID, title="a"), m.Timed(id=uuid.uuid4(), title="b")
    third, plain = m.Timed(id=uuid.uuid4(), title="c"), m.Plain(id=uuid.uuid4(), title="p")
    async with coodie.aio.BatchQuery() as batch:
        batch.save(first)
        batch.save(plain)  # after a held-back write: held back too, the order is kept
        batch.update(second, title="b2")
        batch.save(third)
        assert (batch.statements, m.log, first.stamp) == ([], [], "")
    assert m.log == ["plain a", "awaited a", "plain c", "awaited c", "after a", "after c"]
    sent = driver.last
    assert isinstance(sent, BatchStatement)
    assert [s.cql.split()[0:3] for s in sent.statements] == [
        ["INSERT", "INTO", "hk.timed"],
        ["INSERT", "INTO", "hk.plain"],
        ["UPDATE", "hk.timed", "SET"],
        ["INSERT", "INTO", "hk.timed"],
    ]
    assert sent.statements[0].values[1] == "saved"
    # What before_update assigned joins the UPDATE, beside the call's own values.
    update = sent.statements[2]
    assert "stamp = ?" in update.cql
    assert "title = ?" in update.cql
    assert {"updated", "b2"} <= set(update.values)
    assert (first.stamp, second.stamp, second.title) == ("saved", "updated", "b2")


async def test_a_raising_coroutine_hook_discards_the_whole_batch(
    driver: RecordingDriver,
) -> None:
    m = awaited_models()
    kept, locked = m.Timed(id=PID, title="kept"), m.Timed(id=uuid.uuid4(), title="locked")
    batch = coodie.aio.BatchQuery()
    batch.save(kept)
    batch.delete(locked)
    with pytest.raises(ValueError, match="locked notes stay"):
        await batch.execute()
    assert driver.statements == []
    assert m.log == ["plain kept", "awaited kept"]  # no after-hook: nothing was applied
    assert batch.statements == []
    await batch.execute()  # discarded: nothing left to send
    assert driver.statements == []
    batch.save(m.Plain(id=PID))  # the batch can be used again
    await batch.execute()
    assert len(driver.statements) == 1


async def test_a_batch_without_coroutine_hooks_queues_at_once(driver: RecordingDriver) -> None:
    m = awaited_models()
    batch = coodie.aio.BatchQuery()
    batch.save(m.Plain(id=PID))
    batch.delete(m.Plain(id=uuid.uuid4()))
    assert len(batch.statements) == 2
    await batch.execute()
    assert len(driver.last.statements) == 2  # type: ignore[union-attr]


def test_sync_refuses_coroutine_hooks_at_class_creation() -> None:
    with pytest.raises(SchemaError, match=r"stamp_it is an async def hook.*coodie\.aio\.Document"):

        class Refused(coodie.sync.Document):
            id: Annotated[uuid.UUID, PrimaryKey()]
            Settings = type("Settings", (), {"name": "refused", "keyspace": "hk"})

            @coodie.before_save
            async def stamp_it(self) -> None:
                pass


def test_the_markers_take_instance_methods_only() -> None:
    with pytest.raises(SchemaError, match="@before_save marks an instance method"):
        coodie.before_save(classmethod(lambda cls: None))  # type: ignore[arg-type]


def test_a_view_refuses_hooks(api: Any) -> None:
    class Base(api.module.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        owner: str = ""
        Settings = type("Settings", (), {"name": "hooked_base", "keyspace": "hk"})

    with pytest.raises(SchemaError, match="materialized view, which is never written"):

        class ByOwner(api.module.MaterializedView):
            owner: Annotated[str, PrimaryKey()]
            id: Annotated[uuid.UUID, coodie.ClusteringKey()]
            Settings = type("Settings", (), {"base": Base})

            @coodie.before_save
            def never(self) -> None:
                pass


async def test_insert_many_of_a_foreign_object_is_still_a_typed_error(
    api: Any, driver: RecordingDriver, m: Any
) -> None:
    with pytest.raises(InvalidQueryError):
        await api(m.Note.insert_many([api.m.Product(id=PID, name="x")]))
    assert driver.statements == []


async def test_a_model_bound_with_using_keeps_its_hooks(api: Any, driver: Any, m: Any) -> None:
    Tenant = m.Note.using(keyspace="tenant_a")
    await api(Tenant(id=PID).save())
    assert driver.last.cql.startswith("INSERT INTO tenant_a.note ")
    assert events(m) == ["before_save", "after_save"]
    assert driver.last.values[-1] == "saved"
