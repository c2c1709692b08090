"""The Product Catalog API: FastAPI routes on coodie's asyncio API.

Build it with :func:`create_app` (``uvicorn --factory coodie_demo.app:create_app`` reads the
settings from the environment).
"""

import datetime as dt
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import metadata
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, HTTPException, Path, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from coodie import (
    ConditionalWriteFailed,
    DocumentNotFound,
    InvalidPageToken,
    InvalidQueryError,
    MultipleDocumentsFound,
)
from coodie_demo.db import close_catalog, open_catalog
from coodie_demo.models import (
    Product,
    ProductCreate,
    ProductPage,
    ProductUpdate,
    Review,
    ReviewCreate,
    ReviewPage,
    now_ms,
    to_stored_timestamp,
)
from coodie_demo.settings import DemoSettings
from coodie_demo.swagger import add_local_swagger_ui
from coodie_demo.tokens import page_token_detail

__all__ = ["ErrorBody", "create_app", "router"]

#: How often POST /reviews moves created_at one millisecond on when another review of the
#: same product already has that timestamp.
_REVIEW_INSERT_ATTEMPTS = 5


class ErrorBody(BaseModel):
    """What every error except 422 looks like."""

    detail: str


_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such product (or review)."}
}
_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "The id is already taken."}
}
_BAD_TOKEN: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "page_token is not one this API handed out."}
}

router = APIRouter(prefix="/products", tags=["products"])


async def _product_or_404(product_id: UUID) -> Product:
    try:
        return await Product.get(id=product_id)
    except DocumentNotFound:
        raise HTTPException(404, f"Product {product_id} does not exist.") from None


@router.get("", summary="List products", responses=_BAD_TOKEN)
async def list_products(
    category: Annotated[str | None, Query(description="Only this category.")] = None,
    brand: Annotated[str | None, Query(description="Only this brand.")] = None,
    page_size: Annotated[int, Query(ge=1, le=1000, description="Products per page.")] = 100,
    page_token: Annotated[
        str | None,
        Query(description="next_page_token of the previous page; leave out for the first."),
    ] = None,
) -> ProductPage:
    """Products, filtered by category and/or brand (both have secondary indexes), one page
    at a time (coodie's signed page tokens).

    The order is the table's: every product is its own partition, so Cassandra returns them
    by the token of their id (its partitioner's hash). That order is the same on every
    call and every page, but follows neither name nor date.
    """
    query = Product.find()
    if category is not None:
        query = query.filter(category=category)
    if brand is not None:
        query = query.filter(brand=brand)
    if category is not None and brand is not None:
        query = query.allow_filtering()  # two indexed columns: Cassandra intersects them
    try:
        page = await query.page(token=page_token, page_size=page_size)
    except InvalidPageToken as error:
        raise HTTPException(400, page_token_detail(error, "category/brand filter")) from None
    return ProductPage(items=page.items, next_page_token=page.next_token)


@router.post("", status_code=201, summary="Add a product", responses=_CONFLICT)
async def create_product(body: ProductCreate, response: Response) -> Product:
    """Add a product (INSERT ... IF NOT EXISTS, so an id that is in use gives 409)."""
    fields = body.model_dump(exclude={"id"})
    product = Product(**fields) if body.id is None else Product(id=body.id, **fields)
    try:
        await product.insert()
    except ConditionalWriteFailed:
        raise HTTPException(409, f"Product {product.id} already exists.") from None
    response.headers["Location"] = f"/products/{product.id}"
    return product


@router.get("/{product_id}", summary="Get a product", responses=_NOT_FOUND)
async def get_product(product_id: UUID) -> Product:
    return await _product_or_404(product_id)


@router.put("/{product_id}", summary="Change a product", responses=_NOT_FOUND)
async def update_product(product_id: UUID, body: ProductUpdate) -> Product:
    """Partial update: only the fields in the body change (``description: null`` removes
    the description)."""
    product = await _product_or_404(product_id)
    changes = body.changes()
    if changes:
        await product.update(**changes)
    return product


@router.delete("/{product_id}", status_code=204, summary="Delete a product", responses=_NOT_FOUND)
async def delete_product(product_id: UUID) -> None:
    """Delete the product and all its reviews."""
    product = await _product_or_404(product_id)
    await Review.find(product_id=product_id).delete()
    await product.delete()


@router.get(
    "/{product_id}/reviews",
    summary="List a product's reviews",
    responses={**_NOT_FOUND, **_BAD_TOKEN},
)
async def list_reviews(
    product_id: UUID,
    page_size: Annotated[int, Query(ge=1, le=100, description="Reviews per page.")] = 10,
    page_token: Annotated[
        str | None,
        Query(description="next_page_token of the previous page; leave out for the first."),
    ] = None,
) -> ReviewPage:
    """Reviews newest first, one page at a time (coodie's signed page tokens)."""
    query = Review.find(product_id=product_id).order_by("-created_at")
    try:
        # First, so that a bad token is a 400 before anything reaches the database.
        page = await query.page(token=page_token, page_size=page_size)
    except InvalidPageToken as error:
        raise HTTPException(400, page_token_detail(error, "product")) from None
    await _product_or_404(product_id)
    return ReviewPage(items=page.items, next_page_token=page.next_token)


@router.post(
    "/{product_id}/reviews",
    status_code=201,
    summary="Review a product",
    responses=_NOT_FOUND,
)
async def create_review(product_id: UUID, body: ReviewCreate) -> Review:
    """Add a review, timestamped now (INSERT ... IF NOT EXISTS: two reviews written in the
    same millisecond never overwrite each other)."""
    await _product_or_404(product_id)
    review = Review(product_id=product_id, created_at=now_ms(), **body.model_dump())
    for attempt in range(_REVIEW_INSERT_ATTEMPTS):
        try:
            await review.insert()
            break
        except ConditionalWriteFailed:
            if attempt == _REVIEW_INSERT_ATTEMPTS - 1:
                raise
            review.created_at += dt.timedelta(milliseconds=1)
    return review


@router.delete(
    "/{product_id}/reviews/{ts}",
    status_code=204,
    summary="Delete a review",
    responses=_NOT_FOUND,
)
async def delete_review(
    product_id: UUID,
    ts: Annotated[
        dt.datetime,
        Path(
            description="The review's created_at as returned (ISO 8601; UTC unless it has "
            "an offset), e.g. 2026-03-01T12:30:00.250000.",
        ),
    ],
) -> None:
    created_at = to_stored_timestamp(ts)
    try:
        review = await Review.get(product_id=product_id, created_at=created_at)
    except DocumentNotFound:
        raise HTTPException(
            404, f"Product {product_id} has no review at {created_at.isoformat()}."
        ) from None
    await review.delete()


def _error(status: int, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status)


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    return _error(404, exc)


async def _conflict(request: Request, exc: Exception) -> JSONResponse:
    return _error(409, exc)


async def _bad_request(request: Request, exc: Exception) -> JSONResponse:
    return _error(400, exc)


def _json_safe(value: Any) -> Any:
    """``value`` with every non-finite float as text: JSON has no inf or nan, and a 422 body
    that echoes one (``{"price": 1e400}`` parses as inf) cannot be rendered otherwise."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return value


async def _unprocessable(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = _json_safe(jsonable_encoder(exc.errors()))
    return JSONResponse({"detail": detail}, status_code=422)


def create_app(settings: DemoSettings | None = None) -> FastAPI:
    """The API for ``settings`` (default: :meth:`DemoSettings.from_env`); the database is
    connected when the app starts (its lifespan) and closed when it stops."""
    settings = settings or DemoSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await open_catalog(settings)
        try:
            yield
        finally:
            await close_catalog()

    app = FastAPI(
        title="coodie Product Catalog",
        version=metadata.version("coodie-demo"),
        summary="Products and their reviews in Apache Cassandra / ScyllaDB, through coodie.",
        lifespan=lifespan,
        # FastAPI's own /docs and /redoc load their scripts from a CDN: see coodie_demo.swagger.
        docs_url=None,
        redoc_url=None,
    )
    add_local_swagger_ui(app)
    app.state.settings = settings
    app.include_router(router)
    app.add_exception_handler(DocumentNotFound, _not_found)
    app.add_exception_handler(MultipleDocumentsFound, _conflict)
    app.add_exception_handler(ConditionalWriteFailed, _conflict)
    app.add_exception_handler(InvalidQueryError, _bad_request)
    app.add_exception_handler(RequestValidationError, _unprocessable)

    @app.get("/", include_in_schema=False)
    async def index() -> dict[str, str]:
        return {"name": app.title, "docs": "/docs", "openapi": "/openapi.json"}

    return app
