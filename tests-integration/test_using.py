"""Model.using(): one model, one table per keyspace (tenants), against the real node."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import pytest

from coodie import DocumentNotFound, PrimaryKey

pytestmark = pytest.mark.integration


async def test_tenants_see_only_their_own_rows(api: Any) -> None:
    class Account(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        owner: str = ""

        Settings = api.settings(name=api.table("account"))

    tenants = [f"{api.keyspace}_t{i}" for i in (1, 2)]
    create, drop = api.module.create_keyspace, api.module.drop_keyspace
    try:
        for keyspace in tenants:
            await api(create(keyspace, connection=api.connection))
            await api(Account.using(keyspace=keyspace).sync_table())
        first, second = (Account.using(keyspace=k) for k in tenants)
        key = uuid.uuid4()
        await api(first(id=key, owner="ana").save())
        await api(second(id=key, owner="bob").save())
        assert (await api(first.get(id=key))).owner == "ana"
        assert (await api(second.get(id=key))).owner == "bob"
        assert await api(first.find().count()) == 1
        await api(second.find(id=key).delete())
        with pytest.raises(DocumentNotFound):
            await api(second.get(id=key))
        assert (await api(first.get(id=key))).owner == "ana"  # untouched
    finally:
        for keyspace in tenants:
            await api(drop(keyspace, connection=api.connection))
