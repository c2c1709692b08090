"""A composite partition key over 65,535 bytes as a whole (each part fits on its own): the
node refuses it, and coodie refuses it first, on every path, both drivers, both APIs."""

from __future__ import annotations

from typing import Annotated, Any

import pytest

from coodie import InvalidQueryError, InvalidRequestError, PrimaryKey

pytestmark = pytest.mark.integration

#: Bytes of a + b that just fit: 65,535 minus 3 bytes of framing per part and the int's 4.
FITS = 65_535 - 3 * 3 - 4


def wide_model(api: Any) -> Any:
    class Wide(api.Document):
        a: Annotated[str, PrimaryKey()]
        b: Annotated[str, PrimaryKey(partition_key_index=1)]
        n: Annotated[int, PrimaryKey(partition_key_index=2)]
        v: int = 0

        Settings = api.settings(name=api.table("ks_wide"))

    return Wide


def halves(total: int) -> tuple[str, str]:
    return "a" * (total // 2), "b" * (total - total // 2)


async def test_the_node_refuses_a_composite_key_too_long_and_coodie_refuses_it_first(
    api: Any, cleanup: list[Any]
) -> None:
    Wide = wide_model(api)
    await api(Wide.sync_table())
    cleanup.append(Wide)
    table = f"{api.keyspace}.{Wide.coodie_schema().table}"
    a, b = halves(FITS + 1)
    # What the node says, sent by hand past coodie's checks.
    with pytest.raises(InvalidRequestError, match="Key length of 65536 is longer than maximum"):
        await api(
            api.module.execute(
                f"INSERT INTO {table} (a, b, n, v) VALUES (?, ?, ?, ?)",
                [a, b, 1, 0],
                connection=api.connection,
            )
        )
    doc = Wide(a=a, b=b, n=1)
    message = r"Wide: the partition key \(a, b, n\) is 65,536 bytes once serialized"
    batch = api.BatchQuery()
    for call in (
        lambda: doc.save(),
        lambda: doc.insert(),
        lambda: doc.update(v=1),
        lambda: doc.delete(),
        lambda: Wide.insert_many([doc]),
        lambda: Wide.get(a=a, b=b, n=1),
        lambda: Wide.find(a=a, b=b, n=1).all(),
        lambda: (batch.save(doc), batch.execute())[1],
    ):
        with pytest.raises(InvalidQueryError, match=message):
            await api(call())
    assert await api(Wide.find().count()) == 0
    # One byte less is the largest such key the node takes, and coodie sends it.
    a, b = halves(FITS)
    await api(Wide(a=a, b=b, n=1, v=7).save())
    assert (await api(Wide.get(a=a, b=b, n=1))).v == 7
