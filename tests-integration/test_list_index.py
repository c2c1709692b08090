"""Setting one list element by index (``tags__at=(i, value)`` -> ``SET tags[?] = ?``) on
the real node: the row and the in-memory document agree; an index past the end is the
server's error and changes nothing."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import pytest

from coodie import ConditionalWriteFailed, InvalidQueryError, InvalidRequestError, PrimaryKey

pytestmark = pytest.mark.integration


def playlist_model(api: Any) -> Any:
    class Playlist(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        songs: list[str] = []
        plays: list[int] = []

        Settings = api.settings(name=api.table("lwt_playlist"))

    return Playlist


async def test_set_elements_by_index(api: Any, cleanup: list[Any]) -> None:
    Playlist = playlist_model(api)
    await api(Playlist.sync_table())
    cleanup.append(Playlist)
    doc = Playlist(id=uuid.uuid4(), songs=["a", "b", "c"], plays=[1, 2])
    await api(doc.save())
    await api(doc.update(songs__at=(1, "B"), plays__at=(0, 10)))
    assert doc.songs == ["a", "B", "c"]
    assert doc.plays == [10, 2]
    assert await api(Playlist.get(id=doc.id)) == doc
    await api(Playlist.find(id=doc.id).update(songs__at=(2, "C")))
    assert (await api(Playlist.get(id=doc.id))).songs == ["a", "B", "C"]


async def test_set_an_element_conditionally(api: Any, cleanup: list[Any]) -> None:
    Playlist = playlist_model(api)
    await api(Playlist.sync_table())
    cleanup.append(Playlist)
    key = uuid.uuid4()  # only conditional writes on this row: plain ones use another clock
    await api(Playlist.find(id=key).if_not_exists().create(songs=["a", "b"]))
    query = Playlist.find(id=key)
    await api(query.update(songs__at=(0, "A"), if_conditions={"songs__at": (0, "a")}))
    with pytest.raises(ConditionalWriteFailed, match=r"songs=\['A', 'b'\]"):
        await api(query.update(songs__at=(1, "B"), if_conditions={"songs__at": (0, "a")}))
    assert (await api(Playlist.get(id=key))).songs == ["A", "b"]


async def test_bad_indexes(api: Any, cleanup: list[Any]) -> None:
    Playlist = playlist_model(api)
    await api(Playlist.sync_table())
    cleanup.append(Playlist)
    doc = Playlist(id=uuid.uuid4(), songs=["a"])
    await api(doc.save())
    with pytest.raises(InvalidQueryError, match=r"list index must be an int >= 0, got -1"):
        await api(doc.update(songs__at=(-1, "x")))
    with pytest.raises(InvalidQueryError, match=r"Playlist\.plays"):
        await api(doc.update(plays__at=(0, "not a number")))
    with pytest.raises(InvalidRequestError, match=r"(?i)index 3 out of bound"):
        await api(doc.update(songs__at=(3, "x")))
    assert doc.songs == ["a"]
    assert (await api(Playlist.get(id=doc.id))).songs == ["a"]
