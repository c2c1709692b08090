"""The catalog's tables (coodie Documents) and the request bodies derived from them.

Responses are the Documents themselves. Request bodies share the Documents' field
declarations: ``Product`` and ``ProductCreate`` both inherit ``ProductFields``, ``Review`` and
``ReviewCreate`` both inherit ``ReviewFields``; ``ProductUpdate`` reuses the same constrained
types with every field optional.
"""

import datetime as dt
from typing import Annotated, Any
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coodie import ClusteringKey, Indexed, PrimaryKey
from coodie.aio import Document

__all__ = [
    "Product",
    "ProductCreate",
    "ProductFields",
    "ProductPage",
    "ProductUpdate",
    "Review",
    "ReviewCreate",
    "ReviewFields",
    "ReviewPage",
    "now_ms",
    "to_stored_timestamp",
]

# Constrained field types, shared by the stored models and the request bodies.
Name = Annotated[str, Field(min_length=1, max_length=200, examples=["Espresso machine"])]
Label = Annotated[str, Field(min_length=1, max_length=100)]
Price = Annotated[float, Field(ge=0, allow_inf_nan=False, examples=[249.0])]
Description = Annotated[str, Field(max_length=5000)]
Tag = Annotated[str, Field(min_length=1, max_length=50)]
Author = Annotated[str, Field(min_length=1, max_length=100, examples=["ana"])]
Rating = Annotated[int, Field(ge=1, le=5, examples=[5])]
Content = Annotated[str, Field(max_length=5000)]


def to_stored_timestamp(value: dt.datetime) -> dt.datetime:
    """``value`` as Cassandra returns timestamps: naive UTC, millisecond precision."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def now_ms() -> dt.datetime:
    """The current time as it will read back from the database."""
    return to_stored_timestamp(dt.datetime.now(dt.timezone.utc))


class ProductFields(BaseModel):
    """What describes a product; sent by clients and stored as is."""

    name: Name
    brand: Annotated[Label, Indexed()]
    category: Annotated[Label, Indexed()]
    price: Price
    description: Description | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=20)


class Product(ProductFields, Document):
    """A catalog entry (table ``products``); ``brand`` and ``category`` have secondary
    indexes, so ``GET /products?category=...`` needs no full scan."""

    # Every response carries id and created_at: say so in the OpenAPI response schema
    # (fields with a default are otherwise optional there, as they are in a request).
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    id: Annotated[UUID, PrimaryKey()] = Field(default_factory=uuid4)
    created_at: dt.datetime = Field(
        default_factory=now_ms, description="When the product was added (UTC)."
    )

    class Settings:
        name = "products"


class ProductCreate(ProductFields):
    """Body of ``POST /products``: the product's fields, and optionally its id."""

    model_config = ConfigDict(extra="forbid")

    id: UUID | None = Field(
        default=None, description="Leave out to get a new random id; an id in use gives 409."
    )


#: Fields of ProductFields that may not be set to null by an update.
_REQUIRED_ON_UPDATE = ("name", "brand", "category", "price", "tags")


class ProductUpdate(BaseModel):
    """Body of ``PUT /products/{id}``: only the fields sent are changed.

    ``description`` may be set to ``null`` to remove it; the other fields may not.
    """

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    brand: Label | None = None
    category: Label | None = None
    price: Price | None = None
    description: Description | None = None
    tags: list[Tag] | None = Field(default=None, max_length=20)

    @model_validator(mode="after")
    def _no_null_for_required(self) -> "ProductUpdate":
        sent = self.model_fields_set
        nulls = [f for f in _REQUIRED_ON_UPDATE if f in sent and getattr(self, f) is None]
        if nulls:
            raise ValueError(f"{', '.join(nulls)} cannot be null; leave a field out to keep it.")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, ready for ``Document.update``."""
        return self.model_dump(exclude_unset=True)


class ReviewFields(BaseModel):
    """What a reviewer writes."""

    author: Author
    rating: Annotated[Rating, Indexed()]
    content: Content | None = None


class Review(ReviewFields, Document):
    """A review of a product (table ``reviews``): one partition per product, newest first."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    product_id: Annotated[UUID, PrimaryKey()]
    created_at: Annotated[dt.datetime, ClusteringKey(order="DESC")] = Field(
        default_factory=now_ms,
        description="When the review was written (UTC); identifies it within the product.",
    )
    id: UUID = Field(default_factory=uuid4)

    class Settings:
        name = "reviews"


class ReviewCreate(ReviewFields):
    """Body of ``POST /products/{id}/reviews``."""

    model_config = ConfigDict(extra="forbid")


class ProductPage(BaseModel):
    """One page of products, in the table's order (by the token of their id)."""

    items: list[Product]
    next_page_token: str | None = Field(
        default=None,
        description="Pass as ?page_token= (with the same filters) to get the next page; "
        "null on the last page.",
    )


class ReviewPage(BaseModel):
    """One page of a product's reviews, newest first."""

    items: list[Review]
    next_page_token: str | None = Field(
        default=None,
        description="Pass as ?page_token= to get the next page; null on the last page.",
    )
