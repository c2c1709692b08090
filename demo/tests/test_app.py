"""The API without a database: OpenAPI, request validation, page-token and error mapping.

Requests here never reach coodie (validation fails first), so the app's lifespan is not run
and no node is needed.
"""

import re
from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from coodie import (
    ConditionalWriteFailed,
    DocumentNotFound,
    InvalidQueryError,
    MultipleDocumentsFound,
)
from coodie_demo.app import create_app
from coodie_demo.settings import DemoSettings


async def _raise(kind: str) -> None:
    errors: dict[str, Exception] = {
        "not-found": DocumentNotFound("No Product matches id=1."),
        "multiple": MultipleDocumentsFound("More than one Review matches product_id=1."),
        "not-applied": ConditionalWriteFailed("INSERT was not applied.", {}),
        "invalid-query": InvalidQueryError("Filtering on 'price' needs an index."),
    }
    raise errors[kind]


@pytest.fixture
def app() -> FastAPI:
    app = create_app(DemoSettings(keyspace="never_connected"))
    app.add_api_route("/test-errors/{kind}", _raise)
    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://catalog.test") as client:
        yield client


async def test_openapi_lists_every_route(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    operations = {(path, method) for path, item in paths.items() for method in item}
    assert operations == {
        ("/products", "get"),
        ("/products", "post"),
        ("/products/{product_id}", "get"),
        ("/products/{product_id}", "put"),
        ("/products/{product_id}", "delete"),
        ("/products/{product_id}/reviews", "get"),
        ("/products/{product_id}/reviews", "post"),
        ("/products/{product_id}/reviews/{ts}", "delete"),
        ("/test-errors/{kind}", "get"),
    }


async def test_openapi_responses_are_the_documents(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()

    def ref(path: str, method: str, status: str) -> str:
        content = spec["paths"][path][method]["responses"][status]["content"]
        schema = content["application/json"]["schema"]
        return str(schema.get("$ref") or schema["items"]["$ref"])

    assert ref("/products/{product_id}", "get", "200").endswith("/Product")
    assert ref("/products", "get", "200").endswith("/ProductPage")
    assert ref("/products", "get", "400").endswith("/ErrorBody")
    assert ref("/products", "post", "201").endswith("/Product")
    assert ref("/products/{product_id}/reviews", "post", "201").endswith("/Review")
    assert ref("/products/{product_id}/reviews", "get", "200").endswith("/ReviewPage")
    assert ref("/products/{product_id}", "get", "404").endswith("/ErrorBody")
    assert ref("/products", "post", "409").endswith("/ErrorBody")
    body = spec["paths"]["/products"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/ProductCreate")
    page = spec["components"]["schemas"]["ReviewPage"]["properties"]
    assert set(page) == {"items", "next_page_token"}
    products = spec["components"]["schemas"]["ProductPage"]["properties"]
    assert set(products) == {"items", "next_page_token"}
    assert products["items"]["items"]["$ref"].endswith("/Product")
    parameters = {p["name"] for p in spec["paths"]["/products"]["get"]["parameters"]}
    assert parameters == {"category", "brand", "page_size", "page_token"}


async def test_response_schemas_mark_what_every_response_has(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    assert {"id", "created_at"} <= set(schemas["Product"]["required"])
    assert {"id", "created_at", "product_id"} <= set(schemas["Review"]["required"])
    assert "id" not in schemas["ProductCreate"].get("required", [])


@pytest.mark.parametrize("number", ["1e400", "-1e400"])
async def test_an_infinite_number_is_a_422_not_a_500(
    client: httpx.AsyncClient, number: str
) -> None:
    body = '{"name": "n", "brand": "b", "category": "c", "price": ' + number + "}"
    response = await client.post(
        "/products", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "price"]
    assert error["input"] in ("inf", "-inf")


async def test_docs_page_loads_nothing_from_another_host(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "//" not in docs.text.replace("window.location.origin", "")  # no http(s)://, no //cdn
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert len(assets) == 3  # the script, the stylesheet and the icon
    for url in assets:
        assert url.startswith("/docs-assets/"), url
        served = await client.get(url)
        assert served.status_code == 200, url
        assert served.content, url
    assert (await client.get("/openapi.json")).status_code == 200
    assert (await client.get("/docs/oauth2-redirect")).status_code == 200
    assert (await client.get("/redoc")).status_code == 404  # ReDoc would load from a CDN


async def test_docs_and_index(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    index = await client.get("/")
    assert index.json()["docs"] == "/docs"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/products", {"brand": "b", "category": "c", "price": 1}),
        ("POST", "/products", {"name": "n", "brand": "b", "category": "c", "price": -1}),
        ("POST", "/products", {"name": "n", "brand": "b", "category": "c", "price": 1, "x": 1}),
        ("POST", "/products", {"name": "n", "brand": "b", "category": "c", "price": 1, "id": 7}),
        ("GET", "/products/not-a-uuid", None),
        ("GET", "/products?page_size=0", None),
        ("GET", "/products?page_size=1001", None),
        ("PUT", f"/products/{uuid4()}", {"name": None}),
        ("PUT", f"/products/{uuid4()}", {"id": str(uuid4())}),
        ("DELETE", "/products/123", None),
        ("GET", f"/products/{uuid4()}/reviews?page_size=0", None),
        ("GET", f"/products/{uuid4()}/reviews?page_size=101", None),
        ("POST", f"/products/{uuid4()}/reviews", {"author": "ana", "rating": 6}),
        ("POST", f"/products/{uuid4()}/reviews", {"author": "", "rating": 3}),
        ("POST", f"/products/{uuid4()}/reviews", {"author": "a", "rating": 3, "product_id": 1}),
        ("DELETE", f"/products/{uuid4()}/reviews/yesterday", None),
    ],
)
async def test_invalid_requests_are_422(
    client: httpx.AsyncClient, method: str, path: str, body: object
) -> None:
    response = await client.request(method, path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "empty"),
        ("%%%", "URL-safe base64"),
        ("AAoACAAAAaIWzoTB8H____3wf____Q", "does not belong to this query"),
    ],
)
async def test_bad_page_token_is_400_before_the_database(
    client: httpx.AsyncClient, token: str, message: str
) -> None:
    response = await client.get(f"/products/{uuid4()}/reviews", params={"page_token": token})
    assert response.status_code == 400
    assert message in response.json()["detail"]
    listing = await client.get("/products", params={"category": "c", "page_token": token})
    assert listing.status_code == 400
    assert message in listing.json()["detail"]


@pytest.mark.parametrize(
    ("kind", "status"),
    [("not-found", 404), ("multiple", 409), ("not-applied", 409), ("invalid-query", 400)],
)
async def test_coodie_errors_map_to_statuses(
    client: httpx.AsyncClient, kind: str, status: int
) -> None:
    response = await client.get(f"/test-errors/{kind}")
    assert response.status_code == status
    assert response.json()["detail"]
