"""The board's routes without a database: what each sends, and the answers to bad input."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coodie import connections
from coodie.testing import RecordingDriver
from coodie_flask_demo import create_app

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flask.testing import FlaskClient


@pytest.fixture
def driver() -> Iterator[RecordingDriver]:
    previous = connections.unregister_driver()
    recording = RecordingDriver()
    connections.register_driver(recording)
    yield recording
    connections.unregister_driver()
    if previous is not None:
        connections.register_driver(previous)


@pytest.fixture
def client(driver: RecordingDriver) -> FlaskClient:
    return create_app(connect=False).test_client()


def test_add_is_an_insert_if_not_exists(driver: RecordingDriver, client: FlaskClient) -> None:
    driver.queue_rows(["[applied]"], [(True,)])
    answer = client.post("/boards/b/tasks", json={"title": "t", "tags": ["x"], "board": "no"})
    assert answer.status_code == 201
    assert answer.json is not None
    assert (answer.json["board"], answer.json["title"]) == ("b", "t")
    assert driver.last.cql.endswith("IF NOT EXISTS")  # type: ignore[union-attr]


def test_since_reads_a_time_window(driver: RecordingDriver, client: FlaskClient) -> None:
    assert client.get("/boards/b/tasks?since=2026-01-01T00:00:00").status_code == 200
    assert driver.last.cql.endswith("WHERE board = ? AND id >= minTimeuuid(?)")  # type: ignore[union-attr]


def test_patch_and_delete_are_conditional(driver: RecordingDriver, client: FlaskClient) -> None:
    path = "/boards/b/tasks/5a0f6b4e-0c43-11f1-8000-000000000001"
    driver.queue_rows(["[applied]"], [(False,)])
    assert client.patch(path, json={"done": True}).status_code == 404
    assert driver.last.cql.endswith("IF EXISTS")  # type: ignore[union-attr]
    driver.queue_rows(["[applied]"], [(False,)])
    assert client.delete(path).status_code == 404
    assert driver.last.cql == "DELETE FROM test.tasks WHERE board = ? AND id = ? IF EXISTS"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/boards/b/tasks", {"title": 5}, 422),
        ("get", "/boards/b/tasks?since=yesterday", None, 400),
        ("patch", "/boards/b/tasks/not-a-uuid", {"done": True}, 404),
        ("patch", "/boards/b/tasks/5a0f6b4e-0c43-11f1-8000-000000000001", {}, 400),
        (
            "patch",
            "/boards/b/tasks/5a0f6b4e-0c43-11f1-8000-000000000001",
            {"tag": [-1, "x"]},
            400,
        ),
    ],
)
def test_bad_input_is_answered_before_the_database(
    driver: RecordingDriver, client: FlaskClient, method: str, path: str, body: object, status: int
) -> None:
    answer = getattr(client, method)(path, json=body)
    assert answer.status_code == status, answer.json
    assert driver.statements == []
