"""The null-driver rows for reading a vector column (imported by ``null_driver.py``).

The model is the benchmark's 9-column Product plus ``embedding: vector<float, 384>`` (384:
the dimension of common sentence-embedding models such as all-MiniLM-L6-v2), read 100 rows
at a time (PAGE_ROWS) and compared per row with the scalar "query, per row" row. Not 1,000
rows: a page of 1,000 holds 12 MB of floats, which the allocator hands back to the kernel and
maps in again between rounds; those page faults (hundreds to thousands a round, varying with
what ran before) cost more than coodie's code and made the row's ratio swing from 1.8x to
3.8x between runs. 100 rows (1.2 MB) stay in memory Python reuses: no faults. The rows are
compared with ``vector_base``: the same 9-column model without the embedding, read 100 rows
a query the same way, so both sides pay the same share of what a query costs beyond its rows
(at 1,000 rows a query, the scalar row pays a tenth of it). Two ways a driver hands the
vector over:

* ``vector``: a ``list`` of 384 floats, what cassandra-driver gives (no conversion needed);
* ``vector_bytes``: the serialized 1,536 bytes, what acsylla gives, turned into a list by the
  acsylla plugin's own decoder (``coodie_driver_acsylla.vectors``).
"""

from __future__ import annotations

# pydantic reads the model's annotations at runtime: these imports are needed there.
import sys
import time
from array import array
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, Annotated, Any

from coodie import connections
from coodie.drivers import ResultPage
from coodie.fields import Vector
from coodie.testing import RecordingDriver
from coodie_driver_acsylla.vectors import vector_decoder, vector_encoder

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.model.types import CqlType

DIMENSION = 384
#: Rows per vector query (see the module docstring).
PAGE_ROWS = 100
CONNECTIONS = {
    "vector_base": "bench-vector-base",
    "vector": "bench-vector",
    "vector_bytes": "bench-vector-bytes",
}


def make_model(product: type[Any], connection: str) -> type[Any]:
    """The benchmark's 9-column ``product`` model plus the embedding, on ``connection``."""
    bound_to = connection

    class VectorProduct(product):  # type: ignore[misc, valid-type]
        embedding: Annotated[list[float], Vector(DIMENSION)]

        class Settings:
            name = "bench_vector_product"
            keyspace = "bench"
            connection = bound_to

    return VectorProduct


def make_base_model(product: type[Any], connection: str) -> type[Any]:
    """``product`` itself (no embedding) on ``connection``: the vector rows' baseline."""
    bound_to = connection

    class PageProduct(product):  # type: ignore[misc, valid-type]
        class Settings:
            name = "bench_page_product"
            keyspace = "bench"
            connection = bound_to

    return PageProduct


class BytesVectorDriver(RecordingDriver):
    """The null driver with acsylla's vector codecs: vectors arrive and leave as bytes."""

    def decoder_for(self, cql_type: CqlType) -> Callable[[Any], Any] | None:
        if cql_type.name == "vector":
            return vector_decoder(cql_type)
        return super().decoder_for(cql_type)

    def encoder_for(self, cql_type: CqlType) -> Callable[[Any], Any] | None:
        if cql_type.name == "vector":
            return vector_encoder(cql_type)
        return super().encoder_for(cql_type)


def embedding(i: int) -> list[float]:
    """384 floats exactly representable in 32 bits (what a float column reads back)."""
    return [((i + j) % 97) / 64.0 for j in range(DIMENSION)]


#: The vector models by row name, made by install() from the benchmark's Product.
MODELS: dict[str, type[Any]] = {}


def install(product: type[Any], raw_rows: list[tuple[Any, ...]]) -> dict[str, ResultPage]:
    """Register the two null drivers; each answers the model's query with ``raw_rows``."""
    MODELS.update(
        {
            op: (make_base_model if op == "vector_base" else make_model)(product, name)
            for op, name in CONNECTIONS.items()
        }
    )
    pages: dict[str, ResultPage] = {}
    for op, name in CONNECTIONS.items():
        driver_cls = BytesVectorDriver if op == "vector_bytes" else RecordingDriver
        page_box: dict[str, ResultPage] = {}
        driver = driver_cls(
            keyspace="bench",
            record=False,
            responder=lambda statement, box=page_box: box.get("page"),
        )
        connections.register_driver(driver, name)
        model = MODELS[op]
        if op == "vector_base":
            rows = list(raw_rows)
        else:
            encode = vector_encoder(model.coodie_schema().by_name["embedding"].cql_type)
            rows = [
                (*row, encode(embedding(i)) if op == "vector_bytes" else embedding(i))
                for i, row in enumerate(raw_rows)
            ]
        page_box["page"] = pages[op] = ResultPage(model.coodie_schema().column_names, rows)
    return pages


def check(query_rows: int) -> None:
    """What the timed loops read is what the model declares."""
    for op, model in MODELS.items():
        rows = model.find(category="kitchen").all()
        assert len(rows) == query_rows, op
        assert type(rows[5].labels) is set, op
        if op != "vector_base":
            assert type(rows[5].embedding) is list, op
            assert rows[5].embedding == embedding(5), op


def sync_timers() -> dict[str, Callable[[int], int]]:
    sink: list[Any] = []

    def timer(model: type[Any]) -> Callable[[int], int]:
        def query(n: int) -> int:
            find = model.find
            t0 = time.perf_counter_ns()
            for _ in repeat(None, n):
                docs = find(category="kitchen").all()
            elapsed = time.perf_counter_ns() - t0
            # Kept until the next round, as the floor keeps its result: the allocator then
            # sees the same pattern on both sides (384 floats a row).
            sink[:] = [docs]
            return elapsed

        return query

    return {op: timer(model) for op, model in MODELS.items()}


def conversion_timers(pages: dict[str, ResultPage]) -> dict[str, Callable[[int], int]]:
    """The rows' conversion alone: each model's generated converter over its page, no query
    (what reading the columns costs, apart from building and sending the statement)."""
    sink: list[Any] = []

    def timer(model: type[Any], page: ResultPage) -> Callable[[int], int]:
        to_list = model._mapper().reads.rows(page.columns, "document").to_list
        rows = page.rows

        def convert(n: int) -> int:
            t0 = time.perf_counter_ns()
            for _ in repeat(None, n):
                docs = to_list(rows)
            elapsed = time.perf_counter_ns() - t0
            sink[:] = [docs]
            return elapsed

        return convert

    return {op: timer(model, pages[op]) for op, model in MODELS.items()}


def floor_timers(
    plain_product: type[Any], pages: dict[str, ResultPage]
) -> dict[str, Callable[[int], int]]:
    """By hand: the scalar floor's comprehension plus the vector (for bytes: copied into an
    ``array`` and listed, the least any code pays for 384 Python floats; ``struct`` is
    slower)."""
    sink: list[Any] = []
    swap = sys.byteorder == "little"

    def unpack(data: bytes) -> list[float]:
        elements = array("f", data)
        if swap:
            elements.byteswap()
        return elements.tolist()

    base, as_list, as_bytes = (pages[op].rows for op in CONNECTIONS)

    @dataclass(slots=True)
    class PlainVectorProduct(plain_product):  # type: ignore[misc, valid-type]
        """The floor's dataclass: the scalar floor's nine fields and the embedding."""

        embedding: list[float]

    plain = PlainVectorProduct

    def scalar(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            docs = [
                plain_product(i, na, c, pr, v, t, set(la), cr, no)
                for i, na, c, pr, v, t, la, cr, no in base
            ]
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [docs]
        return elapsed

    def listed(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            docs = [
                plain(i, na, c, pr, v, t, set(la), cr, no, e)
                for i, na, c, pr, v, t, la, cr, no, e in as_list
            ]
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [docs]
        return elapsed

    def unpacked(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in repeat(None, n):
            docs = [
                plain(i, na, c, pr, v, t, set(la), cr, no, unpack(e))
                for i, na, c, pr, v, t, la, cr, no, e in as_bytes
            ]
        elapsed = time.perf_counter_ns() - t0
        sink[:] = [docs]
        return elapsed

    return {"vector_base": scalar, "vector": listed, "vector_bytes": unpacked}


def uninstall() -> None:
    for name in CONNECTIONS.values():
        connections.unregister_driver(name)
