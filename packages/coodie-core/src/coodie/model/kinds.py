"""Which kind of table model a Document class is (plain table, materialized view, member of a
polymorphic hierarchy), and its schema adjusted for that kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.exceptions import SchemaError
from coodie.model.polymorphic import hierarchy_of, polymorphic_schema
from coodie.model.views import view_schema

if TYPE_CHECKING:
    from pydantic import BaseModel

    from coodie.model.schema import TableSchema

__all__ = ["is_view", "schema_of_kind"]


def is_view(model: type) -> bool:
    """Whether ``model`` is a materialized view class."""
    return bool(getattr(model, "__coodie_view__", False))


def schema_of_kind(model: type[BaseModel], schema: TableSchema) -> TableSchema:
    """``schema`` (from the class's own fields) completed by what its kind adds."""
    if is_view(model):
        if hierarchy_of(model) is not None:
            raise SchemaError(f"{model.__name__}: a materialized view cannot be polymorphic.")
        return view_schema(model, schema)
    if getattr(getattr(model, "Settings", None), "base", None) is not None:
        raise SchemaError(
            f"{model.__name__}: Settings.base declares a materialized view; subclass "
            "MaterializedView (from coodie.aio or coodie.sync) instead of Document."
        )
    return polymorphic_schema(model, schema)
