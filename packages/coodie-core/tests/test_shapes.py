"""Statement shapes: one record is both the CQL text cache key and its renderer's input."""

import datetime as dt
import inspect
import itertools
from dataclasses import replace
from typing import Annotated, Any, get_args, get_type_hints
from uuid import UUID

import pytest

from coodie.fields import ClusteringKey, PrimaryKey, Static
from coodie.mapping import shapes
from coodie.mapping.shapes import (
    RENDERERS,
    CountShape,
    DeleteShape,
    InsertShape,
    SelectShape,
    Shape,
    UpdateShape,
    cql_text,
)
from coodie.model.schema import TableSchema
from coodie.sync import Document


class Visit(Document):
    site: Annotated[str, PrimaryKey()]
    at: Annotated[dt.datetime, ClusteringKey()]
    visitor: UUID
    owner: Annotated[str | None, Static()] = None
    pages: list[str] = []

    class Settings:
        keyspace = "web"


def fresh_schema() -> TableSchema:
    return replace(Visit.coodie_schema(), cql_cache={})


SHAPE_CLASSES = get_args(Shape)
BOOLS = (False, True)


def every_shape(schema: TableSchema) -> list[Any]:
    """Shapes of every kind over ``schema``, every field varied."""
    key = (("site", "eq"), ("at", "eq"))
    filters = ((), (("site", "eq"),), (("site", "in"),), (("site", "eq"), ("at", "gte")))
    ifs = ((), (("visitor", "eq"),), (("owner", "lt"), ("pages", "eq")))
    columns = (schema.column_names, ("site", "owner"))
    found: list[Any] = []
    for cols, *flags in itertools.product(columns, BOOLS, BOOLS, BOOLS):
        found.append(InsertShape("insert", schema, cols, *flags))
    assignments = ((("visitor", "set"),), (("pages", "add"),), (("pages", "prepend"),))
    for assign, ttl, ts, exists, cond in itertools.product(assignments, BOOLS, BOOLS, BOOLS, ifs):
        if not (exists and cond):  # IF EXISTS or conditions, not both (checked upstream)
            found.append(UpdateShape("update", schema, assign, ttl, ts, exists, cond))
    for cols, where, ts, exists, cond in itertools.product(
        ((), ("visitor",), ("visitor", "pages")), (key, (("site", "eq"),)), BOOLS, BOOLS, ifs
    ):
        if not (exists and cond):
            found.append(DeleteShape("delete", schema, cols, where, ts, exists, cond))
    orders = ((), (("at", False),), (("at", True),))
    for cols, conds, *flags, order, ppl, limit, allow in itertools.product(
        columns, filters, BOOLS, BOOLS, BOOLS, orders, BOOLS, BOOLS, BOOLS
    ):
        found.append(SelectShape("select", schema, cols, conds, *flags, order, ppl, limit, allow))
    for conds, *flags in itertools.product(filters, BOOLS, BOOLS, BOOLS):
        found.append(CountShape("count", schema, conds, *flags))
    return found


HINTS = {**vars(shapes), "TableSchema": TableSchema}  # shapes names it for type checking only


def test_every_renderer_takes_exactly_one_shape() -> None:
    kinds = {get_args(get_type_hints(cls, HINTS)["kind"])[0] for cls in SHAPE_CLASSES}
    assert set(RENDERERS) == kinds
    hints_by_kind = {}
    for kind, render in RENDERERS.items():
        parameters = list(inspect.signature(render).parameters.values())
        assert len(parameters) == 1, f"{render.__name__} takes more than the shape"
        hints_by_kind[kind] = get_type_hints(render, HINTS)[parameters[0].name]
    for cls in SHAPE_CLASSES:
        assert hints_by_kind[get_args(get_type_hints(cls, HINTS)["kind"])[0]] is cls


def test_the_cache_hands_its_renderer_nothing_but_the_shape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def spy(*args: Any, **kwargs: Any) -> str:
        calls.append((args, kwargs))
        return "CQL"

    monkeypatch.setitem(RENDERERS, "count", spy)
    shape = CountShape("count", fresh_schema(), (), False, False, True)
    assert cql_text(shape) == cql_text(shape) == "CQL"
    assert calls == [((shape,), {})]  # rendered once, from the shape alone


def test_two_different_shapes_never_share_cached_text() -> None:
    schema = fresh_schema()
    found = every_shape(schema)
    assert len(set(found)) == len(found)
    texts = [cql_text(shape) for shape in found]
    assert len(set(texts)) == len(found)
    assert len(schema.cql_cache) == len(found)
    # An equal shape built again is a cache hit with the same text.
    again = [cql_text(type(shape)(*shape)) for shape in found]
    assert all(a is b for a, b in zip(again, texts, strict=True))
    assert len(schema.cql_cache) == len(found)


def test_shapes_of_different_kinds_with_equal_fields_stay_apart() -> None:
    schema = fresh_schema()
    count = CountShape("count", schema, (), False, False, False)
    insert = InsertShape("insert", schema, (), False, False, False)  # same field values
    assert count != insert
    assert cql_text(count) != cql_text(insert)


def test_shapes_are_frozen_and_hashable() -> None:
    shape = SelectShape(
        "select", fresh_schema(), ("site",), (), False, False, False, (), False, True, False
    )
    assert hash(shape) == hash(SelectShape(*shape))
    with pytest.raises(AttributeError):
        shape.limit = False  # type: ignore[misc]


def test_conditions_and_if_exists_together_are_refused_by_the_renderer() -> None:
    shape = UpdateShape(
        "update", fresh_schema(), (("visitor", "set"),), False, False, True, (("owner", "eq"),)
    )
    with pytest.raises(ValueError, match="not both"):
        cql_text(shape)
