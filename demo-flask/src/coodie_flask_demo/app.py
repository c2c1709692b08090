"""The Flask app: connect once when built, one route per task operation."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

from flask import Flask, Response, jsonify, request
from pydantic import ValidationError

from coodie import ConditionalWriteFailed, InvalidQueryError, InvalidRequestError, MinTimeUUID
from coodie.sync import close_coodie, create_keyspace, init_coodie
from coodie_flask_demo.models import Task

__all__ = ["create_app", "open_board"]

_SETUP = "coodie-flask-setup"
_EDITABLE = ("title", "done")


def open_board(hosts: list[str], keyspace: str, driver: str) -> None:
    """Connect the default connection to ``keyspace``, creating it and the table if needed
    (a short-lived connection creates the keyspace first: a session cannot start in a
    keyspace that does not exist)."""
    init_coodie(hosts=hosts, driver_type=driver, name=_SETUP)
    try:
        create_keyspace(keyspace, replication_factor=1, connection=_SETUP)
    finally:
        close_coodie(_SETUP)
    init_coodie(hosts=hosts, keyspace=keyspace, driver_type=driver)
    Task.sync_table()


def _task(task: Task) -> dict[str, Any]:
    return task.model_dump(mode="json")


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error=message), status


def _task_id(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def create_app(connect: bool = True) -> Flask:
    """The app, connected from ``COODIE_HOSTS`` / ``COODIE_KEYSPACE`` / ``COODIE_DRIVER``
    unless ``connect=False`` (the caller connected already)."""
    if connect:
        hosts = os.environ.get("COODIE_HOSTS", "127.0.0.1:9042").split(",")
        keyspace = os.environ.get("COODIE_KEYSPACE", "task_board")
        open_board(hosts, keyspace, os.environ.get("COODIE_DRIVER", "cassandra"))
    app = Flask(__name__)

    @app.errorhandler(InvalidQueryError)
    def invalid(error: InvalidQueryError) -> tuple[Response, int]:
        return _error(400, str(error))

    @app.errorhandler(InvalidRequestError)
    def refused(error: InvalidRequestError) -> tuple[Response, int]:
        # What only the server can know, e.g. a list index past the end of the stored list.
        return _error(400, str(error))

    @app.errorhandler(ValidationError)
    def unprocessable(error: ValidationError) -> tuple[Response, int]:
        return _error(422, str(error))

    @app.get("/health")
    def health() -> Response:
        return jsonify(status="ok")

    @app.post("/boards/<board>/tasks")
    def add_task(board: str) -> tuple[Response, int]:
        body = request.get_json(silent=True) or {}
        task_id = uuid.uuid1()
        try:
            task = (
                Task.find(board=board, id=task_id)
                .if_not_exists()
                .create({k: v for k, v in body.items() if k in ("title", "tags")})
            )
        except ConditionalWriteFailed:  # a time UUID taken twice: ask the client to retry
            return _error(409, f"task {task_id} exists already; try again")
        return jsonify(_task(task)), 201

    @app.get("/boards/<board>/tasks")
    def list_tasks(board: str) -> Response | tuple[Response, int]:
        query = Task.find(board=board)
        since = request.args.get("since")
        if since is not None:
            try:
                start = dt.datetime.fromisoformat(since)
            except ValueError:
                return _error(400, f"since={since!r} is not an ISO datetime")
            query = query.filter(id__gte=MinTimeUUID(start))
        return jsonify([_task(t) for t in query.all()])

    @app.patch("/boards/<board>/tasks/<task_id>")
    def change_task(board: str, task_id: str) -> Response | tuple[Response, int]:
        key = _task_id(task_id)
        if key is None:
            return _error(404, f"no task {task_id!r}")
        body = request.get_json(silent=True) or {}
        changes = {k: v for k, v in body.items() if k in _EDITABLE}
        if "tag" in body:  # {"tag": [index, "new"]}: one list element, in place
            changes["tags__at"] = tuple(body["tag"])
        if not changes:
            return _error(400, "send title, done or tag ([index, value])")
        try:
            Task.find(board=board, id=key).if_exists().update(changes)
        except ConditionalWriteFailed:
            return _error(404, f"no task {task_id} on board {board!r}")
        return jsonify(_task(Task.get(board=board, id=key)))

    @app.delete("/boards/<board>/tasks/<task_id>")
    def delete_task(board: str, task_id: str) -> tuple[str, int] | tuple[Response, int]:
        key = _task_id(task_id)
        if key is None:
            return _error(404, f"no task {task_id!r}")
        try:
            Task.find(board=board, id=key).if_exists().delete()
        except ConditionalWriteFailed:
            return _error(404, f"no task {task_id} on board {board!r}")
        return "", 204

    return app
