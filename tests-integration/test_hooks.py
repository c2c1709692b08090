"""Lifecycle hooks against the real node: what a before-hook assigns is stored, an after-hook
runs only once the write was applied, and every write path honours them."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Any

import pytest

import coodie
import coodie.sync
from coodie import ConditionalWriteFailed, PrimaryKey

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def hooks_keyspaces(driver_type: str) -> Iterator[None]:
    """Keyspaces of this module only (``it_hooks_<driver>_<api>``), dropped at its end."""
    import coodie.sync

    names = [f"it_hooks_{driver_type}_{kind}" for kind in ("sync", "aio")]
    for name in names:
        coodie.sync.create_keyspace(name, connection=f"it-{driver_type}")
    yield
    for name in names:
        coodie.sync.drop_keyspace(name, connection=f"it-{driver_type}")


def settings(api: Any, prefix: str, **extra: Any) -> type:
    return api.settings(
        name=api.table(prefix), keyspace=f"it_hooks_{api.driver_type}_{api.kind}", **extra
    )


def stamped(api: Any, log: list[str]) -> Any:
    """A model whose before-hooks stamp what wrote it and whose after-hooks log it."""

    class Note(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        title: str = ""
        stamp: str | None = None

        Settings = settings(api, "hook_note")

        @coodie.before_save
        def _on_save(self) -> None:
            self.stamp = "saved"

        @coodie.before_insert
        def _on_insert(self) -> None:
            self.stamp = "inserted"

        @coodie.before_update
        def _on_update(self) -> None:
            self.stamp = "updated"

        @coodie.after_save
        @coodie.after_insert
        @coodie.after_update
        @coodie.after_delete
        def _log(self) -> None:
            log.append(f"{self.title}:{self.stamp}")

    return Note


@pytest.fixture
async def note(api: Any, cleanup: list[Any], hooks_keyspaces: None) -> Any:
    log: list[str] = []
    Note = stamped(api, log)
    await api(Note.sync_table())
    cleanup.append(Note)
    return Note, log


async def test_document_writes_store_what_before_hooks_assign(api: Any, note: Any) -> None:
    note, log = note
    saved, inserted = note(id=uuid.uuid4(), title="s"), note(id=uuid.uuid4(), title="i")
    await api(saved.save())
    await api(saved.update(title="u"))
    assert (await api(note.get(id=saved.id))).stamp == "updated"
    await api(inserted.insert())
    assert (await api(note.get(id=inserted.id))).stamp == "inserted"
    with pytest.raises(ConditionalWriteFailed):  # not applied: no after-hook
        await api(note(id=inserted.id, title="again").insert())
    await api(saved.delete())
    assert await api(note.find(id=saved.id).first()) is None
    assert log == ["s:saved", "u:updated", "i:inserted", "u:updated"]


async def test_bulk_batch_and_query_writes_run_hooks(api: Any, note: Any) -> None:
    note, log = note
    many = [note(id=uuid.uuid4(), title=f"m{i}") for i in range(3)]
    assert await api(note.insert_many(many)) == 3
    in_batch = note(id=uuid.uuid4(), title="b")
    batch = api.BatchQuery()
    batch.save(in_batch)
    assert len(log) == 3  # the after-hook waits for the batch
    await api(batch.execute())
    created = await api(note.find(id=uuid.uuid4()).create(title="c"))
    await api(note.find(id=created.id).update(title="q"))  # no instance: no hook
    stored = {doc.title: doc.stamp for doc in await api(note.find().all())}
    assert stored == {"m0": "saved", "m1": "saved", "m2": "saved", "b": "saved", "q": "saved"}
    assert log == ["m0:saved", "m1:saved", "m2:saved", "b:saved", "c:saved"]
    partial = await api(note.find(id=many[0].id).only("title").first())
    await api(partial.update(title="p2"))  # a partial document runs them too
    assert (await api(note.get(id=many[0].id))).stamp == "updated"


async def test_polymorphic_subclass_hooks_run_after_the_base_ones(
    api: Any, cleanup: list[Any], hooks_keyspaces: None
) -> None:
    class Pet(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        kind: str
        trail: str = ""

        Settings = settings(api, "hook_pet", discriminator="kind")

        @coodie.before_save
        def _base(self) -> None:
            self.trail += "pet,"

    class Cat(Pet):
        @coodie.before_save
        def _own(self) -> None:
            self.trail += "cat,"

    await api(Pet.sync_table())
    cleanup.append(Pet)
    cat = Cat(id=uuid.uuid4())
    await api(Pet.insert_many([cat, Pet(id=uuid.uuid4())]))
    assert (await api(Pet.get(id=cat.id))).trail == "pet,cat,"


async def test_aio_awaits_async_hooks(api: Any, cleanup: list[Any], hooks_keyspaces: None) -> None:
    if api.kind != "aio":
        pytest.skip("coodie.sync refuses async def hooks (a unit test checks it)")

    class Timed(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        stamp: str = ""

        Settings = settings(api, "hook_async")

        @coodie.before_save
        async def _stamp(self) -> None:
            self.stamp = "awaited"

    await api(Timed.sync_table())
    cleanup.append(Timed)
    doc = Timed(id=uuid.uuid4())
    await doc.save()
    assert (await Timed.get(id=doc.id)).stamp == "awaited"
    # In a batch the hook is awaited when the batch is sent, and its write keeps its place.
    batched, after = Timed(id=uuid.uuid4()), Timed(id=uuid.uuid4())
    async with api.BatchQuery() as batch:
        batch.save(batched)
        batch.delete(doc)
        assert batched.stamp == ""
    assert batched.stamp == "awaited"
    assert (await Timed.get(id=batched.id)).stamp == "awaited"
    assert await Timed.find(id=doc.id).first() is None
    with pytest.raises(coodie.InvalidQueryError, match=r"coodie\.sync BatchQuery cannot await"):
        coodie.sync.BatchQuery().save(after)
