"""coodie-demo: a Product Catalog REST API built with FastAPI on coodie's asyncio API.

``python -m coodie_demo seed`` fills the catalog with sample data and
``python -m coodie_demo serve`` runs the API on http://127.0.0.1:8000 (OpenAPI UI at /docs).
"""

from coodie_demo.app import create_app
from coodie_demo.models import Product, ProductCreate, ProductUpdate, Review, ReviewCreate
from coodie_demo.settings import DemoSettings

__all__ = [
    "DemoSettings",
    "Product",
    "ProductCreate",
    "ProductUpdate",
    "Review",
    "ReviewCreate",
    "create_app",
]
