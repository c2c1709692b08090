"""A composite partition key must fit 65,535 bytes as a whole once serialized (each part's
bytes plus 3), not only part by part: refused before sending on every path, both APIs."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Annotated, Any

import pytest

import coodie.aio
import coodie.sync
from coodie import ClusteringKey, Frozen, InvalidQueryError, PrimaryKey
from coodie.model.types import MAX_KEY_BYTES
from coodie.query.key_size import key_size_check
from coodie.sync import Document

if TYPE_CHECKING:
    from conftest import Api

    from coodie.testing import RecordingDriver

#: a (text) + b (text) + n (int): 3 bytes of framing each, plus 4 for the int.
OVERHEAD = 3 * 3 + 4
FITS = MAX_KEY_BYTES - OVERHEAD  # bytes of a + b that just fit


@functools.cache
def models(api_name: str) -> Any:
    base: Any = coodie.sync.Document if api_name == "sync" else coodie.aio.Document

    class Wide(base):
        a: Annotated[str, PrimaryKey()]
        b: Annotated[str, PrimaryKey(partition_key_index=1)]
        n: Annotated[int, PrimaryKey(partition_key_index=2)]
        c: Annotated[str, ClusteringKey()] = "c"
        v: int = 0

    return Wide


MESSAGE = (
    r"Wide: the partition key \(a, b, n\) is 65,536 bytes once serialized \(each part's "
    r"bytes plus 3\), and Cassandra limits a partition key to 65,535 bytes; shorten the "
    r"values, or store a hash of them as the key instead\."
)


def halves(extra: int) -> tuple[str, str]:
    total = FITS + extra
    return "a" * (total // 2), "b" * (total - total // 2)


async def test_every_write_and_lookup_refuses_a_key_one_byte_too_long(
    api: Api, driver: RecordingDriver
) -> None:
    wide = models(api.name)
    a, b = halves(1)
    doc = wide.model_construct(a=a, b=b, n=1, c="c", v=0)
    calls = [
        lambda: doc.save(),
        lambda: doc.insert(),
        lambda: doc.update(v=1),
        lambda: doc.delete(),
        lambda: wide.get(a=a, b=b, n=1, c="c"),
        lambda: wide.insert_many([doc]),
        lambda: wide.find(a=a, b=b, n=1).delete(),
        lambda: wide.find(a=a, b=b, n=1, c="c").update(v=2),
        lambda: wide.find(a=a, b=b, n=1).count(),
    ]
    for call in calls:
        with pytest.raises(InvalidQueryError, match=MESSAGE):
            await api(call())
    with pytest.raises(InvalidQueryError, match=MESSAGE):
        await api.collect(wide.find(a=a, b=b, n=1))
    with pytest.raises(InvalidQueryError, match=MESSAGE):
        async with api.batch() as batch:
            batch.save(doc)
    assert driver.statements == []


async def test_a_key_that_just_fits_is_sent(api: Api, driver: RecordingDriver) -> None:
    wide = models(api.name)
    a, b = halves(0)
    await api(wide(a=a, b=b, n=1).save())
    await api(wide(a=a, b=b, n=1).delete())
    await api.collect(wide.find(a=a, b=b, n=1))
    assert len(driver.statements) == 3


def test_non_ascii_text_counts_in_utf8_bytes(driver: RecordingDriver) -> None:
    wide = models("sync")
    a = "é" * ((FITS // 2) // 2 + 1)  # two bytes each
    b = "b" * (FITS - 2 * len(a) + 1)
    with pytest.raises(InvalidQueryError, match=r"is 65,536 bytes"):
        wide(a=a, b=b, n=1).save()
    wide(a=a, b=b[:-1], n=1).save()


def test_a_part_too_long_on_its_own_is_named_as_such(driver: RecordingDriver) -> None:
    with pytest.raises(InvalidQueryError, match=r"Wide\.a: .* 70,000 bytes long"):
        models("sync")(a="a" * 70_000, b="", n=1).save()


def test_only_keys_that_can_be_too_long_get_the_check() -> None:
    class One(Document):
        k: Annotated[str, PrimaryKey()]

    class Ints(Document):
        x: Annotated[int, PrimaryKey()]
        y: Annotated[int, PrimaryKey(partition_key_index=1)]

    class WithFrozen(Document):
        s: Annotated[str, PrimaryKey()]
        big: Annotated[bytes, PrimaryKey(partition_key_index=1)]
        odd: Annotated[frozenset[int], PrimaryKey(partition_key_index=2), Frozen()]

    assert key_size_check(One.coodie_schema()) is None
    assert key_size_check(Ints.coodie_schema()) is None
    check = key_size_check(WithFrozen.coodie_schema())
    assert check is not None
    check.check({"s": "s" * 30_000, "big": b"b" * 35_526, "odd": frozenset()})
    with pytest.raises(InvalidQueryError, match=r"is at least 65,536 bytes"):
        check.check({"s": "s" * 30_000, "big": b"b" * 35_527, "odd": frozenset()})
