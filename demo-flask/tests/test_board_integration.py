"""The board against a real node, for each driver (``-m integration``): the same smoke test
``scripts/demo-flask.sh --check`` runs, through Flask's test client."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from coodie import connections
from coodie.sync import close_coodie, drop_keyspace
from coodie_flask_demo.app import create_app, open_board

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flask.testing import FlaskClient

pytestmark = pytest.mark.integration


@pytest.fixture(params=["cassandra", "acsylla"])
def client(
    request: pytest.FixtureRequest, coodie_contact_points: list[str]
) -> Iterator[FlaskClient]:
    keyspace = f"coodie_flask_it_{request.param}"
    previous = connections.unregister_driver()
    open_board(coodie_contact_points, keyspace, request.param)
    try:
        yield create_app(connect=False).test_client()
    finally:
        drop_keyspace(keyspace)
        close_coodie()
        if previous is not None:
            connections.register_driver(previous)


def test_a_board_round_trip(client: FlaskClient) -> None:
    board = f"/boards/it-{uuid.uuid4().hex[:8]}/tasks"
    first = client.post(board, json={"title": "docs", "tags": ["a", "b"]})
    second = client.post(board, json={"title": "ship"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json is not None
    assert second.json is not None
    listed = client.get(board).json
    assert [t["id"] for t in listed or []] == [first.json["id"], second.json["id"]]
    changed = client.patch(f"{board}/{first.json['id']}", json={"done": True, "tag": [1, "B"]})
    assert changed.status_code == 200
    assert changed.json is not None
    assert (changed.json["done"], changed.json["tags"]) == (True, ["a", "B"])
    out_of_range = client.patch(f"{board}/{first.json['id']}", json={"tag": [7, "x"]})
    assert out_of_range.status_code == 400
    assert client.delete(f"{board}/{second.json['id']}").status_code == 204
    assert client.delete(f"{board}/{second.json['id']}").status_code == 404
    assert client.patch(f"{board}/{second.json['id']}", json={"done": True}).status_code == 404
