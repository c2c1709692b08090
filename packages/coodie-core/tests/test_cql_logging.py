"""The coodie.cql logger, QuerySet.cql(), and OpenTelemetry spans, on a RecordingDriver."""

from __future__ import annotations

import logging
import sys
import uuid
from typing import TYPE_CHECKING, Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from coodie import connections
from coodie.drivers import ResultPage
from coodie.drivers.observe import ObserveOptions, observe, take_observe_options
from coodie.drivers.statement_info import statement_info
from coodie.exceptions import ConfigurationError, DriverError, InvalidQueryError
from coodie.testing import RecordingDriver

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .conftest import Api


def memory_exporter() -> InMemorySpanExporter:
    """An in-memory exporter on the process's SDK tracer provider (set once per process)."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


_EXPORTER = memory_exporter()


def observed(options: ObserveOptions) -> Iterator[RecordingDriver]:
    previous = connections.unregister_driver()
    recording = RecordingDriver()
    connections.register_driver(recording, observing=options)
    yield recording
    connections.unregister_driver()
    if previous is not None:
        connections.register_driver(previous)


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> Iterator[RecordingDriver]:
    caplog.set_level(logging.DEBUG, logger="coodie.cql")
    yield from observed(ObserveOptions())


@pytest.fixture
def traced() -> Iterator[RecordingDriver]:
    _EXPORTER.clear()
    yield from observed(ObserveOptions(tracing=True, log_cql=False))


def records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "coodie.cql"]


async def test_every_statement_is_logged_with_values_driver_and_rows(
    api: Api, logged: RecordingDriver, caplog: pytest.LogCaptureFixture
) -> None:
    pid = uuid.uuid4()
    await api(api.m.Product.insert_many([api.m.Product(id=uuid.uuid4(), name="a")] * 3))
    logged.queue_rows(["id", "name"], [(pid, "x")])
    await api(api.m.Product.find(id=pid).consistency("QUORUM").all())
    got = records(caplog)
    assert len(got) == 4
    assert [r.cql.split()[0] for r in got] == ["INSERT"] * 3 + ["SELECT"]  # type: ignore[attr-defined]
    select = got[-1]
    assert select.levelno == logging.DEBUG
    assert select.cql_values == [repr(pid)]  # type: ignore[attr-defined]
    assert select.driver == "recording"  # type: ignore[attr-defined]
    assert select.consistency == "QUORUM"  # type: ignore[attr-defined]
    assert select.rows == 1  # type: ignore[attr-defined]
    assert select.duration_ms >= 0  # type: ignore[attr-defined]
    assert "<unset>" in got[0].getMessage()  # description None is sent unset
    assert "1 rows" in select.getMessage()


async def test_batches_pages_and_failures_are_logged(
    api: Api, logged: RecordingDriver, caplog: pytest.LogCaptureFixture
) -> None:
    async with api.batch() as batch:
        batch.save(api.m.Product(id=uuid.uuid4(), name="a"))
        batch.save(api.m.Product(id=uuid.uuid4(), name="b"))
    logged.queue(ResultPage(["id", "name"], [], b"more"), ResultPage(["id", "name"], []))
    await api(api.m.Product.find(category="x").all())
    got = records(caplog)
    assert got[0].cql.startswith("BEGIN BATCH INSERT")  # type: ignore[attr-defined]
    assert len(got[0].cql_values) == 2  # type: ignore[attr-defined]
    assert len(got) == 3
    assert "(a further page)" not in got[1].getMessage()
    assert "(a further page)" in got[2].getMessage()
    logged.responder = lambda statement: (_ for _ in ()).throw(DriverError("boom"))
    with pytest.raises(DriverError):
        await api(api.m.Product.find(id=uuid.uuid4()).all())
    assert "failed: DriverError" in records(caplog)[-1].getMessage()


async def test_values_can_be_redacted(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="coodie.cql")
    for _ in observed(ObserveOptions(log_values=False)):
        await api(api.m.Product(id=uuid.uuid4(), name="secret").save())
    (record,) = records(caplog)
    assert record.cql_values == "<redacted>"  # type: ignore[attr-defined]
    assert "secret" not in record.getMessage()


def test_nothing_is_installed_while_nobody_listens() -> None:
    driver = RecordingDriver()
    assert not logging.getLogger("coodie.cql").isEnabledFor(logging.DEBUG)
    assert observe(driver) is False
    assert "execute" not in vars(driver)  # the class's methods, untouched: no cost
    assert observe(driver, ObserveOptions(log_cql=True)) is True
    assert observe(driver, ObserveOptions(log_cql=True)) is False  # once per driver


def test_observe_options_are_checked() -> None:
    options: dict[str, Any] = {"log_values": False, "tracing": True, "port": 1}
    assert take_observe_options(options) == ObserveOptions(log_values=False, tracing=True)
    assert options == {"port": 1}
    with pytest.raises(ConfigurationError, match=r"tracing='yes'.*True or False"):
        take_observe_options({"tracing": "yes"})


def test_statement_info_reads_operation_keyspace_and_table() -> None:
    assert statement_info("SELECT a FROM ks.t WHERE a = ?") == ("SELECT", "ks", "t")
    assert statement_info('INSERT INTO "Ks"."T" (a) VALUES (?)') == ("INSERT", "Ks", "T")
    assert statement_info("UPDATE t SET a = ?") == ("UPDATE", None, "t")
    assert statement_info("DELETE FROM ks.t WHERE a = ?") == ("DELETE", "ks", "t")
    assert statement_info("CREATE TABLE IF NOT EXISTS ks.t (a int)")[1:] == ("ks", "t")
    assert statement_info("USE ks") == ("USE", None, None)


async def test_queryset_cql_returns_the_statement_without_sending(
    api: Api, driver: RecordingDriver
) -> None:
    pid = uuid.uuid4()
    query = api.m.Product.find(id=pid).limit(5)
    select = query.cql()
    assert select.cql.startswith("SELECT ")
    assert "WHERE id = ?" in select.cql
    assert next(iter(select.values)) == pid
    assert query.cql("count").cql.startswith("SELECT COUNT(*)")
    assert api.m.Product.find(id=pid).cql("delete").cql.startswith("DELETE FROM ")
    assert driver.statements == []
    await api(query.all())
    assert driver.last.cql == select.cql
    with pytest.raises(InvalidQueryError, match="'select'"):
        query.cql("drop")  # type: ignore[arg-type]


async def test_one_client_span_per_statement(api: Api, traced: RecordingDriver) -> None:
    pid = uuid.uuid4()
    traced.queue_rows(["id", "name"], [(pid, "x")])
    await api(api.m.Product.find(id=pid).consistency("LOCAL_QUORUM").all())
    await api(api.m.Product.insert_many([api.m.Product(id=uuid.uuid4(), name="a")] * 2))
    spans = _EXPORTER.get_finished_spans()
    assert len(spans) == 3
    select = spans[0]
    assert select.kind is trace.SpanKind.CLIENT
    assert select.name == f"SELECT {api.m.Product.coodie_schema().table}"
    attributes = dict(select.attributes or {})
    assert attributes["db.system.name"] == "cassandra"
    assert attributes["db.operation.name"] == "SELECT"
    assert attributes["db.collection.name"] == api.m.Product.coodie_schema().table
    assert attributes["db.namespace"] == "test"
    assert attributes["db.query.text"].startswith("SELECT ")  # type: ignore[union-attr]
    assert attributes["db.response.returned_rows"] == 1
    assert attributes["cassandra.consistency.level"] == "local_quorum"
    assert [s.attributes["db.operation.name"] for s in spans[1:]] == ["INSERT", "INSERT"]  # type: ignore[index]


async def test_a_failed_statement_records_the_error(api: Api, traced: RecordingDriver) -> None:
    traced.responder = lambda statement: (_ for _ in ()).throw(DriverError("boom"))
    with pytest.raises(DriverError):
        await api(api.m.Product(id=uuid.uuid4(), name="a").save())
    (span,) = _EXPORTER.get_finished_spans()
    assert span.status.status_code is trace.StatusCode.ERROR
    assert span.attributes["error.type"] == "coodie.exceptions.DriverError"  # type: ignore[index]
    assert [event.name for event in span.events] == ["exception"]


def test_query_text_can_be_left_out() -> None:
    _EXPORTER.clear()
    driver = RecordingDriver()
    observe(driver, ObserveOptions(tracing=True, trace_query_text=False))
    from coodie.drivers import Statement

    driver.execute(Statement("SELECT * FROM system.local"))
    (span,) = _EXPORTER.get_finished_spans()
    assert "db.query.text" not in (span.attributes or {})
    assert span.attributes["db.namespace"] == "system"  # type: ignore[index]


def test_tracing_without_opentelemetry_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry", None)  # as if not installed
    with pytest.raises(ConfigurationError, match=r'pip install "coodie\[otel\]"'):
        observe(RecordingDriver(), ObserveOptions(tracing=True))


def test_a_driver_without_instance_dict_is_left_alone(caplog: pytest.LogCaptureFixture) -> None:
    class Slotted(RecordingDriver):
        __slots__ = ()

    class Bare:
        __slots__ = ("name", "unset_value")

    assert observe(Slotted(), ObserveOptions(log_cql=True)) is True  # inherits a __dict__
    bare: Any = Bare()
    assert observe(bare, ObserveOptions(log_cql=True)) is False
    assert "no instance __dict__" in caplog.text
