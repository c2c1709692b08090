"""The coodie.cql logger and OpenTelemetry spans against the real node, both drivers, both APIs."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Annotated

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from coodie.exceptions import ConditionalWriteFailed
from coodie.fields import PrimaryKey

if TYPE_CHECKING:
    from .conftest import Api

pytestmark = pytest.mark.integration
KEYSPACE = "it_observe"


def memory_exporter() -> InMemorySpanExporter:
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


EXPORTER = memory_exporter()


async def test_statements_are_logged_and_traced(
    api: Api, coodie_contact_points: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="coodie.cql")
    name = f"it-observe-{api.driver_type}-{api.kind}"
    init = api.module.init_coodie(
        hosts=coodie_contact_points, driver_type=api.driver_type, name=name, tracing=True
    )
    await api(init)
    try:
        await api(api.module.create_keyspace(KEYSPACE, connection=name))

        class Item(api.Document):
            id: Annotated[uuid.UUID, PrimaryKey()]
            label: str = ""

            Settings = type(
                "Settings",
                (),
                {"keyspace": KEYSPACE, "connection": name, "table": api.table("items")},
            )

        await api(Item.sync_table())
        EXPORTER.clear()
        caplog.clear()
        items = [Item(id=uuid.uuid4(), label=str(i)) for i in range(5)]
        await api(Item.insert_many(items, concurrency=4))  # 5 statements
        rows = await api(Item.find().fetch_size(2).all())  # 3 pages
        assert len(rows) == 5
        batch = api.BatchQuery()
        batch.save(Item(id=uuid.uuid4()))
        await api(batch.execute())
        with pytest.raises(ConditionalWriteFailed):
            await api(items[0].insert())  # LWT, not applied
        logged = [r for r in caplog.records if r.name == "coodie.cql"]
        operations = [r.cql.split()[0] for r in logged]  # type: ignore[attr-defined]
        assert operations == ["INSERT"] * 5 + ["SELECT"] * 3 + ["BEGIN", "INSERT"]
        assert {r.driver for r in logged} == {api.driver_type}  # type: ignore[attr-defined]
        assert [r.rows for r in logged[5:8]] == [2, 2, 1]  # type: ignore[attr-defined]
        spans = EXPORTER.get_finished_spans()
        assert [s.attributes["db.operation.name"] for s in spans] == [  # type: ignore[index]
            *["INSERT"] * 5,
            *["SELECT"] * 3,
            "BATCH",
            "INSERT",
        ]
        table = Item.coodie_schema().table
        for span in spans:
            attributes = dict(span.attributes or {})
            assert attributes["db.system.name"] == "cassandra"
            assert attributes["db.namespace"] == KEYSPACE
            assert attributes["db.collection.name"] == table
            assert span.kind is trace.SpanKind.CLIENT
        await api(Item.drop_table())
    finally:
        await api(api.module.close_coodie(name))
