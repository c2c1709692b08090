"""Page tokens on the real node: every page reached through next_token, and bad or foreign
tokens refused before the driver, so the connection stays usable (cassandra-driver drops its
pool for about 2 s when the server cannot parse a paging state)."""

from __future__ import annotations

import base64
from typing import Annotated, Any

import pytest

from coodie import ClusteringKey, InvalidPageToken, PrimaryKey

pytestmark = pytest.mark.integration


def item_model(api: Any, prefix: str = "tok") -> Any:
    class Item(api.Document):
        shelf: Annotated[str, PrimaryKey()]
        number: Annotated[int, ClusteringKey()]
        name: str = ""

        Settings = api.settings(name=api.table(prefix))

    return Item


async def stocked(api: Any, cleanup: list[Any], model: Any, shelf: str, count: int) -> Any:
    await api(model.sync_table())
    cleanup.append(model)
    await api(model.insert_many([model(shelf=shelf, number=i) for i in range(count)]))
    return model


async def test_next_token_walks_every_page(api: Any, cleanup: list[Any]) -> None:
    Item = await stocked(api, cleanup, item_model(api), "a", 25)
    query = Item.find(shelf="a")
    seen: list[int] = []
    token = None
    pages = 0
    while True:
        page = await api(query.page(token=token, page_size=10))
        seen += [item.number for item in page.items]
        pages += 1
        token = page.next_token
        if token is None:
            break
        assert isinstance(token, str)
        assert page.paging_state is not None
    assert seen == list(range(25))
    assert pages == 3


async def test_tokens_of_other_queries_and_models_are_refused(api: Any, cleanup: list[Any]) -> None:
    Item = await stocked(api, cleanup, item_model(api), "a", 5)
    await api(Item.insert_many([Item(shelf="b", number=i) for i in range(5)]))
    Other = await stocked(api, cleanup, item_model(api, "tok_other"), "a", 5)
    token = (await api(Item.find(shelf="a").page(page_size=2))).next_token
    assert token is not None
    for query in (
        Item.find(shelf="b"),
        Item.find(shelf="a").limit(4),
        Other.find(shelf="a"),
    ):
        with pytest.raises(InvalidPageToken, match="made for another query"):
            await api(query.page(token=token, page_size=2))
    rest = await api(Item.find(shelf="a").page(token=token, page_size=2))
    assert [item.number for item in rest.items] == [2, 3]


async def test_refused_tokens_leave_the_connection_usable(api: Any, cleanup: list[Any]) -> None:
    """The issue's case: a client's garbage cursor, then ten unrelated queries."""
    Item = await stocked(api, cleanup, item_model(api), "a", 5)
    query = Item.find(shelf="a")
    token = (await api(query.page(page_size=2))).next_token
    assert token is not None
    garbage = base64.urlsafe_b64encode(b"\x00garbage").rstrip(b"=").decode()
    forged = token.split(".")[0][:-4] + "AAAA." + ".".join(token.split(".")[1:])
    for bad in (garbage, "\x00garbage", forged, token[:-3], token + "x"):
        with pytest.raises(InvalidPageToken):
            await api(query.page(token=bad, page_size=5))
    for _ in range(10):
        assert await api(Item.find(shelf="a").count()) == 5
    rest = await api(query.page(token=token, page_size=5))
    assert [item.number for item in rest.items] == [2, 3, 4]
    assert rest.next_token is None


async def test_a_page_token_key_outlives_a_restart(
    api: Any, cleanup: list[Any], coodie_contact_points: list[str]
) -> None:
    """With init_coodie(page_token_key=...), a token survives reconnecting (a restarted web
    worker); with the per-process key of a fresh connection it does not."""
    name = f"tok-keyed-{api.driver_type}-{api.kind}"

    async def connect(**options: Any) -> None:
        await api(
            api.module.init_coodie(
                hosts=coodie_contact_points, driver_type=api.driver_type, name=name, **options
            )
        )

    class Keyed(api.Document):
        shelf: Annotated[str, PrimaryKey()]
        number: Annotated[int, ClusteringKey()]

        Settings = api.settings(name=api.table("tok_keyed"), connection=name)

    await connect(page_token_key="a secret shared by every worker")
    try:
        await stocked(api, cleanup, Keyed, "a", 5)
        token = (await api(Keyed.find(shelf="a").page(page_size=2))).next_token
        await api(api.module.close_coodie(name))
        await connect(page_token_key=["a new secret", "a secret shared by every worker"])
        rest = await api(Keyed.find(shelf="a").page(token=token, page_size=2))
        assert [item.number for item in rest.items] == [2, 3]
        await api(api.module.close_coodie(name))
        await connect()
        with pytest.raises(InvalidPageToken, match="signed with another key"):
            await api(Keyed.find(shelf="a").page(token=token))
        await api(Keyed.drop_table())
    finally:
        if Keyed in cleanup:  # its connection is gone by the time cleanup runs
            cleanup.remove(Keyed)
        await api(api.module.close_coodie(name))
