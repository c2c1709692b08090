"""Models, request bodies and the sample data (no database)."""

import datetime as dt
from uuid import UUID

import pytest
from pydantic import ValidationError

from coodie_demo.models import (
    Product,
    ProductCreate,
    ProductFields,
    ProductUpdate,
    Review,
    ReviewCreate,
    now_ms,
    to_stored_timestamp,
)
from coodie_demo.seed import sample_products, sample_reviews

VALID = {"name": "Kettle", "brand": "Brewline", "category": "coffee", "price": 10.0}


def test_request_bodies_share_the_document_fields() -> None:
    assert issubclass(Product, ProductFields)
    assert issubclass(ProductCreate, ProductFields)
    assert set(ProductFields.model_fields) <= set(Product.model_fields)
    assert set(ProductUpdate.model_fields) == set(ProductFields.model_fields)
    assert set(ReviewCreate.model_fields) < set(Review.model_fields)


def test_product_schema() -> None:
    schema = Product.coodie_schema()
    assert schema.table == "products"
    assert [c.name for c in schema.partition_keys] == ["id"]
    assert {c.name for c in schema.columns if c.indexed} == {"brand", "category"}


def test_review_schema() -> None:
    schema = Review.coodie_schema()
    assert schema.table == "reviews"
    assert [c.name for c in schema.partition_keys] == ["product_id"]
    assert [(c.name, c.clustering_order) for c in schema.clustering_keys] == [
        ("created_at", "DESC")
    ]
    assert {c.name for c in schema.columns if c.indexed} == {"rating"}


def test_product_defaults() -> None:
    product = Product(**VALID)
    assert isinstance(product.id, UUID)
    assert product.created_at.tzinfo is None
    assert product.created_at.microsecond % 1000 == 0
    assert product.tags == []
    assert product.description is None


@pytest.mark.parametrize(
    "change",
    [
        {"name": ""},
        {"price": -1},
        {"price": float("inf")},
        {"price": "cheap"},
        {"tags": [""]},
        {"tags": ["x"] * 21},
        {"brand": "b" * 101},
        {"unknown": 1},
    ],
)
def test_product_create_rejects(change: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ProductCreate.model_validate({**VALID, **change})


def test_product_update_keeps_only_what_was_sent() -> None:
    assert ProductUpdate().changes() == {}
    assert ProductUpdate.model_validate({"price": 3}).changes() == {"price": 3.0}
    assert ProductUpdate.model_validate({"description": None}).changes() == {"description": None}


@pytest.mark.parametrize("name", ["name", "brand", "category", "price", "tags"])
def test_product_update_rejects_null_for_required_fields(name: str) -> None:
    with pytest.raises(ValidationError, match=f"{name} cannot be null"):
        ProductUpdate.model_validate({name: None})


def test_product_update_rejects_unknown_fields_and_the_key() -> None:
    with pytest.raises(ValidationError):
        ProductUpdate.model_validate({"id": "3f1d8c5e-0000-4000-8000-000000000000"})
    with pytest.raises(ValidationError):
        ProductUpdate.model_validate({"colour": "red"})


@pytest.mark.parametrize("rating", [0, 6, "five"])
def test_review_rating_is_1_to_5(rating: object) -> None:
    with pytest.raises(ValidationError):
        ReviewCreate.model_validate({"author": "ana", "rating": rating})


def test_to_stored_timestamp() -> None:
    aware = dt.datetime(2026, 3, 1, 14, 30, 0, 250_999, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert to_stored_timestamp(aware) == dt.datetime(2026, 3, 1, 12, 30, 0, 250_000)
    naive = dt.datetime(2026, 3, 1, 12, 30, 0, 999)
    assert to_stored_timestamp(naive) == dt.datetime(2026, 3, 1, 12, 30)


def test_now_ms_is_naive_utc_milliseconds() -> None:
    now = now_ms()
    assert now.tzinfo is None
    assert now.microsecond % 1000 == 0
    utc = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    assert abs(utc - now) < dt.timedelta(seconds=5)


def test_sample_data_is_valid_and_deterministic() -> None:
    products = sample_products()
    assert products == sample_products()
    assert len({p.id for p in products}) == len(products) == 12
    assert {p.category for p in products} == {"coffee", "audio", "outdoor", "computers"}
    reviews = sample_reviews(products)
    assert reviews == sample_reviews(products)
    keys = {(r.product_id, r.created_at) for r in reviews}
    assert len(keys) == len(reviews)
    assert {r.product_id for r in reviews} == {p.id for p in products}
    assert {r.rating for r in reviews} == {1, 2, 3, 4, 5}
