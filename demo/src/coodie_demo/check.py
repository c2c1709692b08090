"""A smoke test of a running API with the standard library only (``python -m coodie_demo
check``): what ``scripts/demo.sh --check`` runs against the server it started."""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

__all__ = ["CheckFailed", "run_check"]


class CheckFailed(Exception):
    """The API did not answer as expected."""


def _call(base: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw, kind = (
                response.status,
                response.read(),
                response.headers.get_content_type(),
            )
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers.get_content_type()
    payload: Any = json.loads(raw) if raw and kind == "application/json" else raw.decode()
    return status, payload


def _expect(base: str, method: str, path: str, status: int, body: Any = None) -> Any:
    got, payload = _call(base, method, path, body)
    summary = payload if isinstance(payload, dict) else f"{type(payload).__name__}"
    if isinstance(payload, list):
        summary = f"{len(payload)} items"
    elif isinstance(payload, str):
        summary = f"{len(payload)} characters"
    print(f"  {method} {path} -> {got} ({str(summary)[:90]})")
    if got != status:
        raise CheckFailed(f"{method} {path} answered {got}, expected {status}: {payload}")
    return payload


def _wait(base: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/openapi.json", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise CheckFailed(f"no answer from {base} within {timeout:.0f} s")
        time.sleep(0.5)


def run_check(url: str, *, timeout: float = 60.0) -> None:
    """Wait for the API at ``url``, then read the seeded data and write (and remove) a
    product and a review. Raises CheckFailed on the first unexpected answer."""
    base = url.rstrip("/")
    _wait(base, timeout)
    print(f"checking {base}")
    docs = _expect(base, "GET", "/docs", 200)
    if "https://" in docs or "http://" in docs:
        raise CheckFailed("/docs loads something from another host: it would be blank offline")
    _expect(base, "GET", "/docs-assets/swagger-ui-bundle.js", 200)
    coffee = _expect(base, "GET", "/products?category=coffee&page_size=2", 200)
    if not coffee["items"]:
        raise CheckFailed("no coffee products: did `python -m coodie_demo seed` run?")
    product_id = coffee["items"][0]["id"]
    if coffee["next_page_token"]:
        token = urllib.parse.quote(coffee["next_page_token"])
        more = _expect(
            base, "GET", f"/products?category=coffee&page_size=2&page_token={token}", 200
        )
        seen = [p["id"] for p in coffee["items"] + more["items"]]
        if len(set(seen)) != len(seen):
            raise CheckFailed(f"the second page of products repeats the first: {seen}")
    _expect(base, "GET", f"/products/{product_id}", 200)
    first = _expect(base, "GET", f"/products/{product_id}/reviews?page_size=2", 200)
    if first["next_page_token"]:
        token = urllib.parse.quote(first["next_page_token"])
        second = _expect(
            base, "GET", f"/products/{product_id}/reviews?page_size=2&page_token={token}", 200
        )
        stamps = [r["created_at"] for r in first["items"] + second["items"]]
        if stamps != sorted(stamps, reverse=True):
            raise CheckFailed(f"reviews are not newest first: {stamps}")
    new = {"name": "Smoke test kettle", "brand": "Check", "category": "check", "price": 1.5}
    created = _expect(base, "POST", "/products", 201, new)
    new_path = f"/products/{created['id']}"
    _expect(base, "POST", "/products", 409, {**new, "id": created["id"]})
    _expect(base, "PUT", new_path, 200, {"price": 2.0, "tags": ["smoke"]})
    review = _expect(base, "POST", f"{new_path}/reviews", 201, {"author": "ci", "rating": 4})
    stamp = urllib.parse.quote(review["created_at"])
    _expect(base, "DELETE", f"{new_path}/reviews/{stamp}", 204)
    _expect(base, "DELETE", new_path, 204)
    _expect(base, "GET", new_path, 404)
    print("check passed")
