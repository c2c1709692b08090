"""Sample data for the catalog. Ids and timestamps are fixed, so seeding twice rewrites the
same rows instead of adding copies."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID, uuid5

from coodie_demo.db import close_catalog, open_catalog
from coodie_demo.models import Product, Review
from coodie_demo.settings import DemoSettings

__all__ = ["SeedReport", "sample_products", "sample_reviews", "seed"]

_NAMESPACE = UUID("9f3b5b52-0c1e-4c8e-9d0a-6a3f4f1c2d7e")
_FIRST_REVIEW = dt.datetime(2026, 1, 5, 9, 30)

# (name, brand, category, price, description, tags)
_PRODUCTS: tuple[tuple[str, str, str, float, str | None, tuple[str, ...]], ...] = (
    (
        "Barista Pro espresso machine",
        "Brewline",
        "coffee",
        549.0,
        "15-bar pump, steam wand and a built-in conical grinder.",
        ("espresso", "grinder"),
    ),
    (
        "Pour-over kettle 1 l",
        "Brewline",
        "coffee",
        64.5,
        "Gooseneck spout, temperature hold.",
        ("kettle", "pour-over"),
    ),
    ("Burr grinder Mini", "Kaffa", "coffee", 129.0, None, ("grinder",)),
    (
        "Cold brew jar",
        "Kaffa",
        "coffee",
        29.9,
        "1.5 l glass jar with a stainless filter.",
        ("cold-brew",),
    ),
    (
        "Noise-cancelling headphones X2",
        "Sonora",
        "audio",
        299.0,
        "Over-ear, 30 h battery, multipoint Bluetooth.",
        ("wireless", "anc"),
    ),
    ("True wireless earbuds", "Sonora", "audio", 149.0, None, ("wireless",)),
    (
        "Bookshelf speakers (pair)",
        "Acoustica",
        "audio",
        389.0,
        "Two-way passive speakers, 5.25 in woofers.",
        ("hifi",),
    ),
    (
        "Trail running shoes",
        "Northpeak",
        "outdoor",
        135.0,
        "Grippy lugs, rock plate, 6 mm drop.",
        ("running", "trail"),
    ),
    (
        "Ultralight tent 2p",
        "Northpeak",
        "outdoor",
        420.0,
        "1.3 kg, freestanding, two doors.",
        ("camping",),
    ),
    ("Headlamp 400 lm", "Lumo", "outdoor", 45.0, None, ("camping", "light")),
    (
        "Mechanical keyboard 75%",
        "Keyforge",
        "computers",
        179.0,
        "Hot-swappable switches, aluminium case.",
        ("keyboard",),
    ),
    (
        "27 in 4K monitor",
        "Pixelon",
        "computers",
        459.0,
        "IPS, USB-C with 90 W power delivery.",
        ("monitor", "usb-c"),
    ),
)

_AUTHORS = ("ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana")
_COMMENTS = {
    5: ("Excellent, would buy again.", "Exactly as described.", None),
    4: ("Very good, one small gripe.", "Solid for the price.", None),
    3: ("Does the job.", "Average; the manual is poor.", None),
    2: ("Disappointing build quality.", None),
    1: ("Broke after a week.", None),
}


def sample_products() -> list[Product]:
    products = []
    for index, (name, brand, category, price, description, tags) in enumerate(_PRODUCTS):
        products.append(
            Product(
                id=uuid5(_NAMESPACE, name),
                name=name,
                brand=brand,
                category=category,
                price=price,
                description=description,
                tags=list(tags),
                created_at=dt.datetime(2025, 12, 1) + dt.timedelta(hours=index),
            )
        )
    return products


def sample_reviews(products: list[Product]) -> list[Review]:
    """Between 3 and 14 reviews per product, a few hours apart, ratings in a fixed pattern."""
    reviews = []
    for p_index, product in enumerate(products):
        for r_index in range(3 + (p_index * 5) % 12):
            rating = 5 - (p_index + r_index * 3) % 5 if r_index % 4 else 5
            comments = _COMMENTS[rating]
            reviews.append(
                Review(
                    product_id=product.id,
                    created_at=_FIRST_REVIEW + dt.timedelta(days=p_index, hours=7 * r_index),
                    id=uuid5(_NAMESPACE, f"{product.id}/{r_index}"),
                    author=_AUTHORS[(p_index + r_index) % len(_AUTHORS)],
                    rating=rating,
                    content=comments[r_index % len(comments)],
                )
            )
    return reviews


@dataclass(frozen=True)
class SeedReport:
    keyspace: str
    products: int
    reviews: int
    ddl: list[str]


async def seed(settings: DemoSettings) -> SeedReport:
    """Create the schema if needed and write the sample products and reviews."""
    ddl = await open_catalog(settings)
    try:
        products = sample_products()
        reviews = sample_reviews(products)
        written_products = await Product.insert_many(products)
        written_reviews = await Review.insert_many(reviews)
    finally:
        await close_catalog()
    return SeedReport(settings.keyspace, written_products, written_reviews, ddl)
