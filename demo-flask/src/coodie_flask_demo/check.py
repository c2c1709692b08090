"""A smoke test of a running board with the standard library only (``python -m
coodie_flask_demo check``): what ``scripts/demo-flask.sh --check`` runs."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

__all__ = ["CheckFailed", "run_check"]


class CheckFailed(Exception):
    """The app did not answer as expected."""


def _call(base: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, json.loads(raw) if raw else None


def _expect(base: str, method: str, path: str, status: int, body: Any = None) -> Any:
    got, payload = _call(base, method, path, body)
    print(f"  {method} {path} -> {got}")
    if got != status:
        raise CheckFailed(f"{method} {path} answered {got}, expected {status}: {payload}")
    return payload


def _wait(base: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise CheckFailed(f"no answer from {base} within {timeout:.0f} s")
        time.sleep(0.5)


def run_check(url: str, timeout: float = 60.0) -> None:
    """Add, list, change, delete tasks on a fresh board; raise CheckFailed on any surprise."""
    base = url.rstrip("/")
    _wait(base, timeout)
    board = f"/boards/check-{uuid.uuid4().hex[:8]}/tasks"
    since = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(seconds=5)
    first = _expect(base, "POST", board, 201, {"title": "write docs", "tags": ["a", "b"]})
    second = _expect(base, "POST", board, 201, {"title": "ship"})
    listed = _expect(base, "GET", board, 200)
    if [t["id"] for t in listed] != [first["id"], second["id"]]:
        raise CheckFailed(f"the board lists {listed}, expected the two tasks in time order")
    query = urllib.parse.urlencode({"since": since.isoformat()})
    if len(_expect(base, "GET", f"{board}?{query}", 200)) != 2:
        raise CheckFailed("since= did not find the tasks just added")
    changed = _expect(base, "PATCH", f"{board}/{first['id']}", 200, {"done": True, "tag": [1, "B"]})
    if not changed["done"] or changed["tags"] != ["a", "B"]:
        raise CheckFailed(f"PATCH did not change the task: {changed}")
    _expect(base, "DELETE", f"{board}/{second['id']}", 204)
    _expect(base, "DELETE", f"{board}/{second['id']}", 404)
    _expect(base, "PATCH", f"{board}/{second['id']}", 404, {"done": True})
    _expect(base, "POST", board, 422, {"title": 5})
    print("check passed")
