"""Every route of the API against a real node, for each driver (``-m integration``)."""

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest
from cassandra.metadata import Murmur3Token

from coodie_demo import app as app_module
from coodie_demo.app import create_app
from coodie_demo.seed import sample_products, seed
from coodie_demo.settings import DemoSettings

pytestmark = pytest.mark.integration


def unique(prefix: str) -> str:
    """A category/brand no other test (or earlier run) uses, so listings are exact."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def create_product(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    # A category of its own: the seeded "coffee" listing must not fill up across runs.
    category = unique("kitchen")
    body = {"name": "Kettle", "brand": "Brewline", "category": category, "price": 19.5, **fields}
    response = await client.post("/products", json=body)
    assert response.status_code == 201, response.text
    product: dict[str, Any] = response.json()
    return product


async def add_reviews(client: httpx.AsyncClient, product_id: str, count: int) -> list[str]:
    """Post ``count`` reviews; returns their ids, oldest first."""
    ids = []
    for i in range(count):
        body = {"author": f"user{i}", "rating": i % 5 + 1, "content": f"review {i}"}
        response = await client.post(f"/products/{product_id}/reviews", json=body)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


# -- products ---------------------------------------------------------------------------


async def test_create_and_get_product(client: httpx.AsyncClient) -> None:
    body = {
        "name": "Barista Pro",
        "brand": "Brewline",
        "category": unique("coffee"),
        "price": 549.99,
        "description": "15 bar",
        "tags": ["espresso", "grinder"],
    }
    response = await client.post("/products", json=body)
    assert response.status_code == 201
    created = response.json()
    assert {k: created[k] for k in body} == body
    uuid.UUID(created["id"])
    dt.datetime.fromisoformat(created["created_at"])
    assert response.headers["location"] == f"/products/{created['id']}"

    fetched = await client.get(f"/products/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created


async def test_create_product_with_its_own_id_and_duplicate_is_409(
    client: httpx.AsyncClient,
) -> None:
    product_id = str(uuid.uuid4())
    created = await create_product(client, id=product_id, name="first")
    assert created["id"] == product_id
    again = await client.post(
        "/products",
        json={"id": product_id, "name": "second", "brand": "b", "category": "c", "price": 1},
    )
    assert again.status_code == 409
    assert product_id in again.json()["detail"]
    kept = await client.get(f"/products/{product_id}")
    assert kept.json()["name"] == "first"


async def test_create_product_invalid_body_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/products", json={"name": "n", "brand": "b", "price": "x"})
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["detail"]} == {
        ("body", "category"),
        ("body", "price"),
    }


async def test_get_missing_product_is_404(client: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    response = await client.get(f"/products/{missing}")
    assert response.status_code == 404
    assert response.json() == {"detail": f"Product {missing} does not exist."}
    assert (await client.get("/products/nope")).status_code == 422


async def test_list_products_by_category_and_brand(client: httpx.AsyncClient) -> None:
    cat_a, cat_b, brand_x, brand_y = unique("a"), unique("b"), unique("x"), unique("y")
    ax = await create_product(client, category=cat_a, brand=brand_x, name="ax")
    ay = await create_product(client, category=cat_a, brand=brand_y, name="ay")
    bx = await create_product(client, category=cat_b, brand=brand_x, name="bx")

    async def names(**params: Any) -> set[str]:
        response = await client.get("/products", params=params)
        assert response.status_code == 200, response.text
        return {p["name"] for p in response.json()["items"]}

    assert await names(category=cat_a) == {"ax", "ay"}
    assert await names(brand=brand_x) == {"ax", "bx"}
    assert await names(category=cat_a, brand=brand_x) == {"ax"}
    assert await names(category=cat_b, brand=brand_y) == set()
    assert await names(category=unique("none")) == set()
    assert len(await names(category=cat_a, page_size=1)) == 1
    everything = await client.get("/products", params={"page_size": 1000})
    ids = {p["id"] for p in everything.json()["items"]}
    assert {ax["id"], ay["id"], bx["id"]} <= ids or len(ids) == 1000
    assert (await client.get("/products", params={"page_size": 1001})).status_code == 422


async def test_list_products_page_by_page_in_token_order(client: httpx.AsyncClient) -> None:
    category = unique("paged")
    made = [await create_product(client, category=category, name=f"p{n}") for n in range(5)]

    async def pages(**params: Any) -> list[dict[str, Any]]:
        """Every page of the listing, following next_page_token to the end."""
        seen: list[dict[str, Any]] = []
        token = None
        while True:
            query = {**params, "page_size": 2} | ({"page_token": token} if token else {})
            response = await client.get("/products", params=query)
            assert response.status_code == 200, response.text
            body = response.json()
            assert len(body["items"]) <= 2
            seen += body["items"]
            token = body["next_page_token"]
            if token is None:
                return seen

    listed = await pages(category=category)
    ids = [p["id"] for p in listed]
    assert sorted(ids) == sorted(p["id"] for p in made)  # each product once, none missing
    # The documented order: by the partitioner's token of the id, the same on every call.
    tokens = [Murmur3Token.hash_fn(uuid.UUID(i).bytes) for i in ids]
    assert tokens == sorted(tokens)
    assert [p["id"] for p in await pages(category=category)] == ids
    whole = await client.get("/products", params={"category": category, "page_size": 5})
    assert [p["id"] for p in whole.json()["items"]] == ids

    # A token belongs to its filters: another category's listing refuses it (400).
    first = (await client.get("/products", params={"category": category, "page_size": 2})).json()
    foreign = await client.get(
        "/products", params={"category": unique("other"), "page_token": first["next_page_token"]}
    )
    assert foreign.status_code == 400
    assert "another category/brand filter" in foreign.json()["detail"]
    garbage = await client.get("/products", params={"page_token": "a=b"})
    assert garbage.status_code == 400


async def test_update_product_partially(client: httpx.AsyncClient) -> None:
    product = await create_product(client, description="old", tags=["a"])
    path = f"/products/{product['id']}"

    response = await client.put(path, json={"price": 25.0, "tags": ["a", "b"]})
    assert response.status_code == 200
    assert response.json() == {**product, "price": 25.0, "tags": ["a", "b"]}

    response = await client.put(path, json={"description": None, "name": "Kettle 2"})
    assert response.status_code == 200
    expected = {**product, "price": 25.0, "tags": ["a", "b"], "description": None}
    assert response.json() == {**expected, "name": "Kettle 2"}
    assert (await client.get(path)).json() == {**expected, "name": "Kettle 2"}

    unchanged = await client.put(path, json={})
    assert unchanged.status_code == 200
    assert unchanged.json() == {**expected, "name": "Kettle 2"}


async def test_update_product_errors(client: httpx.AsyncClient) -> None:
    missing = await client.put(f"/products/{uuid.uuid4()}", json={"price": 1})
    assert missing.status_code == 404
    product = await create_product(client)
    path = f"/products/{product['id']}"
    null_name = await client.put(path, json={"name": None})
    assert null_name.status_code == 422
    assert "name cannot be null" in str(null_name.json()["detail"])
    assert (await client.put(path, json={"price": -5})).status_code == 422
    assert (await client.put(path, json={"id": str(uuid.uuid4())})).status_code == 422
    assert (await client.get(path)).json() == product


async def test_delete_product_and_its_reviews(client: httpx.AsyncClient) -> None:
    product = await create_product(client)
    path = f"/products/{product['id']}"
    await add_reviews(client, product["id"], 3)

    response = await client.delete(path)
    assert response.status_code == 204
    assert response.content == b""
    assert (await client.get(path)).status_code == 404
    assert (await client.delete(path)).status_code == 404
    assert (await client.get(f"{path}/reviews")).status_code == 404

    # The same id again starts without the old reviews.
    await create_product(client, id=product["id"])
    page = (await client.get(f"{path}/reviews")).json()
    assert page == {"items": [], "next_page_token": None}


# -- reviews ----------------------------------------------------------------------------


async def test_create_review(client: httpx.AsyncClient) -> None:
    product = await create_product(client)
    body = {"author": "ana", "rating": 5, "content": "great"}
    response = await client.post(f"/products/{product['id']}/reviews", json=body)
    assert response.status_code == 201
    review = response.json()
    assert {k: review[k] for k in body} == body
    assert review["product_id"] == product["id"]
    uuid.UUID(review["id"])
    page = (await client.get(f"/products/{product['id']}/reviews")).json()
    assert page["items"] == [review]


async def test_create_review_errors(client: httpx.AsyncClient) -> None:
    missing = await client.post(
        f"/products/{uuid.uuid4()}/reviews", json={"author": "ana", "rating": 5}
    )
    assert missing.status_code == 404
    product = await create_product(client)
    path = f"/products/{product['id']}/reviews"
    assert (await client.post(path, json={"author": "ana", "rating": 0})).status_code == 422
    assert (await client.post(path, json={"rating": 3})).status_code == 422


async def test_reviews_in_the_same_millisecond_are_all_kept(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two reviews stamped with the same time: INSERT IF NOT EXISTS fails for the second,
    which then moves one millisecond on instead of overwriting the first."""
    product = await create_product(client)
    frozen = dt.datetime(2026, 2, 3, 4, 5, 6, 7000)
    monkeypatch.setattr(app_module, "now_ms", lambda: frozen)
    ids = await add_reviews(client, product["id"], 3)
    items = (await client.get(f"/products/{product['id']}/reviews")).json()["items"]
    assert [r["id"] for r in items] == ids[::-1]
    assert [dt.datetime.fromisoformat(r["created_at"]) for r in items] == [
        frozen + dt.timedelta(milliseconds=ms) for ms in (2, 1, 0)
    ]


async def test_reviews_are_paginated_newest_first(client: httpx.AsyncClient) -> None:
    product = await create_product(client)
    path = f"/products/{product['id']}/reviews"
    ids = await add_reviews(client, product["id"], 7)

    seen: list[dict[str, Any]] = []
    token: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"page_size": 3}
        if token is not None:
            params["page_token"] = token
        response = await client.get(path, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 3
        seen.extend(page["items"])
        pages += 1
        token = page["next_page_token"]
        if token is None:
            break
        assert pages < 10
    assert [r["id"] for r in seen] == ids[::-1]
    stamps = [r["created_at"] for r in seen]
    assert stamps == sorted(stamps, reverse=True)
    assert pages == 3

    everything = (await client.get(path, params={"page_size": 100})).json()
    assert [r["id"] for r in everything["items"]] == ids[::-1]
    assert everything["next_page_token"] is None


async def test_page_token_errors(client: httpx.AsyncClient) -> None:
    first = await create_product(client)
    second = await create_product(client)
    await add_reviews(client, first["id"], 3)
    page = (await client.get(f"/products/{first['id']}/reviews?page_size=2")).json()
    token = page["next_page_token"]
    assert token

    other = await client.get(f"/products/{second['id']}/reviews", params={"page_token": token})
    assert other.status_code == 400
    assert "made for another product" in other.json()["detail"]

    altered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    tampered = await client.get(f"/products/{first['id']}/reviews", params={"page_token": altered})
    assert tampered.status_code == 400

    garbage = await client.get(f"/products/{first['id']}/reviews", params={"page_token": "a=b"})
    assert garbage.status_code == 400
    assert "URL-safe base64" in garbage.json()["detail"]

    # The original token still works: nothing above reached the database.
    rest = await client.get(f"/products/{first['id']}/reviews", params={"page_token": token})
    assert rest.status_code == 200
    assert len(rest.json()["items"]) == 1

    missing = await client.get(f"/products/{uuid.uuid4()}/reviews")
    assert missing.status_code == 404


async def test_delete_review(client: httpx.AsyncClient) -> None:
    product = await create_product(client)
    path = f"/products/{product['id']}/reviews"
    await add_reviews(client, product["id"], 3)
    newest, middle, oldest = (await client.get(path)).json()["items"]

    assert (await client.delete(f"{path}/{middle['created_at']}")).status_code == 204
    left = [r["id"] for r in (await client.get(path)).json()["items"]]
    assert left == [newest["id"], oldest["id"]]

    again = await client.delete(f"{path}/{middle['created_at']}")
    assert again.status_code == 404
    assert "has no review at" in again.json()["detail"]

    # The same instant with an explicit offset (and in microseconds) finds the review too.
    stamp = dt.datetime.fromisoformat(newest["created_at"]).replace(tzinfo=dt.timezone.utc)
    shifted = stamp.astimezone(dt.timezone(dt.timedelta(hours=2))) + dt.timedelta(microseconds=7)
    response = await client.delete(f"{path}/{shifted.isoformat()}".replace("+", "%2B"))
    assert response.status_code == 204
    assert [r["id"] for r in (await client.get(path)).json()["items"]] == [oldest["id"]]

    assert (await client.delete(f"{path}/not-a-time")).status_code == 422


# -- seed -------------------------------------------------------------------------------


async def test_seed_then_browse(driver: str, coodie_contact_points: list[str]) -> None:
    settings = DemoSettings.from_env()
    first = await seed(settings)
    second = await seed(settings)  # idempotent: the same rows again
    assert (first.products, first.reviews) == (second.products, second.reviews)
    assert second.ddl == []

    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://catalog.test") as client,
    ):
        # limit: a developer's node may keep coffee products of earlier runs beside the seeds.
        listing = {"category": "coffee", "page_size": 1000}
        coffee = (await client.get("/products", params=listing)).json()["items"]
        expected = {p.name for p in sample_products() if p.category == "coffee"}
        assert expected <= {p["name"] for p in coffee}
        product = next(p for p in coffee if p["name"] in expected)
        reviews = (await client.get(f"/products/{product['id']}/reviews")).json()
        assert reviews["items"]
